/// The resources a project's quota limits, by Neutron's names (`quota_<name>` in neutron.conf,
/// keys of `GET /v2.0/quotas/{project}`). The VPN ones are ours: neutron-vpnaas registers none,
/// but every VPN object costs a network host something.
package enum QuotaResource: String, Sendable, CaseIterable, Comparable {
    case network, subnet, port, router
    case ikePolicy = "ikepolicy"
    case ipsecPolicy = "ipsecpolicy"
    case vpnService = "vpnservice"
    case endpointGroup = "endpoint_group"
    case ipsecSiteConnection = "ipsec_site_connection"

    package static func < (a: QuotaResource, b: QuotaResource) -> Bool { a.rawValue < b.rawValue }
}

/// A limit per resource; `-1` is unlimited, as in Neutron.
package struct QuotaLimits: Sendable, Equatable {
    package var values: [QuotaResource: Int]

    package init(_ values: [QuotaResource: Int]) { self.values = values }

    /// Neutron's defaults (network 100, subnet 100, port 500, router 10) and ours for VPN objects:
    /// a VPN service per router, ten peers per service, two endpoint groups per connection, and
    /// policies as plentiful as networks (rows only, they cost a host nothing).
    package static let defaults = QuotaLimits([
        .network: 100, .subnet: 100, .port: 500, .router: 10,
        .ikePolicy: 100, .ipsecPolicy: 100, .vpnService: 10, .endpointGroup: 200, .ipsecSiteConnection: 100,
    ])

    /// The largest limit Neutron accepts (its DB integer maximum).
    package static let maximum = 2_147_483_647

    package subscript(_ resource: QuotaResource) -> Int {
        get { values[resource] ?? -1 }
        set { values[resource] = newValue }
    }

    /// These limits with a project's overrides applied.
    package func applying(_ overrides: [QuotaResource: Int]) -> QuotaLimits {
        QuotaLimits(values.merging(overrides) { _, new in new })
    }

    /// May a project holding `used` objects create `adding` more?
    package static func allows(limit: Int, used: Int, adding: Int = 1) -> Bool {
        limit < 0 || used + adding <= limit
    }
}

/// One line of `GET /v2.0/quotas/{project}/details`.
package struct QuotaUsage: Sendable, Equatable {
    package var limit: Int
    package var used: Int
    /// Always 0: creates count in the inserting transaction, so nothing is ever reserved.
    package var reserved: Int

    package init(limit: Int, used: Int, reserved: Int = 0) {
        self.limit = limit
        self.used = used
        self.reserved = reserved
    }
}

/// A validated `PUT /v2.0/quotas/{project}` body.
package struct QuotaUpdate: Sendable, Equatable {
    package var limits: [QuotaResource: Int]
    /// Refuse a limit below current usage (the CLI sends this unless `--force`).
    package var checkLimit: Bool

    package init(limits: [QuotaResource: Int], checkLimit: Bool = false) {
        self.limits = limits
        self.checkLimit = checkLimit
    }
}
