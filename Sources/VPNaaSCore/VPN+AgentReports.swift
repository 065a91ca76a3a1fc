import VPNaaSDomain
import VPNaaSStore

/// What an agent saw: the status of each VPN object it realises, and the connection record it
/// realised (so a report never clears a PENDING_UPDATE for a change it has not applied yet).
package struct VPNStatusReport: Sendable, Equatable {
    package struct ConnectionEntry: Sendable, Equatable {
        package var status: VPNStatus
        package var realised: IPsecSiteConnection

        package init(status: VPNStatus, realised: IPsecSiteConnection) {
            self.status = status
            self.realised = realised
        }
    }

    package var services: [VPNService.ID: VPNStatus]
    package var connections: [IPsecSiteConnection.ID: ConnectionEntry]

    package init(services: [VPNService.ID: VPNStatus] = [:], connections: [IPsecSiteConnection.ID: ConnectionEntry] = [:]) {
        self.services = services
        self.connections = connections
    }
}

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
