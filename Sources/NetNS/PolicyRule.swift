/// One `ip rule`. Selectors left nil mean "any".
package struct PolicyRule: Sendable, Equatable, Hashable {
    package var family: IPFamily
    package var priority: Int?
    /// CIDR or nil for "all".
    package var from: String?
    package var to: String?
    /// "0x10" or "0x10/0xff".
    package var fwmark: String?
    package var inputInterface: String?
    package var outputInterface: String?
    /// The table to look up; nil for non-lookup actions.
    package var table: String?
    /// "unreachable", "blackhole", "prohibit" when the rule is an action rather than a lookup.
    package var action: String?

    package init(
        family: IPFamily, priority: Int? = nil, from: String? = nil, to: String? = nil, fwmark: String? = nil,
        inputInterface: String? = nil, outputInterface: String? = nil, table: String? = nil, action: String? = nil
    ) {
        self.family = family
        self.priority = priority
        self.from = from.map(IPFamily.normalizedCIDR)
        self.to = to.map(IPFamily.normalizedCIDR)
        self.fwmark = fwmark
        self.inputInterface = inputInterface
        self.outputInterface = outputInterface
        self.table = table
        self.action = action
    }
}
