import HTTPTypes
import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

extension Dashboard {
    /// One connection's line on the overview.
    struct OverviewRow {
        var connection: IPsecSiteConnection
        var status: JSONObject
    }

    func registerOverview<Context: RequestContext>(on group: RouterGroup<Context>) {
        let d = self
        group.get("") { request, _ in
            let start = ContinuousClock.now
            let session = try await d.session(request)
            var response = try await d.overviewPage(session)
            // The server's own time for the page (session check, use-cases, rendering), for browsers' dev
            // tools and bench/dashboard_bench.py.
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
            response.headers[HTTPField.Name("Server-Timing")!] = "render;dur=\((ms * 1000).rounded() / 1000)"
            return response
        }
        group.get("overview.json") { request, _ in
            let session = try await d.session(request)
            var items = JSONObject()
            for row in try await d.overviewRows(session.identity) {
                var item = row.status
                item["reason"] = .string(Dashboard.reason(row.status) ?? "")
                items[row.connection.id] = .object(item)
            }
            for service in try await d.vpn.vpnServices(session.identity) {
                items[service.id] = .object(["status": .string(service.status.rawValue)])
            }
            return DashboardHTTP.json(JSONValue.object(["items": .object(items)]).serialized())
        }
    }

    /// Connections with their live status, problems (anything not ACTIVE) first, then by name.
    func overviewRows(_ identity: Identity) async throws -> [OverviewRow] {
        var rows: [OverviewRow] = []
        for connection in try await vpn.ipsecSiteConnections(identity) {
            rows.append(OverviewRow(connection: connection, status: try await telemetry.status(connection)))
        }
        return rows.sorted {
            let a = $0.connection.status == .active, b = $1.connection.status == .active
            if a != b { return !a }
            return ($0.connection.name, $0.connection.id) < ($1.connection.name, $1.connection.id)
        }
    }

    func overviewPage(_ session: DashboardSession) async throws -> Response {
        let identity = session.identity
        let rows = try await overviewRows(identity)
        let services = try await vpn.vpnServices(identity)
        let routers = Dictionary(try await networking.routers(identity).map { ($0.id, $0.name.isEmpty ? $0.id : $0.name) }) { a, _ in a }
        let serviceNames = Dictionary(services.map { ($0.id, $0.name.isEmpty ? $0.id : $0.name) }) { a, _ in a }
        var perService: [String: Int] = [:]
        for row in rows { perService[row.connection.vpnServiceID, default: 0] += 1 }
        let connections: [[String: Any]] = rows.map { row in
            let c = row.connection
            let established = row.status["established_at"]?.stringValue
            return [
                "id": c.id, "name": c.name.isEmpty ? c.id : c.name, "status": c.status.rawValue, "peer": c.peerAddress,
                "service": serviceNames[c.vpnServiceID] ?? c.vpnServiceID, "project": c.projectID,
                "bytesIn": Dashboard.text(row.status["bytes_in"]), "bytesOut": Dashboard.text(row.status["bytes_out"]),
                "established": orFalse(established), "reason": orFalse(c.status == .active ? nil : Dashboard.reason(row.status)),
            ]
        }
        let sortedServices = services.sorted {
            let a = $0.status == .active, b = $1.status == .active
            if a != b { return !a }
            return ($0.name, $0.id) < ($1.name, $1.id)
        }
        let serviceModels: [[String: Any]] = sortedServices.map { s in
            let ips = [s.externalV4IP, s.externalV6IP].compactMap { $0?.description }
            return [
                "id": s.id, "name": s.name.isEmpty ? s.id : s.name, "status": s.status.rawValue,
                "externalIP": ips.isEmpty ? "—" : ips.joined(separator: ", "), "routerID": s.routerID,
                "router": routers[s.routerID] ?? s.routerID, "connections": String(perService[s.id] ?? 0), "project": s.projectID,
            ]
        }
        let problems = rows.filter { $0.connection.status != .active }.count
        return page(
            "overview", title: "Overview", session: session, current: "/dashboard/",
            model: [
                "connections": connections, "hasConnections": !connections.isEmpty, "connectionCount": String(rows.count),
                "problemCount": problems == 0 ? false : String(problems) as Any, "services": serviceModels,
                "hasServices": !serviceModels.isEmpty, "serviceCount": String(services.count),
            ])
    }
}
