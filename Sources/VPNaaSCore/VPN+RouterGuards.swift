import VPNaaSDomain
import VPNaaSStore

extension VPN {
    /// G1–G3: the vetoes VPN puts on router and subnet changes, for `Networking(routerGuards:)`.
    package static var routerGuards: RouterGuards {
        RouterGuards(
            beforeGatewayRemoval: { router, tx in
                let ids = try await tx.vpnServices(routerID: router.id).map(\.id).sorted()
                if !ids.isEmpty {
                    throw VPNaaSError.routerInUse(
                        router.id, reason: "is currently used by VPN services (\(ids.joined(separator: ",")))")
                }
            },
            beforeRouterDelete: { router, tx in
                let ids = try await tx.vpnServices(routerID: router.id).map(\.id).sorted()
                if !ids.isEmpty {
                    throw VPNaaSError.routerInUse(
                        router.id, reason: "is currently used by VPN service (\(ids.joined(separator: ",")))")
                }
            },
            beforeInterfaceRemoval: { router, subnetID, tx in
                let services = try await tx.vpnServices(routerID: router.id)
                if let s = services.first(where: { $0.subnetID == subnetID }) {
                    throw VPNaaSError.subnetInUseByVPNService(subnetID, service: s.id)
                }
                let serviceIDs = Set(services.map(\.id))
                let groups = try await tx.endpointGroups().filter { $0.type == .subnet && $0.endpoints.contains(subnetID) }
                let groupIDs = Set(groups.map(\.id))
                let connections = try await tx.ipsecSiteConnections()
                    .filter { serviceIDs.contains($0.vpnServiceID) && $0.localEPGroupID.map(groupIDs.contains) == true }
                    .sorted { $0.id < $1.id }
                if let c = connections.first {
                    throw VPNaaSError.subnetInUseByConnection(subnetID, connection: c.id)
                }
            },
            beforeSubnetDelete: { subnet, tx in
                if let s = try await tx.vpnServices(routerID: nil).first(where: { $0.subnetID == subnet.id }) {
                    throw VPNaaSError.subnetInUse(subnet.id, reason: "Subnet \(subnet.id) is used by VPNService \(s.id)")
                }
                let groups = try await tx.endpointGroups().filter { $0.type == .subnet && $0.endpoints.contains(subnet.id) }
                if let g = groups.sorted(by: { $0.id < $1.id }).first {
                    throw VPNaaSError.subnetInUse(subnet.id, reason: "Subnet \(subnet.id) is used by endpoint group \(g.id)")
                }
            })
    }
}
