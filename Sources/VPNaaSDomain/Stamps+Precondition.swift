extension Stamps {
    /// Neutron's `If-Match: revision_number=N` (compare-and-swap): passes when no revision is required or
    /// the object is still at it. Checked inside the write transaction, so no concurrent write slips between.
    package func require(revision expected: Int?) throws {
        if let expected, expected != revision {
            throw VPNaaSError.revisionConstraintFailed(expected: expected, current: revision)
        }
    }
}
