import VPNaaSDomain
import VPNaaSStore

extension Networking {
    package func ports(_ identity: Identity) async throws -> [Port] {
        try await store.read { tx in try await tx.ports(networkID: nil, deviceID: nil).filter { identity.owns($0.projectID) } }
    }

    package func port(_ id: Port.ID, _ identity: Identity) async throws -> Port {
        try await store.read { tx in try await tx.visiblePort(id, identity) }
    }

    package func createPort(_ input: Port.Create, _ identity: Identity) async throws -> Port {
        try requireWriter(identity, "create_port")
        if let owner = input.deviceOwner, owner == Port.Owner.routerGateway || owner == Port.Owner.routerInterface {
            throw VPNaaSError.badResourceRequest(
                resource: "port", message: "device_owner \(owner) is managed through the router API")
        }
        let project = try owner(input.projectID, identity, "create_port")
        let now = now()
        let id = newID()
        let mac = input.macAddress ?? newMAC()
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.port, project: project, defaults: quotaDefaults)
            let network = try await tx.visibleNetwork(input.networkID, identity)
            guard identity.owns(network.projectID) || network.shared else {
                throw VPNaaSError.policyNotAuthorized(action: "create_port")
            }
            if try await tx.ports(networkID: network.id, deviceID: nil).contains(where: { $0.macAddress == mac }) {
                throw VPNaaSError.neutron(
                    status: 409, type: "MacAddressInUse",
                    message: "Unable to complete operation for network \(network.id). The mac address \(mac) is in use.")
            }
            let ips = try await Networking.allocate(input.fixedIPs, network: network.id, mac: mac, portID: nil, tx)
            let port = Port(
                id: id, projectID: project, networkID: network.id, name: input.name ?? "",
                description: input.description ?? "", macAddress: mac, adminStateUp: input.adminStateUp ?? true,
                status: "DOWN", deviceID: input.deviceID ?? "", deviceOwner: input.deviceOwner ?? "", fixedIPs: ips,
                portSecurityEnabled: input.portSecurityEnabled ?? network.portSecurityEnabled,
                bindingHostID: input.bindingHostID ?? "", stamps: .new(at: now, revision: 1))
            try await tx.insert(port)
            return port
        }
    }

    package func updatePort(_ id: Port.ID, _ input: Port.Update, _ identity: Identity, ifRevision: Int? = nil) async throws -> Port {
        try requireWriter(identity, "update_port")
        let now = now()
        return try await write { tx in
            var port = try await tx.visiblePort(id, identity)
            try port.stamps.require(revision: ifRevision)
            if port.isRouterPort, input.deviceID != nil || input.deviceOwner != nil || input.fixedIPs != nil {
                throw VPNaaSError.badResourceRequest(
                    resource: "port", message: "Port \(id) is owned by a router; change it through the router API")
            }
            if let owner = input.deviceOwner, owner == Port.Owner.routerGateway || owner == Port.Owner.routerInterface {
                throw VPNaaSError.badResourceRequest(
                    resource: "port", message: "device_owner \(owner) is managed through the router API")
            }
            if let requests = input.fixedIPs {
                port.fixedIPs = try await Networking.allocate(requests, network: port.networkID, mac: port.macAddress, portID: id, tx)
            }
            if let v = input.name { port.name = v }
            if let v = input.description { port.description = v }
            if let v = input.adminStateUp { port.adminStateUp = v }
            if let v = input.deviceID { port.deviceID = v }
            if let v = input.deviceOwner { port.deviceOwner = v }
            if let v = input.portSecurityEnabled { port.portSecurityEnabled = v }
            if let v = input.bindingHostID { port.bindingHostID = v }
            port.stamps = port.stamps.bumped(at: now)
            try await tx.update(port)
            return port
        }
    }

    package func deletePort(_ id: Port.ID, _ identity: Identity, ifRevision: Int? = nil) async throws {
        try requireWriter(identity, "delete_port")
        try await write { tx in
            let port = try await tx.visiblePort(id, identity)
            try port.stamps.require(revision: ifRevision)
            if port.isRouterPort {
                throw VPNaaSError.neutron(
                    status: 409, type: "ServicePortInUse",
                    message: "Port \(id) cannot be deleted directly via the port API: has device owner \(port.deviceOwner).")
            }
            try await tx.deletePort(id)
        }
    }
}
