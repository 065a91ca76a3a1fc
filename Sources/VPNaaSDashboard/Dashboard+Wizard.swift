import Hummingbird
import VPNaaSCore
import VPNaaSDomain
import VPNaaSWire

/// The guided "new site-to-site VPN": the user guide's six objects from one form, undone if any step is
/// refused, then the address to give the other side.
struct VPNWizard {
    static let local = [
        FormField("name", "Name", hint: "prefix of the objects created (name-ike, name-vpn, …)", default: "site", required: true),
        FormField("subnet_id", "Local subnet", .reference("subnets"), hint: "must be attached to a router with an external gateway", required: true),
    ]
    static let peer = [
        FormField("peer_address", "Peer address", hint: "the other side's public IP", required: true),
        FormField("peer_id", "Peer ID", hint: "empty: the peer address"),
        FormField("peer_cidrs", "Peer CIDRs", .list, hint: "the other side's subnets, separated by commas", required: true),
        FormField("psk", "Pre-shared key", .secret, hint: "the same on both sides", required: true),
    ]
    /// The user guide's policy values: sha256, aes-256, IKEv2, group14, ESP.
    static let guideValues = ["auth_algorithm": "sha256", "encryption_algorithm": "aes-256", "ike_version": "v2", "pfs": "group14", "transform_protocol": "esp"]

    static func policyFields(_ page: ResourcePage, prefix: String) -> [FormField] {
        page.createFields.filter { !["name", "description"].contains($0.key) }.map { field in
            var f = field
            f.key = prefix + "." + field.key
            f.defaultValue = guideValues[field.key] ?? field.defaultValue
            return f
        }
    }

    /// The submitted values of one prefix (`ike.pfs` → `pfs`).
    static func strip(_ form: FormBody, prefix: String) -> FormBody {
        FormBody(pairs: form.pairs.compactMap { $0.0.hasPrefix(prefix + ".") ? (String($0.0.dropFirst(prefix.count + 1)), $0.1) : nil })
    }

    static func unprefixed(_ fields: [FormField], prefix: String) -> [FormField] {
        fields.map { var f = $0; f.key = String(f.key.dropFirst(prefix.count + 1)); return f }
    }
}

extension Dashboard {
    /// A refused step: the API's error and the input it is about.
    struct WizardFailure: Error {
        var field: String?
        var message: String
        var status: Int
    }

    func registerWizard<Context: RequestContext>(on group: RouterGroup<Context>) {
        let d = self
        group.get("new-vpn") { request, _ in
            let session = try await d.session(request)
            return try await d.wizardPage(session, form: nil, failure: nil)
        }
        group.post("new-vpn") { request, _ in
            let (session, form) = try await d.postedSession(request)
            do {
                return try await d.runWizard(session, form)
            } catch let failure as WizardFailure {
                return try await d.wizardPage(session, form: form, failure: failure)
            }
        }
    }

    func wizardFields() -> (ike: [FormField], ipsec: [FormField]) {
        (VPNWizard.policyFields(page("ikepolicies"), prefix: "ike"), VPNWizard.policyFields(page("ipsecpolicies"), prefix: "ipsec"))
    }

    func wizardPage(_ session: DashboardSession, form: FormBody?, failure: WizardFailure?) async throws -> Response {
        let (ike, ipsec) = wizardFields()
        let error = (failure?.field, failure?.message)
        func models(_ fields: [FormField]) async throws -> [String: Any] {
            ["fields": try await fieldModels(fields, session: session, form: form, current: nil, error: error)]
        }
        let policyError = failure?.field.map { $0.hasPrefix("ike.") || $0.hasPrefix("ipsec.") } ?? false
        return page(
            "wizard", title: "New site-to-site VPN", session: session, current: "/dashboard/new-vpn",
            model: [
                "local": try await models(VPNWizard.local), "peer": try await models(VPNWizard.peer), "ike": try await models(ike),
                "ipsec": try await models(ipsec), "policyError": policyError,
                "error": failure.map { $0.field == nil ? $0.message as Any : false } ?? false,
            ],
            status: failure.map { .init(code: $0.status) } ?? .ok)
    }

