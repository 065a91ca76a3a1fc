import VPNaaSDomain
import VPNaaSStore

extension VPN {
    /// Applies an agent's report. Objects deleted meanwhile are skipped; only changed rows are
    /// written. Returns the number of rows changed.
    @discardableResult
    package func applyAgentReport(_ report: VPNStatusReport) async throws -> Int {
        try await store.write { tx in
            var changed = 0
            for (id, status) in report.services {
                guard var service = try await tx.vpnService(id), service.status != status else { continue }
                service.status = status
                try await tx.update(service)
                changed += 1
            }
            for (id, entry) in report.connections {
                guard var connection = try await tx.ipsecSiteConnection(id), connection.status != entry.status else { continue }
                var realised = entry.realised
                realised.status = connection.status
                // The agent realised an older version: the newer one is still pending.
                if connection.status == .pendingUpdate, realised != connection { continue }
                connection.status = entry.status
                try await tx.update(connection)
                changed += 1
            }
            return changed
        }
    }
}

extension IPsecSiteConnection {
    /// True when the data plane must change for `other` (name and description do not count).
    package func differsInDataPlane(from other: IPsecSiteConnection) -> Bool {
        var a = self
        var b = other
        (a.name, a.description, a.status) = ("", "", .down)
        (b.name, b.description, b.status) = ("", "", .down)
        return a != b
    }
}
