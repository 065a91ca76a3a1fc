import Testing
@testable import VPNaaSIdentity

@Test func moduleLinks() { _ = IdentityModule.self }
