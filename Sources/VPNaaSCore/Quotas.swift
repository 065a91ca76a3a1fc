import VPNaaSDomain
import VPNaaSStore

/// Neutron's quota API (`quotas`, `quota_details`): admins read and set any project's limits,
/// members read their own; limits live in the store, defaults come from the operator's settings.
package struct Quotas: UseCases {
    package let store: any Store
    package let defaults: QuotaLimits

    package init(store: any Store, defaults: QuotaLimits = .defaults) {
        self.store = store
        self.defaults = defaults
    }

    /// Neutron checks `get_quota` only when the caller asks about another project.
    private func requireReader(of project: String, _ identity: Identity) throws {
        if project != identity.projectID && !identity.isAdmin { throw VPNaaSError.policyNotAuthorized(action: "get_quota") }
    }

    /// `GET /v2.0/quotas`: projects with at least one quota row, defaults filled in.
    package func all(_ identity: Identity) async throws -> [(projectID: String, limits: QuotaLimits)] {
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: "get_quota") }
        let defaults = defaults
        return try await store.read { tx in
            try await tx.quotaOverrides().sorted { $0.key < $1.key }.map { ($0.key, defaults.applying($0.value)) }
        }
    }

    package func limits(of project: String, _ identity: Identity) async throws -> QuotaLimits {
        try requireReader(of: project, identity)
        let defaults = defaults
        return try await store.read { tx in defaults.applying(try await tx.quotaOverrides(projectID: project)) }
    }

    package func defaultLimits(of project: String, _ identity: Identity) throws -> QuotaLimits {
        try requireReader(of: project, identity)
        return defaults
    }

    package func details(of project: String, _ identity: Identity) async throws -> [QuotaResource: QuotaUsage] {
        try requireReader(of: project, identity)
        let defaults = defaults
        return try await store.read { tx in
            let limits = defaults.applying(try await tx.quotaOverrides(projectID: project))
            var out: [QuotaResource: QuotaUsage] = [:]
            for resource in QuotaResource.allCases {
                out[resource] = QuotaUsage(limit: limits[resource], used: try await tx.count(resource, projectID: project))
            }
            return out
        }
    }

    package func update(_ project: String, _ update: QuotaUpdate, _ identity: Identity) async throws -> QuotaLimits {
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: "update_quota") }
        let defaults = defaults
        return try await write { tx in
            for (resource, limit) in update.limits.sorted(by: { $0.key < $1.key }) {
                if update.checkLimit, limit >= 0 {
                    let used = try await tx.count(resource, projectID: project)
                    if used > limit { throw VPNaaSError.quotaBelowUsage(resource, limit: limit, used: used) }
                }
                try await tx.setQuota(projectID: project, resource, limit: limit)
            }
            return defaults.applying(try await tx.quotaOverrides(projectID: project))
        }
    }

    package func reset(_ project: String, _ identity: Identity) async throws {
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: "delete_quota") }
        try await write { tx in try await tx.deleteQuotas(projectID: project) }
    }
}

extension StoreReader {
    /// Fails with `OverQuota` unless the project may own one more `resource`. Call it inside the
    /// create's write transaction: writers are serialised, so the count and the insert are atomic
    /// and parallel creates can never take a project past its limit.
    func enforceQuota(_ resource: QuotaResource, project: String, defaults: QuotaLimits) async throws {
        let (limit, counted) = try await quotaUsage(resource, projectID: project, defaultLimit: defaults[resource])
        guard limit >= 0, let used = counted else { return }
        if !QuotaLimits.allows(limit: limit, used: used) {
            throw VPNaaSError.overQuota([resource])
        }
    }
}
