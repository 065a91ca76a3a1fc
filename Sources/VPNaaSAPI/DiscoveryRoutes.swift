import Hummingbird
import VPNaaSDomain
import VPNaaSWire

/// The extension aliases this server really serves. `external-gateway-multihoming` is never listed:
/// clients that see it switch to an API we do not have.
struct APIExtension: Sendable {
    let alias: String
    let name: String
    let description: String
    let updated: String

    var wire: JSONObject {
        [
            "name": .string(name), "alias": .string(alias), "description": .string(description),
            "updated": .string(updated), "links": .array([]),
        ]
    }

    static let core: [APIExtension] = [
        .init(alias: "agent", name: "agent", description: "The agent management extension.", updated: "2013-02-03T10:00:00-00:00"),
        .init(alias: "l3_agent_scheduler", name: "L3 Agent Scheduler", description: "Schedule routers among l3 agents", updated: "2013-02-07T10:00:00-00:00"),
        .init(alias: "router", name: "Neutron L3 Router", description: "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.", updated: "2012-07-20T10:00:00-00:00"),
        .init(alias: "external-net", name: "Neutron external network", description: "Adds external network attribute to network resource.", updated: "2013-01-14T10:00:00-00:00"),
        .init(alias: "ext-gw-mode", name: "Neutron L3 Configurable external gateway mode", description: "Extension of the router abstraction for specifying whether SNAT should occur on the external gateway", updated: "2013-03-28T10:00:00-00:00"),
        .init(alias: "extraroute", name: "Neutron Extra Route", description: "Extra routes configuration for L3 router", updated: "2013-02-01T10:00:00-00:00"),
        .init(alias: "provider", name: "Provider Network", description: "Expose mapping of virtual networks to physical networks", updated: "2012-09-07T10:00:00-00:00"),
        .init(alias: "net-mtu", name: "Network MTU", description: "Provides MTU attribute for a network resource.", updated: "2015-03-25T10:00:00-00:00"),
        .init(alias: "net-mtu-writable", name: "Network MTU (writable)", description: "Provides a writable MTU attribute for a network resource.", updated: "2017-07-12T00:00:00-00:00"),
        .init(alias: "project-id", name: "project_id field enabled", description: "Extension that indicates that project_id field is enabled.", updated: "2016-09-09T09:09:09-09:09"),
        .init(alias: "pagination", name: "Pagination support", description: "Extension that indicates that pagination is enabled.", updated: "2016-06-12T00:00:00-00:00"),
        .init(alias: "sorting", name: "Sorting support", description: "Extension that indicates that sorting is enabled.", updated: "2016-06-12T00:00:00-00:00"),
        .init(alias: "filter-validation", name: "Filter parameters validation", description: "Provides validation on filter parameters.", updated: "2018-07-04T10:00:00-00:00"),
        .init(alias: "standard-attr-description", name: "standard-attr-description", description: "Extension to add descriptions to standard attributes", updated: "2016-02-10T10:00:00-00:00"),
        .init(alias: "standard-attr-timestamp", name: "Resource timestamps", description: "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.", updated: "2016-09-12T10:00:00-00:00"),
        .init(alias: "standard-attr-revisions", name: "Resource revision numbers", description: "This extension will display the revision number of neutron resources.", updated: "2016-04-11T10:00:00-00:00"),
        .init(alias: "revision-if-match", name: "If-Match constraints based on revision_number", description: "Extension indicating that If-Match based on revision_number is supported.", updated: "2016-12-11T00:00:00-00:00"),
        .init(alias: "subnet-external-network", name: "Subnet External Network", description: "Informs if the subnet is associated to an external network.", updated: "2023-06-01T00:00:00-00:00"),
        .init(alias: "port-security", name: "Port Security", description: "Provides port security", updated: "2012-07-23T10:00:00-00:00"),
        .init(alias: "quotas", name: "Quota management support", description: "Expose functions for quotas management per project", updated: "2012-07-29T10:00:00-00:00"),
        .init(alias: "quota_details", name: "Quota details management support", description: "Expose functions for quotas usage statistics per project", updated: "2017-02-10T10:00:00-00:00"),
        .init(alias: "quota-check-limit", name: "Quota engine limit check", description: "Support for checking the resource usage before applying a new quota limit", updated: "2021-09-08T16:00:00-00:00"),
        .init(alias: "quota-check-limit-default", name: "Quota engine limit check by default", description: "By default, the Neutron quota engine checks the resource usage before applying a new quota limit", updated: "2024-08-21T16:00:00-00:00"),
    ]
}

