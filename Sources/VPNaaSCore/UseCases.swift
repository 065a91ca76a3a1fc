import VPNaaSDomain
import VPNaaSStore

/// What every use-case family shares: the transaction wrapper and the two policy checks that come
/// before any write.
protocol UseCases: Sendable {
    var store: any Store { get }
}

extension UseCases {
    /// Runs a write use-case, turning store constraint violations that slipped past the explicit
    /// checks into Neutron conflicts rather than server errors.
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) async throws -> T) async throws -> T {
        do {
            return try await store.write(body)
        } catch let error as StoreError {
            throw VPNaaSError(error) ?? error
        }
    }

    /// Fails unless the caller may write at all (reader-only roles may not).
    func requireWriter(_ identity: Identity, _ action: String) throws {
        if !identity.canWrite { throw VPNaaSError.policyNotAuthorized(action: action) }
    }

    /// The project a new object belongs to: the caller's, or another one only for admins.
    func owner(_ requested: String?, _ identity: Identity, _ action: String) throws -> String {
        guard let requested, requested != identity.projectID else { return identity.projectID }
        guard identity.isAdmin else { throw VPNaaSError.policyNotAuthorized(action: action) }
        return requested
    }
}
