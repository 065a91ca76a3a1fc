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
