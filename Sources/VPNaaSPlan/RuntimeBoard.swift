import Prometheus
import Synchronization
import VPNaaSDomain

/// The latest data-plane figures per connection, shared by the agent (writer) and the API's
/// status sub-resource and `/metrics` (readers).
package final class RuntimeBoard: Sendable {
    package struct Entry: Codable, Sendable, Equatable {
        package var runtime: ConnectionRuntime
        package var projectID: String
        /// Unix time when the agent last looked.
        package var observedAt: Int64
        /// Unix time the IKE_SA came up. Derived from two whole-second clocks (the agent's wall clock and
        /// charon's monotonic age), so a fresh derivation wobbles by a second between looks; the board keeps
        /// the first derivation while a later one stays within that second (the same SA), so tenants see one
        /// stable time per SA.
        package var establishedAt: Int64?

        package init(runtime: ConnectionRuntime, projectID: String, observedAt: Int64) {
            self.runtime = runtime
            self.projectID = projectID
            self.observedAt = observedAt
            self.establishedAt = runtime.establishedSeconds.map { observedAt - Int64($0) }
        }

        /// This entry, keeping `previous`'s establishment time when both name the same moment within
        /// the clocks' one-second granularity.
        func settled(after previous: Entry?) -> Entry {
            var entry = self
            if let mine = establishedAt, let earlier = previous?.establishedAt, abs(mine - earlier) <= 1 {
                entry.establishedAt = earlier
            }
            return entry
        }
    }

    private struct Gauges {
        var values: [String: Gauge]
    }

    private let entries = Mutex<[IPsecSiteConnection.ID: Entry]>([:])
    /// Which agent's picture each entry belongs to ("" = the in-process agent): a host's publish replaces only
    /// its own entries, and an entry moves with its router to the host that publishes it last.
    private let sources = Mutex<[IPsecSiteConnection.ID: String]>([:])
    private let gauges = Mutex<[IPsecSiteConnection.ID: Gauges]>([:])
    package let registry: PrometheusCollectorRegistry

    package init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    package func entry(_ id: IPsecSiteConnection.ID) -> Entry? {
        entries.withLock { $0[id] }
    }

    /// Sets one connection's entry, leaving the others as they are.
    package func update(_ id: IPsecSiteConnection.ID, _ entry: Entry, source: String = "") {
        let mine = sources.withLock { all in all.filter { $0.value == source }.keys }
        var picture = entries.withLock { all in all.filter { mine.contains($0.key) } }
        picture[id] = entry
        publish(picture, source: source)
    }

    /// Replaces one source's picture (default: the in-process agent's): its connections absent from `fresh` are
    /// forgotten (and leave `/metrics`); other sources' entries stay.
    package func publish(_ fresh: [IPsecSiteConnection.ID: Entry], source: String = "") {
        let (latest, removed) = entries.withLock { current -> ([IPsecSiteConnection.ID: Entry], [IPsecSiteConnection.ID]) in
            sources.withLock { owner in
                let gone = current.keys.filter { owner[$0] == source && fresh[$0] == nil }
                for id in gone {
                    current[id] = nil
                    owner[id] = nil
                }
                var settled: [IPsecSiteConnection.ID: Entry] = [:]
                for (id, entry) in fresh {
                    let next = entry.settled(after: current[id])
                    owner[id] = source
                    // Unchanged (a router not looked at again this pass): its gauges already say so.
                    if current[id] == next { continue }
                    settled[id] = next
                    current[id] = next
                }
                return (settled, gone)
            }
        }
        gauges.withLock { all in
            for id in removed {
                for gauge in all[id]?.values.values ?? [:].values { registry.unregisterGauge(gauge) }
                all[id] = nil
            }
            for (id, entry) in latest {
                var set = all[id] ?? Gauges(values: [:])
                let labels = [("connection_id", id), ("project_id", entry.projectID)]
                let r = entry.runtime
                let figures: [(String, String, String, Double)] = [
                    ("up", "", "1 when the connection is ACTIVE (IKE_SA established, CHILD_SA installed)",
                     r.status == .active ? 1 : 0),
                    ("bytes", "in", "Bytes received through the tunnel's installed CHILD_SAs", Double(r.bytesIn)),
                    ("bytes", "out", "Bytes sent through the tunnel's installed CHILD_SAs", Double(r.bytesOut)),
                    ("packets", "in", "Packets received through the tunnel", Double(r.packetsIn)),
                    ("packets", "out", "Packets sent through the tunnel", Double(r.packetsOut)),
                    ("established", "seconds", "Seconds since the IKE_SA was established (0 when down)",
                     Double(r.establishedSeconds ?? 0)),
                ]
                for (metric, unit, help, value) in figures {
                    let key = metric + unit
                    let descriptor = MetricNameDescriptor(
                        namespace: "vpnaas", subsystem: "connection", metricName: metric, unitName: unit, helpText: help)
                    let gauge = set.values[key] ?? registry.makeGauge(descriptor: descriptor, labels: labels)
                    gauge.set(to: value)
                    set.values[key] = gauge
                }
                all[id] = set
            }
        }
    }
}
