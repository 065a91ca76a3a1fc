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
}
