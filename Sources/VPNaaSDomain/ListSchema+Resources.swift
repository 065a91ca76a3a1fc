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

    /// Networks: `subnets`, `tags*`, `availability_zone*`, address scopes and the time stamps stay in Swift.
    package static let networks = ListSchema.common(table: "networks", [
        "admin_state_up": Column("admin_state_up", .bool), "shared": Column("shared", .bool),
        "router:external": Column("external", .bool), "provider:network_type": Column("network_type"),
        "provider:physical_network": Column("physical_network", nullable: true),
        "provider:segmentation_id": Column("segmentation_id", .int, nullable: true), "mtu": Column("mtu", .int),
        "port_security_enabled": Column("port_security_enabled", .bool), "vlan_transparent": Column("vlan_transparent", .bool),
        "qinq": Column("qinq", .bool), "is_default": Column("is_default", .bool), "status": Column("status"),
        "revision_number": Column("revision_number", .int),
    ])

    /// Routers: `external_gateway_info`, `routes`, constants and the time stamps stay in Swift.
    package static let routers = ListSchema.common(table: "routers", [
        "admin_state_up": Column("admin_state_up", .bool), "status": Column("status"),
        "revision_number": Column("revision_number", .int),
    ])

    /// Ports: `fixed_ips`, the binding constants, `security_groups` and the like, time stamps stay in Swift.
    package static let ports = ListSchema.common(table: "ports", [
        "network_id": Column("network_id"), "mac_address": Column("mac_address"),
        "admin_state_up": Column("admin_state_up", .bool), "status": Column("status"), "device_id": Column("device_id"),
        "device_owner": Column("device_owner"), "port_security_enabled": Column("port_security_enabled", .bool),
        "binding:host_id": Column("binding_host_id"), "revision_number": Column("revision_number", .int),
    ])
}
