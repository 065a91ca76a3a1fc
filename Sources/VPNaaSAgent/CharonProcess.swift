import Glibc
import VPNaaSPlan
import Foundation
import Logging
import NetNS

/// Starts, finds and stops one `charon-systemd` per router namespace, by PID only.
///
/// charon runs in a session of its own (so a terminal's Ctrl-C or the agent's exit does not
/// reach it) and writes no pidfile, so a shell records its PID before exec'ing it; an agent
/// restarted later adopts it from that file.
package struct CharonProcess: Sendable {
    package static let executable = "/usr/sbin/charon-systemd"

    let runner: any CommandRunner
    let stateDir: String
    let socketDir: String
    let backend: AgentLayout.IPsecBackend

    package init(runner: any CommandRunner, stateDir: String, socketDir: String, backend: AgentLayout.IPsecBackend) {
        self.runner = runner
        self.stateDir = stateDir
        self.socketDir = socketDir
        self.backend = backend
    }

    package func directory(_ routerID: String) -> String { "\(stateDir)/\(routerID)" }
    package func socketPath(_ routerID: String) -> String { "\(socketDir)/\(routerID).vici" }
    func pidPath(_ routerID: String) -> String { "\(directory(routerID))/charon.pid" }

    /// Routers that have a state directory (a charon ran for them at some point).
    package func knownRouters() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDir)) ?? []
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory(name), isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// Drops the state directory of a router that no longer exists (call after `stop`).
    package func forget(_ routerID: String) {
        guard runningPID(routerID) == nil else { return }
        try? FileManager.default.removeItem(atPath: directory(routerID))
    }

    /// The PID of a live charon of this router, if one runs.
    package func runningPID(_ routerID: String) -> Int32? {
        guard let text = try? String(contentsOfFile: pidPath(routerID), encoding: .utf8),
            let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1
        else { return nil }
        return Self.isAlive(pid) ? pid : nil
    }

    /// Alive = exists, is not a zombie (nobody may reap an orphan here), and is charon.
    static func isAlive(_ pid: Int32) -> Bool {
        // Read with plain file reads and checked on bytes: this runs on every look at a router (Foundation's
        // String/NSString path was 6 % of an idle agent with 50 charons).
        guard let stat = readProc("/proc/\(pid)/stat"), let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return false }
        guard let state = stat[(close + 1)...].first(where: { $0 != UInt8(ascii: " ") }),
            state != UInt8(ascii: "Z"), state != UInt8(ascii: "X")
        else { return false }
        return readProc("/proc/\(pid)/cmdline")?.firstRange(of: Array("charon".utf8)) != nil
    }

    /// A small /proc file's bytes (nil: not there).
    private static func readProc(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { _ = Glibc.close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 16 { break }
        }
        return bytes
    }

    /// Writes the config and starts charon inside `namespace`; returns its PID.
    package func start(_ routerID: String, namespace: String) async throws -> Int32 {
        let dir = directory(routerID)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(atPath: socketDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let config = CharonConfig(socketPath: socketPath(routerID), logPath: "\(dir)/charon.log", backend: backend)
        let confPath = "\(dir)/strongswan.conf"
        try config.rendered.write(toFile: confPath, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: pidPath(routerID))
        let script = "echo $$ > \"$1\"; exec env STRONGSWAN_CONF=\"$3\" \(Self.executable) </dev/null >>\"$2\" 2>&1"
        _ = try await runner.run(
            Command(
                "ip", ["netns", "exec", namespace, "setsid", "-f", "sh", "-c", script, "sh", pidPath(routerID), "\(dir)/charon.out", confPath]))
        // The pidfile appears as soon as the forked shell runs.
        for _ in 0..<400 {
            if let pid = runningPID(routerID) { return pid }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw CharonError.didNotStart(routerID: routerID, detail: tail("\(dir)/charon.out"))
    }

    /// SIGTERM (charon then sends DELETE to its peers), SIGKILL after two seconds.
    package func stop(_ routerID: String) async {
        if let pid = runningPID(routerID) {
            kill(pid, SIGTERM)
            for _ in 0..<200 where Self.isAlive(pid) { try? await Task.sleep(for: .milliseconds(10)) }
            if Self.isAlive(pid) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: pidPath(routerID))
        try? FileManager.default.removeItem(atPath: socketPath(routerID))
    }

    func tail(_ path: String) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "no output" }
        return String(text.suffix(400))
    }
}

package enum CharonError: Error, CustomStringConvertible {
    case didNotStart(routerID: String, detail: String)
    case notReady(routerID: String)

    package var description: String {
        switch self {
        case .didNotStart(let id, let detail): "charon for router \(id) did not start: \(detail)"
        case .notReady(let id): "charon for router \(id) did not open its VICI socket"
        }
    }
}
