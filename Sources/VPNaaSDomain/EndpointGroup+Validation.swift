/// V15: what an endpoint group must hold, checked without I/O (subnet existence comes as a predicate).
extension EndpointGroup {
    /// - Parameters:
    ///   - describe: how the group is named in the "no endpoints" message.
    ///   - subnetExists: whether a subnet id names a subnet the caller can see.
    package static func validate(
        type: Kind, endpoints: [String], describe: String = "", subnetExists: (String) -> Bool
    ) throws(VPNaaSError) {
        guard !endpoints.isEmpty else { throw .missingEndpoints(describe) }
        for (i, e) in endpoints.enumerated() where endpoints[..<i].contains(e) {
            throw .invalidEndpoint(e, type: type, why: "Endpoints have to be unique")
        }
        switch type {
        case .subnet:
            for e in endpoints where !UUIDSyntax.isValid(e) {
                throw .invalidEndpoint(e, type: type, why: "Invalid UUID")
            }
            for e in endpoints where !subnetExists(e.lowercased()) {
                throw .nonExistingSubnetInEndpointGroup(e)
            }
        case .cidr:
            for e in endpoints {
                guard e.contains("/"), let c = CIDR(e), c.isNormalized else {
                    throw .invalidEndpoint(e, type: type, why: "Invalid CIDR")
                }
            }
        case .network, .router, .vlan:
            break
        }
    }
}

/// Canonical 8-4-4-4-12 hex UUID text.
package enum UUIDSyntax {
    package static func isValid(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy { $0.isHexDigit && $0.isASCII } }
    }
}
