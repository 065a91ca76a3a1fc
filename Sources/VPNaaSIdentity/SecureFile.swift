import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold secrets (token keys, the bootstrap password, clouds.yaml): created 0600 from the
/// first byte and replaced atomically, so no reader ever sees a half-written or world-readable file.
package enum SecureFile {
    package static func write(_ bytes: [UInt8], to path: String) throws {
        // Unique per writer, so concurrent writers of one path (replicas bootstrapping at once) never
        // share a temporary file; the last rename wins whole.
        let tmp = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw IdentitySetupError("cannot create \(path) (errno \(errno))") }
        let written = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw IdentitySetupError("cannot write \(path)")
        }
    }

    /// Creates `path` with `bytes` unless it already exists, atomically: written whole to a private
    /// temporary file, then linked into place (which fails when a concurrent process linked first).
    /// Returns what `path` holds afterwards: these bytes, or the winner's.
    package static func createOnce(_ bytes: [UInt8], at path: String) throws -> [UInt8] {
        let tmp = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw IdentitySetupError("cannot create \(path) (errno \(errno))") }
        defer { unlink(tmp) }
        let written = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced else { throw IdentitySetupError("cannot write \(path)") }
        guard link(tmp, path) == 0 || errno == EEXIST else { throw IdentitySetupError("cannot create \(path) (errno \(errno))") }
        guard let now = read(path) else { throw IdentitySetupError("cannot read \(path)") }
        return now
    }

    package static func write(_ text: String, to path: String) throws {
        try write(Array(text.utf8), to: path)
    }

    package static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { Array($0) }
    }
}

/// A failure preparing identity files or keys at start-up.
package struct IdentitySetupError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }
