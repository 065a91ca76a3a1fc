#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive advisory lock (`flock`) on a file beside the database, held while migrating so that
/// several processes opening one database at once migrate it one after the other. The kernel drops the
/// lock if the holder dies.
enum MigrationLock {
    static func holding<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StoreError(code: .other, message: "cannot open lock file \(path) (errno \(errno))") }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw StoreError(code: .other, message: "cannot lock \(path) (errno \(errno))") }
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
