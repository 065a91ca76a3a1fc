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

    /// What the last pass read: each connection's newest row (by host and time) and its decoded entry, so a pass
    /// decodes and publishes only what changed (a host's agent resends its picture every few seconds, and an idle
    /// cloud's figures do not move).
    struct Seen {
        var rows: [IPsecSiteConnection.ID: (host: String, updatedMillis: Int64, entry: RuntimeBoard.Entry)] = [:]
        var hosts: Set<String> = []
    }

    private func loop() async {
        var seen = Seen()
        var failing = false
        while !Task.isCancelled {
            do {
                seen = try await sync(seen)
                if failing { logger.notice("runtime figures of remote agents are read again") }
                failing = false
            } catch {
                if !failing { logger.warning("runtime figures of remote agents not read", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// One pass: the newest row per connection, published per host (only hosts with a changed row); hosts without
    /// rows any more are cleared.
    func sync(_ previous: Seen) async throws -> Seen {
        let rows = try await store.read { tx in try await tx.connectionRuntimes() }
        var newest: [IPsecSiteConnection.ID: ConnectionRuntimeRow] = [:]
        for row in rows where (newest[row.connectionID]?.updatedMillis ?? .min) < row.updatedMillis { newest[row.connectionID] = row }
        var next = Seen()
        var changedHosts: Set<String> = []
        let decoder = JSONDecoder()
        for (id, row) in newest {
            if let known = previous.rows[id], known.host == row.host, known.updatedMillis == row.updatedMillis {
                next.rows[id] = known
                continue
            }
            guard let entry = try? decoder.decode(RuntimeBoard.Entry.self, from: Data(row.entry.utf8)) else { continue }
            next.rows[id] = (row.host, row.updatedMillis, entry)
            changedHosts.insert(row.host)
            if let old = previous.rows[id]?.host, old != row.host { changedHosts.insert(old) }
        }
        for (id, known) in previous.rows where next.rows[id] == nil { changedHosts.insert(known.host) }
        next.hosts = Set(next.rows.values.map(\.host))
        var byHost: [String: [IPsecSiteConnection.ID: RuntimeBoard.Entry]] = [:]
        for (id, row) in next.rows where changedHosts.contains(row.host) { byHost[row.host, default: [:]][id] = row.entry }
        for (host, entries) in byHost { board.publish(entries, source: host) }
        for host in previous.hosts.union(changedHosts).subtracting(next.hosts) { board.publish([:], source: host) }
        return next
    }
}
