import VPNaaSDomain
import VPNaaSStore

extension Networking {
    package func subnets(_ identity: Identity) async throws -> [(Subnet, external: Bool)] {
        try await store.read { tx in
            let networks = Dictionary(uniqueKeysWithValues: try await tx.networks().map { ($0.id, $0) })
            return try await tx.subnets(networkID: nil).compactMap { s in
                guard let n = networks[s.networkID] else { return nil }
                guard identity.owns(s.projectID) || identity.owns(n.projectID) || n.shared else { return nil }
                return (s, n.external)
            }
        }
    }

    package func subnet(_ id: Subnet.ID, _ identity: Identity) async throws -> (Subnet, external: Bool) {
        try await store.read { tx in
            let s = try await tx.visibleSubnet(id, identity)
            return (s, try await tx.network(s.networkID)?.external ?? false)
        }
    }

    package func createSubnet(_ input: Subnet.Create, _ identity: Identity) async throws -> (Subnet, external: Bool) {
        try requireWriter(identity, "create_subnet")
        if let pool = input.subnetPoolID ?? nil {
            throw VPNaaSError.neutron(status: 404, type: "SubnetPoolNotFound", message: "Subnet pool \(pool) could not be found.")
        }
        guard let cidrText = input.cidr, let given = CIDR(cidrText) else {
            throw VPNaaSError.badResourceRequest(resource: "subnet", message: "a subnetpool must be specified in the absence of a cidr")
        }
        guard given.isNormalized else {
            throw VPNaaSError.invalidAttribute(
                "cidr", reason: "'\(cidrText)' isn't a recognized IP subnet cidr, '\(given.normalized)' is recommended")
        }
        let cidr = given
        guard cidr.version == input.ipVersion else {
            throw VPNaaSError.invalidInput("Cidr \(cidr) does not match ip_version \(input.ipVersion)")
        }
        let raMode = input.ipv6RAMode ?? nil
        let addressMode = input.ipv6AddressMode ?? nil
        try Networking.checkIPv6Modes(cidr: cidr, raMode: raMode, addressMode: addressMode)
        let gateway: IPAddress?
        if let given = input.gatewayIP { gateway = given } else { gateway = Subnet.defaultGateway(for: cidr) }
        if let gateway { try Networking.checkGateway(gateway, cidr: cidr) }
        let pools = input.allocationPools ?? Subnet.defaultPools(for: cidr, gateway: gateway)
        if input.allocationPools != nil { try Subnet.validatePools(pools, cidr: cidr, gateway: gateway) }
        for route in input.hostRoutes ?? [] where route.nexthop.version != cidr.version || route.destination.version != cidr.version {
            throw VPNaaSError.invalidInput("Host route \(route.destination) via \(route.nexthop) does not match ip_version \(cidr.version)")
        }
        let project = try owner(input.projectID, identity, "create_subnet")
        let now = now()
        let id = newID()
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.subnet, project: project, defaults: quotaDefaults)
            let network = try await tx.visibleNetwork(input.networkID, identity)
            guard identity.owns(network.projectID) else { throw VPNaaSError.policyNotAuthorized(action: "create_subnet") }
            for other in try await tx.subnets(networkID: network.id) where other.cidr.overlaps(cidr) {
                throw VPNaaSError.invalidInput(
                    "Requested subnet with cidr: \(cidr) for network: \(network.id) overlaps with another subnet")
            }
            let subnet = Subnet(
                id: id, projectID: project, networkID: network.id, name: input.name ?? "",
                description: input.description ?? "", cidr: cidr, gatewayIP: gateway, enableDHCP: input.enableDHCP ?? true,
                ipv6RAMode: raMode, ipv6AddressMode: addressMode, allocationPools: pools,
                dnsNameservers: input.dnsNameservers ?? [], hostRoutes: input.hostRoutes ?? [], stamps: .new(at: now))
            try await tx.insert(subnet)
            return (subnet, network.external)
        }
    }

    static func checkIPv6Modes(cidr: CIDR, raMode: Subnet.IPv6Mode?, addressMode: Subnet.IPv6Mode?) throws {
        if cidr.version == 4 {
            if raMode != nil { throw VPNaaSError.invalidInput("ipv6_ra_mode is not valid when ip_version is 4") }
            if addressMode != nil { throw VPNaaSError.invalidInput("ipv6_address_mode is not valid when ip_version is 4") }
            return
        }
        if let raMode, let addressMode, raMode != addressMode {
            throw VPNaaSError.invalidInput(
                "ipv6_ra_mode set to '\(raMode.rawValue)' with ipv6_address_mode set to '\(addressMode.rawValue)' is not valid. If both attributes are set, they must be the same value")
        }
        let auto: Set<Subnet.IPv6Mode> = [.slaac, .dhcpv6Stateless]
        if (raMode.map(auto.contains) ?? false) || (addressMode.map(auto.contains) ?? false), cidr.prefixLength != 64 {
            throw VPNaaSError.invalidInput(
                "Invalid CIDR \(cidr) for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64")
        }
    }

    static func checkGateway(_ gateway: IPAddress, cidr: CIDR) throws {
        guard gateway.version == cidr.version else {
            throw VPNaaSError.invalidInput("Gateway IP version inconsistent with allocation pool version")
        }
        if cidr.version == 4, cidr.prefixLength < 31, gateway == cidr.network || gateway == cidr.last {
            throw VPNaaSError.invalidInput("Gateway is not valid on subnet")
        }
    }

    package func updateSubnet(_ id: Subnet.ID, _ input: Subnet.Update, _ identity: Identity, ifRevision: Int? = nil) async throws
        -> (Subnet, external: Bool)
    {
        try requireWriter(identity, "update_subnet")
        let now = now()
        return try await write { tx in
            var subnet = try await tx.visibleSubnet(id, identity)
            guard identity.owns(subnet.projectID) else { throw VPNaaSError.policyNotAuthorized(action: "update_subnet") }
            try subnet.stamps.require(revision: ifRevision)
            if let gw = input.gatewayIP, gw != subnet.gatewayIP {
                if let gw { try Networking.checkGateway(gw, cidr: subnet.cidr) }
                for port in try await tx.ports(onSubnet: id) {
                    let holdsOld = port.fixedIPs.contains { $0.subnetID == id && $0.ipAddress == subnet.gatewayIP }
                    let holdsNew = port.fixedIPs.contains { $0.subnetID == id && $0.ipAddress == gw }
                    if (holdsOld && port.deviceOwner == Port.Owner.routerInterface) || holdsNew {
                        throw VPNaaSError.neutron(
                            status: 409, type: "GatewayIpInUse",
                            message: "Current gateway ip \(subnet.gatewayIP?.description ?? "None") already in use by port \(port.id). Unable to update.")
                    }
                }
                subnet.gatewayIP = gw
            }
            if let pools = input.allocationPools {
                try Subnet.validatePools(pools, cidr: subnet.cidr, gateway: subnet.gatewayIP)
                subnet.allocationPools = pools
            } else if input.gatewayIP != nil, let gw = subnet.gatewayIP, subnet.allocationPools.contains(where: { $0.contains(gw) }) {
                throw VPNaaSError.neutron(
                    status: 409, type: "GatewayConflictWithAllocationPools",
                    message: "Gateway ip \(gw) conflicts with allocation pool \(subnet.allocationPools.first { $0.contains(gw) }!)")
            }
            if let v = input.name { subnet.name = v }
            if let v = input.description { subnet.description = v }
            if let v = input.enableDHCP { subnet.enableDHCP = v }
            if let v = input.dnsNameservers { subnet.dnsNameservers = v }
            if let v = input.hostRoutes { subnet.hostRoutes = v }
            subnet.stamps = subnet.stamps.bumped(at: now)
            try await tx.update(subnet)
            return (subnet, try await tx.network(subnet.networkID)?.external ?? false)
        }
    }

    package func deleteSubnet(_ id: Subnet.ID, _ identity: Identity, ifRevision: Int? = nil) async throws {
        try requireWriter(identity, "delete_subnet")
        let guards = routerGuards
        try await write { tx in
            let subnet = try await tx.visibleSubnet(id, identity)
            guard identity.owns(subnet.projectID) else { throw VPNaaSError.policyNotAuthorized(action: "delete_subnet") }
            try subnet.stamps.require(revision: ifRevision)
            // Services' vetoes first, as Neutron's BEFORE_DELETE callbacks (fixture 74 names the endpoint group).
            try await guards.beforeSubnetDelete(subnet, tx)
            if try await !tx.ports(onSubnet: id).isEmpty { throw VPNaaSError.subnetInUse(id) }
            try await tx.deleteSubnet(id)
        }
    }
}
