import Testing
import VPNaaSDomain

struct VPNResourceTests {
    @Test func weakCryptoIsMarkedLegacy() {
        #expect(AuthAlgorithm(rawValue: "sha1")?.isLegacy == true)
        #expect(EncryptionAlgorithm(rawValue: "3des")?.isLegacy == true)
        #expect(AuthAlgorithm.allCases.filter { !$0.isLegacy }.map(\.rawValue) == ["sha256", "sha384", "sha512", "aes-xcbc", "aes-cmac"])
        #expect(EncryptionAlgorithm.allCases.filter(\.isLegacy) == [.tripleDES])
        #expect(EncryptionAlgorithm.allCases.count == 1 + 3 + 3 + 9 + 9)
        #expect(EncryptionAlgorithm(rawValue: "aes-192-gcm-12") != nil)
        #expect(EncryptionAlgorithm(rawValue: "aes-256-ctr") != nil)
    }

    @Test func pfsGroups() {
        #expect(PFSGroup(rawValue: "group1") == nil)
        #expect(PFSGroup(rawValue: "group13") == nil)
        #expect(PFSGroup.allCases.count == 2 + 18)
        #expect(PFSGroup(rawValue: "group31") != nil)
    }

    @Test func ikePolicyDefaults() {
        let p = IKEPolicy.make(id: "i", projectID: "p", IKEPolicy.Create())
        #expect(p.authAlgorithm == .sha256)
        #expect(p.encryptionAlgorithm == .aes128)
        #expect(p.pfs == .group5)
        #expect(p.ikeVersion == .v1)
        #expect(p.phase1NegotiationMode == .main)
        #expect(p.lifetime == Lifetime(units: .seconds, value: 3600))
    }

    @Test func ipsecPolicyDefaults() {
        let p = IPsecPolicy.make(id: "i", projectID: "p", IPsecPolicy.Create())
        #expect(p.transformProtocol == .esp)
        #expect(p.encapsulationMode == .tunnel)
        #expect(p.authAlgorithm == .sha256)
        #expect(p.encryptionAlgorithm == .aes128)
        #expect(p.lifetime.value == 3600)
    }

    @Test func partialLifetimeUpdateKeepsUnits() {
        var u = IKEPolicy.Update()
        u.lifetime = Lifetime.Input(value: 7200)
        u.name = "renamed"
        let p = IKEPolicy.make(id: "i", projectID: "p", IKEPolicy.Create()).applying(u)
        #expect(p.lifetime == Lifetime(units: .seconds, value: 7200))
        #expect(p.name == "renamed")
    }

    @Test func connectionDefaults() {
        var c = IPsecSiteConnection.Create()
        c.psk = "s"
        let conn = IPsecSiteConnection.make(id: "c", projectID: "p", c)
        #expect(conn.mtu == 1500)
        #expect(conn.initiator == .biDirectional)
        #expect(conn.dpd == .init(action: .hold, interval: 30, timeout: 120))
        #expect(conn.status == .pendingCreate)
        #expect(conn.adminStateUp)
        #expect(conn.peerCIDRs.isEmpty)
    }

    @Test func partialDPDUpdateKeepsStoredKeys() {
        var u = IPsecSiteConnection.Update()
        u.dpd = .init(interval: 10)
        let conn = Sample.connection().applying(u)
        #expect(conn.dpd == .init(action: .hold, interval: 10, timeout: 120))
    }

    @Test func pendingStatuses() {
        #expect(VPNStatus.allCases.filter(\.isPending) == [.pendingCreate, .pendingUpdate, .pendingDelete])
    }

    @Test func connectionReflectionHidesPSK() {
        let conn = Sample.connection(psk: "TopSecretPSK")
        #expect(!String(describing: conn).contains("TopSecretPSK"))
        #expect(!"\(conn)".contains("TopSecretPSK"))
        var dumped = ""
        dump(conn, to: &dumped)
        #expect(!dumped.contains("TopSecretPSK"))
    }

