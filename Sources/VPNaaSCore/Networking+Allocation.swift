import VPNaaSDomain
import VPNaaSStore

extension Networking {
    /// Chooses fixed IPs for a port on `network`: the requested ones (checked), or by default one
    /// address per IP version (SLAAC subnets: every one, by EUI-64), as Neutron's IPAM does.
    static func allocate(
        _ requests: [FixedIPRequest]?, network: Network.ID, mac: String, portID: Port.ID?, _ tx: any StoreReader
    ) async throws -> [FixedIP] {
        let subnets = try await tx.subnets(networkID: network)
        var chosen: [FixedIP] = []

        func used(_ subnet: Subnet) async throws -> Set<IPAddress> {
            var set = try await tx.usedAddresses(onSubnet: subnet.id)
            if let portID, let current = try await tx.port(portID) {
                // A port keeps its own addresses when its fixed IPs are re-requested.
                for ip in current.fixedIPs where ip.subnetID == subnet.id { set.remove(ip.ipAddress) }
            }
            for ip in chosen where ip.subnetID == subnet.id { set.insert(ip.ipAddress) }
            return set
        }

        func pick(_ subnet: Subnet) async throws -> IPAddress? {
            if subnet.isAutoAddressed { return Subnet.eui64Address(prefix: subnet.cidr, mac: mac) }
            var taken = try await used(subnet)
            if let gw = subnet.gatewayIP { taken.insert(gw) }
            return Subnet.firstFree(in: subnet.allocationPools, used: taken)
        }

        guard let requests else {
            for version in [4, 6] {
                let family = subnets.filter { $0.ipVersion == version }
                for subnet in family.filter(\.isAutoAddressed) {
                    if let ip = try await pick(subnet), !(try await used(subnet).contains(ip)) {
                        chosen.append(FixedIP(subnetID: subnet.id, ipAddress: ip))
                    }
                }
                for subnet in family where !subnet.isAutoAddressed {
                    if let ip = try await pick(subnet) {
                        chosen.append(FixedIP(subnetID: subnet.id, ipAddress: ip))
                        break
                    }
                }
            }
            if chosen.isEmpty && !subnets.isEmpty { throw VPNaaSError.noMoreAddresses(network: network) }
            return chosen
        }

        for request in requests {
            let subnet: Subnet
            if let id = request.subnetID {
                guard let s = subnets.first(where: { $0.id == id }) else {
                    throw VPNaaSError.invalidInput(
                        "Failed to create port on network \(network), because fixed_ips included invalid subnet \(id)")
                }
                subnet = s
            } else if let ip = request.ipAddress {
                guard let s = subnets.first(where: { $0.cidr.contains(ip) }) else {
                    throw VPNaaSError.neutron(
                        status: 400, type: "InvalidIpForNetwork",
                        message: "IP address \(ip) is not a valid IP for any of the subnets on the specified network.")
                }
                subnet = s
            } else {
                throw VPNaaSError.invalidInput("Fixed IP requires a subnet_id or an ip_address")
            }
            if let ip = request.ipAddress {
                guard subnet.cidr.contains(ip) else {
                    throw VPNaaSError.neutron(
                        status: 400, type: "InvalidIpForSubnet",
                        message: "IP address \(ip) is not a valid IP for the specified subnet.")
                }
                if try await used(subnet).contains(ip) { throw VPNaaSError.addressInUse(ip.description, subnet: subnet.id) }
                chosen.append(FixedIP(subnetID: subnet.id, ipAddress: ip))
            } else {
                guard let ip = try await pick(subnet), !(try await used(subnet).contains(ip)) else {
                    throw VPNaaSError.noMoreAddresses(network: network)
                }
                chosen.append(FixedIP(subnetID: subnet.id, ipAddress: ip))
            }
        }
        return chosen
    }
}
