/// A named set of endpoints: local subnets (`subnet`) or peer CIDRs (`cidr`); the other types are
/// stored as given and not used by IPsec.
package struct EndpointGroup: Codable, Sendable, Equatable {
    package typealias ID = String

    package enum Kind: String, Codable, Sendable, CaseIterable { case subnet, cidr, network, router, vlan }

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var type: Kind
    package var endpoints: [String]

    package init(id: ID, projectID: String, name: String = "", description: String = "", type: Kind, endpoints: [String]) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.type = type
        self.endpoints = endpoints
    }

    package struct Create: Sendable, Equatable {
        package var projectID: String?
        package var name: String?
        package var description: String?
        package var type: Kind = .cidr
        package var endpoints: [String]?
        package init() {}
    }

    package struct Update: Sendable, Equatable {
        package var name: String?
        package var description: String?
        package init() {}
    }
}
