import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSWire


/// Keystone's JSON shapes.
extension KeystoneRoutes {
    static func v3Version(_ base: String) -> JSONObject {
        [
            "id": .string("v3.14"), "status": .string("stable"), "updated": .string("2020-04-07T00:00:00Z"),
            "links": .array([.object(["rel": .string("self"), "href": .string(base + "/v3/")])]),
            "media-types": .array([
                .object(["base": .string("application/json"), "type": .string("application/vnd.openstack.identity-v3+json")])
            ]),
        ]
    }

    /// Identity and network on this one port, each with public, internal and admin endpoints in
    /// RegionOne. The network URL is the bare base: clients append `/v2.0`.
    static func catalog(_ base: String) -> [JSONObject] {
        func service(_ type: String, _ name: String, _ id: String) -> JSONObject {
            let endpoints: [JSONValue] = ["public", "internal", "admin"].map { iface in
                .object([
                    "id": .string("\(id)-\(iface)"), "interface": .string(iface), "region_id": .string("RegionOne"),
                    "region": .string("RegionOne"), "url": .string(base),
                ])
            }
            return ["endpoints": .array(endpoints), "id": .string(id), "type": .string(type), "name": .string(name)]
        }
        return [service("identity", "keystone", "identity0000000000000000000000000"), service("network", "neutron", "network00000000000000000000000000")]
    }

    static func timestamp(_ seconds: Int64) -> String {
        // Keystone prints microseconds; tokens have second resolution.
        String(Timestamp(secondsSinceEpoch: seconds).description.dropLast()) + ".000000Z"
    }

    static var defaultDomain: JSONValue { .object(["id": .string(IdentityDomain.defaultID), "name": .string(IdentityDomain.defaultName)]) }

    func render(_ t: IssuedToken, base: String, catalog: Bool) -> JSONObject {
        var o: JSONObject = [
            "methods": .array(t.payload.methods.map(JSONValue.string)),
            "user": .object([
                "domain": KeystoneRoutes.defaultDomain, "id": .string(t.user.id), "name": .string(t.user.name),
                "password_expires_at": .null,
            ]),
            "audit_ids": .array([.string(t.payload.auditID)]),
            "expires_at": .string(KeystoneRoutes.timestamp(t.payload.expiresAt)),
            "issued_at": .string(KeystoneRoutes.timestamp(t.payload.issuedAt)),
        ]
        if let p = t.project {
            o["project"] = .object(["domain": KeystoneRoutes.defaultDomain, "id": .string(p.id), "name": .string(p.name)])
            o["is_domain"] = .bool(false)
            o["roles"] = .array(t.roles.map { .object(["id": .string($0.id), "name": .string($0.name)]) })
            if catalog { o["catalog"] = .array(KeystoneRoutes.catalog(base).map(JSONValue.object)) }
        }
        return o
    }

    static func render(_ p: IdentityProject, base: String) -> JSONObject {
        [
            "id": .string(p.id), "name": .string(p.name), "domain_id": .string(p.domainID), "description": .string(p.description),
            "enabled": .bool(p.enabled), "parent_id": .string(p.domainID), "is_domain": .bool(false), "tags": .array([]),
            "options": .object([:]), "links": .object(["self": .string("\(base)/v3/projects/\(p.id)")]),
        ]
    }

    static func render(_ u: IdentityUser, base: String) -> JSONObject {
        var o: JSONObject = [
            "id": .string(u.id), "name": .string(u.name), "domain_id": .string(u.domainID), "enabled": .bool(u.enabled),
            "password_expires_at": .null, "options": .object([:]),
            "links": .object(["self": .string("\(base)/v3/users/\(u.id)")]),
        ]
        if let d = u.defaultProjectID { o["default_project_id"] = .string(d) }
        if let e = u.email { o["email"] = .string(e) }
        if !u.description.isEmpty { o["description"] = .string(u.description) }
        return o
    }

    static func render(_ r: IdentityRole, base: String) -> JSONObject {
        [
            "id": .string(r.id), "name": .string(r.name), "domain_id": .null, "description": .null, "options": .object([:]),
            "links": .object(["self": .string("\(base)/v3/roles/\(r.id)")]),
        ]
    }

    static func renderDomain(base: String) -> JSONObject {
        [
            "id": .string(IdentityDomain.defaultID), "name": .string(IdentityDomain.defaultName),
            "description": .string("The default domain"), "enabled": .bool(true), "tags": .array([]), "options": .object([:]),
            "links": .object(["self": .string("\(base)/v3/domains/\(IdentityDomain.defaultID)")]),
        ]
    }

    /// `{"<plural>": [...], "links": {...}}`, Keystone's list envelope.
    static func list(_ plural: String, _ items: [JSONObject], base: String, path: String) -> JSONObject {
        [
            plural: .array(items.map(JSONValue.object)),
            "links": .object(["self": .string(base + path), "previous": .null, "next": .null]),
        ]
    }
}
