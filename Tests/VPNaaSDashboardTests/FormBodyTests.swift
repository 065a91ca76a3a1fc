import Testing
import VPNaaSDashboard

@Suite struct FormBodyTests {
    @Test func decodesPlusPercentAndRepeatedKeys() {
        let form = FormBody("name=left+site&psk=a%26b%3Dc%25&endpoints=1&endpoints=2&empty=&flag")
        #expect(form["name"] == "left site")
        #expect(form["psk"] == "a&b=c%")
        #expect(form.all("endpoints") == ["1", "2"])
        #expect(form["empty"] == "")
        #expect(form["flag"] == "")
        #expect(form["missing"] == nil)
    }

    @Test func keepsMalformedEscapesLiterally() {
        #expect(FormBody("a=%zz%4")["a"] == "%zz%4")
        #expect(FormBody("a=%C3%A9")["a"] == "é")
    }

    @Test func encodesForURLs() {
        #expect(FormBody.encode("a b/é") == "a%20b%2F%C3%A9")
        #expect(FormBody(FormBody.encode("x&y=z") == "x%26y%3Dz" ? "ok=1" : "")["ok"] == "1")
    }
}
