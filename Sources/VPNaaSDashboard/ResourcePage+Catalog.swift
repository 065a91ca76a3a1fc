import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

extension ResourcePage {
    /// The pages of the user guide's objects, in the order the guide creates them.
    package static func catalog(networking n: Networking, vpn v: VPN) -> [ResourcePage] {
        [network(n), subnet(n), router(n), ikePolicy(v), ipsecPolicy(v), vpnService(v), endpointGroup(v), connection(v)]
    }

    static let nameFields = [FormField("name", "Name"), FormField("description", "Description")]

    static func lifetimeFields() -> [FormField] {
        [
            FormField("lifetime.value", "Lifetime", .number, hint: "at least 60", default: "3600"),
            FormField("lifetime.units", "Lifetime units", .choice(Lifetime.Units.allCases.map(\.rawValue)), default: "seconds"),
        ]
    }

    static func network(_ n: Networking) -> ResourcePage {
        ResourcePage(
            slug: "networks", title: "Networks", singular: "network", envelope: "network",
            columns: [.init("name", "Name"), .init("subnets", "Subnets"), .init("router:external", "External"), .init("status", "Status")],
            fields: nameFields + [
                FormField("admin_state_up", "Administratively up", .flag, default: "true"),
                FormField("router:external", "External (provider) network", .flag, default: "false", adminOnly: true),
            ],
            operations: .init(
                list: { try await n.networks($0).map(\.wire) },
                show: { try await n.network($0, $1).wire },
                create: { try await n.createNetwork(try Network.parseCreate($0), $1).wire },
                update: { try await n.updateNetwork($0, try Network.parseUpdate($1), $2).wire },
                delete: { try await n.deleteNetwork($0, $1) }))
    }

    static func subnet(_ n: Networking) -> ResourcePage {
        ResourcePage(
            slug: "subnets", title: "Subnets", singular: "subnet", envelope: "subnet",
            columns: [.init("name", "Name"), .init("cidr", "CIDR"), .init("gateway_ip", "Gateway"), .init("network_id", "Network")],
            fields: [
                FormField("network_id", "Network", .reference("networks"), required: true, onUpdate: false),
                FormField("name", "Name"), FormField("description", "Description"),
                FormField("ip_version", "IP version", .choice(["4", "6"]), default: "4", onUpdate: false),
                FormField("cidr", "CIDR", hint: "e.g. 10.1.0.0/24 or 2001:db8:1::/64", required: true, onUpdate: false),
                FormField("gateway_ip", "Gateway IP", hint: "empty: the first address"),
                FormField("enable_dhcp", "DHCP", .flag, default: "true"),
            ],
            operations: .init(
                list: { try await n.subnets($0).map { $0.0.wire(external: $0.external) } },
                show: { let s = try await n.subnet($0, $1); return s.0.wire(external: s.external) },
                create: { let s = try await n.createSubnet(try Subnet.parseCreate($0), $1); return s.0.wire(external: s.external) },
                update: { let s = try await n.updateSubnet($0, try Subnet.parseUpdate($1), $2); return s.0.wire(external: s.external) },
                delete: { try await n.deleteSubnet($0, $1) }))
    }

    static func router(_ n: Networking) -> ResourcePage {
        ResourcePage(
            slug: "routers", title: "Routers", singular: "router", envelope: "router",
            columns: [.init("name", "Name"), .init("external_gateway_info", "Gateway"), .init("status", "Status")],
            fields: nameFields + [
                FormField("admin_state_up", "Administratively up", .flag, default: "true"),
                FormField(
                    "external_gateway_info.network_id", "External gateway", .reference("networks"),
                    hint: "the provider network; set or clear it later on the router's page", onUpdate: false),
            ],
            operations: .init(
                list: { try await n.routers($0).map(\.wire) },
                show: { try await n.router($0, $1).wire },
                create: { try await n.createRouter(try Router.parseCreate($0), $1).wire },
                update: { try await n.updateRouter($0, try Router.parseUpdate($1), $2).wire },
                delete: { try await n.deleteRouter($0, $1) }))
    }

