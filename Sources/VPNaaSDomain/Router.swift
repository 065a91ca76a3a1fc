/// A Neutron router: an external gateway, interfaces (ports with device_owner router_interface), routes.
package struct Router: Codable, Sendable, Equatable {
    package typealias ID = String

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var adminStateUp: Bool
    package var status: String
    package var gateway: Gateway?
    package var routes: [HostRoute]
    package var stamps: Stamps

    package init(
        id: ID, projectID: String, name: String, description: String, adminStateUp: Bool, status: String,
        gateway: Gateway?, routes: [HostRoute], stamps: Stamps
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.adminStateUp = adminStateUp
        self.status = status
        self.gateway = gateway
        self.routes = routes
        self.stamps = stamps
    }

    /// The router's uplink: a port on an external network.
    package struct Gateway: Codable, Sendable, Equatable {
        package var networkID: Network.ID
        package var portID: Port.ID
        package var enableSNAT: Bool
        /// Filled in by the store on read from the gateway port.
        package var fixedIPs: [FixedIP]

        package init(networkID: Network.ID, portID: Port.ID, enableSNAT: Bool, fixedIPs: [FixedIP] = []) {
            self.networkID = networkID
            self.portID = portID
            self.enableSNAT = enableSNAT
            self.fixedIPs = fixedIPs
        }

        /// First gateway address of the given IP version (Neutron's external_v4_ip / external_v6_ip).
        package func firstIP(version: Int) -> IPAddress? {
            fixedIPs.first { $0.ipAddress.version == version }?.ipAddress
        }
    }
}
