import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import VPNaaSAPI
import VPNaaSCore
import VPNaaSDomain
import VPNaaSStore

/// Captures every log line (message and metadata) at trace level.
final class CapturedLogs: Sendable {
    let lines = Mutex<[String]>([])

    func handler(_ label: String) -> some LogHandler { Handler(label: label, sink: self) }

    struct Handler: LogHandler {
        let label: String
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            sink.lines.withLock { $0.append("\(event.level) \(event.message) \(all)") }
        }
    }
}

struct PSKLoggingTests {
    @Test func pskNeverReachesALogLine() async throws {
        let logs = CapturedLogs()
        let logger = Logger(label: "vpnaasd-test", factory: { logs.handler($0) })
        let store = try SQLiteStore()
        let networking = Networking(
            store: store, now: { Timestamp(secondsSinceEpoch: 0) }, newID: { RandomID.uuid() },
            newMAC: {
                var g = SystemRandomNumberGenerator()
                return MACAddress.random(using: &g)
            })
        let app = Application(
            router: buildRouter(networking: networking, configuration: APIConfiguration(database: .sqliteInMemory)),
            logger: logger)
        let psk = "Log-Canary-PSK-91c2"
        try await app.test(.router) { c in
            let w = try await Walkthrough.run(c, psk: psk)
            _ = try await c.call(.get, "/v2.0/vpn/ipsec-site-connections")
            _ = try await c.call(.put, "/v2.0/vpn/ipsec-site-connections/\(w["conn"])", ["ipsec_site_connection": ["psk": psk + "2"]])
            _ = try await c.call(.post, "/v2.0/vpn/ipsec-site-connections", ["ipsec_site_connection": w.connectionBody(psk: psk, ["mtu": "x"])])
        }
        let lines = logs.lines.withLock { $0 }
        #expect(!lines.contains { $0.contains(psk) })
    }
}
