/// Every failure a request can end in. The API maps each case to Neutron's status, `type` and message
/// in one place (`VPNaaSError.neutron`), so a new case does not compile until it has a mapping.
package enum VPNaaSError: Error, Equatable, Sendable {
    /// The body is not JSON.
    case malformedBody
    /// Request-shape problems Neutron's API layer reports as `HTTPBadRequest` with this message.
    case badRequest(String)
    /// One attribute failed validation: "Invalid input for <attribute>. Reason: <reason>".
    case invalidAttribute(String, reason: String)
    /// neutron-lib `InvalidInput`: "Invalid input for operation: <message>."
    case invalidInput(String)
    /// neutron-lib `BadRequest`: "Bad <resource> request: <message>."
    case badResourceRequest(resource: String, message: String)
    case notFound(ResourceKind, id: String)
    /// The caller may see the object but not do this to it.
    case policyNotAuthorized(action: String)
    /// A create would take the project past its quota (neutron-lib `OverQuota`).
    case overQuota([QuotaResource])
    /// `PUT /v2.0/quotas/{project}` with `check_limit` and a limit below what the project already uses.
    case quotaBelowUsage(QuotaResource, limit: Int, used: Int)
    /// `If-Match: revision_number=N` on a write to an object whose revision is no longer N.
    case revisionConstraintFailed(expected: Int, current: Int)
    /// A database constraint caught what the explicit checks did not (e.g. a concurrent writer on another
    /// replica won a race). The store's own text stays in the log: clients get a generic Neutron answer.
    case constraintViolation(ConstraintViolation)
    /// Any other Neutron exception, by status, class name and message.
    case neutron(status: Int, type: String, message: String)

    /// Status code, Neutron exception class name and message.
    package var neutron: (status: Int, type: String, message: String) {
        switch self {
        case .malformedBody:
            return (400, "MalformedRequestBody", "Malformed request body: Cannot understand JSON.")
        case .badRequest(let message):
            return (400, "HTTPBadRequest", message)
        case .invalidAttribute(let attribute, let reason):
            return (400, "HTTPBadRequest", "Invalid input for \(attribute). Reason: \(reason)")
        case .invalidInput(let message):
            return (400, "InvalidInput", "Invalid input for operation: \(message).")
        case .badResourceRequest(let resource, let message):
            return (400, "BadRequest", "Bad \(resource) request: \(message).")
        case .notFound(let kind, let id):
            return (404, kind.notFoundType, kind.notFoundMessage(id))
        case .policyNotAuthorized(let action):
            return (403, "PolicyNotAuthorized", "(rule:\(action)) is disallowed by policy")
        case .overQuota(let resources):
            let names = resources.sorted().map { "'\($0.rawValue)'" }.joined(separator: ", ")
            return (409, "OverQuota", "Quota exceeded for resources: [\(names)].")
        case .quotaBelowUsage(let resource, let limit, let used):
            return (
                400, "HTTPBadRequest",
                "Quota limit \(limit) for \(resource.rawValue) must be greater than or equal to already used \(used)"
            )
        case .revisionConstraintFailed(let expected, let current):
            return (412, "RevisionNumberConstraintFailed", "Constrained to \(expected), but current revision is \(current)")
        case .constraintViolation(.duplicate):
            return (409, "Conflict", "A resource with the same unique attributes already exists.")
        case .constraintViolation(.reference):
            return (409, "InUse", "The resource is in use, or a resource it refers to no longer exists.")
        case .constraintViolation(.invalid):
            return (400, "HTTPBadRequest", "Invalid input for operation: a value is out of range for its attribute.")
        case .constraintViolation(.missing):
            return (404, "HTTPNotFound", "The resource could not be found.")
        case .constraintViolation(.concurrentTransaction):
            return (409, "Conflict", "The request conflicted with concurrent requests; retry it.")
        case .neutron(let status, let type, let message):
            return (status, type, message)
        }
    }
}

/// Which kind of schema constraint a write ran into (the store's `StoreError.Code`, without its text).
package enum ConstraintViolation: Sendable, Equatable {
    /// A unique index: a concurrent create of the same name/segment/address won.
    case duplicate
    /// A foreign key: the referenced object was deleted concurrently, or is still referenced.
    case reference
    /// A CHECK or NOT NULL constraint.
    case invalid
    /// The row to change was gone when the write reached it (deleted by a concurrent writer).
    case missing
    /// The database kept refusing the transaction as conflicting with concurrent ones (PostgreSQL
    /// serialization failures) after the store's own retries: the client may retry.
    case concurrentTransaction
}

extension VPNaaSError {
    /// 409 `NetworkInUse`.
    package static func networkInUse(_ id: String) -> VPNaaSError {
        .neutron(
            status: 409, type: "NetworkInUse",
            message: "Unable to complete operation on network \(id). There are one or more ports still in use on the network.")
    }

    /// 409 `SubnetInUse` with Neutron's default or a given reason.
    package static func subnetInUse(_ id: String, reason: String = "One or more ports have an IP allocation from this subnet.")
        -> VPNaaSError
    {
        .neutron(status: 409, type: "SubnetInUse", message: "Unable to complete operation on subnet \(id): \(reason)")
    }

    /// 409 `RouterInUse`.
    package static func routerInUse(_ id: String, reason: String = "still has ports") -> VPNaaSError {
        .neutron(status: 409, type: "RouterInUse", message: "Router \(id) \(reason)")
    }

    /// 409 `IpAddressGenerationFailure`.
    package static func noMoreAddresses(network: String) -> VPNaaSError {
        .neutron(status: 409, type: "IpAddressGenerationFailure", message: "No more IP addresses available on network \(network).")
    }

    /// 409 `IpAddressAlreadyAllocated`.
    package static func addressInUse(_ ip: String, subnet: String) -> VPNaaSError {
        .neutron(
            status: 409, type: "IpAddressAlreadyAllocated",
            message: "IP address \(ip) already allocated in subnet \(subnet)")
    }
}
