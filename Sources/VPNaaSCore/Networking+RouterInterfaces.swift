import VPNaaSDomain
import VPNaaSStore

extension Networking {
    /// `PUT /routers/{id}/add_router_interface`, by subnet (a new port holding the gateway IP) or by port.
    package func addRouterInterface(
        _ routerID: Router.ID, _ request: Router.InterfaceRequest, _ identity: Identity, ifRevision: Int? = nil
    ) async throws -> Router.InterfaceInfo {
        try requireWriter(identity, "add_router_interface")
        switch (request.subnetID, request.portID) {
        case (nil, nil):
            throw VPNaaSError.badResourceRequest(resource: "router", message: "Either subnet_id or port_id must be specified")
        case (.some, .some):
            throw VPNaaSError.badResourceRequest(resource: "router", message: "Cannot specify both subnet-id and port-id")
        default: break
        }
        let now = now()
        let newPortID = newID()
        let mac = newMAC()
        return try await write { tx in
            var router = try await tx.visibleRouter(routerID, identity)
            try router.stamps.require(revision: ifRevision)
            let existing = try await tx.ports(networkID: nil, deviceID: routerID).filter { $0.deviceOwner == Port.Owner.routerInterface }
            var attached: [Subnet] = []
            for port in existing {
                for ip in port.fixedIPs { if let s = try await tx.subnet(ip.subnetID) { attached.append(s) } }
            }
            func checkNew(_ subnet: Subnet) throws {
                if attached.contains(where: { $0.id == subnet.id }) {
                    throw VPNaaSError.badResourceRequest(
                        resource: "router", message: "Router already has a port on subnet \(subnet.id)")
                }
                if let other = attached.first(where: { $0.cidr.overlaps(subnet.cidr) }) {
                    throw VPNaaSError.badResourceRequest(
                        resource: "router",
                        message: "Cidr \(subnet.cidr) of subnet \(subnet.id) overlaps with cidr \(other.cidr) of subnet \(other.id)")
                }
            }

            let info: Router.InterfaceInfo
            if let subnetID = request.subnetID {
                let subnet = try await tx.visibleSubnet(subnetID, identity)
                guard let gateway = subnet.gatewayIP else {
                    throw VPNaaSError.badResourceRequest(
                        resource: "router", message: "Subnet for router interface must have a gateway IP")
                }
                try checkNew(subnet)
                if try await tx.usedAddresses(onSubnet: subnet.id).contains(gateway) {
                    throw VPNaaSError.addressInUse(gateway.description, subnet: subnet.id)
                }
                let fixedIP = FixedIP(subnetID: subnet.id, ipAddress: gateway)
                // Like Neutron, IPv6 subnets of one network share a single router port.
                if subnet.ipVersion == 6,
                    var port = existing.first(where: {
                        $0.networkID == subnet.networkID && $0.fixedIPs.allSatisfy { $0.ipAddress.version == 6 }
                    })
                {
                    port.fixedIPs.append(fixedIP)
                    port.stamps = port.stamps.bumped(at: now)
                    try await tx.update(port)
                    info = Router.InterfaceInfo(
                        routerID: routerID, projectID: router.projectID, portID: port.id, networkID: port.networkID,
                        subnetID: subnet.id, subnetIDs: port.fixedIPs.map(\.subnetID))
                } else {
                    let port = Port(
                        id: newPortID, projectID: router.projectID, networkID: subnet.networkID, name: "", description: "",
                        macAddress: mac, adminStateUp: true, status: "DOWN", deviceID: routerID,
                        deviceOwner: Port.Owner.routerInterface, fixedIPs: [fixedIP], portSecurityEnabled: false,
                        bindingHostID: "", stamps: .new(at: now, revision: 1))
                    try await tx.insert(port)
                    info = Router.InterfaceInfo(
                        routerID: routerID, projectID: router.projectID, portID: port.id, networkID: port.networkID,
                        subnetID: subnet.id, subnetIDs: [subnet.id])
                }
            } else {
                let portID = request.portID!
                var port = try await tx.visiblePort(portID, identity)
                if !port.deviceID.isEmpty {
                    throw VPNaaSError.neutron(
                        status: 409, type: "PortInUse",
                        message: "Unable to complete operation on port \(portID) for network \(port.networkID). Port already has an attached device \(port.deviceID).")
                }
                guard !port.fixedIPs.isEmpty else {
                    throw VPNaaSError.badResourceRequest(
                        resource: "router", message: "Router port must have at least one fixed IP")
                }
                if port.fixedIPs.filter({ $0.ipAddress.version == 4 }).count > 1 {
                    throw VPNaaSError.badResourceRequest(
                        resource: "router", message: "Cannot have multiple IPv4 subnets on router port")
                }
                for ip in port.fixedIPs {
                    if let s = try await tx.subnet(ip.subnetID) { try checkNew(s) }
                }
                port.deviceID = routerID
                port.deviceOwner = Port.Owner.routerInterface
                port.stamps = port.stamps.bumped(at: now)
                try await tx.update(port)
                info = Router.InterfaceInfo(
                    routerID: routerID, projectID: router.projectID, portID: port.id, networkID: port.networkID,
                    subnetID: port.fixedIPs[0].subnetID, subnetIDs: port.fixedIPs.map(\.subnetID))
            }
            router.stamps = router.stamps.bumped(at: now)
            try await tx.update(router)
            return info
        }
    }

