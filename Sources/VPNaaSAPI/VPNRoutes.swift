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
            update: { try await v.updateIKEPolicy($0, try IKEPolicy.parseUpdate($1), $2) },
            delete: { try await v.deleteIKEPolicy($0, $1) }, echoedOnUpdate: ["lifetime"],
            listSchema: .ikePolicies, listPage: { try await v.ikePolicies($0, $1) }
        ).register(on: v2, path: "vpn/ikepolicies")

        ResourceRoutes<IPsecPolicy>(
            singular: "ipsecpolicy", plural: "ipsecpolicies", filterable: IPsecPolicy.filterable, render: { $0.wire },
            list: { try await v.ipsecPolicies($0) },
            show: { try await v.ipsecPolicy($0, $1) },
            create: { try await v.createIPsecPolicy(try IPsecPolicy.parseCreate($0), $1) },
            update: { try await v.updateIPsecPolicy($0, try IPsecPolicy.parseUpdate($1), $2) },
            delete: { try await v.deleteIPsecPolicy($0, $1) }, echoedOnUpdate: ["lifetime"],
            listSchema: .ipsecPolicies, listPage: { try await v.ipsecPolicies($0, $1) }
        ).register(on: v2, path: "vpn/ipsecpolicies")

        ResourceRoutes<VPNService>(
            singular: "vpnservice", plural: "vpnservices", filterable: VPNService.filterable, render: { $0.wire },
            list: { try await v.vpnServices($0) },
            show: { try await v.vpnService($0, $1) },
            create: { try await v.createVPNService(try VPNService.parseCreate($0), $1) },
            update: { try await v.updateVPNService($0, try VPNService.parseUpdate($1), $2) },
            delete: { try await v.deleteVPNService($0, $1) },
            listSchema: .vpnServices, listPage: { try await v.vpnServices($0, $1) }
        ).register(on: v2, path: "vpn/vpnservices")

        ResourceRoutes<EndpointGroup>(
            singular: "endpoint_group", plural: "endpoint_groups", filterable: EndpointGroup.filterable,
            render: { $0.wire },
            list: { try await v.endpointGroups($0) },
            show: { try await v.endpointGroup($0, $1) },
            create: { try await v.createEndpointGroup(try EndpointGroup.parseCreate($0), $1) },
            update: { try await v.updateEndpointGroup($0, try EndpointGroup.parseUpdate($1), $2) },
            delete: { try await v.deleteEndpointGroup($0, $1) },
            listSchema: .endpointGroups, listPage: { try await v.endpointGroups($0, $1) }
        ).register(on: v2, path: "vpn/endpoint-groups")

        ResourceRoutes<IPsecSiteConnection>(
            singular: "ipsec_site_connection", plural: "ipsec_site_connections",
            filterable: IPsecSiteConnection.filterable, render: { $0.wire },
            list: { try await v.ipsecSiteConnections($0) },
            show: { try await v.ipsecSiteConnection($0, $1) },
            create: { try await v.createIPsecSiteConnection(try IPsecSiteConnection.parseCreate($0), $1) },
            update: { try await v.updateIPsecSiteConnection($0, try IPsecSiteConnection.parseUpdate($1), $2) },
            delete: { try await v.deleteIPsecSiteConnection($0, $1) }, echoedOnUpdate: ["dpd"],
            listSchema: .ipsecSiteConnections, listPage: { try await v.ipsecSiteConnections($0, $1) }
        ).register(on: v2, path: "vpn/ipsec-site-connections")
    }
}
