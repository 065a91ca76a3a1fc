/// Everything a connection is checked against, resolved by the use-case beforehand so the rules stay pure.
package struct ConnectionEnvironment: Sendable {
    package var service: VPNService
    /// The service router's gateway addresses.
    package var gatewayIPs: [IPAddress]
    /// Subnets attached to the service router through interfaces.
    package var routerSubnetIDs: Set<Subnet.ID>
    /// Legacy mode: the service's subnet.
    package var serviceSubnet: Subnet?
    package var localGroup: EndpointGroup?
    package var peerGroup: EndpointGroup?
    /// The local group's subnets that exist.
    package var localGroupSubnets: [Subnet]
    package var ipsecPolicy: IPsecPolicy

    package init(
        service: VPNService, gatewayIPs: [IPAddress], routerSubnetIDs: Set<Subnet.ID>, serviceSubnet: Subnet? = nil,
        localGroup: EndpointGroup? = nil, peerGroup: EndpointGroup? = nil, localGroupSubnets: [Subnet] = [],
        ipsecPolicy: IPsecPolicy
    ) {
        self.service = service
        self.gatewayIPs = gatewayIPs
        self.routerSubnetIDs = routerSubnetIDs
        self.serviceSubnet = serviceSubnet
        self.localGroup = localGroup
        self.peerGroup = peerGroup
        self.localGroupSubnets = localGroupSubnets
        self.ipsecPolicy = ipsecPolicy
    }
}

extension IPsecSiteConnection {
    /// The minimum MTU per IP version (`IP_MIN_MTU`).
    package static func minimumMTU(version: Int) -> Int { version == 6 ? 1280 : 68 }

    /// Rules V3–V13, V20 and ours (non-empty PSK, peer CIDRs must not overlap local subnets), in
    /// neutron-vpnaas' order. `connection` is the complete connection (create input with defaults, or
    /// the stored one with the update applied).
    package static func validate(_ c: IPsecSiteConnection, in env: ConnectionEnvironment) throws(VPNaaSError) {
        guard !c.psk.isEmpty else { throw .invalidAttribute("psk", reason: "psk must not be empty") }
        let (local, peer) = try endpoints(c, env)
        try checkVersions(local: local, peer: peer, c, env)
        for p in peer {
            if let l = local.first(where: { $0.overlaps(p) }) {
                throw .peerCIDRsOverlapLocalSubnets(peer: p.description, local: l.description)
            }
        }
        try checkDPD(c.dpd)
        if let version = local.first?.version { try checkMTU(c.mtu, version: version) }
        try checkPeerAddress(c.peerAddress, env)
        if env.ipsecPolicy.transformProtocol == .ahESP {
            throw .ipsecValidationFailure(key: "transform_protocol", value: IPsecPolicy.TransformProtocol.ahESP.rawValue)
        }
    }

    /// V3–V6: legacy vs endpoint-group mode, group types, local subnets on the router.
    /// - Returns: local subnet CIDRs and peer CIDRs.
    static func endpoints(_ c: IPsecSiteConnection, _ env: ConnectionEnvironment) throws(VPNaaSError) -> (
        local: [CIDR], peer: [CIDR]
    ) {
        if let subnet = env.serviceSubnet {
            guard !c.peerCIDRs.isEmpty else { throw .missingPeerCIDRs() }
            let given = [c.localEPGroupID.map { _ in "local" }, c.peerEPGroupID.map { _ in "peer" }].compactMap { $0 }
            if !given.isEmpty { throw .invalidEndpointGroup(given) }
            return ([subnet.cidr], c.peerCIDRs)
        }
        if !c.peerCIDRs.isEmpty { throw .peerCIDRsInvalid() }
        let missing = [c.localEPGroupID == nil ? "local" : nil, c.peerEPGroupID == nil ? "peer" : nil].compactMap { $0 }
        if !missing.isEmpty { throw .missingRequiredEndpointGroup(missing) }
        guard let localGroup = env.localGroup, let peerGroup = env.peerGroup else {
            throw .missingRequiredEndpointGroup(["local", "peer"])
        }
        guard localGroup.type == .subnet else {
            throw .wrongEndpointGroupType(localGroup.id, type: localGroup.type.rawValue, expected: "subnet")
        }
        guard peerGroup.type == .cidr else {
            throw .wrongEndpointGroupType(peerGroup.id, type: peerGroup.type.rawValue, expected: "cidr")
        }
        for id in localGroup.endpoints {
            guard env.localGroupSubnets.contains(where: { $0.id == id }) else { throw .nonExistingSubnetInEndpointGroup(id) }
            if !env.routerSubnetIDs.contains(id) {
                throw .subnetIsNotConnectedToRouter(id, router: env.service.routerID)
            }
        }
        let local = localGroup.endpoints.compactMap { id in env.localGroupSubnets.first { $0.id == id }?.cidr }
        let peer = peerGroup.endpoints.compactMap { CIDR($0) }
        return (local, peer)
    }

    /// V7/V8: one IP version per side, the same on both sides.
    static func checkVersions(local: [CIDR], peer: [CIDR], _ c: IPsecSiteConnection, _ env: ConnectionEnvironment)
        throws(VPNaaSError)
    {
        if Set(local.map(\.version)).count > 1 {
            throw .mixedIPVersionsForEndpoints(env.localGroup?.id ?? env.service.id)
        }
        if Set(peer.map(\.version)).count > 1 {
            if let group = env.peerGroup { throw .mixedIPVersionsForEndpoints(group.id) }
            throw .mixedIPVersionsForPeerCIDRs()
        }
        if let l = local.first?.version, let p = peer.first?.version, l != p {
            throw .mixedIPVersionsForConnection()
        }
    }

    /// V10: the timeout must be longer than the interval.
    package static func checkDPD(_ dpd: DPD) throws(VPNaaSError) {
        if dpd.timeout <= dpd.interval { throw .dpdIntervalValueError() }
    }

    /// V11: at least 68 for IPv4 and 1280 for IPv6, by local IP version.
    package static func checkMTU(_ mtu: Int, version: Int) throws(VPNaaSError) {
        if mtu < minimumMTU(version: version) { throw .mtuError(mtu, version: version) }
    }

    /// V12/V13: an IP literal whose version the router gateway has, or a host name.
    /// Host names are not resolved here (no I/O in the domain); they must at least be well-formed.
    static func checkPeerAddress(_ address: String, _ env: ConnectionEnvironment) throws(VPNaaSError) {
        if let ip = IPAddress(address) {
            if !env.gatewayIPs.contains(where: { $0.version == ip.version }) {
                throw .externalNetworkHasNoSubnet(router: env.service.routerID, version: ip.version)
            }
            return
        }
        guard isHostName(address) else { throw .peerAddressNotResolved(address) }
    }

    package static func isHostName(_ s: String) -> Bool {
        guard !s.isEmpty, s.count <= 253 else { return false }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        } && !(labels.last?.allSatisfy(\.isNumber) ?? true)
    }
}