    static func ikePolicy(_ v: VPN) -> ResourcePage {
        ResourcePage(
            slug: "ikepolicies", title: "IKE policies", singular: "IKE policy", envelope: "ikepolicy",
            columns: [
                .init("name", "Name"), .init("auth_algorithm", "Auth"), .init("encryption_algorithm", "Encryption"),
                .init("ike_version", "IKE"), .init("pfs", "PFS"),
            ],
            fields: nameFields + [
                FormField("auth_algorithm", "Authentication algorithm", .choice(AuthAlgorithm.allCases.map(\.rawValue)), default: "sha256"),
                FormField(
                    "encryption_algorithm", "Encryption algorithm", .choice(EncryptionAlgorithm.allCases.map(\.rawValue)),
                    default: "aes-128"),
                FormField("ike_version", "IKE version", .choice(IKEPolicy.Version.allCases.map(\.rawValue)), default: "v1"),
                FormField("phase1_negotiation_mode", "Phase 1 mode", .choice(IKEPolicy.Phase1Mode.allCases.map(\.rawValue)), default: "main"),
                FormField("pfs", "PFS (Diffie-Hellman group)", .choice(PFSGroup.allCases.map(\.rawValue)), default: "group5"),
            ] + lifetimeFields(),
            operations: .init(
                list: { try await v.ikePolicies($0).map(\.wire) },
                show: { try await v.ikePolicy($0, $1).wire },
                create: { try await v.createIKEPolicy(try IKEPolicy.parseCreate($0), $1).wire },
                update: { try await v.updateIKEPolicy($0, try IKEPolicy.parseUpdate($1), $2).wire },
                delete: { try await v.deleteIKEPolicy($0, $1) }))
    }

    static func ipsecPolicy(_ v: VPN) -> ResourcePage {
        ResourcePage(
            slug: "ipsecpolicies", title: "IPsec policies", singular: "IPsec policy", envelope: "ipsecpolicy",
            columns: [
                .init("name", "Name"), .init("auth_algorithm", "Auth"), .init("encryption_algorithm", "Encryption"),
                .init("transform_protocol", "Protocol"), .init("pfs", "PFS"),
            ],
            fields: nameFields + [
                FormField("auth_algorithm", "Authentication algorithm", .choice(AuthAlgorithm.allCases.map(\.rawValue)), default: "sha256"),
                FormField(
                    "encryption_algorithm", "Encryption algorithm", .choice(EncryptionAlgorithm.allCases.map(\.rawValue)),
                    default: "aes-128"),
                FormField(
                    "transform_protocol", "Transform protocol", .choice(IPsecPolicy.TransformProtocol.allCases.map(\.rawValue)),
                    default: "esp"),
                FormField(
                    "encapsulation_mode", "Encapsulation mode", .choice(IPsecPolicy.EncapsulationMode.allCases.map(\.rawValue)),
                    default: "tunnel"),
                FormField("pfs", "PFS (Diffie-Hellman group)", .choice(PFSGroup.allCases.map(\.rawValue)), default: "group5"),
            ] + lifetimeFields(),
            operations: .init(
                list: { try await v.ipsecPolicies($0).map(\.wire) },
                show: { try await v.ipsecPolicy($0, $1).wire },
                create: { try await v.createIPsecPolicy(try IPsecPolicy.parseCreate($0), $1).wire },
                update: { try await v.updateIPsecPolicy($0, try IPsecPolicy.parseUpdate($1), $2).wire },
                delete: { try await v.deleteIPsecPolicy($0, $1) }))
    }

    static func vpnService(_ v: VPN) -> ResourcePage {
        ResourcePage(
            slug: "vpnservices", title: "VPN services", singular: "VPN service", envelope: "vpnservice",
            columns: [
                .init("name", "Name"), .init("router_id", "Router"), .init("external_v4_ip", "External IPv4"),
                .init("external_v6_ip", "External IPv6"), .init("status", "Status"),
            ],
            fields: nameFields + [
                FormField("router_id", "Router", .reference("routers"), required: true, onUpdate: false),
                FormField(
                    "subnet_id", "Subnet (legacy)", .reference("subnets"), hint: "leave empty and use endpoint groups",
                    onUpdate: false),
                FormField("admin_state_up", "Administratively up", .flag, default: "true"),
            ],
            operations: .init(
                list: { try await v.vpnServices($0).map(\.wire) },
                show: { try await v.vpnService($0, $1).wire },
                create: { try await v.createVPNService(try VPNService.parseCreate($0), $1).wire },
                update: { try await v.updateVPNService($0, try VPNService.parseUpdate($1), $2).wire },
                delete: { try await v.deleteVPNService($0, $1) }))
    }

