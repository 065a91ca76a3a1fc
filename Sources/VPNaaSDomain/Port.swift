/// A Neutron port: a MAC and fixed IPs on a network, owned by a device (router, probe, instance).
package struct Port: Codable, Sendable, Equatable {
    package typealias ID = String

    package var id: ID
    package var projectID: String
    package var networkID: Network.ID
    package var name: String
    package var description: String
    package var macAddress: String
    package var adminStateUp: Bool
    package var status: String
    package var deviceID: String
    package var deviceOwner: String
    package var fixedIPs: [FixedIP]
    package var portSecurityEnabled: Bool
    package var bindingHostID: String
    package var stamps: Stamps

    package init(
        id: ID, projectID: String, networkID: Network.ID, name: String, description: String, macAddress: String,
        adminStateUp: Bool, status: String, deviceID: String, deviceOwner: String, fixedIPs: [FixedIP],
        portSecurityEnabled: Bool, bindingHostID: String, stamps: Stamps
    ) {
        self.id = id
        self.projectID = projectID
        self.networkID = networkID
        self.name = name
        self.description = description
        self.macAddress = macAddress
        self.adminStateUp = adminStateUp
        self.status = status
        self.deviceID = deviceID
        self.deviceOwner = deviceOwner
        self.fixedIPs = fixedIPs
        self.portSecurityEnabled = portSecurityEnabled
        self.bindingHostID = bindingHostID
        self.stamps = stamps
    }

    /// device_owner values with a meaning to the L3 and VPN code.
    package enum Owner {
        package static let routerInterface = "network:router_interface"
        package static let routerGateway = "network:router_gateway"
        package static let probe = "network:probe"
        package static let dhcp = "network:dhcp"
    }

    package var isRouterPort: Bool {
        deviceOwner == Owner.routerInterface || deviceOwner == Owner.routerGateway
    }
}

/// One address of a port on one subnet.
package struct FixedIP: Codable, Sendable, Equatable {
    package var subnetID: Subnet.ID
    package var ipAddress: IPAddress

    package init(subnetID: Subnet.ID, ipAddress: IPAddress) {
        self.subnetID = subnetID
        self.ipAddress = ipAddress
    }
}
