import Testing
import VPNaaSDomain

/// V15, one row per case (fixtures 42–46 and the valid shapes).
struct EndpointGroupValidationTests {
    static let known = "af92d713-d8d9-4f26-9b07-32a0f9199272"

    @Test(arguments: [
        (EndpointGroup.Kind.cidr, ["2001:db8:1:33bd::/64"], nil as String?),
        (.cidr, ["10.2.0.0/24", "10.3.0.0/24"], nil),
        (.cidr, ["2001:db8:1:33bd::/129"], "InvalidEndpointInEndpointGroup"),
        (.cidr, ["10.2.0.1/24"], "InvalidEndpointInEndpointGroup"),
        (.cidr, ["10.2.0.1"], "InvalidEndpointInEndpointGroup"),
        (.cidr, [], "MissingEndpointForEndpointGroup"),
        (.cidr, ["2001:db8:1:33bd::/64", "2001:db8:1:33bd::/64"], "InvalidEndpointInEndpointGroup"),
        (.subnet, [known], nil),
        (.subnet, ["9b5f4fa4-63c4-4e32-a1c2-0c3e2f0d0b55"], "NonExistingSubnetInEndpointGroup"),
        (.subnet, ["private-subnet"], "InvalidEndpointInEndpointGroup"),
        (.subnet, [], "MissingEndpointForEndpointGroup"),
        (.network, ["anything"], nil),
        (.vlan, ["100"], nil),
    ])
    func endpoints(_ type: EndpointGroup.Kind, _ endpoints: [String], _ expected: String?) {
        #expect(
            errorType { () throws(VPNaaSError) in
                try EndpointGroup.validate(type: type, endpoints: endpoints, subnetExists: { $0 == Self.known })
            } == expected)
    }

    @Test func duplicateMessageNamesTheEndpoint() {
        do {
            try EndpointGroup.validate(type: .cidr, endpoints: ["10.0.0.0/8", "10.0.0.0/8"], subnetExists: { _ in true })
            Issue.record("expected a failure")
        } catch {
            #expect(error.neutron.message == "Endpoint '10.0.0.0/8' is invalid for group type 'cidr': Endpoints have to be unique")
        }
    }
}
