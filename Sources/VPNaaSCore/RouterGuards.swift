import VPNaaSDomain
import VPNaaSStore

/// Checks other services (VPN) hook into router and subnet changes, run inside the same
/// transaction as the change (Neutron's callback registry, without the registry).
package struct RouterGuards: Sendable {
    package var beforeGatewayRemoval: @Sendable (Router, any StoreReader) async throws -> Void
    package var beforeRouterDelete: @Sendable (Router, any StoreReader) async throws -> Void
    package var beforeInterfaceRemoval: @Sendable (Router, Subnet.ID, any StoreReader) async throws -> Void
    package var beforeSubnetDelete: @Sendable (Subnet, any StoreReader) async throws -> Void

    package init(
        beforeGatewayRemoval: @escaping @Sendable (Router, any StoreReader) async throws -> Void = { _, _ in },
        beforeRouterDelete: @escaping @Sendable (Router, any StoreReader) async throws -> Void = { _, _ in },
        beforeInterfaceRemoval: @escaping @Sendable (Router, Subnet.ID, any StoreReader) async throws -> Void = { _, _, _ in },
        beforeSubnetDelete: @escaping @Sendable (Subnet, any StoreReader) async throws -> Void = { _, _ in }
    ) {
        self.beforeGatewayRemoval = beforeGatewayRemoval
        self.beforeRouterDelete = beforeRouterDelete
        self.beforeInterfaceRemoval = beforeInterfaceRemoval
        self.beforeSubnetDelete = beforeSubnetDelete
    }
}
