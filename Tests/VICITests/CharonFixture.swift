import Foundation
import Logging
import Testing
import VICI

/// A real charon-systemd in a throwaway network namespace with its own strongswan.conf and VICI socket.
///
/// Nothing touches the host: the namespace has only `lo`, the socket and logs live in a temp dir,
/// and the daemon is stopped by PID before namespace and dir are deleted.
final class CharonFixture {
    static let charonPath = "/usr/sbin/charon-systemd"
    static let ipPath = "/usr/sbin/ip"

    /// Root (for netns and TUN) and the strongSwan packages are there.
    static var available: Bool {
        getuid() == 0
            && FileManager.default.isExecutableFile(atPath: charonPath)
            && FileManager.default.isExecutableFile(atPath: ipPath)
    }

    /// Under CI the suite runs even without prerequisites, so their absence fails instead of skipping.
    static var shouldRun: Bool { ProcessInfo.processInfo.environment["CI"] == "true" || available }

    /// kernel-libipsec must precede kernel-netlink (else XFRM, which this kernel lacks for ESP, wins);
    /// the explicit list keeps stroke/lookip/error-notify and their fixed /run sockets out.
    static let plugins =
        "random nonce openssl aes sha1 sha2 hmac gmp kdf pem pkcs1 x509 pubkey kernel-libipsec kernel-netlink socket-default vici"

    let namespace: String
    let directory: String
    let socketPath: String
    let logPath: String
    private(set) var process: Process?

    var pid: Int32? { process?.processIdentifier }

    init() {
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        namespace = "vicitest-\(tag)"
        // Short path: Unix socket paths are limited to 107 bytes.
        directory = "/tmp/vicitest-\(tag)"
        socketPath = "\(directory)/charon.vici"
        logPath = "\(directory)/charon.log"
    }

    var config: String {
        """
        charon-systemd {
            load_modular = no
            load = \(Self.plugins)
            install_routes = no
            routing_table = 220
            routing_table_prio = 220
            plugins {
                vici {
                    socket = unix://\(socketPath)
                }
            }
            journal {
                default = -1
            }
            filelog {
                main {
                    path = \(logPath)
                    time_format = %F %T
                    flush_line = yes
                    default = 1
                }
            }
        }
        """
    }

    /// Starts charon and waits until its VICI socket answers.
    func start() async throws {
        try #require(Self.available, "needs root, \(Self.charonPath) and \(Self.ipPath) (apt-get install charon-systemd strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins)")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try config.write(toFile: "\(directory)/strongswan.conf", atomically: true, encoding: .utf8)
        try Self.run(Self.ipPath, "netns", "add", namespace)
        try Self.run(Self.ipPath, "-n", namespace, "link", "set", "lo", "up")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.ipPath)
        // `ip netns exec` execs in place, so the PID is charon's own.
        process.arguments = ["netns", "exec", namespace, Self.charonPath]
        var environment = ProcessInfo.processInfo.environment
        environment["STRONGSWAN_CONF"] = "\(directory)/strongswan.conf"
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: "\(directory)/stdout.log", contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: "\(directory)/stdout.log"))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        self.process = process

        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                Issue.record("charon-systemd exited with \(process.terminationStatus): \(log)")
                throw VICIError.connectionClosed
            }
            if let client = try? await VICIClient.connect(socketPath: socketPath, logger: Logger(label: "probe")) {
                await client.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("charon-systemd did not open \(socketPath) in time: \(log)")
        throw VICIError.connectionFailed(socketPath: socketPath, reason: "timeout")
    }

    func connect() async throws -> VICIClient {
        var logger = Logger(label: "vici-test")
        logger.logLevel = .debug
        return try await VICIClient.connect(socketPath: socketPath, logger: logger)
    }

    /// SIGKILL by PID, as a crash would.
    func kill() {
        guard let process, process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops charon, deletes the namespace and the temp dir; safe to call more than once.
    func cleanUp() {
        if let process, process.isRunning {
            Foundation.kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            kill()
        }
        try? Self.run(Self.ipPath, "netns", "del", namespace)
        try? FileManager.default.removeItem(atPath: directory)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)" }

    static func run(_ executable: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw VICIError.commandFailed(
                command: ([executable] + arguments).joined(separator: " "),
                message: "exit status \(process.terminationStatus)"
            )
        }
    }
}

/// Runs `body` against two charons whose namespaces are linked by a veth pair
/// (192.0.2.1/24 in the first, 192.0.2.2/24 in the second); the veth is created inside the namespaces.
func withCharonPair(_ body: (CharonFixture, VICIClient, CharonFixture, VICIClient) async throws -> Void) async throws {
    let left = CharonFixture()
    defer { left.cleanUp() }
    let right = CharonFixture()
    defer { right.cleanUp() }
    try await left.start()
    try await right.start()
    let ip = CharonFixture.ipPath
    try CharonFixture.run(ip, "-n", left.namespace, "link", "add", "vt0", "type", "veth", "peer", "name", "vt1", "netns", right.namespace)
    for (charon, address, inside) in [(left, "192.0.2.1/24", "10.1.0.1/32"), (right, "192.0.2.2/24", "10.2.0.1/32")] {
        let device = charon === left ? "vt0" : "vt1"
        try CharonFixture.run(ip, "-n", charon.namespace, "addr", "add", address, "dev", device)
        try CharonFixture.run(ip, "-n", charon.namespace, "link", "set", device, "up")
        // kernel-libipsec routes need a source address inside the local traffic selector.
        try CharonFixture.run(ip, "-n", charon.namespace, "addr", "add", inside, "dev", "lo")
    }
    let leftClient = try await left.connect()
    let rightClient = try await right.connect()
    do {
        try await body(left, leftClient, right, rightClient)
    } catch {
        await leftClient.close()
        await rightClient.close()
        throw error
    }
    await leftClient.close()
    await rightClient.close()
}

/// Runs `body` against a fresh charon and its client, cleaning up on every path.
func withCharon(_ body: (CharonFixture, VICIClient) async throws -> Void) async throws {
    let charon = CharonFixture()
    defer { charon.cleanUp() }
    try await charon.start()
    let client = try await charon.connect()
    do {
        try await body(charon, client)
    } catch {
        await client.close()
        throw error
    }
    await client.close()
}

struct TimeoutError: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Bounds a wait on charon so a broken expectation fails the test instead of hanging the run.
func withTimeout<T: Sendable>(
    _ seconds: Int,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimeoutError(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
