import Logging
import ServiceLifecycle
import VPNaaSDomain
import VPNaaSPlan
import VPNaaSStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Keeps this replica's runtime board in step with the remote agents' figures stored by whichever replica received
/// them, so `/status` and `/metrics` answer the same from every replica (at most `interval` behind). One small query
/// per interval; a connection reported by two hosts (its router moved) shows the newer figures.
struct RuntimeBoardSync: Service {
    let store: any Store
    let board: RuntimeBoard
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown { await loop() }
    }

    private func loop() async {
        var hosts: Set<String> = []
        var failing = false
        while !Task.isCancelled {
            do {
                hosts = try await sync(previousHosts: hosts)
                if failing { logger.notice("runtime figures of remote agents are read again") }
                failing = false
            } catch {
                if !failing { logger.warning("runtime figures of remote agents not read", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass: the newest row per connection, published per host; hosts without rows any more are cleared.
    func sync(previousHosts: Set<String>) async throws -> Set<String> {
        let rows = try await store.read { tx in try await tx.connectionRuntimes() }
        var newest: [IPsecSiteConnection.ID: ConnectionRuntimeRow] = [:]
        for row in rows where (newest[row.connectionID]?.updatedMillis ?? .min) < row.updatedMillis { newest[row.connectionID] = row }
        var byHost: [String: [IPsecSiteConnection.ID: RuntimeBoard.Entry]] = [:]
        let decoder = JSONDecoder()
        for row in newest.values {
            guard let entry = try? decoder.decode(RuntimeBoard.Entry.self, from: Data(row.entry.utf8)) else { continue }
            byHost[row.host, default: [:]][row.connectionID] = entry
        }
        for (host, entries) in byHost { board.publish(entries, source: host) }
        for host in previousHosts.subtracting(byHost.keys) { board.publish([:], source: host) }
        return Set(byHost.keys)
    }
}
