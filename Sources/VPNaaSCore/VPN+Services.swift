import VPNaaSDomain
import VPNaaSStore

extension VPN {
    package func vpnServices(_ identity: Identity) async throws -> [VPNService] {
        try await store.read { tx in try await tx.vpnServices(routerID: nil).filter { identity.owns($0.projectID) } }
    }

    package func vpnService(_ id: VPNService.ID, _ identity: Identity) async throws -> VPNService {
        try await store.readStatement { tx in try await tx.visibleVPNService(id, identity) }
    }

    /// V1/V2/V21; the tunnel addresses are the router gateway's first v4/v6 IPs at create time.
    /// Several services on one router are allowed (design §3.5).
    package func createVPNService(_ input: VPNService.Create, _ identity: Identity) async throws -> VPNService {
        try requireWriter(identity, "create_vpnservice")
        try VPNService.checkFlavor(input.flavorID)
        let project = try owner(input.projectID, identity, "create_vpnservice")
        let id = newID()
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.vpnService, project: project, defaults: quotaDefaults)
            let router = try await tx.visibleRouter(input.routerID, identity)
            let subnetID = input.subnetID ?? nil
            if let subnetID { _ = try await tx.visibleSubnet(subnetID, identity) }
            try VPNService.validate(router: router, subnetID: subnetID, routerSubnetIDs: try await tx.routerSubnetIDs(router.id))
            let service = VPNService(
                id: id, projectID: project, name: input.name ?? "", description: input.description ?? "",
                routerID: router.id, subnetID: subnetID, adminStateUp: input.adminStateUp ?? true,
                externalV4IP: router.gateway?.firstIP(version: 4), externalV6IP: router.gateway?.firstIP(version: 6),
                status: .pendingCreate)
            try await tx.insert(service)
            return service
        }
    }

    package func updateVPNService(_ id: VPNService.ID, _ input: VPNService.Update, _ identity: Identity) async throws
        -> VPNService
    {
        try requireWriter(identity, "update_vpnservice")
        return try await write { tx in
            var service = try await tx.visibleVPNService(id, identity)
            try VPNService.checkUpdatable(id, status: service.status)
            if let v = input.name { service.name = v }
            if let v = input.description { service.description = v }
            if let v = input.adminStateUp, v != service.adminStateUp {
                service.adminStateUp = v
                if agentManaged { service.status = .pendingUpdate }
            }
            try await tx.update(service)
            return service
        }
    }

    /// V17: not while connections use it.
    package func deleteVPNService(_ id: VPNService.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_vpnservice")
        try await write { tx in
            _ = try await tx.visibleVPNService(id, identity)
            try VPNService.checkDeletable(id, connections: try await tx.ipsecSiteConnections())
            try await tx.deleteVPNService(id)
        }
    }
}