    static func endpointGroup(_ v: VPN) -> ResourcePage {
        ResourcePage(
            slug: "endpoint-groups", title: "Endpoint groups", singular: "endpoint group", envelope: "endpoint_group",
            columns: [.init("name", "Name"), .init("type", "Type"), .init("endpoints", "Endpoints")],
            fields: nameFields + [
                FormField("type", "Type", .choice(["subnet", "cidr"]), default: "subnet", onUpdate: false),
                FormField(
                    "endpoints", "Endpoints", .list, hint: "subnet IDs (type subnet) or CIDRs (type cidr), separated by commas",
                    required: true, onUpdate: false),
            ],
            operations: .init(
                list: { try await v.endpointGroups($0).map(\.wire) },
                show: { try await v.endpointGroup($0, $1).wire },
                create: { try await v.createEndpointGroup(try EndpointGroup.parseCreate($0), $1).wire },
                update: { try await v.updateEndpointGroup($0, try EndpointGroup.parseUpdate($1), $2).wire },
                delete: { try await v.deleteEndpointGroup($0, $1) }))
    }

    static func connection(_ v: VPN) -> ResourcePage {
        ResourcePage(
            slug: "ipsec-site-connections", title: "IPsec site connections", singular: "IPsec site connection",
            envelope: "ipsec_site_connection",
            columns: [.init("name", "Name"), .init("peer_address", "Peer"), .init("vpnservice_id", "VPN service"), .init("status", "Status")],
            fields: nameFields + [
                FormField("vpnservice_id", "VPN service", .reference("vpnservices"), required: true, onUpdate: false),
                FormField("ikepolicy_id", "IKE policy", .reference("ikepolicies"), required: true, onUpdate: false),
                FormField("ipsecpolicy_id", "IPsec policy", .reference("ipsecpolicies"), required: true, onUpdate: false),
                FormField("local_ep_group_id", "Local endpoint group", .reference("endpoint-groups"), hint: "type subnet"),
                FormField("peer_ep_group_id", "Peer endpoint group", .reference("endpoint-groups"), hint: "type cidr"),
                FormField("peer_address", "Peer address", hint: "the other side's public IP", required: true),
                FormField("peer_id", "Peer ID", hint: "usually the peer address", required: true),
                FormField("peer_cidrs", "Peer CIDRs (legacy)", .list, hint: "instead of endpoint groups"),
                FormField("psk", "Pre-shared key", .secret, hint: "on edit: empty keeps the current key", required: true),
                FormField("mtu", "MTU", .number, default: "1500"),
                FormField(
                    "initiator", "Initiator", .choice(IPsecSiteConnection.Initiator.allCases.map(\.rawValue)), default: "bi-directional"),
                FormField("dpd.action", "DPD action", .choice(IPsecSiteConnection.DPD.Action.allCases.map(\.rawValue)), default: "hold"),
                FormField("dpd.interval", "DPD interval (s)", .number, default: "30"),
                FormField("dpd.timeout", "DPD timeout (s)", .number, default: "120"),
                FormField("admin_state_up", "Administratively up", .flag, default: "true"),
            ],
            operations: .init(
                list: { try await v.ipsecSiteConnections($0).map(\.wire) },
                show: { try await v.ipsecSiteConnection($0, $1).wire },
                create: { try await v.createIPsecSiteConnection(try IPsecSiteConnection.parseCreate($0), $1).wire },
                update: { try await v.updateIPsecSiteConnection($0, try IPsecSiteConnection.parseUpdate($1), $2).wire },
                delete: { try await v.deleteIPsecSiteConnection($0, $1) }))
    }
}
