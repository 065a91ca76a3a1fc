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

    /// Loads the 32-byte key at `path`, creating it (0600) when missing.
    package static func loadOrCreate(keyFile path: String) throws -> SecretBox {
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard data.count == 32 else {
                throw StoreError(code: .other, message: "secret key file \(path) must hold exactly 32 bytes")
            }
            // Tighten a key file someone loosened.
            try fm.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            return SecretBox(key: SymmetricKey(data: data))
        }
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        // Create with 0600 from the start: the key is never world-readable, not even briefly.
        let fd = posixCreate(path)
        guard fd >= 0 else {
            throw StoreError(code: .other, message: "cannot create secret key file \(path) (errno \(errno))")
        }
        defer { posixClose(fd) }
        let written = bytes.withUnsafeBytes { posixWrite(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            throw StoreError(code: .other, message: "cannot write secret key file \(path)")
        }
        return SecretBox(key: key)
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

private func posixCreate(_ path: String) -> Int32 { open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600) }
private func posixClose(_ fd: Int32) { _ = close(fd) }
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer?, _ n: Int) -> Int { write(fd, p, n) }
