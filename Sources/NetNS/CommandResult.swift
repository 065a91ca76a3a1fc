package struct CommandResult: Sendable, Equatable {
    package var status: Int32
    package var standardOutput: String
    package var standardError: String

    package init(status: Int32 = 0, standardOutput: String = "", standardError: String = "") {
        self.status = status
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    package var succeeded: Bool { status == 0 }
}
