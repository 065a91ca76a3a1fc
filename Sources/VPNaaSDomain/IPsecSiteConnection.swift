/// One site-to-site tunnel of a VPN service to a peer.
package struct IPsecSiteConnection: Codable, Sendable, Equatable {
    package typealias ID = String

    package enum Initiator: String, Codable, Sendable, CaseIterable {
        case biDirectional = "bi-directional"
        case responseOnly = "response-only"
    }

    /// Dead peer detection.
    package struct DPD: Codable, Sendable, Equatable {
        package enum Action: String, Codable, Sendable, CaseIterable {
            case clear, disabled, hold, restart
            case restartByPeer = "restart-by-peer"
        }

        package static let `default` = DPD(action: .hold, interval: 30, timeout: 120)

        package var action: Action
        package var interval: Int
        package var timeout: Int

        package init(action: Action, interval: Int, timeout: Int) {
            self.action = action
            self.interval = interval
            self.timeout = timeout
        }

        /// Partial DPD as given in a body; omitted keys keep the base's values.
        package struct Input: Sendable, Equatable {
            package var action: Action?
            package var interval: Int?
            package var timeout: Int?
            package init(action: Action? = nil, interval: Int? = nil, timeout: Int? = nil) {
                self.action = action
                self.interval = interval
                self.timeout = timeout
            }
        }

        package func merged(_ input: Input?) -> DPD {
            guard let input else { return self }
            return DPD(action: input.action ?? action, interval: input.interval ?? interval, timeout: input.timeout ?? timeout)
        }
    }

    package static let defaultMTU = 1500

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var peerAddress: String
    package var peerID: String
    package var localID: String
    package var psk: String
    package var mtu: Int
    package var initiator: Initiator
    package var dpd: DPD
    package var adminStateUp: Bool
    package var status: VPNStatus
    package var vpnServiceID: VPNService.ID
    package var ikePolicyID: IKEPolicy.ID
    package var ipsecPolicyID: IPsecPolicy.ID
    package var peerCIDRs: [CIDR]
    package var localEPGroupID: EndpointGroup.ID?
    package var peerEPGroupID: EndpointGroup.ID?

    package init(
        id: ID, projectID: String, name: String = "", description: String = "", peerAddress: String, peerID: String,
        localID: String = "", psk: String, mtu: Int = IPsecSiteConnection.defaultMTU, initiator: Initiator = .biDirectional,
        dpd: DPD = .default, adminStateUp: Bool = true, status: VPNStatus = .pendingCreate,
        vpnServiceID: VPNService.ID, ikePolicyID: IKEPolicy.ID, ipsecPolicyID: IPsecPolicy.ID, peerCIDRs: [CIDR] = [],
        localEPGroupID: EndpointGroup.ID? = nil, peerEPGroupID: EndpointGroup.ID? = nil
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.peerAddress = peerAddress
        self.peerID = peerID
        self.localID = localID
        self.psk = psk
        self.mtu = mtu
        self.initiator = initiator
        self.dpd = dpd
        self.adminStateUp = adminStateUp
        self.status = status
        self.vpnServiceID = vpnServiceID
        self.ikePolicyID = ikePolicyID
        self.ipsecPolicyID = ipsecPolicyID
        self.peerCIDRs = peerCIDRs
        self.localEPGroupID = localEPGroupID
        self.peerEPGroupID = peerEPGroupID
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var vpnServiceID: VPNService.ID = ""
        package var ikePolicyID: IKEPolicy.ID = ""
        package var ipsecPolicyID: IPsecPolicy.ID = ""
        package var peerAddress: String = ""
        package var peerID: String = ""
        package var localID: String?
        package var psk: String = ""
        package var peerCIDRs: [CIDR]?
        package var localEPGroupID: EndpointGroup.ID??
        package var peerEPGroupID: EndpointGroup.ID??
        package var mtu: Int?
        package var initiator: Initiator?
        package var dpd: DPD.Input?
        package var adminStateUp: Bool?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var peerAddress: String?
        package var peerID: String?
        package var localID: String?
        package var psk: String?
        package var peerCIDRs: [CIDR]?
        package var localEPGroupID: EndpointGroup.ID??
        package var peerEPGroupID: EndpointGroup.ID??
        package var mtu: Int?
        package var initiator: Initiator?
        package var dpd: DPD.Input?
        package var adminStateUp: Bool?
        package init() {}
    }

    /// A new connection from create input with Neutron's defaults (status PENDING_CREATE).
    package static func make(id: ID, projectID: String, _ c: Create) -> IPsecSiteConnection {
        IPsecSiteConnection(
            id: id, projectID: projectID, name: c.name ?? "", description: c.description ?? "",
            peerAddress: c.peerAddress, peerID: c.peerID, localID: c.localID ?? "", psk: c.psk,
            mtu: c.mtu ?? defaultMTU, initiator: c.initiator ?? .biDirectional, dpd: DPD.default.merged(c.dpd),
            adminStateUp: c.adminStateUp ?? true, status: .pendingCreate, vpnServiceID: c.vpnServiceID,
            ikePolicyID: c.ikePolicyID, ipsecPolicyID: c.ipsecPolicyID, peerCIDRs: c.peerCIDRs ?? [],
            localEPGroupID: c.localEPGroupID ?? nil, peerEPGroupID: c.peerEPGroupID ?? nil)
    }

    /// This connection with an update applied; omitted DPD keys, peer CIDRs and groups keep stored values.
    package func applying(_ u: Update) -> IPsecSiteConnection {
        var c = self
        if let v = u.name { c.name = v }
        if let v = u.description { c.description = v }
        if let v = u.peerAddress { c.peerAddress = v }
        if let v = u.peerID { c.peerID = v }
        if let v = u.localID { c.localID = v }
        if let v = u.psk { c.psk = v }
        if let v = u.peerCIDRs { c.peerCIDRs = v }
        if let v = u.localEPGroupID { c.localEPGroupID = v }
        if let v = u.peerEPGroupID { c.peerEPGroupID = v }
        if let v = u.mtu { c.mtu = v }
        if let v = u.initiator { c.initiator = v }
        c.dpd = dpd.merged(u.dpd)
        if let v = u.adminStateUp { c.adminStateUp = v }
        return c
    }
}

extension IPsecSiteConnection: CustomReflectable {
    /// Reflection (`print`, `dump`, string interpolation) never shows the PSK, so it can't leak into a log line.
    package var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "projectID": projectID, "vpnServiceID": vpnServiceID, "peerAddress": peerAddress,
                "psk": "<redacted>", "status": status,
            ])
    }
}
