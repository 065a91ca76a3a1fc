import Testing
@testable import VPNaaSAgent

@Test func moduleLinks() { _ = AgentModule.self }
