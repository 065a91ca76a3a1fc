import Mustache
import Testing
@testable import VPNaaSDashboard

@Suite struct ViewsTests {
    @Test func everyTemplateCompilesAndEscapes() {
        let views = Views()
        for name in Templates.all.keys {
            #expect(views.library.getTemplate(named: name) != nil, "template \(name)")
        }
        let html = views.render("error", ["heading": "<script>x</script>", "message": "a & \"b\""])
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt;"))
        #expect(!html.contains("<script>x"))
        #expect(html.contains("a &amp; &quot;b&quot;"))
    }

    @Test func aMissingFieldErrorDoesNotInheritTheFormError() {
        let field: [String: Any] = [
            "key": "name", "inputID": "f-name", "label": "Name", "hint": false, "required": false, "value": "", "checked": false,
            "isFlag": false, "isSelect": false, "multiple": false, "blank": false, "options": [[String: Any]](), "isTextarea": false,
            "isInput": true, "isSecret": false, "inputType": "text", "describedBy": false, "error": false,
        ]
        let html = Views().render("form", ["heading": "h", "error": "top-level message", "fields": [field], "csrf": "c", "action": "/a", "cancel": "/", "submit": "Go"])
        #expect(html.split(separator: "top-level message", omittingEmptySubsequences: false).count == 2)
        #expect(!html.contains("field-error"))
    }

    @Test func csrfTokensAreStablePerSessionAndDiffer() {
        #expect(Dashboard.csrf(for: "token-a") == Dashboard.csrf(for: "token-a"))
        #expect(Dashboard.csrf(for: "token-a") != Dashboard.csrf(for: "token-b"))
        #expect(Dashboard.csrf(for: "token-a").count == 40)
        #expect(Dashboard.sameToken("abc", "abc"))
        #expect(!Dashboard.sameToken("abc", "abd"))
        #expect(!Dashboard.sameToken("", ""))
    }
}
