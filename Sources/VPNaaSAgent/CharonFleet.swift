import Crypto
import Foundation
import Logging
import NetNS
import VICI
import VPNaaSDomain

/// The IKE edge the agent drives: converge daemons and their configuration, then say what runs.
package protocol IKEDaemons: Sendable {
    /// - Parameters:
    ///   - routers: every router of the host plan (those without VPN get no charon).
    ///   - problems: routers whose network could not be realised, with the reason.
    /// - Returns: the runtime of every planned connection.
    func apply(_ routers: [RouterPlan], problems: [String: String]) async -> [String: ConnectionRuntime]
    /// Stops every charon (used when the agent is told to clean up on exit).
    func stopAll() async
    /// Tunnel events seen since the last call (oldest first), for the server's event log.
    func drainEvents() async -> [ConnectionEvent]
}

/// One charon per router with VPN connections, configured only over VICI. Loads only changed
/// connections (a reload restarts a connection's SAs, pitfall 10), restarts a charon that died,
/// and adopts the ones an earlier agent left running.
package actor CharonFleet: IKEDaemons {
    struct Instance {
        var pid: Int32
        var client: VICIClient
        /// Connection name → fingerprint of what was loaded (config + secret), persisted so a
        /// restarted agent does not reload (and so restart) unchanged tunnels.
        var loaded: [String: String]
        var listener: Task<Void, Never>
        var alive: Bool
    }

    let process: CharonProcess
    let logger: Logger
    let wake: @Sendable () -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    private var instances: [String: Instance] = [:]
    /// Each connection's own DPD timeout, enforced per router.
    private var dpd = DPDTimers()
    /// Connection name → last re-initiation and how many in a row, for exponential backoff: a
    /// peer that refuses (wrong PSK, no config yet) must not be hammered by every pass.
    private var initiated: [String: (at: ContinuousClock.Instant, attempts: Int)] = [:]
    /// Router id → what its charon's events mean (per charon: IKE_SA unique ids are per daemon).
    var interpreters: [String: IKEEventInterpreter] = [:]
    /// Connection name → the last failure charon reported, until the connection is up or reloaded.
    var failures: [String: (reason: FailureReason, message: String)] = [:]
    /// Tunnel events not yet handed to the server.
    var pendingEvents: [ConnectionEvent] = []
    let newEventID: @Sendable () -> String

    package init(
        process: CharonProcess, logger: Logger, wake: @escaping @Sendable () -> Void,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now },
        newEventID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.process = process
        self.logger = logger
        self.wake = wake
        self.now = now
        self.newEventID = newEventID
    }

    package func drainEvents() -> [ConnectionEvent] {
        defer { pendingEvents = [] }
        return pendingEvents
    }

    package func apply(_ routers: [RouterPlan], problems: [String: String]) async -> [String: ConnectionRuntime] {
        var result: [String: ConnectionRuntime] = [:]
        let wanted = Set(routers.filter { $0.vpn?.connections.contains(where: \.enabled) == true }.map(\.routerID))
        // Every charon this agent may have started, also those adopted from disk after a restart:
        // one whose router lost its last enabled connection (or the router itself) is stopped.
        for id in daemonRouters() where !wanted.contains(id) { await stop(id) }
        let planned = Set(routers.map(\.routerID))
        for id in process.knownRouters() where !planned.contains(id) { process.forget(id) }
        let connections = Set(routers.flatMap { $0.vpn?.connections.map(\.viciName) ?? [] })
        for name in failures.keys where !connections.contains(name) { failures[name] = nil }
        for router in routers {
            guard let vpn = router.vpn else { continue }
            if let problem = problems[router.routerID] {
                for c in vpn.connections {
                    result[c.id] = ConnectionRuntime(status: .error, lastError: problem, failureReason: .configurationError)
                }
                continue
            }
            if !wanted.contains(router.routerID) {
                // No enabled connection: no charon (stopped above), and nothing of this router is up.
                for c in vpn.connections { result[c.id] = ConnectionRuntime.from([], plan: c) }
                continue
            }
            do {
                let runtimes = try await converge(router, vpn)
                result.merge(runtimes) { a, _ in a }
            } catch {
                logger.error("IKE configuration failed", metadata: ["router.id": "\(router.routerID)", "error": "\(error)"])
                instances[router.routerID]?.alive = false
                for c in vpn.connections {
                    result[c.id] = c.enabled
                        ? ConnectionRuntime(status: .error, lastError: "IKE daemon: \(error)", failureReason: .configurationError)
                        : ConnectionRuntime.from([], plan: c)
                }
            }
        }
        return result
    }

    package func stopAll() async {
        for id in daemonRouters() { await stop(id) }
    }

    /// Routers with a charon: connected instances plus running ones only known by their pid file.
    func daemonRouters() -> Set<String> {
        Set(instances.keys).union(process.knownRouters().filter { process.runningPID($0) != nil })
    }

    // MARK: daemons

    func stop(_ routerID: String) async {
        if let instance = instances.removeValue(forKey: routerID) {
            instance.listener.cancel()
            await instance.client.close()
        }
        await process.stop(routerID)
        dpd.forget(router: routerID)
        interpreters[routerID] = nil
        try? FileManager.default.removeItem(atPath: loadedPath(routerID))
        logger.info("charon stopped", metadata: ["router.id": "\(routerID)"])
    }

    /// A connected, listening charon for the router: the running one, an adopted one, or a new one.
    func instance(for router: RouterPlan) async throws -> Instance {
        let id = router.routerID
        if let existing = instances[id], existing.alive, CharonProcess.isAlive(existing.pid) { return existing }
        if let dead = instances.removeValue(forKey: id) {
            dead.listener.cancel()
            await dead.client.close()
            logger.warning("charon died; restarting it", metadata: ["router.id": "\(id)", "pid": "\(dead.pid)"])
        }
        var adopted = true
        let pid: Int32
        if let running = process.runningPID(id) {
            pid = running
        } else {
            adopted = false
            pid = try await process.start(id, namespace: router.namespace)
        }
        let client = try await connect(id)
        // `log` (level ≤ 1, tagged with the IKE_SA's name) tells why a negotiation failed; never log files.
        let events = try await client.events(["ike-updown", "child-updown", "ike-rekey", "child-rekey", "log"])
        let wake = self.wake
        let listener = Task { [weak self] in
            do {
                for try await event in events {
                    if await self?.observe(event, router: id) ?? true { wake() }
                }
            } catch {}
            await self?.markDead(id, pid: pid)
            wake()
        }
        let loaded = adopted ? readLoaded(id) : [:]
        let instance = Instance(pid: pid, client: client, loaded: loaded, listener: listener, alive: true)
        instances[id] = instance
        logger.notice(adopted ? "charon adopted" : "charon started", metadata: ["router.id": "\(id)", "pid": "\(pid)"])
        return instance
    }

    func markDead(_ routerID: String, pid: Int32) {
        if instances[routerID]?.pid == pid { instances[routerID]?.alive = false }
    }

    func connect(_ routerID: String) async throws -> VICIClient {
        let path = process.socketPath(routerID)
        for _ in 0..<500 {
            if let client = try? await VICIClient.connect(socketPath: path, logger: logger) { return client }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw CharonError.notReady(routerID: routerID)
    }

    // MARK: configuration

    func converge(_ router: RouterPlan, _ vpn: RouterVPNPlan) async throws -> [String: ConnectionRuntime] {
        var instance = try await instance(for: router)
        let client = instance.client
        interpreters[router.routerID, default: IKEEventInterpreter()].peers = Dictionary(
            grouping: vpn.connections.filter(\.enabled), by: \.connection.peerAddress
        ).mapValues { $0.map(\.viciName) }
        var loadErrors: [String: String] = [:]
        let enabled = vpn.connections.filter(\.enabled)
        for plan in enabled {
            let fingerprint = Self.fingerprint(plan)
            guard instance.loaded[plan.viciName] != fingerprint else { continue }
            do {
                if instance.loaded[plan.viciName] != nil {
                    // Unload first so a changed secret or peer really renegotiates.
                    _ = try? await client.request("unload-conn", ["name": .string(plan.viciName)])
                }
                _ = try await client.request("load-shared", plan.loadSharedMessage)
                _ = try await client.request("load-conn", plan.loadConnMessage)
                instance.loaded[plan.viciName] = fingerprint
                failures[plan.viciName] = nil
                record(plan.viciName, .configApplied, message: "configuration loaded into charon")
                logger.info("connection loaded", metadata: ["router.id": "\(router.routerID)", "connection.id": "\(plan.id)"])
            } catch let error as VICIError {
                instance.loaded[plan.viciName] = nil
                loadErrors[plan.id] = "charon refused the configuration: \(error)"
                note(plan.viciName, .configurationError, loadErrors[plan.id] ?? "")
            }
        }
        let enabledNames = Set(enabled.map(\.viciName))
        for name in instance.loaded.keys where !enabledNames.contains(name) {
            _ = try? await client.request("unload-conn", ["name": .string(name)])
            _ = try? await client.request("unload-shared", ["id": .string("psk-\(name)")])
            instance.loaded[name] = nil
            logger.info("connection unloaded", metadata: ["router.id": "\(router.routerID)", "connection.id": "\(name)"])
        }
        instances[router.routerID] = instance
        writeLoaded(router.routerID, instance.loaded)

        var sas = IKESASnapshot.parse(try await client.streamedRequest("list-sas", event: "list-sa", VICIMessage()))
        if try await tidy(sas, plans: enabled, client: client, router: router.routerID) {
            sas = IKESASnapshot.parse(try await client.streamedRequest("list-sas", event: "list-sa", VICIMessage()))
        }
        var result: [String: ConnectionRuntime] = [:]
        for plan in vpn.connections {
            var runtime = ConnectionRuntime.from(sas, plan: plan)
            if let error = loadErrors[plan.id] {
                runtime = ConnectionRuntime(status: .error, lastError: error, failureReason: .configurationError)
            } else if runtime.status == .active {
                failures[plan.viciName] = nil
            } else if plan.enabled, let failure = failures[plan.viciName] {
                runtime.failureReason = failure.reason
                runtime.lastError = failure.message
            }
            result[plan.id] = runtime
        }
        return result
    }

    /// Closes duplicate and half-open IKE_SAs, enforces each connection's DPD timeout, and
    /// re-initiates bi-directional connections that have no IKE_SA at all (libipsec raises no
    /// acquire, so nobody else would). Returns true when it changed something.
    func tidy(_ sas: [IKESASnapshot], plans: [ConnectionPlan], client: VICIClient, router routerID: String) async throws -> Bool {
        var changed = false
        let current = now()
        for (sa, plan) in dpd.expired(router: routerID, sas: sas, plans: plans, now: current) {
            logger.notice(
                "peer dead (DPD timeout)", metadata: ["connection.id": "\(plan.id)", "action": "\(plan.connection.dpd.action.rawValue)"])
            let sentence = "dead peer: no answer to dead peer detection for more than \(plan.connection.dpd.timeout) s (dpd action \(plan.connection.dpd.action.rawValue))"
            if note(plan.viciName, .deadPeer, sentence) { record(plan.viciName, .deadPeer, reason: .deadPeer, message: sentence) }
            _ = try? await client.request("terminate", ["ike-id": .string(sa.uniqueID), "force": "yes", "timeout": "-1"])
            changed = true
        }
        for plan in plans {
            let mine = sas.filter { $0.connection == plan.viciName }
            for sa in IKESASnapshot.redundant(mine) {
                _ = try? await client.request("terminate", ["ike-id": .string(sa.uniqueID), "force": "yes", "timeout": "-1"])
                changed = true
            }
            if mine.contains(where: { $0.isEstablished && !$0.installedChildren.isEmpty }) {
                initiated[plan.viciName] = nil
                continue
            }
            let live = mine.filter { $0.state != "DELETING" && $0.state != "DESTROYING" }
            guard plan.connection.initiator == .biDirectional, live.isEmpty else { continue }
            let last = initiated[plan.viciName]
            if let last, last.at.duration(to: current) < Self.backoff(last.attempts) { continue }
            _ = try? await client.request(
                "initiate", ["child": .string(plan.viciName), "ike": .string(plan.viciName), "timeout": "-1"])
            initiated[plan.viciName] = (current, (last?.attempts ?? 0) + 1)
            changed = true
        }
        return changed
    }

    /// 1 s, 2 s, 4 s … capped at 30 s.
    static func backoff(_ attempts: Int) -> Duration {
        .seconds(min(30, 1 << min(attempts - 1, 5)))
    }

    static func fingerprint(_ plan: ConnectionPlan) -> String {
        var bytes = Array(plan.loadConnMessage.description.utf8)
        bytes += [0] + Array(plan.psk.utf8)
        return SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: persisted fingerprints

    func loadedPath(_ routerID: String) -> String { "\(process.directory(routerID))/loaded.json" }

    func readLoaded(_ routerID: String) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: loadedPath(routerID)),
            let map = try? JSONDecoder().decode([String: String].self, from: data)
        else { return [:] }
        return map
    }

    func writeLoaded(_ routerID: String, _ loaded: [String: String]) {
        guard let data = try? JSONEncoder().encode(loaded) else { return }
        _ = FileManager.default.createFile(atPath: loadedPath(routerID), contents: data, attributes: [.posixPermissions: 0o600])
    }
}

/// Each connection's own DPD timeout (IKEv2's is daemon-wide in charon): a peer is declared dead
/// once a liveness check has been running on an established IKE_SA for longer than the
/// connection's `dpd.timeout`. Timers are kept per router: IKE_SA unique ids are per charon, and
/// one router's pass must not reset another router's timers.
package struct DPDTimers: Sendable {
    /// Router id → IKE_SA unique id → when a DPD exchange was first seen running on it.
    private var since: [String: [String: ContinuousClock.Instant]] = [:]

    package init() {}

    /// The established IKE_SAs of `router` whose peer is to be declared dead now, with their connection.
    package mutating func expired(router: String, sas: [IKESASnapshot], plans: [ConnectionPlan], now: ContinuousClock.Instant)
        -> [(IKESASnapshot, ConnectionPlan)]
    {
        var timers: [String: ContinuousClock.Instant] = [:]
        let known = since[router] ?? [:]
        var dead: [(IKESASnapshot, ConnectionPlan)] = []
        for plan in plans where plan.connection.dpd.action != .disabled {
            for sa in sas where sa.connection == plan.viciName && sa.isEstablished && sa.dpdRunning {
                let start = known[sa.uniqueID] ?? now
                if start.duration(to: now) > .seconds(plan.connection.dpd.timeout) {
                    dead.append((sa, plan))
                } else {
                    timers[sa.uniqueID] = start
                }
            }
        }
        since[router] = timers.isEmpty ? nil : timers
        return dead
    }

    package mutating func forget(router: String) { since[router] = nil }
}

extension IKESASnapshot {
    /// A liveness check is under way (DPD runs as IKE_DPD, or IKE_MOBIKE with MOBIKE on).
    var dpdRunning: Bool { tasksActive.contains("IKE_DPD") || tasksActive.contains("IKE_MOBIKE") }
}
