import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

extension Dashboard {
    /// Labels of the status sub-resource's keys; keys the server adds later are shown by name.
    static let statusLabels: [(key: String, label: String)] = [
        ("status", "State"), ("failure_reason", "Failure reason"), ("last_error", "Last error"), ("ike_state", "IKE SA"),
        ("child_state", "CHILD SA"), ("established_at", "Established since"), ("bytes_in", "Bytes in"),
        ("bytes_out", "Bytes out"), ("packets_in", "Packets in"), ("packets_out", "Packets out"),
        ("effective_mtu", "Effective MTU"), ("observed_at", "Observed at"),
    ]

    func registerConnectionLive<Context: RequestContext>(on group: RouterGroup<Context>) {
        let d = self
        group.get("ipsec-site-connections/:id/status.json") { request, context in
            let session = try await d.session(request)
            let id = try context.parameters.require("id")
            let connection = try await d.vpn.ipsecSiteConnection(id, session.identity)
            var item = try await d.telemetry.status(connection)
            item["reason"] = .string(Dashboard.reason(item) ?? "")
            return DashboardHTTP.json(JSONValue.object(["items": .object([id: .object(item)])]).serialized())
        }
    }

    /// Why a connection is not up, when the server knows.
    static func reason(_ status: JSONObject) -> String? {
        for key in ["failure_reason", "last_error"] {
            if let s = status[key]?.stringValue, !s.isEmpty { return s }
        }
        return nil
    }

    func connectionExtras(_ id: String, _ session: DashboardSession) async throws -> String {
        let connection = try await vpn.ipsecSiteConnection(id, session.identity)
        let status = try await telemetry.status(connection)
        let known = Set(Dashboard.statusLabels.map(\.key))
        let ordered = Dashboard.statusLabels.filter { status[$0.key] != nil } + status.keys.filter { !known.contains($0) && $0 != "id" }.map { ($0, $0) }
        let rows: [[String: Any]] = ordered.map { entry in
            let value = Dashboard.text(status[entry.key])
            let isTime = entry.key.hasSuffix("_at") && value != "—"
            let format: Any = entry.key.hasPrefix("bytes_") ? "bytes" : entry.key.hasSuffix("_at") ? "time" : false
            return ["key": entry.key, "label": entry.label, "value": value, "isStatus": entry.key == "status", "isTime": isTime, "format": format]
        }
        var model: [String: Any] = ["id": id, "status": rows, "hasEvents": telemetry.events != nil, "events": [], "peerConfigs": [], "hasPeerConfigs": false]
        if let events = telemetry.events {
            model["events"] = try await events(id, session.identity).map { e -> [String: Any] in
                let at = e["at"]?.stringValue ?? e["timestamp"]?.stringValue ?? e["time"]?.stringValue ?? ""
                let text = e.fields.filter { !["at", "timestamp", "time", "id"].contains($0.key) }.map { "\($0.key): \(Dashboard.text($0.value))" }
                return ["at": at, "text": text.joined(separator: " · ")]
            }
        }
        if let peerConfigs = telemetry.peerConfigs {
            let links = peerConfigs(id)
            model["peerConfigs"] = links.map { ["label": $0.label, "href": $0.href] }
            model["hasPeerConfigs"] = !links.isEmpty
        }
        return views.render("connection-extras", model)
    }
}
