import Foundation
import Logging
import ServiceLifecycle
import VPNaaSDomain
import VPNaaSPlan

/// The reconcile loop: on every change (no polling delay), every IKE event and a periodic
/// resync, converge the host on the desired state and report statuses. Level-triggered: a resync
/// pass looks at the whole picture, so a missed event costs at most one resync interval; a pass
/// woken by a change or an IKE event fetches and touches only what that concerns (`PassTriggers`).
package struct Agent: Service {
    let server: any AgentServer
    let network: any RouterNetwork
    let ike: any IKEDaemons
    let board: RuntimeBoard
    let layout: AgentLayout
    let resync: Duration
    let cleanupOnExit: Bool
    /// How long objects may stay PENDING_* while every pass fails before they show ERROR.
    let pendingDeadline: Duration
    let logger: Logger
    let wakeups: AsyncStream<Void>
    let wakeup: AsyncStream<Void>.Continuation
    let newEventID: @Sendable () -> String
    /// How often the agent reports itself to the server (which declares it dead after its down time).
    let reportInterval: Duration
    /// What was last sent to the server's board (remote agents), so unchanged pictures are not resent.
    let telemetry = TelemetryThrottle()
    /// Self-fencing: after this long without reaching the server the agent stops its charons and removes its
    /// namespaces, so that once the server moves its routers (after its down time) no gateway address is
    /// answered by two hosts. nil: never (all-in-one, where the server is this process).
    let fenceAfter: Duration?
    /// What the next pass has to do beyond converging on the state it has.
    let triggers = PassTriggers()
    /// The longest a pass reuses the desired state it has without a change announced (a safety net: announcements
    /// are never dropped, they coalesce).
    let stateMaxAge: Duration = .seconds(60)

    package init(
        server: any AgentServer, network: any RouterNetwork, ike: any IKEDaemons, board: RuntimeBoard, layout: AgentLayout,
        wakeups: (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation), resync: Duration = .seconds(2),
        cleanupOnExit: Bool = false, pendingDeadline: Duration = .seconds(10), reportInterval: Duration = .seconds(10),
        fenceAfter: Duration? = nil, logger: Logger, newEventID: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }
    ) {
        self.newEventID = newEventID
        self.reportInterval = reportInterval
        self.fenceAfter = fenceAfter
        self.pendingDeadline = pendingDeadline
        self.server = server
        self.network = network
        self.ike = ike
        self.board = board
        self.layout = layout
        self.wakeups = wakeups.stream
        self.wakeup = wakeups.continuation
        self.resync = resync
        self.cleanupOnExit = cleanupOnExit
        self.logger = logger
    }

    /// A wake-up channel that coalesces bursts (many events → one pass).
    package static func makeWakeups() -> (stream: AsyncStream<Void>, continuation: AsyncStream<Void>.Continuation) {
        AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// What the agent tells the server about itself (`configurations` of `openstack network agent show`).
    var configurations: [String: String] {
        var c = [
            "agent_mode": "legacy", "ipsec_backend": layout.backend.rawValue,
            "physical_networks": layout.physicalNetworks.keys.sorted().joined(separator: ","),
            "max_vpn_routers": layout.maxVPNRouters.map(String.init) ?? "unlimited",
        ]
        if let tunnel = layout.tunnelLocalIP { c["tunnel_local_ip"] = tunnel }
        return c
    }

    /// Reports the agent to the server now (registering it on the first report), then every `interval`; a
    /// failed report is logged once per run of failures.
    static func heartbeats(
        _ server: any AgentServer, configurations: [String: String], interval: Duration, logger: Logger
    ) async {
        var starting = true
        var failing = false
        while !Task.isCancelled {
            do {
                try await server.heartbeat(AgentHeartbeat(host: "", configurations: configurations, starting: starting))
                starting = false
                if failing { logger.notice("agent reports reach the server again") }
                failing = false
            } catch {
                if !failing { logger.error("agent report failed; retrying", metadata: ["error": "\(error)"]) }
                failing = true
            }
            try? await Task.sleep(for: starting ? .seconds(1) : interval)
        }
    }

    package func run() async throws {
        let changes = server.changes()
        let wakeup = self.wakeup
        let resync = self.resync
        let triggers = self.triggers
        // Registered before the first pass, so the server schedules this host's routers to it.
        try? await server.heartbeat(AgentHeartbeat(host: "", configurations: configurations, starting: true))
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [server, configurations, reportInterval, logger] in
                    try? await Task.sleep(for: reportInterval)
                    await Self.heartbeats(server, configurations: configurations, interval: reportInterval, logger: logger)
                }
                group.addTask {
                    for await _ in changes {
                        triggers.announce()
                        wakeup.yield()
                    }
                }
                group.addTask { [ike] in
                    while !Task.isCancelled {
                        // A DPD timeout falling due sooner than the resync gets a pass on the dot.
                        // (Never sooner than 20 ms: a deadline a failed pass left behind must not spin.)
                        let now = ContinuousClock.now
                        let due = now.advanced(by: resync)
                        let deadline = await ike.nextDeadline().map { max(min($0, due), now.advanced(by: .milliseconds(20))) } ?? due
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        triggers.sweepDue()
                        wakeup.yield()
                    }
                }
                group.addTask {
                    var last: VPNStatusReport?
                    var hosting: Set<Router.ID> = []
                    var failingSince: ContinuousClock.Instant?
                    // An unchanged fault is logged once, not on every pass.
                    var lastFailure: String?
                    var fenced = false
                    var lastSuccess = ContinuousClock.now
                    /// The desired state last fetched, and when: reused by passes no announced change woke.
                    var state: (DesiredState, at: ContinuousClock.Instant)?
                    /// The host plan of the state held and the hosting it was built with: rebuilt only when either
                    /// changes (building it is a walk over every router of the host).
                    var planned: (hosting: Set<Router.ID>, plan: HostPlan)?
                    wakeup.yield()
                    for await _ in wakeups {
                        if Task.isCancelled { break }
                        let due = triggers.take()
                        do {
                            let current: DesiredState
                            if !due.fetch, let kept = state, kept.at.duration(to: .now) <= stateMaxAge {
                                current = kept.0
                            } else {
                                current = try await server.desiredState()
                                state = (current, .now)
                                planned = nil
                            }
                            let plan: HostPlan
                            if let kept = planned, kept.hosting == hosting {
                                plan = kept.plan
                            } else {
                                plan = HostPlan.build(current, layout: layout, hosting: hosting)
                                planned = (hosting, plan)
                            }
                            last = try await reconcile(current, plan: plan, last, hosting: &hosting, sweep: due.sweep)
                            failingSince = nil
                            if lastFailure != nil { logger.notice("agent passes succeed again") }
                            if fenced { logger.notice("server reachable again: this host's routers are realised anew") }
                            lastFailure = nil
                            fenced = false
                            lastSuccess = .now
                        } catch {
                            triggers.retryAll()
                            if "\(error)" != lastFailure {
                                logger.error("agent pass failed; retrying at the next change or resync", metadata: ["error": "\(error)"])
                            }
                            lastFailure = "\(error)"
                            let since = failingSince ?? .now
                            failingSince = since
                            if since.duration(to: .now) > pendingDeadline { await failPending(reason: "\(error)") }
                            if let fenceAfter, !fenced, lastSuccess.duration(to: .now) > fenceAfter {
                                await fence(since: lastSuccess)
                                fenced = true
                                last = nil
                                hosting = []
                                state = nil
                                planned = nil
                            }
                        }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        if cleanupOnExit {
            await ike.stopAll()
            _ = try? await network.apply(HostPlan())
            logger.notice("agent cleaned up its namespaces and charons")
        }
    }


    /// The server has been out of reach for `fenceAfter`: it will soon count this agent dead and place its
    /// routers elsewhere, so stop answering for them here — charons stopped, namespaces and ports removed. The
    /// first pass that reaches the server again rebuilds whatever is still this host's.
    func fence(since: ContinuousClock.Instant) async {
        logger.warning(
            "server unreachable: fencing this host (charons stopped, router namespaces removed) until it answers again",
            metadata: ["unreachable.seconds": "\(since.duration(to: .now).components.seconds)"])
        await ike.stopAll()
        do {
            _ = try await network.apply(HostPlan())
        } catch {
            logger.error("fencing could not remove every namespace", metadata: ["error": "\(error)"])
        }
    }

    /// One pass on `state` (`plan`: its host plan, when already built). Returns the report it sent (to skip identical ones next time); `hosting` carries the
    /// routers whose charons run here from pass to pass; `sweep`: look at every router's charon, not only at
    /// those whose plan changed or whose charon spoke since.
    func reconcile(
        _ state: DesiredState, plan planned: HostPlan? = nil, _ previous: VPNStatusReport?, hosting: inout Set<Router.ID>,
        sweep: Bool = true
    ) async throws -> VPNStatusReport {
        let plan = planned ?? HostPlan.build(state, layout: layout, hosting: hosting)
        let problems = try await network.apply(plan)
        let runtimes = await ike.apply(plan.routers, problems: problems, sweep: sweep)
        hosting = plan.vpnRouterIDs
        let (report, entries) = Self.statuses(state, runtimes: runtimes, refused: Set(plan.refused), limit: layout.maxVPNRouters)
        // Events first: once a tenant sees a status, the event that explains it is already in the log. The
        // connection's up/down comes after the IKE events it follows from (never older than the newest of them).
        // The clock is read before the drain: whatever arrives after the drain (next batch) is never older.
        let before = Int64(Date().timeIntervalSince1970 * 1000)
        let drained = await ike.drainEvents()
        let now = max(before, drained.map(\.time).max() ?? 0)
        let events = drained + Self.transitions(from: previous, to: report, runtimes: runtimes, nowMillis: now, newID: newEventID)
        if !events.isEmpty {
            do {
                try await server.record(events)
            } catch {
                logger.warning("tunnel events not recorded", metadata: ["error": "\(error)", "events": "\(events.count)"])
            }
        }
        if report != previous { try await server.report(report) }
        board.publish(entries)
        await telemetry.send(entries, to: server, logger: logger)
        return report
    }

    /// `up`/`down` events for connections whose ACTIVE-ness changed between two passes, and `up` for one that
    /// is ACTIVE in the first pass that sees it (none on the first pass after a start: the agent does not know
    /// what it missed).
    static func transitions(
        from previous: VPNStatusReport?, to report: VPNStatusReport, runtimes: [String: ConnectionRuntime], nowMillis: Int64,
        newID: () -> String
    ) -> [ConnectionEvent] {
        guard let previous else { return [] }
        var events: [ConnectionEvent] = []
        for (id, entry) in report.connections.sorted(by: { $0.key < $1.key }) {
            // A connection the previous pass did not have yet counts as down before: one that is ACTIVE in the
            // first pass that sees it (a fast peer) still gets its `up` event; a new one that is down gets none.
            let before = previous.connections[id]?.status
            guard (before == .active) != (entry.status == .active), before != nil || entry.status == .active else { continue }
            let runtime = runtimes[id]
            let up = entry.status == .active
            events.append(
                ConnectionEvent(
                    id: newID(), connectionID: id, time: nowMillis, kind: up ? .up : .down, ikeState: runtime?.ikeState,
                    childState: runtime?.childState, failureReason: up ? nil : runtime?.failureReason,
                    message: up ? "connection ACTIVE" : "connection \(entry.status.rawValue)" + (runtime?.lastError.map { ": \($0)" } ?? "")))
        }
        return events
    }

    /// Passes keep failing: what is still pending will not be realised soon, so say so.
    func failPending(reason: String) async {
        guard let state = try? await server.desiredState() else { return }
        var report = VPNStatusReport()
        var entries: [String: RuntimeBoard.Entry] = [:]
        let observed = Int64(Date().timeIntervalSince1970)
        for c in state.connections where c.status.isPending {
            report.connections[c.id] = .init(status: .error, realised: c)
            entries[c.id] = .init(
                runtime: ConnectionRuntime(status: .error, lastError: "not realised: \(reason)", failureReason: .configurationError), projectID: c.projectID, observedAt: observed)
        }
        for s in state.vpnServices where s.status.isPending { report.services[s.id] = .error }
        guard !report.connections.isEmpty || !report.services.isEmpty else { return }
        try? await server.report(report)
        for (id, entry) in entries { board.update(id, entry) }
    }

    /// Service ACTIVE = admin-up with at least one ACTIVE connection (charon runs then, by
    /// construction); everything the plan could not place is DOWN with a reason.
    /// Connections of `refused` routers (over this host's capacity) are ERROR with the reason.
    static func statuses(
        _ state: DesiredState, runtimes: [String: ConnectionRuntime], refused: Set<Router.ID> = [], limit: Int? = nil
    ) -> (VPNStatusReport, [String: RuntimeBoard.Entry]) {
        var report = VPNStatusReport()
        var entries: [String: RuntimeBoard.Entry] = [:]
        let observed = Int64(Date().timeIntervalSince1970)
        let routerOfService = Dictionary(state.vpnServices.map { ($0.id, $0.routerID) }, uniquingKeysWith: { a, _ in a })
        for c in state.connections {
            let overCapacity = routerOfService[c.vpnServiceID].map(refused.contains) ?? false
            let runtime =
                overCapacity
                ? ConnectionRuntime(status: .error, lastError: HostPlan.capacityReason(limit ?? 0))
                : runtimes[c.id]
                    ?? ConnectionRuntime(status: .down, lastError: "the VPN service's router has no realised namespace (admin-down or no ports)")
            report.connections[c.id] = .init(status: runtime.status, realised: c)
            entries[c.id] = RuntimeBoard.Entry(runtime: runtime, projectID: c.projectID, observedAt: runtime.observedAt ?? observed)
        }
        let byService = Dictionary(grouping: state.connections, by: \.vpnServiceID)
        for s in state.vpnServices {
            let mine = byService[s.id] ?? []
            let active = mine.contains { report.connections[$0.id]?.status == .active }
            report.services[s.id] = refused.contains(s.routerID) && !mine.isEmpty ? .error : s.adminStateUp && active ? .active : .down
        }
        return (report, entries)
    }
}
