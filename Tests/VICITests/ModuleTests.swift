import Testing
@testable import VICI

@Test func moduleLinks() { _ = VICIModule.self }
