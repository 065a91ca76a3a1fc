import Testing
@testable import NetNS

@Test func moduleLinks() { _ = NetNSModule.self }
