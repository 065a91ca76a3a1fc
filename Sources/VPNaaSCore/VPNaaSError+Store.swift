import VPNaaSDomain
import VPNaaSStore

extension VPNaaSError {
    /// The client-facing error for a store constraint violation; nil for anything else (a real server
    /// error). Only the kind crosses over: the database's own text (table and column names, SQL) never
    /// reaches a response body.
    package init?(_ error: StoreError) {
        switch error.code {
        case .uniqueViolation: self = .constraintViolation(.duplicate)
        case .foreignKeyViolation: self = .constraintViolation(.reference)
        case .checkViolation: self = .constraintViolation(.invalid)
        case .notFound: self = .constraintViolation(.missing)
        case .transactionConflict: self = .constraintViolation(.concurrentTransaction)
        case .other: return nil
        }
    }
}
