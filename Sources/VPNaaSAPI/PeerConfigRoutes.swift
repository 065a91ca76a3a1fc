import HTTPTypes
import Hummingbird
import NIOCore
import VPNaaSPlan
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// `GET /v2.0/vpn/peer-config-devices` and `GET /v2.0/vpn/ipsec-site-connections/{id}/peer-config?device=ID`:
/// the other site's configuration as text, rendered from the same plan the agent realises.
struct PeerConfigRoutes {
    let vpn: VPN
    let layout: AgentLayout

    func register(on v2: RouterGroup<APIRequestContext>) {
        let vpn = self.vpn
        let layout = self.layout
        v2.get("vpn/peer-config-devices") { _, _ in
            let devices = PeerConfig.devices.map { d -> JSONValue in
                .object([
                    "id": .string(d.id), "vendor": .string(d.vendor), "platform": .string(d.platform), "software": .string(d.software),
                ])
            }
            return JSONResponse.make(["peer_config_devices": .array(devices)])
        }
        v2.get("vpn/ipsec-site-connections/:id/peer-config") { request, context in
            let id = try context.parameters.require("id")
            let device = QueryString.items(request.uri.query).first { $0.0 == "device" }?.1
            guard let device, !device.isEmpty else {
                throw VPNaaSError.badRequest("Query parameter 'device' is required; GET /v2.0/vpn/peer-config-devices lists the devices")
            }
            let text = try await PeerConfigRoutes.render(vpn: vpn, layout: layout, connection: id, device: device, context.identity)
            var buffer = ByteBuffer()
            buffer.writeString(text)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8", .contentLength: String(buffer.readableBytes)],
                body: .init(byteBuffer: buffer))
        }
    }

    /// The other side's configuration of a connection the caller can see, for one device type (the API's
    /// `peer-config` and the dashboard's download answer the same text and the same errors).
    static func render(vpn: VPN, layout: AgentLayout, connection id: String, device: String, _ identity: Identity) async throws -> String {
        let connection = try await vpn.ipsecSiteConnection(id, identity)
        guard PeerConfig.devices.contains(where: { $0.id == device }) else {
            throw VPNaaSError.notFound(.peerConfigDevice, id: device)
        }
        var state = try await DesiredState.load(from: vpn.store)
        // Rendered even while the router is admin-down: the peer can be prepared before it comes up.
        for i in state.routers.indices { state.routers[i].adminStateUp = true }
        let plan = HostPlan.build(state, layout: layout).routers.compactMap(\.vpn).flatMap(\.connections).first { $0.id == id }
        guard let plan, let ike = state.ikePolicies.first(where: { $0.id == connection.ikePolicyID }),
            let ipsec = state.ipsecPolicies.first(where: { $0.id == connection.ipsecPolicyID })
        else {
            throw VPNaaSError.neutron(
                status: 409, type: "PeerConfigUnavailable",
                message: "Site connection \(id) has no realisable router yet (it needs an external gateway and an interface)")
        }
        return PeerConfig(plan: plan, ike: ike, ipsec: ipsec, includePSK: identity.canWrite).render(device: device) ?? ""
    }
}
