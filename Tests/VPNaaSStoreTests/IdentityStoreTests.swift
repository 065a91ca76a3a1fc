import Testing
import VPNaaSDomain
import VPNaaSStore

/// Migration `0003_identity` on every backend: round trips, unique names, and grants that go with their
/// project or user.
@Suite struct IdentityStoreTests {
    static func seed(_ store: any Store) async throws {
        try await store.write { tx in
            try await tx.insert(IdentityRole(id: "r-member", name: "member"))
            try await tx.insert(IdentityProject(id: "p1", name: "left", description: "d"))
            try await tx.insert(IdentityUser(id: "u1", name: "alice", passwordHash: "pbkdf2-sha256$1$a$b", defaultProjectID: "p1"))
            try await tx.insert(IdentityRoleAssignment(projectID: "p1", userID: "u1", roleID: "r-member"))
            // Granting twice is not an error (Keystone's PUT is idempotent).
            try await tx.insert(IdentityRoleAssignment(projectID: "p1", userID: "u1", roleID: "r-member"))
        }
    }

    @Test(arguments: Backend.available)
    func rowsRoundTrip(backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.seed(store)
            let (project, user, grants) = try await store.read { tx in
                (try await tx.identityProject("p1"), try await tx.identityUser("u1"), try await tx.identityRoleAssignments(projectID: nil, userID: "u1"))
            }
            #expect(project == IdentityProject(id: "p1", name: "left", description: "d"))
            #expect(user?.passwordHash == "pbkdf2-sha256$1$a$b")
            #expect(user?.defaultProjectID == "p1")
            #expect(grants == [IdentityRoleAssignment(projectID: "p1", userID: "u1", roleID: "r-member")])
        }
    }

    @Test(arguments: Backend.available)
    func namesAreUnique(backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.seed(store)
            await #expect(throws: StoreError.self) { try await store.write { try await $0.insert(IdentityProject(id: "p2", name: "left")) } }
            await #expect(throws: StoreError.self) { try await store.write { try await $0.insert(IdentityUser(id: "u2", name: "alice", passwordHash: nil)) } }
        }
    }

    @Test(arguments: Backend.available)
    func deletingAProjectDropsItsGrantsAndDefaults(backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.seed(store)
            try await store.write { try await $0.deleteIdentityProject("p1") }
            let (user, grants) = try await store.read { tx in (try await tx.identityUser("u1"), try await tx.identityRoleAssignments(projectID: nil, userID: nil)) }
            #expect(grants.isEmpty)
            #expect(user != nil && user?.defaultProjectID == nil)
            await #expect(throws: StoreError.self) { try await store.write { try await $0.deleteIdentityProject("p1") } }
        }
    }

    @Test(arguments: Backend.available)
    func deletingAUserDropsItsGrants(backend: Backend) async throws {
        try await backend.withStore { store in
            try await Self.seed(store)
            try await store.write { try await $0.deleteIdentityUser("u1") }
            #expect(try await store.read { try await $0.identityRoleAssignments(projectID: "p1", userID: nil) }.isEmpty)
            await #expect(throws: StoreError.self) {
                try await store.write { try await $0.delete(IdentityRoleAssignment(projectID: "p1", userID: "u1", roleID: "r-member")) }
            }
        }
    }
}
