import Hummingbird
import NIOCore
import Prometheus
import VPNaaSPlan
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// The data plane's own figures: `GET /v2.0/vpn/ipsec-site-connections/{id}/status` (read-only,
/// same visibility as the connection) and Prometheus `/metrics`.
struct StatusRoutes {
    let vpn: VPN
    let board: RuntimeBoard

    func register(on v2: RouterGroup<APIRequestContext>) {
        let vpn = self.vpn
        let board = self.board
        v2.get("vpn/ipsec-site-connections/:id/status") { _, context in
            let id = try context.parameters.require("id")
            let connection = try await vpn.ipsecSiteConnection(id, context.identity)
            return JSONResponse.make(["ipsec_site_connection_status": .object(Self.render(connection, board.entry(id)))])
        }
        v2.get("vpn/ipsec-site-connections/:id/events") { request, context in
            let id = try context.parameters.require("id")
            let items = QueryString.items(request.uri.query)
            var limit: Int?
            var marker: String?
            for (key, value) in items {
                switch key {
                case "limit":
                    guard let n = Int(value), n > 0 else {
                        throw VPNaaSError.badRequest("Limit must be an integer 0 or greater and not '\(value)'")
                    }
                    limit = n
                case "marker": marker = value
                default: throw VPNaaSError.badRequest("\(key) is an invalid filter for the event log; only limit and marker page it")
                }
            }
            let page = try await vpn.connectionEvents(id, context.identity, limit: limit, marker: marker)
            let events = page.events.map(\.wire)
            var links: [JSONValue] = []
            if page.more, let last = page.events.last {
                let base = BaseURL.of(request) + request.uri.path
                let query = (limit.map { "limit=\($0)&" } ?? "") + "marker=\(QueryString.encode(last.id))"
                links.append(.object(["rel": .string("next"), "href": .string(base + "?" + query)]))
            }
            return JSONResponse.make([
                "ipsec_site_connection_events": .array(events.map(JSONValue.object)),
                "ipsec_site_connection_events_links": .array(links),
            ])
        }
    }

    func registerMetrics(on router: Hummingbird.Router<APIRequestContext>) {
        let registry = board.registry
        router.get("/metrics") { _, _ in
            var buffer = ByteBuffer()
            buffer.writeBytes(registry.emitToBuffer())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: buffer))
        }
    }

    static func render(_ c: IPsecSiteConnection, _ entry: RuntimeBoard.Entry?) -> JSONObject {
        let r = entry?.runtime
        var o = JSONObject()
        o["id"] = .string(c.id)
        o["status"] = .string(c.status.rawValue)
        o["ike_state"] = r?.ikeState.map(JSONValue.string) ?? .null
        o["child_state"] = r?.childState.map(JSONValue.string) ?? .null
        if let at = entry?.establishedAt {
            o["established_at"] = .string(iso8601(at))
        } else {
            o["established_at"] = .null
        }
        o["bytes_in"] = .int(Int(clamping: r?.bytesIn ?? 0))
        o["bytes_out"] = .int(Int(clamping: r?.bytesOut ?? 0))
        o["packets_in"] = .int(Int(clamping: r?.packetsIn ?? 0))
        o["packets_out"] = .int(Int(clamping: r?.packetsOut ?? 0))
        o["effective_mtu"] = r?.effectiveMTU.map(JSONValue.int) ?? .null
        o["failure_reason"] = r?.failureReason.map { .string($0.rawValue) } ?? .null
        o["last_error"] = r?.lastError.map(JSONValue.string) ?? .null
        o["observed_at"] = entry.map { .string(iso8601($0.observedAt)) } ?? .null
        return o
    }

    static func iso8601(_ seconds: Int64) -> String {
        Timestamp(secondsSinceEpoch: seconds).description
    }
}
