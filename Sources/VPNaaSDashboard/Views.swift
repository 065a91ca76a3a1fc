import Mustache

/// The compiled templates and the page layout around them.
package struct Views: Sendable {
    let library: MustacheLibrary

    package init() {
        var library = MustacheLibrary()
        for (name, text) in Templates.all {
            // The templates are part of the binary: a syntax error is a programming error caught by the tests.
            try! library.register(text, named: name)
        }
        self.library = library
    }

    /// Renders one template with a view model.
    package func render(_ name: String, _ model: [String: Any]) -> String {
        library.render(model, withTemplate: name) ?? ""
    }

    /// A whole page: the content template inside the layout (header, navigation, project switcher).
    func page(_ name: String, title: String, model: [String: Any], chrome: [String: Any]?, flash: String? = nil) -> String {
        let content = render(name, model)
        return render(
            "layout",
            ["title": title, "content": content, "session": chrome ?? false, "flash": orFalse(flash)])
    }
}

/// Mustache looks a missing key up in the enclosing contexts; `false` stops that and hides the section.
func orFalse(_ s: String?) -> Any { s.map { $0 as Any } ?? false }
