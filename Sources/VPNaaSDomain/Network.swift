/// A Neutron network (tenant or provider).
package struct Network: Codable, Sendable, Equatable {
    package typealias ID = String

    package var id: ID
    package var projectID: String
    package var name: String
    package var description: String
    package var adminStateUp: Bool
    package var shared: Bool
    package var external: Bool
    package var segment: Segment
    package var mtu: Int
    package var portSecurityEnabled: Bool
    package var vlanTransparent: Bool
    package var qinq: Bool
    package var isDefault: Bool
    package var availabilityZoneHints: [String]
    package var status: String
    package var stamps: Stamps
    /// Filled in by the store on read: the network's subnets, oldest first.
    package var subnetIDs: [Subnet.ID]

    package init(
        id: ID, projectID: String, name: String, description: String, adminStateUp: Bool, shared: Bool,
        external: Bool, segment: Segment, mtu: Int, portSecurityEnabled: Bool, vlanTransparent: Bool, qinq: Bool,
        isDefault: Bool, availabilityZoneHints: [String], status: String, stamps: Stamps, subnetIDs: [Subnet.ID] = []
    ) {
        self.id = id
        self.projectID = projectID
        self.name = name
        self.description = description
        self.adminStateUp = adminStateUp
        self.shared = shared
        self.external = external
        self.segment = segment
        self.mtu = mtu
        self.portSecurityEnabled = portSecurityEnabled
        self.vlanTransparent = vlanTransparent
        self.qinq = qinq
        self.isDefault = isDefault
        self.availabilityZoneHints = availabilityZoneHints
        self.status = status
        self.stamps = stamps
        self.subnetIDs = subnetIDs
    }

    /// Networks a caller can see: its own, shared ones and external ones (Neutron's default policy).
    package func isVisible(to identity: Identity) -> Bool {
        identity.owns(projectID) || shared || external
    }

    /// The provider segment: how the network is realised on hosts.
    package struct Segment: Codable, Sendable, Equatable {
        package var networkType: NetworkType
        package var physicalNetwork: String?
        package var segmentationID: Int?

        package init(networkType: NetworkType, physicalNetwork: String?, segmentationID: Int?) {
            self.networkType = networkType
            self.physicalNetwork = physicalNetwork
            self.segmentationID = segmentationID
        }
    }

    package enum NetworkType: String, Codable, Sendable, CaseIterable {
        case flat, vlan, vxlan
    }
}

/// created_at / updated_at / revision_number of Neutron's standard attributes.
package struct Stamps: Codable, Sendable, Equatable {
    package var createdAt: Timestamp
    package var updatedAt: Timestamp
    package var revision: Int

    package init(createdAt: Timestamp, updatedAt: Timestamp, revision: Int) {
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revision = revision
    }

    package static func new(at now: Timestamp, revision: Int = 0) -> Stamps {
        Stamps(createdAt: now, updatedAt: now, revision: revision)
    }

    /// The stamps after one more change at `now`.
    package func bumped(at now: Timestamp) -> Stamps {
        Stamps(createdAt: createdAt, updatedAt: now, revision: revision + 1)
    }
}

/// Whole seconds since the Unix epoch, printed as Neutron does: `2026-11-24T16:06:44Z`.
package struct Timestamp: Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    package var secondsSinceEpoch: Int64

    package init(secondsSinceEpoch: Int64) { self.secondsSinceEpoch = secondsSinceEpoch }

    package static func < (a: Timestamp, b: Timestamp) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    package var description: String {
        // Civil-from-days (H. Hinnant), so the domain needs no calendar API.
        let days = secondsSinceEpoch >= 0 ? secondsSinceEpoch / 86400 : (secondsSinceEpoch - 86399) / 86400
        let secs = secondsSinceEpoch - days * 86400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
    }
}
