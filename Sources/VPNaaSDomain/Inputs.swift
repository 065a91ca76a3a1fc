/// Create/update inputs as parsed from request bodies: nil means "not given".
/// Defaults and cross-field rules are applied by the use-cases, not here.
extension Network {
    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package var shared: Bool?
        package var external: Bool?
        package var networkType: NetworkType?
        package var physicalNetwork: String??
        package var segmentationID: Int??
        package var mtu: Int?
        package var portSecurityEnabled: Bool?
        package var vlanTransparent: Bool?
        package var qinq: Bool?
        package var isDefault: Bool?
        package var availabilityZoneHints: [String]?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package var shared: Bool?
        package var external: Bool?
        package var mtu: Int?
        package var portSecurityEnabled: Bool?
        package var isDefault: Bool?
        /// Provider attributes given on update; accepted only when they restate the current segment.
        package var networkType: NetworkType?
        package var physicalNetwork: String??
        package var segmentationID: Int??
        package init() {}
    }
}

extension Subnet {
    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var networkID: Network.ID = ""
        package var name: String?
        package var description: String?
        package var ipVersion: Int = 4
        package var cidr: String?
        package var gatewayIP: IPAddress??
        package var enableDHCP: Bool?
        package var ipv6RAMode: IPv6Mode??
        package var ipv6AddressMode: IPv6Mode??
        package var allocationPools: [AllocationPool]?
        package var dnsNameservers: [IPAddress]?
        package var hostRoutes: [HostRoute]?
        package var subnetPoolID: String??
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var gatewayIP: IPAddress??
        package var enableDHCP: Bool?
        package var allocationPools: [AllocationPool]?
        package var dnsNameservers: [IPAddress]?
        package var hostRoutes: [HostRoute]?
        package init() {}
    }
}

extension Router {
    /// `external_gateway_info` as given: nil = clear the gateway (`{}` or null).
    package struct GatewayInput: Sendable, Equatable {
        package var networkID: Network.ID
        package var enableSNAT: Bool?
        package var fixedIPs: [FixedIPRequest]?
        package init(networkID: Network.ID, enableSNAT: Bool? = nil, fixedIPs: [FixedIPRequest]? = nil) {
            self.networkID = networkID
            self.enableSNAT = enableSNAT
            self.fixedIPs = fixedIPs
        }
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package var gateway: GatewayInput??
        package var routes: [HostRoute]?
        package var flavorID: String??
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package var gateway: GatewayInput??
        package var routes: [HostRoute]?
        package init() {}
    }

    /// Body of add_router_interface / remove_router_interface.
    package struct InterfaceRequest: Sendable, Equatable {
        package var subnetID: Subnet.ID?
        package var portID: Port.ID?
        package init(subnetID: Subnet.ID? = nil, portID: Port.ID? = nil) {
            self.subnetID = subnetID
            self.portID = portID
        }
    }

    /// What add/remove_router_interface answer (fixtures 07/90).
    package struct InterfaceInfo: Sendable, Equatable {
        package var routerID: Router.ID
        package var projectID: String
        package var portID: Port.ID
        package var networkID: Network.ID
        package var subnetID: Subnet.ID
        package var subnetIDs: [Subnet.ID]
        package init(
            routerID: Router.ID, projectID: String, portID: Port.ID, networkID: Network.ID, subnetID: Subnet.ID,
            subnetIDs: [Subnet.ID]
        ) {
            self.routerID = routerID
            self.projectID = projectID
            self.portID = portID
            self.networkID = networkID
            self.subnetID = subnetID
            self.subnetIDs = subnetIDs
        }
    }
}

/// A requested fixed IP: a subnet, an address, or both.
package struct FixedIPRequest: Sendable, Equatable {
    package var subnetID: Subnet.ID?
    package var ipAddress: IPAddress?
    package init(subnetID: Subnet.ID? = nil, ipAddress: IPAddress? = nil) {
        self.subnetID = subnetID
        self.ipAddress = ipAddress
    }
}

extension Port {
    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var networkID: Network.ID = ""
        package var name: String?
        package var description: String?
        package var macAddress: String?
        package var adminStateUp: Bool?
        package var deviceID: String?
        package var deviceOwner: String?
        package var fixedIPs: [FixedIPRequest]?
        package var portSecurityEnabled: Bool?
        package var bindingHostID: String?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package var deviceID: String?
        package var deviceOwner: String?
        package var fixedIPs: [FixedIPRequest]?
        package var portSecurityEnabled: Bool?
        package var bindingHostID: String?
        package init() {}
    }
}
