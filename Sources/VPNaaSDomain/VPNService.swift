/// A VPN service: the VPN endpoint on one router (its gateway addresses are the tunnel ends).
package struct VPNService: Codable, Sendable, Equatable {
    package typealias ID = String

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var routerID: Router.ID
    /// Legacy single-local-subnet mode; nil in endpoint-group mode.
    package var subnetID: Subnet.ID?
    package var adminStateUp: Bool
    package var externalV4IP: IPAddress?
    package var externalV6IP: IPAddress?
    package var status: VPNStatus

    package init(
        id: ID, projectID: String, name: String = "", description: String = "", routerID: Router.ID,
        subnetID: Subnet.ID? = nil, adminStateUp: Bool = true, externalV4IP: IPAddress? = nil,
        externalV6IP: IPAddress? = nil, status: VPNStatus = .pendingCreate
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.routerID = routerID
        self.subnetID = subnetID
        self.adminStateUp = adminStateUp
        self.externalV4IP = externalV4IP
        self.externalV6IP = externalV6IP
        self.status = status
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var routerID: Router.ID = ""
        package var subnetID: Subnet.ID??
        package var adminStateUp: Bool?
        package var flavorID: String??
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package var adminStateUp: Bool?
        package init() {}
    }
}
