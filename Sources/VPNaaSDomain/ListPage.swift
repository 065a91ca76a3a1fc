/// A page of a list: the rows in order, and whether the limit was reached (Neutron then offers a `next` link).
package struct ListPage<Item: Sendable>: Sendable {
    package var items: [Item]
    package var full: Bool

    package init(items: [Item], full: Bool) {
        self.items = items
        self.full = full
    }
}

/// A list request's marker is not among the rows the request sees (Neutron answers 400).
package struct ListMarkerNotFound: Error, Sendable, Equatable {
    package var marker: String

    package init(marker: String) { self.marker = marker }
}
