import Hummingbird
import VPNaaSDomain
import VPNaaSWire

/// Collections Horizon's standard panels read that this server has no objects of: security groups (there is
/// no port filtering) and floating IPs (no 1:1 NAT). Lists answer honestly empty, one object is a 404 with
/// Neutron's type; writes stay unrouted (404), and the extensions are not advertised.
struct AbsentResourceRoutes {
    static let collections: [(path: String, plural: String, notFound: String, message: @Sendable (String) -> String)] = [
        ("security-groups", "security_groups", "SecurityGroupNotFound", { "Security group \($0) does not exist" }),
        ("security-group-rules", "security_group_rules", "SecurityGroupRuleNotFound", { "Security group rule \($0) does not exist" }),
        ("floatingips", "floatingips", "FloatingIPNotFound", { "Floating IP \($0) could not be found" }),
    ]

    func register(on v2: RouterGroup<APIRequestContext>) {
        for c in Self.collections {
            v2.get(RouterPath(stringLiteral: c.path)) { _, _ in JSONResponse.make([c.plural: .array([])]) }
            v2.get(RouterPath(stringLiteral: c.path + "/:id")) { _, context -> Response in
                let id = try context.parameters.require("id")
                throw VPNaaSError.neutron(status: 404, type: c.notFound, message: c.message(id))
            }
        }
    }
}
