extension VPNService {
    /// V1/V2: the router needs a gateway; a legacy subnet must be attached to it.
    package static func validate(
        router: Router, subnetID: Subnet.ID?, routerSubnetIDs: Set<Subnet.ID>
    ) throws(VPNaaSError) {
        guard router.gateway != nil else { throw .routerIsNotExternal(router.id) }
        if let subnetID, !routerSubnetIDs.contains(subnetID) {
            throw .subnetIsNotConnectedToRouter(subnetID, router: router.id)
        }
    }
}

extension VPNService {
    /// V21: flavors are not served, so any flavor is unknown (Neutron's answer for an unknown flavor).
    package static func checkFlavor(_ flavorID: String??) throws(VPNaaSError) {
        if let flavor = flavorID ?? nil { throw .notFound(.flavor, id: flavor) }
    }

    /// V17: no connection may use the service being deleted.
    package static func checkDeletable(_ id: ID, connections: [IPsecSiteConnection]) throws(VPNaaSError) {
        if connections.contains(where: { $0.vpnServiceID == id }) { throw .vpnServiceInUse(id) }
    }

    /// Updates are refused while PENDING_* (services and connections alike).
    package static func checkUpdatable(_ id: String, status: VPNStatus) throws(VPNaaSError) {
        // PENDING_UPDATE is accepted (unlike Neutron): the agent always converges on the latest
        // version, so a second change while one is being applied is safe.
        if status == .pendingCreate || status == .pendingDelete { throw .vpnStateInvalidToUpdate(id, state: status) }
    }
}

extension IKEPolicy {
    /// V16: a policy used by any connection can be neither updated nor deleted.
    package static func checkUnused(_ id: ID, connections: [IPsecSiteConnection]) throws(VPNaaSError) {
        if connections.contains(where: { $0.ikePolicyID == id }) { throw .ikePolicyInUse(id) }
    }
}

extension IPsecPolicy {
    /// V16 for IPsec policies.
    package static func checkUnused(_ id: ID, connections: [IPsecSiteConnection]) throws(VPNaaSError) {
        if connections.contains(where: { $0.ipsecPolicyID == id }) { throw .ipsecPolicyInUse(id) }
    }
}

extension EndpointGroup {
    /// V18: a group used by any connection can't be deleted (400, as Neutron).
    package static func checkDeletable(_ id: ID, connections: [IPsecSiteConnection]) throws(VPNaaSError) {
        if connections.contains(where: { $0.localEPGroupID == id || $0.peerEPGroupID == id }) {
            throw .endpointGroupInUse(id)
        }
    }
}
