import VPNaaSDomain
import VPNaaSPlan

/// What one charon event means for one connection (named as loaded over VICI, i.e. its id).
package enum IKESignal: Sendable, Equatable {
    case ikeUp(connection: String)
    case ikeDown(connection: String)
    case childUp(connection: String)
    case childDown(connection: String)
    case ikeRekeyed(connection: String)
    case childRekeyed(connection: String)
    /// A failure charon saw or was told, with the sentence for `last_error`.
    case failure(connection: String, FailureReason, String)

    package var connection: String {
        switch self {
        case .ikeUp(let c), .ikeDown(let c), .childUp(let c), .childDown(let c), .ikeRekeyed(let c), .childRekeyed(let c),
            .failure(let c, _, _):
            c
        }
    }
}
