import VPNaaSDomain
import VPNaaSStore

extension Networking {
    package func networks(_ identity: Identity) async throws -> [Network] {
        try await store.read { tx in try await tx.networks().filter { $0.isVisible(to: identity) } }
    }

    package func network(_ id: Network.ID, _ identity: Identity) async throws -> Network {
        try await store.read { tx in try await tx.visibleNetwork(id, identity) }
    }

    package func createNetwork(_ input: Network.Create, _ identity: Identity) async throws -> Network {
        try requireWriter(identity, "create_network")
        let project = try owner(input.projectID, identity, "create_network")
        if !identity.isAdmin {
            let adminOnly: [(String, Bool)] = [
                ("router:external", input.external != nil), ("shared", input.shared != nil),
                ("provider:network_type", input.networkType != nil),
                ("provider:physical_network", input.physicalNetwork != nil),
                ("provider:segmentation_id", input.segmentationID != nil), ("is_default", input.isDefault != nil),
            ]
            if let (attribute, _) = adminOnly.first(where: { $0.1 }) {
                throw VPNaaSError.policyNotAuthorized(action: "create_network:\(attribute)")
            }
        }
        let external = input.external ?? false
        let now = now()
        let id = newID()
        let configuration = configuration
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.network, project: project, defaults: quotaDefaults)
            let segment = try await Networking.segment(for: input, external: external, configuration, tx)
            let maxMTU = configuration.physicalMTU - (segment.networkType == .vxlan ? 50 : 0)
            let mtu = input.mtu ?? maxMTU
            if mtu > maxMTU {
                throw VPNaaSError.invalidInput("Requested MTU is too big, maximum is \(maxMTU)")
            }
            if mtu < 68 { throw VPNaaSError.invalidAttribute("mtu", reason: "'\(mtu)' is too small - must be at least '68'") }
            let network = Network(
                id: id, projectID: project, name: input.name ?? "", description: input.description ?? "",
                adminStateUp: input.adminStateUp ?? true, shared: input.shared ?? false, external: external,
                segment: segment, mtu: mtu, portSecurityEnabled: input.portSecurityEnabled ?? true,
                vlanTransparent: input.vlanTransparent ?? false, qinq: input.qinq ?? false,
                isDefault: input.isDefault ?? false, availabilityZoneHints: input.availabilityZoneHints ?? [],
                status: "ACTIVE", stamps: .new(at: now, revision: 1))
            try await tx.insert(network)
            return network
        }
    }

    /// The provider segment a new network gets: as requested (checked), or the defaults.
    static func segment(
        for input: Network.Create, external: Bool, _ configuration: NetworkingConfiguration, _ tx: any StoreReader
    ) async throws -> Network.Segment {
        let physnet = input.physicalNetwork ?? nil
        let segmentID = input.segmentationID ?? nil
        guard let type = input.networkType else {
            if physnet != nil || segmentID != nil {
                throw VPNaaSError.invalidInput("provider:network_type required")
            }
            // Most users type `network create provider --external`: it must land on the default
            // physical network so the data plane can realise it, unless that one is taken.
            if external {
                let flatTaken = try await tx.networks().contains {
                    $0.segment.networkType == .flat && $0.segment.physicalNetwork == configuration.defaultPhysicalNetwork
                }
                if !flatTaken {
                    return .init(networkType: .flat, physicalNetwork: configuration.defaultPhysicalNetwork, segmentationID: nil)
                }
            }
            return await .init(networkType: .vxlan, physicalNetwork: nil, segmentationID: try freeVNI(configuration, tx))
        }
        switch type {
        case .flat:
            guard let physnet else { throw VPNaaSError.invalidInput("physical_network required for flat provider network") }
            guard configuration.physicalNetworks.contains(physnet) else {
                throw VPNaaSError.invalidInput("physical_network '\(physnet)' unknown for flat provider network")
            }
            if segmentID != nil { throw VPNaaSError.invalidInput("segmentation_id specified for flat provider network") }
            if try await tx.networks().contains(where: { $0.segment.networkType == .flat && $0.segment.physicalNetwork == physnet }) {
                throw VPNaaSError.neutron(
                    status: 409, type: "FlatNetworkInUse",
                    message: "Unable to create the flat network. Physical network \(physnet) is in use.")
            }
            return .init(networkType: .flat, physicalNetwork: physnet, segmentationID: nil)
        case .vlan:
            guard let physnet else { throw VPNaaSError.invalidInput("physical_network required for VLAN provider network") }
            guard configuration.physicalNetworks.contains(physnet) else {
                throw VPNaaSError.invalidInput("physical_network '\(physnet)' unknown for VLAN provider network")
            }
            guard let segmentID, (1...4094).contains(segmentID) else {
                throw VPNaaSError.invalidInput("segmentation_id out of range (1 through 4094)")
            }
            if try await tx.networks().contains(where: {
                $0.segment.networkType == .vlan && $0.segment.physicalNetwork == physnet && $0.segment.segmentationID == segmentID
            }) {
                throw VPNaaSError.neutron(
                    status: 409, type: "VlanIdInUse",
                    message: "Unable to create the network. The VLAN \(segmentID) on physical network \(physnet) is in use.")
            }
            return .init(networkType: .vlan, physicalNetwork: physnet, segmentationID: segmentID)
        case .vxlan:
            if physnet != nil { throw VPNaaSError.invalidInput("provider:physical_network specified for vxlan network") }
            if let segmentID {
                guard (1...16_777_215).contains(segmentID) else {
                    throw VPNaaSError.invalidInput("segmentation_id out of range (1 through 16777215)")
                }
                if try await tx.segmentationIDs(of: .vxlan).contains(segmentID) {
                    throw VPNaaSError.neutron(
                        status: 409, type: "TunnelIdInUse",
                        message: "Unable to create the network. The tunnel ID \(segmentID) is in use.")
                }
                return .init(networkType: .vxlan, physicalNetwork: nil, segmentationID: segmentID)
            }
            return await .init(networkType: .vxlan, physicalNetwork: nil, segmentationID: try freeVNI(configuration, tx))
        }
    }

    static func freeVNI(_ configuration: NetworkingConfiguration, _ tx: any StoreReader) async throws -> Int {
        let used = try await tx.segmentationIDs(of: .vxlan)
        guard let vni = configuration.vxlanRange.first(where: { !used.contains($0) }) else {
            throw VPNaaSError.neutron(
                status: 503, type: "NoNetworkAvailable",
                message: "Unable to create the network. No tenant network is available for allocation.")
        }
        return vni
    }

    package func updateNetwork(_ id: Network.ID, _ input: Network.Update, _ identity: Identity, ifRevision: Int? = nil) async throws
        -> Network
    {
        try requireWriter(identity, "update_network")
        let now = now()
        return try await write { tx in
            var network = try await tx.visibleNetwork(id, identity)
            guard identity.owns(network.projectID) else { throw VPNaaSError.policyNotAuthorized(action: "update_network") }
            try network.stamps.require(revision: ifRevision)
            if !identity.isAdmin {
                for (attribute, given) in [
                    ("router:external", input.external != nil), ("shared", input.shared != nil),
                    ("is_default", input.isDefault != nil),
                ] where given {
                    throw VPNaaSError.policyNotAuthorized(action: "update_network:\(attribute)")
                }
            }
            let changesProvider =
                (input.networkType.map { $0 != network.segment.networkType } ?? false)
                || (input.physicalNetwork.map { $0 != network.segment.physicalNetwork } ?? false)
                || (input.segmentationID.map { $0 != network.segment.segmentationID } ?? false)
            if changesProvider {
                throw VPNaaSError.invalidInput("Plugin does not support updating provider attributes")
            }
            if let mtu = input.mtu {
                let maxMTU = network.segment.networkType == .vxlan ? 1450 : 1500
                if mtu > maxMTU { throw VPNaaSError.invalidInput("Requested MTU is too big, maximum is \(maxMTU)") }
                if mtu < 68 { throw VPNaaSError.invalidAttribute("mtu", reason: "'\(mtu)' is too small - must be at least '68'") }
                network.mtu = mtu
            }
            if input.external == false, network.external,
                try await tx.ports(networkID: id, deviceID: nil).contains(where: { $0.deviceOwner == Port.Owner.routerGateway })
            {
                throw VPNaaSError.neutron(
                    status: 409, type: "ExternalNetworkInUse",
                    message: "External network \(id) cannot be updated to be made non-external, since it has existing gateway ports.")
            }
            if let v = input.name { network.name = v }
            if let v = input.description { network.description = v }
            if let v = input.adminStateUp { network.adminStateUp = v }
            if let v = input.shared { network.shared = v }
            if let v = input.external { network.external = v }
            if let v = input.portSecurityEnabled { network.portSecurityEnabled = v }
            if let v = input.isDefault { network.isDefault = v }
            network.stamps = network.stamps.bumped(at: now)
            try await tx.update(network)
            return network
        }
    }

    package func deleteNetwork(_ id: Network.ID, _ identity: Identity, ifRevision: Int? = nil) async throws {
        try requireWriter(identity, "delete_network")
        try await write { tx in
            let network = try await tx.visibleNetwork(id, identity)
            guard identity.owns(network.projectID) else { throw VPNaaSError.policyNotAuthorized(action: "delete_network") }
            try network.stamps.require(revision: ifRevision)
            if try await !tx.ports(networkID: id, deviceID: nil).isEmpty { throw VPNaaSError.networkInUse(id) }
            try await tx.deleteNetwork(id)
        }
    }
}