    func runWizard(_ session: DashboardSession, _ form: FormBody) async throws -> Response {
        let identity = session.identity
        let name = (form["name"] ?? "").trimmingSpaces
        guard !name.isEmpty else { throw WizardFailure(field: "name", message: "A name is required.", status: 400) }
        let subnetID = form["subnet_id"] ?? ""
        let subnet: JSONObject
        do {
            subnet = try await page("subnets").operations.show(subnetID, identity)
        } catch let error as VPNaaSError {
            throw WizardFailure(field: "subnet_id", message: error.neutron.message, status: error.neutron.status)
        }
        let routerPort = try await networking.ports(identity).first {
            $0.deviceOwner == Port.Owner.routerInterface && $0.fixedIPs.contains { $0.subnetID == subnetID }
        }
        guard let routerID = routerPort?.deviceID else {
            throw WizardFailure(
                field: "subnet_id", message: "Subnet \(Dashboard.label(subnet)) is not attached to a router: add it as an interface of a router first (Routers).",
                status: 400)
        }
        let router = try await networking.router(routerID, identity)
        guard router.gateway != nil else {
            throw WizardFailure(
                field: "subnet_id", message: "Router \(router.name.isEmpty ? router.id : router.name) has no external gateway: set one first (Routers).",
                status: 400)
        }

        let (ike, ipsec) = wizardFields()
        var undo: [() async -> Void] = []
        func step(_ slug: String, field: @escaping (String) -> String?, _ body: JSONValue) async throws -> JSONObject {
            let p = page(slug)
            do {
                let created = try await p.operations.create(body, identity)
                let id = created["id"]?.stringValue ?? ""
                undo.append { try? await p.operations.delete(id, identity) }
                return created
            } catch let error as VPNaaSError {
                for u in undo.reversed() { await u() }
                let message = error.neutron.message
                throw WizardFailure(field: field(message), message: message, status: error.neutron.status)
            }
        }
        func named(_ body: JSONValue, _ envelope: String, _ suffix: String) -> JSONValue {
            guard case .object(var outer) = body, case .object(var inner)? = outer[envelope] else { return body }
            inner["name"] = .string("\(name)-\(suffix)")
            outer[envelope] = .object(inner)
            return .object(outer)
        }
        let ikeBody = FormField.body(
            envelope: "ikepolicy", fields: VPNWizard.unprefixed(ike, prefix: "ike"), form: VPNWizard.strip(form, prefix: "ike"), isCreate: true)
        let ikePolicy = try await step("ikepolicies", field: { FormField.field(for: $0, in: VPNWizard.unprefixed(ike, prefix: "ike")).map { "ike." + $0 } }, named(ikeBody, "ikepolicy", "ike"))
        let ipsecBody = FormField.body(
            envelope: "ipsecpolicy", fields: VPNWizard.unprefixed(ipsec, prefix: "ipsec"), form: VPNWizard.strip(form, prefix: "ipsec"),
            isCreate: true)
        let ipsecPolicy = try await step(
            "ipsecpolicies", field: { FormField.field(for: $0, in: VPNWizard.unprefixed(ipsec, prefix: "ipsec")).map { "ipsec." + $0 } },
            named(ipsecBody, "ipsecpolicy", "ipsec"))
        let service = try await step(
            "vpnservices", field: { _ in "subnet_id" },
            .object(["vpnservice": .object(["name": .string("\(name)-vpn"), "router_id": .string(routerID)])]))
        let localGroup = try await step(
            "endpoint-groups", field: { _ in "subnet_id" },
            .object(["endpoint_group": .object(["name": .string("\(name)-local"), "type": .string("subnet"), "endpoints": .array([.string(subnetID)])])]))
        let cidrs = FormField.splitList(form["peer_cidrs"] ?? "")
        let peerGroup = try await step(
            "endpoint-groups", field: { _ in "peer_cidrs" },
            .object(["endpoint_group": .object(["name": .string("\(name)-peer"), "type": .string("cidr"), "endpoints": .array(cidrs.map(JSONValue.string))])]))
        let peerAddress = (form["peer_address"] ?? "").trimmingSpaces
        let peerID = (form["peer_id"] ?? "").trimmingSpaces
        var connection: JSONObject = [
            "name": .string("\(name)-connection"), "vpnservice_id": service["id"] ?? .null, "ikepolicy_id": ikePolicy["id"] ?? .null,
            "ipsecpolicy_id": ipsecPolicy["id"] ?? .null, "local_ep_group_id": localGroup["id"] ?? .null,
            "peer_ep_group_id": peerGroup["id"] ?? .null, "peer_address": .string(peerAddress),
            "peer_id": .string(peerID.isEmpty ? peerAddress : peerID),
        ]
        if let psk = form["psk"], !psk.isEmpty { connection["psk"] = .string(psk) }
        let created = try await step(
            "ipsec-site-connections", field: { FormField.field(for: $0, in: VPNWizard.peer) },
            .object(["ipsec_site_connection": .object(connection)]))
        let fresh = try await page("vpnservices").operations.show(service["id"]?.stringValue ?? "", identity)
        return page(
            "wizard-done", title: "VPN \(name) created", session: session, current: "/dashboard/new-vpn",
            model: [
                "name": name, "v4": orFalse(fresh["external_v4_ip"]?.stringValue), "v6": orFalse(fresh["external_v6_ip"]?.stringValue),
                "localCIDRs": subnet["cidr"]?.stringValue ?? "", "connectionID": created["id"]?.stringValue ?? "",
                "serviceID": service["id"]?.stringValue ?? "",
            ])
    }
}
