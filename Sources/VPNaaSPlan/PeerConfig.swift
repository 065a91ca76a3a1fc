import VPNaaSDomain

/// The remote side's configuration of a site connection, as text for a device: the same facts the agent
/// gives charon (from `ConnectionPlan`), mirrored — the peer's local side is this connection's peer, its
/// traffic selectors are swapped — so a tenant (or the dashboard) hands the other site a file that works.
package struct PeerConfig: Sendable {
    /// A device the configuration can be rendered for (`GET /v2.0/vpn/peer-config-devices`).
    package struct Device: Sendable, Equatable {
        package var id: String
        package var vendor: String
        package var platform: String
        package var software: String
    }

    package static let devices: [Device] = [
        Device(id: "strongswan-swanctl", vendor: "strongSwan", platform: "Linux", software: "strongSwan 5.8+ (swanctl.conf, swanctl --load-all)"),
        Device(id: "libreswan", vendor: "Libreswan", platform: "Linux", software: "Libreswan 4.x (ipsec.conf and ipsec.secrets)"),
        Device(id: "generic", vendor: "Generic", platform: "any", software: "any IKE/IPsec gateway (parameter sheet)"),
    ]

    package var plan: ConnectionPlan
    package var ike: IKEPolicy
    package var ipsec: IPsecPolicy
    /// Only the owning project's writers and admins get the PSK; others see a placeholder.
    package var includePSK: Bool

    package init(plan: ConnectionPlan, ike: IKEPolicy, ipsec: IPsecPolicy, includePSK: Bool) {
        self.plan = plan
        self.ike = ike
        self.ipsec = ipsec
        self.includePSK = includePSK
    }

    /// The text for `device`, or nil when no such device exists.
    package func render(device: String) -> String? {
        switch device {
        case "strongswan-swanctl": swanctl
        case "libreswan": libreswan
        case "generic": generic
        default: nil
        }
    }

    // MARK: - the mirrored facts

    var connection: IPsecSiteConnection { plan.connection }
    /// This side's gateway address: the peer's remote address.
    var ourAddress: String { plan.localAddress ?? "%any" }
    var peerAddress: String { connection.peerAddress }
    /// The peer's own identity (our peer_id) and the one it must expect from us.
    var peerSideID: String { plan.peerID }
    var ourID: String { plan.localID }
    var name: String { "vpnaas-" + connection.id.prefix(8) }
    var secret: String {
        includePSK ? connection.psk : "<hidden: only members of the owning project and admins see the pre-shared key>"
    }

    var header: [String] {
        var lines = [
            "Remote side of VPNaaS site connection \(connection.id)" + (connection.name.isEmpty ? "" : " (\(connection.name))"),
            "Generated from the connection's current settings; regenerate it after any change.",
        ]
        if let problem = plan.problem { lines.append("WARNING: the connection cannot come up as configured: \(problem)") }
        return lines
    }

    /// Initiation advice: a response-only connection waits for the peer; a bi-directional one also initiates.
    var peerMustInitiate: Bool { connection.initiator == .responseOnly }
}
