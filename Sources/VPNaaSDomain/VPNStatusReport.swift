/// The agent protocol's status message: what an agent saw, per VPN object it realises. A domain
/// value (not a use-case type) so the agent can speak it without depending on the server's layers.
/// What an agent saw: the status of each VPN object it realises, and the connection record it
/// realised (so a report never clears a PENDING_UPDATE for a change it has not applied yet).
package struct VPNStatusReport: Codable, Sendable, Equatable {
    package struct ConnectionEntry: Codable, Sendable, Equatable {
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
