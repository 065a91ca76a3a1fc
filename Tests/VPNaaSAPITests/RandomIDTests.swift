import Testing

@testable import VPNaaSAPI

@Suite("Random ids")
struct RandomIDTests {
    @Test func uuidIsLowercaseVersion4Text() {
        for _ in 0..<500 {
            let id = RandomID.uuid()
            let parts = id.split(separator: "-", omittingEmptySubsequences: false)
            #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
            #expect(id.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(parts[2].first == "4")
            #expect("89ab".contains(parts[3].first!))
        }
        #expect(RandomID.uuid() != RandomID.uuid())
    }
}
