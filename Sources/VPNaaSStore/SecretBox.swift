import Crypto

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seals secrets (IPsec PSKs) for storage with AES-256-GCM under one key. The key lives in a file in
/// the data directory (mode 0600, created on first start); tests use a random in-memory key.
/// The type never prints its key or the plaintexts it handles.
package struct SecretBox: Sendable, CustomStringConvertible {
    /// Raw key bytes (SymmetricKey itself is not Sendable).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }
    /// Format tag in front of every sealed value, so the scheme can change later.
    static let version: UInt8 = 1

    package init(key: SymmetricKey) {
        self.keyBytes = key.withUnsafeBytes { Array($0) }
    }

    /// A box with a fresh random key (in-memory stores, tests).
    package static func random() -> SecretBox {
        SecretBox(key: SymmetricKey(size: .bits256))
    }

    /// Loads the 32-byte key at `path`, creating it (0600) when missing. Several replicas given the same
    /// key directory may start at once: the key is written whole to a private temporary file and then
    /// linked into place, which fails if another process got there first, and every process then reads
    /// back the one key that is in place. So they never end up with different keys, and no one reads a
    /// half-written file.
    package static func loadOrCreate(keyFile path: String) throws -> SecretBox {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            try createOnce(path)
        }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count == 32 else {
            throw StoreError(code: .other, message: "secret key file \(path) must hold exactly 32 bytes")
        }
        // Tighten a key file someone loosened.
        try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return SecretBox(key: SymmetricKey(data: data))
    }

    /// Writes a fresh key to a private `<path>.tmp-<pid>-<random>` (0600 from the start, synced) and links it to `path`;
    /// an existing `path` (a concurrent creator won) is left as it is.
    private static func createOnce(_ path: String) throws {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        let tmp = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = posixCreate(tmp)
        guard fd >= 0 else {
            throw StoreError(code: .other, message: "cannot create secret key file \(tmp) (errno \(errno))")
        }
        defer { unlink(tmp) }
        let written = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        posixClose(fd)
        guard written == bytes.count, synced else {
            throw StoreError(code: .other, message: "cannot write secret key file \(path)")
        }
        guard link(tmp, path) == 0 || errno == EEXIST else {
            throw StoreError(code: .other, message: "cannot create secret key file \(path) (errno \(errno))")
        }
    }

    /// version byte ‖ AES-GCM combined (nonce ‖ ciphertext ‖ tag).
    package func seal(_ plaintext: String) throws -> [UInt8] {
        let box = try AES.GCM.seal(Array(plaintext.utf8), using: key)
        guard let combined = box.combined else {
            throw StoreError(code: .other, message: "cannot seal secret")
        }
        return [SecretBox.version] + Array(combined)
    }

    package func open(_ sealed: [UInt8]) throws -> String {
        guard sealed.first == SecretBox.version else {
            throw StoreError(code: .other, message: "unknown sealed secret format")
        }
        do {
            let box = try AES.GCM.SealedBox(combined: sealed.dropFirst())
            return String(decoding: try AES.GCM.open(box, using: key), as: UTF8.self)
        } catch {
            throw StoreError(code: .other, message: "cannot open sealed secret (wrong key file?)")
        }
    }

    package var description: String { "SecretBox(AES-256-GCM)" }
}

private func posixCreate(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600) }
private func posixClose(_ fd: Int32) { _ = close(fd) }
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }
