import Crypto
import Foundation
import Logging
import NetNS
import VICI
import VPNaaSDomain
import VPNaaSPlan

/// The IKE edge the agent drives: converge daemons and their configuration, then say what runs.
package protocol IKEDaemons: Sendable {
    /// - Parameters:
    ///   - routers: every router of the host plan (those without VPN get no charon).
    ///   - problems: routers whose network could not be realised, with the reason.
    ///   - sweep: look at every router's daemon; otherwise only at those whose plan changed, whose daemon spoke
    ///     (an event) or died since their last look — the others keep the runtimes of that look.
    /// - Returns: the runtime of every planned connection.
    func apply(_ routers: [RouterPlan], problems: [String: String], sweep: Bool) async -> [String: ConnectionRuntime]
    /// Stops every charon (used when the agent is told to clean up on exit).
    func stopAll() async
    /// Tunnel events seen since the last call (oldest first), for the server's event log.
    func drainEvents() async -> [ConnectionEvent]
    /// When the next pass must run at the latest (a DPD timeout falls due), if sooner than a resync.
    func nextDeadline() async -> ContinuousClock.Instant?
}

extension IKEDaemons {
    package func nextDeadline() async -> ContinuousClock.Instant? { nil }
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
        /// MTU routes written into this charon's TUN (gone with the device when it dies).
        var tunnelRoutes: [TunnelRoutePlan] = []
        /// Connection name → the plan whose fingerprint is in `loaded`, so an unchanged plan is not fingerprinted
        /// again on every look (the fingerprint renders the whole load-conn message).
        var loadedPlans: [String: ConnectionPlan] = [:]
    }

    let process: CharonProcess
    let logger: Logger
    let wake: @Sendable () -> Void
    let now: @Sendable () -> ContinuousClock.Instant
    private var instances: [String: Instance] = [:]
    /// Each connection's own DPD timeout, enforced per router.
    var dpd = DPDTimers()
    /// CHILD_SA name → last re-initiation and how many in a row, for exponential backoff: a
    /// peer that refuses (wrong PSK, no config yet) must not be hammered by every pass.
    /// Router id → what its charon's events mean (per charon: IKE_SA unique ids are per daemon).
    var interpreters: [String: IKEEventInterpreter] = [:]
    /// Connection name → the last failure charon reported, until the connection is up or reloaded.
    var failures: [String: (reason: FailureReason, message: String)] = [:]
    /// The last IKE configuration error logged per router: an unchanged fault is logged once, not every pass.
    var configErrors: [String: String] = [:]
    /// Tunnel events not yet handed to the server.
    var pendingEvents: [ConnectionEvent] = []
    let newEventID: @Sendable () -> String
    var initiated: [String: (at: ContinuousClock.Instant, attempts: Int)] = [:]
    /// Router id → the plan and the runtimes of its last look, reused by passes that are not sweeps while the
    /// plan is the same and its charon said nothing.
    var looked: [String: (plan: RouterPlan, runtimes: [String: ConnectionRuntime])] = [:]
    /// Routers whose charon an earlier agent run left running, found on the first pass (nil: not read yet); a
    /// router leaves the set when its charon is stopped.
    var leftovers: Set<String>?
    /// The planned routers the state dir was last tidied for (it is read again only when they change).
    var tidiedFor: Set<String>?
    /// Routers whose charon sent an event (or died) since their last look.
    var spoke: Set<String> = []
    /// Each router's last look: when, its connections' byte counters then, and whether they had not moved since
    /// the look before.
    struct Look {
        var at: ContinuousClock.Instant
        var traffic: UInt64
        var still: Bool
    }
    var lastLook: [String: Look] = [:]
    /// Connections fully up at least once since they were loaded: a `clear` connection is not
    /// re-initiated once it has been up (it waits for the peer).
    var everUp: Set<String> = []
    /// CHILD_SA name → since when it has been missing (for the IKEv1 deferral).
    var missingSince: [String: ContinuousClock.Instant] = [:]
    /// IKE_SA unique id → when it was first seen unanswered (for restarting the sole IKEv1 initiator's attempts).
    var unansweredSince: [String: ContinuousClock.Instant] = [:]
    /// Connection → when its sole IKEv1 initiator's latest attempt may be restarted (a pass is due then).
    var soleRetryDue: [String: ContinuousClock.Instant] = [:]

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

    package func apply(_ routers: [RouterPlan], problems: [String: String], sweep: Bool = true) async -> [String: ConnectionRuntime] {
        var result: [String: ConnectionRuntime] = [:]
        let wanted = Set(routers.filter { $0.vpn?.connections.contains(where: \.enabled) == true }.map(\.routerID))
        // Every charon this agent may have started, also those adopted from disk after a restart:
        // one whose router lost its last enabled connection (or the router itself) is stopped.
        for id in daemonRouters() where !wanted.contains(id) { await stop(id) }
        let planned = Set(routers.map(\.routerID))
        if planned != tidiedFor {
            for id in process.knownRouters() where !planned.contains(id) { process.forget(id) }
            tidiedFor = planned
        }
        let connections = Set(routers.flatMap { $0.vpn?.connections.map(\.viciName) ?? [] })
        for name in failures.keys where !connections.contains(name) { failures[name] = nil }
        var due: [(RouterPlan, RouterVPNPlan)] = []
        let current = now()
        for router in routers {
            guard let vpn = router.vpn else { continue }
            if let problem = problems[router.routerID] {
                looked[router.routerID] = nil
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
            if !spoke.contains(router.routerID), let kept = looked[router.routerID], kept.plan == router,
                let running = instances[router.routerID], running.alive, !sweep || quiet(router, vpn, kept.runtimes, now: current)
            {
                result.merge(kept.runtimes) { a, _ in a }
                continue
            }
            spoke.remove(router.routerID)
            looked[router.routerID] = nil
            due.append((router, vpn))
        }
        // Routers converge side by side (a few at a time): most of a router's time is waiting — for its charon to
        // start and open its socket, for charon's answers — so a host taking over many routers at once (failover,
        // a restart) is not held up router after router.
        for (router, vpn, outcome) in await convergeAll(due) {
            switch outcome {
            case .success(var runtimes):
                let observed = Int64(Date().timeIntervalSince1970)
                for id in runtimes.keys { runtimes[id]?.observedAt = observed }
                let traffic = runtimes.values.reduce(UInt64(0)) { $0 &+ $1.bytesIn &+ $1.bytesOut }
                lastLook[router.routerID] = Look(at: current, traffic: traffic, still: lastLook[router.routerID]?.traffic == traffic)
                looked[router.routerID] = (router, runtimes)
                result.merge(runtimes) { a, _ in a }
                if configErrors.removeValue(forKey: router.routerID) != nil {
                    logger.notice("IKE configuration applied again", metadata: ["router.id": "\(router.routerID)"])
                }
            case .failure(let error):
                if configErrors[router.routerID] != "\(error)" {
                    logger.error(
                        "IKE configuration failed; retried silently until the reason changes",
                        metadata: ["router.id": "\(router.routerID)", "error": "\(error)"])
                    configErrors[router.routerID] = "\(error)"
                }
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

    /// Whether a sweep may leave a router alone this time: a quiet router — every enabled connection ACTIVE for at
    /// least 30 s, no traffic since the look before, no liveness check running — is looked at every twentieth of its
    /// shortest DPD timeout, between 1 and 5 s (a peer that stops answering is then declared dead at most 5 % early;
    /// up/down still arrive at once as charon's events). Anything else is looked at on every sweep, so statuses,
    /// reasons and moving counters stay within a second.
    func quiet(_ router: RouterPlan, _ vpn: RouterVPNPlan, _ runtimes: [String: ConnectionRuntime], now: ContinuousClock.Instant)
        -> Bool
    {
        guard let last = lastLook[router.routerID], last.still, !dpd.isRunning(router: router.routerID) else { return false }
        let enabled = vpn.connections.filter(\.enabled)
        guard enabled.allSatisfy({ (runtimes[$0.id]?.status == .active) && (runtimes[$0.id]?.establishedSeconds ?? 0) >= 30 }) else {
            return false
        }
        let timeouts = enabled.filter { $0.connection.dpd.action != .disabled }.map(\.connection.dpd.timeout)
        let interval = Duration.milliseconds(min(max((timeouts.min() ?? 100) * 50, 1000), 5000))
        return last.at.duration(to: now) < interval
    }

    /// How many routers converge at once.
    static let parallelism = 8

    /// Converges each router, at most `parallelism` at a time; the outcomes in no particular order.
    func convergeAll(_ due: [(RouterPlan, RouterVPNPlan)]) async
        -> [(RouterPlan, RouterVPNPlan, Result<[String: ConnectionRuntime], any Error>)]
    {
        await concurrently(due, limit: Self.parallelism) { router, vpn in
            do {
                return (router, vpn, .success(try await self.converge(router, vpn)))
            } catch {
                return (router, vpn, .failure(error))
            }
        }
    }

    package func stopAll() async {
        for id in daemonRouters() { await stop(id) }
    }

    /// Routers with a charon: connected instances plus running ones only known by their pid file.
    func daemonRouters() -> Set<String> {
        // The state dir is read once per agent run (charons an earlier run left behind); after that every charon
        // this fleet starts or stops goes through `instances` (reading every pid file each second was 4 % of an
        // idle agent with 50 charons).
        if leftovers == nil { leftovers = Set(process.knownRouters().filter { process.runningPID($0) != nil }) }
        return Set(instances.keys).union(leftovers ?? [])
    }

    // MARK: daemons

    func stop(_ routerID: String) async {
        if let instance = instances.removeValue(forKey: routerID) {
            instance.listener.cancel()
            await instance.client.close()
        }
        await process.stop(routerID)
        configErrors[routerID] = nil
        looked[routerID] = nil
        leftovers?.remove(routerID)
        spoke.remove(routerID)
        lastLook[routerID] = nil
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
        spoke.insert(routerID)
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
        let loadedBefore = instance.loaded
        for plan in enabled {
            if instance.loadedPlans[plan.viciName] == plan, instance.loaded[plan.viciName] != nil { continue }
            let fingerprint = Self.fingerprint(plan)
            guard instance.loaded[plan.viciName] != fingerprint else {
                instance.loadedPlans[plan.viciName] = plan
                continue
            }
            instance.loadedPlans[plan.viciName] = nil
            do {
                if instance.loaded[plan.viciName] != nil {
                    // Unload first so a changed secret or peer really renegotiates. Unloading a `trap`
                    // config leaves its SAs up with the old settings (pitfall 10): close them too.
                    _ = try? await client.request("unload-conn", ["name": .string(plan.viciName)])
                    _ = try? await client.request("terminate", ["ike": .string(plan.viciName), "force": "yes", "timeout": "-1"])
                }
                _ = try await client.request("load-shared", plan.loadSharedMessage)
                _ = try await client.request("load-conn", plan.loadConnMessage)
                instance.loaded[plan.viciName] = fingerprint
                instance.loadedPlans[plan.viciName] = plan
                failures[plan.viciName] = nil
                record(plan.viciName, .configApplied, message: "configuration loaded into charon")
                forgetChildren(of: plan.viciName)
                logger.info("connection loaded", metadata: ["router.id": "\(router.routerID)", "connection.id": "\(plan.id)"])
            } catch let error as VICIError {
                instance.loaded[plan.viciName] = nil
                instance.loadedPlans[plan.viciName] = nil
                loadErrors[plan.id] = "charon refused the configuration: \(error)"
                note(plan.viciName, .configurationError, loadErrors[plan.id] ?? "")
            }
        }
        let enabledNames = Set(enabled.map(\.viciName))
        for name in instance.loaded.keys where !enabledNames.contains(name) {
            _ = try? await client.request("unload-conn", ["name": .string(name)])
            _ = try? await client.request("unload-shared", ["id": .string("psk-\(name)")])
            instance.loaded[name] = nil
            instance.loadedPlans[name] = nil
            forgetChildren(of: name)
            logger.info("connection unloaded", metadata: ["router.id": "\(router.routerID)", "connection.id": "\(name)"])
        }
        instance.tunnelRoutes = await applyTunnelRoutes(vpn.tunnelRoutes, applied: instance.tunnelRoutes, router: router)
        instances[router.routerID] = instance
        if instance.loaded != loadedBefore { writeLoaded(router.routerID, instance.loaded) }

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
                // A partial state already names its missing pairs: keep that and add the cause.
                runtime.lastError = runtime.lastError.map { "\($0); \(failure.message)" } ?? failure.message
            }
            result[plan.id] = runtime
        }
        return result
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