    /// `PUT /routers/{id}/remove_router_interface`, by subnet or by port.
    package func removeRouterInterface(
        _ routerID: Router.ID, _ request: Router.InterfaceRequest, _ identity: Identity, ifRevision: Int? = nil
    ) async throws -> Router.InterfaceInfo {
        try requireWriter(identity, "remove_router_interface")
        if request.subnetID == nil && request.portID == nil {
            throw VPNaaSError.badResourceRequest(resource: "router", message: "Either subnet_id or port_id must be specified")
        }
        let now = now()
        let guards = routerGuards
        return try await write { tx in
            var router = try await tx.visibleRouter(routerID, identity)
            try router.stamps.require(revision: ifRevision)
            let interfaces = try await tx.ports(networkID: nil, deviceID: routerID).filter {
                $0.deviceOwner == Port.Owner.routerInterface
            }
            var port: Port
            var removed: [Subnet.ID]
            if let portID = request.portID {
                guard let p = interfaces.first(where: { $0.id == portID }) else {
                    throw VPNaaSError.neutron(
                        status: 404, type: "RouterInterfaceNotFound",
                        message: "Router \(routerID) does not have an interface with id \(portID)")
                }
                if let subnetID = request.subnetID, !p.fixedIPs.contains(where: { $0.subnetID == subnetID }) {
                    throw VPNaaSError.neutron(
                        status: 409, type: "SubnetMismatchForPort",
                        message: "Subnet \(subnetID) does not match port \(portID)")
                }
                port = p
                removed = p.fixedIPs.map(\.subnetID)
            } else {
                let subnetID = request.subnetID!
                _ = try await tx.visibleSubnet(subnetID, identity)
                guard let p = interfaces.first(where: { $0.fixedIPs.contains { $0.subnetID == subnetID } }) else {
                    throw VPNaaSError.neutron(
                        status: 404, type: "RouterInterfaceNotFoundForSubnet",
                        message: "Router \(routerID) has no interface on subnet \(subnetID)")
                }
                port = p
                removed = [subnetID]
            }
            for subnetID in removed { try await guards.beforeInterfaceRemoval(router, subnetID, tx) }
            let remaining = port.fixedIPs.filter { !removed.contains($0.subnetID) }
            if remaining.isEmpty {
                try await tx.deletePort(port.id)
            } else {
                port.fixedIPs = remaining
                port.stamps = port.stamps.bumped(at: now)
                try await tx.update(port)
            }
            router.stamps = router.stamps.bumped(at: now)
            try await tx.update(router)
            return Router.InterfaceInfo(
                routerID: routerID, projectID: router.projectID, portID: port.id, networkID: port.networkID,
                subnetID: removed[0], subnetIDs: removed)
        }
    }
}
