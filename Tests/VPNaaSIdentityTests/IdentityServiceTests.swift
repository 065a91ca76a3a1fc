import Foundation
import Testing
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSStore

/// A clock tests can move.
final class TestClock: Sendable {
    let value = Mutex(Int64(1_000_000))
    var now: Int64 { value.withLock { $0 } }
    func advance(_ seconds: Int64) { value.withLock { $0 += seconds } }
}

import Synchronization

struct IdentityFixture {
    let service: IdentityService
    let clock: TestClock
    let admin: IssuedToken

    static func make() async throws -> IdentityFixture {
        let clock = TestClock()
        let service = IdentityService(
            store: try SQLiteStore(), codec: TokenCodec(ring: .random()), hasher: PasswordHasher(rounds: 1000),
            tokenLifetime: 3600, now: { clock.now })
        let result = try await IdentityBootstrap.run(service, dataDir: nil, authURL: "http://x", password: "adminpw")
        #expect(result.created)
        let admin = try await service.authenticate(
            user: .init(name: "admin", domainName: "Default"), password: "adminpw", scope: .projectName("admin", domainID: nil, domainName: "Default"))
        return IdentityFixture(service: service, clock: clock, admin: admin)
    }

    /// A project with one user holding `role` there.
    func tenant(_ name: String, role: String = "member", password: String = "pw") async throws -> (IdentityProject, IdentityUser) {
        let project = try await service.createProject(admin, name: name, description: "", enabled: true, domainID: nil)
        var changes = IdentityService.UserChanges()
        changes.password = password
        changes.defaultProjectID = .some(project.id)
        let user = try await service.createUser(admin, name: name + "-user", domainID: "default", changes: changes)
        let roleID = try #require(try await service.roles(admin).first { $0.name == role }).id
        try await service.grant(admin, IdentityRoleAssignment(projectID: project.id, userID: user.id, roleID: roleID), revoke: false)
        return (project, user)
    }

    func login(_ user: String, _ password: String = "pw", project: String) async throws -> IssuedToken {
        try await service.authenticate(user: .init(name: user, domainID: "default"), password: password, scope: .projectName(project, domainID: "default", domainName: nil))
    }
}

@Suite struct IdentityServiceTests {
    @Test func bootstrapAdminHasAllImpliedRolesAndIsIdempotent() async throws {
        let f = try await IdentityFixture.make()
        #expect(Set(f.admin.roles.map(\.name)) == ["admin", "member", "reader"])
        #expect(f.admin.identity?.isAdmin == true)
        let again = try await IdentityBootstrap.run(f.service, dataDir: nil, authURL: "http://x", password: "other")
        #expect(!again.created)
        // The old password still works: a restart never resets it.
        _ = try await f.login("admin", "adminpw", project: "admin")
        #expect(try await f.service.roles(f.admin).map(\.name).sorted() == ["admin", "member", "reader"])
    }

    @Test func passwordAuthByNameOrIdAndScopeByNameOrId() async throws {
        let f = try await IdentityFixture.make()
        let (project, user) = try await f.tenant("left")
        let byName = try await f.login("left-user", project: "left")
        #expect(byName.project?.id == project.id)
        #expect(Set(byName.roles.map(\.name)) == ["member", "reader"])
        let byID = try await f.service.authenticate(user: .init(id: user.id), password: "pw", scope: .projectID(project.id))
        #expect(byID.user.id == user.id)
        // No scope: the default project.
        let unscopedAsk = try await f.service.authenticate(user: .init(id: user.id), password: "pw", scope: nil)
        #expect(unscopedAsk.project?.id == project.id)
        let validated = try await f.service.validate(byName.token)
        #expect(validated.identity == Identity(projectID: project.id, userID: user.id, roles: ["member", "reader"]))
    }

