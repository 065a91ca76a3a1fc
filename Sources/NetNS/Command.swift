import Foundation

/// One process invocation, described as data so callers can be unit-tested against a fake runner.
package struct Command: Sendable, Equatable, CustomStringConvertible {
    package var executable: String
    package var arguments: [String]
    /// Named namespace (under /run/netns) to run in; nil means the caller's own namespace.
    /// `ip` commands built by `NetworkHost` use `ip -n NS` in `arguments` instead, because that
    /// costs one exec less than `ip netns exec NS ip ...`.
    package var namespace: String?
    /// Written to stdin (e.g. an nft script); never logged or put into error descriptions.
    package var input: String?
    /// When true a non-zero exit is returned as a result instead of thrown, so the caller can
    /// inspect stderr and decide (idempotent "already exists" / "not found").
    package var toleratesFailure: Bool
    /// Overrides the runner's default time limit (long captures, slow pings); nil = runner default.
    package var timeout: Duration?

    package init(
        _ executable: String,
        _ arguments: [String] = [],
        namespace: String? = nil,
        input: String? = nil,
        toleratesFailure: Bool = false,
        timeout: Duration? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.namespace = namespace
        self.input = input
        self.toleratesFailure = toleratesFailure
        self.timeout = timeout
    }

    /// The argv that actually gets executed (namespace wrapping made explicit).
    package var argv: [String] {
        guard let namespace else { return [executable] + arguments }
        return ["ip", "netns", "exec", namespace, executable] + arguments
    }

    /// Shell-like rendering for logs and errors; stdin is summarised by size only.
    package var description: String {
        var text = argv.map(Self.quoted).joined(separator: " ")
        if let input { text += " <stdin \(input.utf8.count) bytes>" }
        return text
    }

    private static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=,@%+".contains($0) }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
