import VPNaaSDomain

extension VPNaaSError {
    /// `{"NeutronError": {"type", "message", "detail"}}`, the only error shape the API emits.
    package var body: JSONValue {
        let n = neutron
        return .object([
            "NeutronError": .object(["type": .string(n.type), "message": .string(n.message), "detail": .string("")])
        ])
    }
}
