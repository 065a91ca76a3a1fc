/// An event charon pushed to a registered client, e.g. `ike-updown`, `child-updown`, `log`.
package struct VICIEvent: Sendable, Equatable {
    package var name: String
    package var message: VICIMessage

    package init(name: String, message: VICIMessage) {
        self.name = name
        self.message = message
    }
}