    @Test(arguments: [
        (true, nil as String?, nil as String?),
        (false, nil, "RouterIsNotExternal"),
        (true, Sample.v4Subnet, nil),
        (true, "9b5f4fa4-63c4-4e32-a1c2-0c3e2f0d0b55", "SubnetIsNotConnectedToRouter"),
    ])
    func vpnServiceRules(_ hasGateway: Bool, _ subnet: String?, _ expected: String?) {
        let router = Router(
            id: Sample.routerID, projectID: "p", name: "", description: "", adminStateUp: true, status: "ACTIVE",
            gateway: hasGateway ? .init(networkID: "n", portID: "gp", enableSNAT: true) : nil, routes: [],
            stamps: .new(at: Timestamp(secondsSinceEpoch: 0)))
        #expect(
            errorType { () throws(VPNaaSError) in
                try VPNService.validate(router: router, subnetID: subnet, routerSubnetIDs: [Sample.v4Subnet])
            } == expected)
    }

    @Test func inUseStatuses() {
        #expect(VPNaaSError.ikePolicyInUse("x").neutron.status == 409)
        #expect(VPNaaSError.ipsecPolicyInUse("x").neutron.status == 409)
        #expect(VPNaaSError.vpnServiceInUse("x").neutron.status == 409)
        #expect(VPNaaSError.endpointGroupInUse("x").neutron.status == 400)
        #expect(VPNaaSError.vpnStateInvalidToUpdate("x", state: .pendingCreate).neutron.status == 400)
        #expect(VPNaaSError.notFound(.flavor, id: "f").neutron.message == "Flavor f could not be found.")
    }
}

/// V16–V18, V21 and the pending-update rule as pure table checks.
struct VPNUsageRuleTests {
    static let connections = [Sample.connection()]

    @Test func policiesInUse() {
        #expect(errorType { () throws(VPNaaSError) in try IKEPolicy.checkUnused("ike", connections: Self.connections) } == "IKEPolicyInUse")
        #expect(errorType { () throws(VPNaaSError) in try IKEPolicy.checkUnused("other", connections: Self.connections) } == nil)
        #expect(errorType { () throws(VPNaaSError) in try IPsecPolicy.checkUnused("ipsec", connections: Self.connections) } == "IPsecPolicyInUse")
        #expect(errorType { () throws(VPNaaSError) in try IPsecPolicy.checkUnused("ipsec", connections: []) } == nil)
    }

    @Test(arguments: [("svc", "VPNServiceInUse"), ("other", nil as String?)])
    func serviceDelete(_ id: String, _ expected: String?) {
        #expect(errorType { () throws(VPNaaSError) in try VPNService.checkDeletable(id, connections: Self.connections) } == expected)
    }

    @Test(arguments: [("local", "EndpointGroupInUse"), ("peer", "EndpointGroupInUse"), ("other", nil as String?)])
    func groupDelete(_ id: String, _ expected: String?) {
        #expect(errorType { () throws(VPNaaSError) in try EndpointGroup.checkDeletable(id, connections: Self.connections) } == expected)
    }

    @Test(arguments: VPNStatus.allCases)
    func pendingStatesRefuseUpdates(_ status: VPNStatus) {
        let type = errorType { () throws(VPNaaSError) in try VPNService.checkUpdatable("x", status: status) }
        // PENDING_UPDATE is accepted on purpose: the agent converges on the latest version.
        let refused = status == .pendingCreate || status == .pendingDelete
        #expect(type == (refused ? "VPNStateInvalidToUpdate" : nil))
    }

    @Test func flavors() {
        #expect(errorType { () throws(VPNaaSError) in try VPNService.checkFlavor(nil) } == nil)
        #expect(errorType { () throws(VPNaaSError) in try VPNService.checkFlavor(.some(nil)) } == nil)
        #expect(errorType { () throws(VPNaaSError) in try VPNService.checkFlavor("f") } == "FlavorNotFound")
        #expect(errorStatus { () throws(VPNaaSError) in try VPNService.checkFlavor("f") } == 404)
    }
}
