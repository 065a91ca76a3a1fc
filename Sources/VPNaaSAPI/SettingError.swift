import Configuration

/// A setting that is present but unusable. The configuration types throw it so the executable can
/// answer with a usage error naming the key, whichever source (flag, environment, file) supplied it.
package struct SettingError: Error, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}

extension ConfigReader {
    /// A setting as text; an empty value counts as unset, as it always has for these keys.
    func setting(_ key: String, secret: Bool = false) -> String? {
        string(forKey: ConfigKey([key]), isSecret: secret).flatMap { $0.isEmpty ? nil : $0 }
    }
}