extension APIExtension {
    /// The VPNaaS aliases (no `vpn-flavors`/`service-type`: flavors are not served).
    static let vpn: [APIExtension] = [
        .init(alias: "vpnaas", name: "VPN service", description: "Extension for VPN service", updated: "2013-05-29T10:00:00-00:00"),
        .init(alias: "vpn-endpoint-groups", name: "VPN Endpoint Groups", description: "VPN endpoint groups support", updated: "2015-08-05T10:00:00-00:00"),
        .init(alias: "vpn-aes-ctr", name: "VPN AES CTR extension", description: "Support AES CTR mode for VPN encryption", updated: "2024-03-20T10:00:00-00:00"),
        .init(alias: "vpn-aes-ccm-gcm", name: "AES CCM and GCM modes for VPN", description: "Support AES CCM and GCM modes for VPN encryption", updated: "2023-03-02T10:00:00-00:00"),
        .init(alias: "vpn-no-sha1-3des", name: "VPN without SHA1 and 3DES", description: "Removes sha1 and 3des; defaults are sha256 and aes-128", updated: "2026-01-01T10:00:00-00:00"),
    ]
}

/// `/`, `/v2.0`, `/v2.0/extensions[/alias]` and `/healthcheck`.
struct DiscoveryRoutes {
    let extensions: [APIExtension]

    static let collections: [(String, String)] = [
        ("network", "networks"), ("subnet", "subnets"), ("router", "routers"), ("port", "ports"),
        ("ikepolicy", "vpn/ikepolicies"), ("ipsecpolicy", "vpn/ipsecpolicies"), ("vpnservice", "vpn/vpnservices"),
        ("endpoint_group", "vpn/endpoint-groups"), ("ipsec_site_connection", "vpn/ipsec-site-connections"),
    ]

    func register(on router: Hummingbird.Router<APIRequestContext>, v2: RouterGroup<APIRequestContext>, servesRoot: Bool) {
        if servesRoot {
            router.get("/") { request, _ in
                JSONResponse.make(DiscoveryRoutes.versions(BaseURL.of(request)))
            }
        }
        router.get("/v2.0") { request, _ in
            let base = BaseURL.of(request)
            let resources = DiscoveryRoutes.collections.map { name, collection -> JSONValue in
                .object([
                    "links": .array([.object(["href": .string("\(base)/v2.0/\(collection)"), "rel": .string("self")])]),
                    "name": .string(name), "collection": .string(collection),
                ])
            }
            return JSONResponse.make(["resources": .array(resources)])
        }
        let extensions = extensions
        v2.get("extensions") { _, _ in
            JSONResponse.make(["extensions": .array(extensions.map { .object($0.wire) })])
        }
        v2.get("extensions/:alias") { _, context in
            let alias = try context.parameters.require("alias")
            guard let e = extensions.first(where: { $0.alias == alias }) else {
                throw VPNaaSError.notFound(.apiExtension, id: alias)
            }
            return JSONResponse.make(["extension": .object(e.wire)])
        }
    }

    /// Neutron's versions document; the self link is absolute so `--os-auth-type none` can follow it.
    static func versions(_ base: String) -> JSONObject {
        [
            "versions": .array([
                .object([
                    "id": .string("v2.0"), "status": .string("CURRENT"),
                    "links": .array([.object(["rel": .string("self"), "href": .string("\(base)/v2.0/")])]),
                ])
            ])
        ]
    }
}
