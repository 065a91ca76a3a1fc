import Testing
import VPNaaSDomain

@testable import VPNaaSAPI

/// `If-Match` parsing as neutron's `check_request_for_revision_constraint` does it over webob's etags.
@Suite struct IfMatchParsingTests {
    @Test(arguments: [
        ([], nil), (["revision_number=3"], 3), (["\"revision_number=3\""], 3), (["W/\"revision_number=3\""], 3),
        (["*"], nil), (["\"abc\", revision_number=7"], 7), (["abc", "revision_number=-1"], -1),
        (["revision_number= 4 "], 4),
    ] as [([String], Int?)])
    func parses(fields: [String], expected: Int?) throws {
        #expect(try IfMatch.revision(fields) == expected)
    }

    @Test(arguments: [["revision_number="], ["revision_number=x"], ["revision_number=1.5"], ["revision_number=1, revision_number=2"],
                      ["revision_number=1", "revision_number=1"]])
    func refuses(fields: [String]) {
        #expect(throws: VPNaaSError.self) { try IfMatch.revision(fields) }
    }
}