    @Test func wrongCredentialsAndForeignProjectsAre401() async throws {
        let f = try await IdentityFixture.make()
        _ = try await f.tenant("left")
        _ = try await f.tenant("right")
        for attempt in [("left-user", "nope", "left"), ("ghost", "pw", "left"), ("left-user", "pw", "right"), ("left-user", "pw", "nowhere")] {
            await #expect(throws: KeystoneError.self) { try await f.login(attempt.0, attempt.1, project: attempt.2) }
        }
        await #expect(throws: KeystoneError.unauthorized()) {
            try await f.service.authenticate(user: .init(name: "left-user", domainName: "Other"), password: "pw", scope: nil)
        }
    }

    @Test func tokensExpire() async throws {
        let f = try await IdentityFixture.make()
        _ = try await f.tenant("left")
        let t = try await f.login("left-user", project: "left")
        #expect(t.payload.expiresAt == f.clock.now + 3600)
        f.clock.advance(3599)
        _ = try await f.service.validate(t.token)
        f.clock.advance(1)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t.token) }
    }

    @Test func disablingOrDeletingUsersAndProjectsEndsTheirTokens() async throws {
        let f = try await IdentityFixture.make()
        let (project, user) = try await f.tenant("left")
        let t1 = try await f.login("left-user", project: "left")
        var off = IdentityService.UserChanges()
        off.enabled = false
        _ = try await f.service.updateUser(f.admin, id: user.id, changes: off)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t1.token) }
        await #expect(throws: KeystoneError.self) { try await f.login("left-user", project: "left") }
        var on = IdentityService.UserChanges()
        on.enabled = true
        _ = try await f.service.updateUser(f.admin, id: user.id, changes: on)
        _ = try await f.service.validate(t1.token)

        _ = try await f.service.updateProject(f.admin, id: project.id, name: nil, description: nil, enabled: false)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t1.token) }
        _ = try await f.service.updateProject(f.admin, id: project.id, name: nil, description: nil, enabled: true)
        let t2 = try await f.login("left-user", project: "left")

        try await f.service.deleteProject(f.admin, id: project.id)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t2.token) }
        try await f.service.deleteUser(f.admin, id: user.id)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t2.token) }
    }

    @Test func revokingTheLastRoleEndsTheTokenAndPasswordChangesApply() async throws {
        let f = try await IdentityFixture.make()
        let (project, user) = try await f.tenant("left")
        let t = try await f.login("left-user", project: "left")
        let member = try #require(try await f.service.roles(f.admin).first { $0.name == "member" })
        let grant = IdentityRoleAssignment(projectID: project.id, userID: user.id, roleID: member.id)
        try await f.service.grant(f.admin, grant, revoke: true)
        await #expect(throws: KeystoneError.self) { try await f.service.validate(t.token) }
        await #expect(throws: KeystoneError.self) { try await f.service.grant(f.admin, grant, revoke: true) }
        try await f.service.grant(f.admin, grant, revoke: false)
        var pw = IdentityService.UserChanges()
        pw.password = "new-pw"
        _ = try await f.service.updateUser(f.admin, id: user.id, changes: pw)
        await #expect(throws: KeystoneError.self) { try await f.login("left-user", "pw", project: "left") }
        _ = try await f.login("left-user", "new-pw", project: "left")
    }

    @Test func tokenMethodRescopesButNeverExtendsLifetime() async throws {
        let f = try await IdentityFixture.make()
        _ = try await f.tenant("left")
        let t = try await f.login("left-user", project: "left")
        f.clock.advance(600)
        let again = try await f.service.authenticate(token: t.token, scope: nil)
        #expect(again.payload.expiresAt == t.payload.expiresAt)
        #expect(again.payload.methods.contains("token"))
        #expect(again.project?.id == t.project?.id)
        await #expect(throws: KeystoneError.self) {
            try await f.service.authenticate(token: t.token, scope: .projectName("admin", domainID: "default", domainName: nil))
        }
    }

    @Test func onlyAdminsAdministerIdentity() async throws {
        let f = try await IdentityFixture.make()
        let (project, user) = try await f.tenant("left")
        let member = try await f.login("left-user", project: "left")
        await #expect(throws: KeystoneError.forbidden("identity:create_project")) {
            try await f.service.createProject(member, name: "mine", description: "", enabled: true, domainID: nil)
        }
        await #expect(throws: KeystoneError.self) { try await f.service.deleteUser(member, id: f.admin.user.id) }
        // Members see only their own project and user.
        #expect(try await f.service.projects(member).map(\.id) == [project.id])
        #expect(try await f.service.users(member).map(\.id) == [user.id])
        #expect(try await f.service.projects(f.admin).count == 2)
        await #expect(throws: KeystoneError.conflict("project")) {
            try await f.service.createProject(f.admin, name: "left", description: "", enabled: true, domainID: nil)
        }
    }

    @Test func effectiveAssignmentsIncludeImpliedRoles() async throws {
        let f = try await IdentityFixture.make()
        let (project, user) = try await f.tenant("left")
        let roles = Dictionary(uniqueKeysWithValues: try await f.service.roles(f.admin).map { ($0.id, $0.name) })
        let direct = try await f.service.assignments(f.admin, projectID: project.id, userID: nil, roleID: nil, effective: false)
        #expect(direct.map { roles[$0.roleID] } == ["member"])
        let effective = try await f.service.assignments(f.admin, projectID: nil, userID: user.id, roleID: nil, effective: true)
        #expect(Set(effective.compactMap { roles[$0.roleID] }) == ["member", "reader"])
    }
}
