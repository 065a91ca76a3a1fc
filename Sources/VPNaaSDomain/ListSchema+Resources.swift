/// The column-backed attributes of each collection listed through the store. What is missing here is evaluated in
/// Swift: `lifetime`, `dpd` (objects), `endpoints`, `peer_cidrs` (JSON arrays), `psk` (sealed), constants
/// (`flavor_id`, `route_mode`, `auth_mode`).
extension ListSchema {
    package static let ikePolicies = ListSchema.common(table: "vpn_ikepolicies", [
        "auth_algorithm": Column("auth_algorithm"), "encryption_algorithm": Column("encryption_algorithm"),
        "phase1_negotiation_mode": Column("phase1_negotiation_mode"), "ike_version": Column("ike_version"),
        "pfs": Column("pfs"),
    ])

    package static let ipsecPolicies = ListSchema.common(table: "vpn_ipsecpolicies", [
        "transform_protocol": Column("transform_protocol"), "auth_algorithm": Column("auth_algorithm"),
        "encryption_algorithm": Column("encryption_algorithm"), "encapsulation_mode": Column("encapsulation_mode"),
        "pfs": Column("pfs"),
    ])

    package static let vpnServices = ListSchema.common(table: "vpn_services", [
        "router_id": Column("router_id"), "subnet_id": Column("subnet_id", nullable: true),
        "admin_state_up": Column("admin_state_up", .bool), "status": Column("status"),
        "external_v4_ip": Column("external_v4_ip", .ip, nullable: true),
        "external_v6_ip": Column("external_v6_ip", .ip, nullable: true),
    ])

    package static let endpointGroups = ListSchema.common(table: "vpn_endpoint_groups", ["type": Column("type")])

    package static let ipsecSiteConnections = ListSchema.common(table: "vpn_ipsec_site_connections", [
        "peer_address": Column("peer_address"), "peer_id": Column("peer_id"), "local_id": Column("local_id"),
        "mtu": Column("mtu", .int), "initiator": Column("initiator"), "admin_state_up": Column("admin_state_up", .bool),
        "status": Column("status"), "vpnservice_id": Column("vpnservice_id"), "ikepolicy_id": Column("ikepolicy_id"),
        "ipsecpolicy_id": Column("ipsecpolicy_id"),
        "local_ep_group_id": Column("local_ep_group_id", nullable: true),
        "peer_ep_group_id": Column("peer_ep_group_id", nullable: true),
    ])
}
