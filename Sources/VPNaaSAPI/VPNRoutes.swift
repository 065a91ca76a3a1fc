import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// The five VPNaaS collections under `/v2.0/vpn`.
struct VPNRoutes {
    let vpn: VPN

    func register(on v2: RouterGroup<APIRequestContext>) {
        let v = vpn
        ResourceRoutes<IKEPolicy>(
            singular: "ikepolicy", plural: "ikepolicies", filterable: IKEPolicy.filterable, render: { $0.wire },
            list: { try await v.ikePolicies($0) },
            show: { try await v.ikePolicy($0, $1) },
            create: { try await v.createIKEPolicy(try IKEPolicy.parseCreate($0), $1) },
            update: { id, body, identity, _ in try await v.updateIKEPolicy(id, try IKEPolicy.parseUpdate(body), identity) },
            delete: { id, identity, _ in try await v.deleteIKEPolicy(id, identity) }, echoedOnUpdate: ["lifetime"],
            listSchema: .ikePolicies, listPage: { try await v.ikePolicies($0, $1) }
        ).register(on: v2, path: "vpn/ikepolicies")

        ResourceRoutes<IPsecPolicy>(
            singular: "ipsecpolicy", plural: "ipsecpolicies", filterable: IPsecPolicy.filterable, render: { $0.wire },
            list: { try await v.ipsecPolicies($0) },
            show: { try await v.ipsecPolicy($0, $1) },
            create: { try await v.createIPsecPolicy(try IPsecPolicy.parseCreate($0), $1) },
            update: { id, body, identity, _ in try await v.updateIPsecPolicy(id, try IPsecPolicy.parseUpdate(body), identity) },
            delete: { id, identity, _ in try await v.deleteIPsecPolicy(id, identity) }, echoedOnUpdate: ["lifetime"],
            listSchema: .ipsecPolicies, listPage: { try await v.ipsecPolicies($0, $1) }
        ).register(on: v2, path: "vpn/ipsecpolicies")

        ResourceRoutes<VPNService>(
            singular: "vpnservice", plural: "vpnservices", filterable: VPNService.filterable, render: { $0.wire },
            list: { try await v.vpnServices($0) },
            show: { try await v.vpnService($0, $1) },
            create: { try await v.createVPNService(try VPNService.parseCreate($0), $1) },
            update: { id, body, identity, _ in try await v.updateVPNService(id, try VPNService.parseUpdate(body), identity) },
            delete: { id, identity, _ in try await v.deleteVPNService(id, identity) },
            listSchema: .vpnServices, listPage: { try await v.vpnServices($0, $1) }
        ).register(on: v2, path: "vpn/vpnservices")

        ResourceRoutes<EndpointGroup>(
            singular: "endpoint_group", plural: "endpoint_groups", filterable: EndpointGroup.filterable,
            render: { $0.wire },
            list: { try await v.endpointGroups($0) },
            show: { try await v.endpointGroup($0, $1) },
            create: { try await v.createEndpointGroup(try EndpointGroup.parseCreate($0), $1) },
            update: { id, body, identity, _ in try await v.updateEndpointGroup(id, try EndpointGroup.parseUpdate(body), identity) },
            delete: { id, identity, _ in try await v.deleteEndpointGroup(id, identity) },
            listSchema: .endpointGroups, listPage: { try await v.endpointGroups($0, $1) }
        ).register(on: v2, path: "vpn/endpoint-groups")

        ResourceRoutes<IPsecSiteConnection>(
            singular: "ipsec_site_connection", plural: "ipsec_site_connections",
            filterable: IPsecSiteConnection.filterable, render: { $0.wire },
            list: { try await v.ipsecSiteConnections($0) },
            show: { try await v.ipsecSiteConnection($0, $1) },
            create: { try await v.createIPsecSiteConnection(try IPsecSiteConnection.parseCreate($0), $1) },
            update: { id, body, identity, _ in try await v.updateIPsecSiteConnection(id, try IPsecSiteConnection.parseUpdate(body), identity) },
            delete: { id, identity, _ in try await v.deleteIPsecSiteConnection(id, identity) }, echoedOnUpdate: ["dpd"],
            listSchema: .ipsecSiteConnections, listPage: { try await v.ipsecSiteConnections($0, $1) }
        ).register(on: v2, path: "vpn/ipsec-site-connections")
    }
}
