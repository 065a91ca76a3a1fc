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
        group.get("ipsec-site-connections/:id/peer-config/:device") { request, context in
            let session = try await d.session(request)
            let id = try context.parameters.require("id")
            let device = try context.parameters.require("device")
            guard let render = d.telemetry.peerConfig, d.telemetry.peerConfigDevices.contains(where: { $0.id == device }) else {
                throw VPNaaSError.notFound(.peerConfigDevice, id: device)
            }
            let text = try await render(id, device, session.identity)
            return DashboardHTTP.download(text, filename: "\(device)-\(id).conf")
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
            model["events"] = try await events(id, session.identity).map(Dashboard.eventRow)
        }
        if telemetry.peerConfig != nil {
            model["peerConfigs"] = telemetry.peerConfigDevices.map { device -> [String: Any] in
                ["label": device.label, "href": "/dashboard/ipsec-site-connections/\(id)/peer-config/\(device.id)", "device": device.id]
            }
            model["hasPeerConfigs"] = !telemetry.peerConfigDevices.isEmpty
        }
        return views.render("connection-extras", model)
    }

    /// One line of the event log: its time, what happened, and the states/reason when the event has them.
    static func eventRow(_ e: JSONObject) -> [String: Any] {
        let at = e["time"]?.stringValue ?? ""
        var parts: [String] = []
        if let type = e["type"]?.stringValue { parts.append(type.split(separator: "_").joined(separator: " ")) }
        for (key, label) in [("ike_state", "IKE"), ("child_state", "CHILD"), ("failure_reason", "reason")] {
            if let v = e[key]?.stringValue, !v.isEmpty { parts.append("\(label) \(v)") }
        }
        if let m = e["message"]?.stringValue, !m.isEmpty { parts.append(m) }
        return ["at": at, "text": parts.joined(separator: " · "), "type": e["type"]?.stringValue ?? ""]
    }
}
