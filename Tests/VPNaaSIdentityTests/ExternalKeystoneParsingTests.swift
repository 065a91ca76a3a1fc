import Foundation
import Testing
import VPNaaSDomain
@testable import VPNaaSIdentity

/// What the external validator takes from a real Keystone's token body (openstack-client.md §10 shape).
@Suite struct ExternalKeystoneParsingTests {
    @Test func readsProjectUserRolesAndMicrosecondExpiry() throws {
        let body = """
            {"token": {"methods": ["password"], "user": {"domain": {"id": "default", "name": "Default"}, "id": "u-2b6d", "name": "demo"},
             "expires_at": "2026-11-24T17:29:58.123456Z", "issued_at": "2026-11-24T16:29:58.000000Z",
             "project": {"domain": {"id": "default", "name": "Default"}, "id": "p-a66f", "name": "demo"},
             "roles": [{"id": "1", "name": "reader"}, {"id": "2", "name": "member"}]}}
            """
        let parsed = try #require(ExternalKeystoneValidator.parse(Data(body.utf8)))
        #expect(parsed.identity == Identity(projectID: "p-a66f", userID: "u-2b6d", roles: ["member", "reader"]))
        #expect(parsed.identity.canWrite && !parsed.identity.isAdmin)
        #expect(parsed.expires.timeIntervalSince1970 == 1_795_541_398)  // date -u -d 2026-11-24T17:29:58Z +%s
    }

    @Test func unscopedOrMalformedBodiesAreRefused() {
        #expect(ExternalKeystoneValidator.parse(Data(#"{"token": {"expires_at": "2026-11-24T17:29:58Z", "user": {"id": "u"}}}"#.utf8)) == nil)
        #expect(ExternalKeystoneValidator.parse(Data("not json".utf8)) == nil)
        #expect(ExternalKeystoneValidator.parse(Data(#"{"token": {"project": {"id": "p"}, "expires_at": "soon"}}"#.utf8)) == nil)
    }

    @Test func aDashboardSessionCarriesTheUserAndProjectNames() throws {
        let body = """
            {"token": {"user": {"id": "u-2b6d", "name": "demo"}, "expires_at": "2026-11-24T17:29:58.000000Z",
             "project": {"id": "p-a66f", "name": "demo-project"}, "roles": [{"name": "member"}]}}
            """
        let s = try #require(ExternalKeystoneLogin.session(token: "gAAAA-t", body: Data(body.utf8)))
        #expect(s == .init(
            token: "gAAAA-t", identity: Identity(projectID: "p-a66f", userID: "u-2b6d", roles: ["member"]), userName: "demo",
            projectName: "demo-project", expiresAt: 1_795_541_398))
        // An unscoped token is no dashboard session (the login then picks a project).
        #expect(ExternalKeystoneLogin.session(token: "t", body: Data(#"{"token": {"user": {"id": "u"}, "expires_at": "2026-11-24T17:29:58Z"}}"#.utf8)) == nil)
    }
}
