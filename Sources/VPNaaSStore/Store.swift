import VPNaaSDomain

/// The persistence edge. Each use-case runs in one transaction: `write` hands its body a writer whose
/// reads see the transaction's own changes, and commits only if the body returns.
///
/// Bodies are synchronous on purpose: they hold the transaction, so they must not await anything else.
package protocol Store: Sendable {
    func read<T: Sendable>(_ body: @escaping @Sendable (any StoreReader) throws -> T) async throws -> T
    func write<T: Sendable>(_ body: @escaping @Sendable (any StoreWriter) throws -> T) async throws -> T
}

/// Queries over committed (or, inside `write`, pending) state.
package protocol StoreReader {
    func network(_ id: Network.ID) throws -> Network?
    func networks() throws -> [Network]
    func subnet(_ id: Subnet.ID) throws -> Subnet?
    func subnets(networkID: Network.ID?) throws -> [Subnet]
    func port(_ id: Port.ID) throws -> Port?
    /// Ports, optionally only those on one network and/or of one device.
    func ports(networkID: Network.ID?, deviceID: String?) throws -> [Port]
    /// Ports holding an address on the subnet.
    func ports(onSubnet subnetID: Subnet.ID) throws -> [Port]
    func usedAddresses(onSubnet subnetID: Subnet.ID) throws -> Set<IPAddress>
    func router(_ id: Router.ID) throws -> Router?
    func routers() throws -> [Router]
    /// Segmentation ids in use for one network type.
    func segmentationIDs(of type: Network.NetworkType) throws -> Set<Int>
}

/// Row changes inside a write transaction. Schema constraints are the last line of defence: a
/// violation surfaces as `StoreError`, never as a silent overwrite.
package protocol StoreWriter: StoreReader {
    func insert(_ network: Network) throws
    func update(_ network: Network) throws
    func deleteNetwork(_ id: Network.ID) throws
    func insert(_ subnet: Subnet) throws
    func update(_ subnet: Subnet) throws
    func deleteSubnet(_ id: Subnet.ID) throws
    func insert(_ port: Port) throws
    func update(_ port: Port) throws
    func deletePort(_ id: Port.ID) throws
    func insert(_ router: Router) throws
    func update(_ router: Router) throws
    func deleteRouter(_ id: Router.ID) throws
}

/// A storage failure, NIO-style: what kind, what happened, and the underlying cause for logs only.
package struct StoreError: Error, CustomStringConvertible {
    package enum Code: Sendable, Equatable {
        case uniqueViolation
        case foreignKeyViolation
        case checkViolation
        case notFound
        case other
    }

    package var code: Code
    package var message: String
    package var cause: (any Error)?

    package init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    package var description: String { "StoreError(\(code)): \(message)" }
}
