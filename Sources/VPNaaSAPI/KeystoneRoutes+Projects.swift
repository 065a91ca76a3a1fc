import Hummingbird
import VPNaaSDomain
import VPNaaSIdentity
import VPNaaSWire

extension KeystoneRoutes {
    /// What Horizon (openstack_auth) asks at login and on every page: the projects a user may scope to,
    /// and the domains (none: only project-scoped roles exist here).
    func registerUserProjects(on router: Hummingbird.Router<APIRequestContext>) {
        let identity = identity
        // Keystone's policy: the user themself or an admin.
        router.get("/v3/users/:id/projects") { request, context in
            let me = try await caller(request)
            let userID = try context.parameters.require("id")
            guard me.user.id == userID || me.isAdmin else { throw KeystoneError.forbidden("identity:list_user_projects") }
            _ = try await identity.user(me, id: userID)
            let items = try await identity.projects(ofUser: userID).map { KeystoneRoutes.render($0, base: base(request)) }
            return JSONResponse.make(KeystoneRoutes.list("projects", items, base: base(request), path: "/v3/users/\(userID)/projects"))
        }
        // Works with an unscoped token, which is what Horizon holds when it calls it.
        router.get("/v3/auth/projects") { request, _ in
            let me = try await caller(request)
            let items = try await identity.projects(ofUser: me.user.id).map { KeystoneRoutes.render($0, base: base(request)) }
            return JSONResponse.make(KeystoneRoutes.list("projects", items, base: base(request), path: "/v3/auth/projects"))
        }
        router.get("/v3/auth/domains") { request, _ in
            _ = try await caller(request)
            return JSONResponse.make(KeystoneRoutes.list("domains", [], base: base(request), path: "/v3/auth/domains"))
        }
    }
}
