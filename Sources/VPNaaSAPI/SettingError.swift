/// A setting that is present but unusable. The configuration types throw it so the executable can
/// answer with a usage error naming the key, whichever source (flag, environment, file) supplied it.
package struct SettingError: Error, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) { self.message = message }

    package var description: String { message }
}
