import VPNaaSDomain

extension NetworkAgent {
    /// Neutron's agent body (`GET /v2.0/agents`): its timestamps are `YYYY-MM-DD HH:MM:SS` (UTC, no zone),
    /// numeric configuration values are numbers, and an empty description is null, as Neutron stores it.
    package func wire(now: Timestamp, downTime: Int64) -> JSONObject {
        var configurations: JSONObject = [:]
        for key in self.configurations.keys.sorted() {
            let value = self.configurations[key] ?? ""
            configurations[key] = Int(value).map(JSONValue.int) ?? .string(value)
        }
        return [
            "id": .string(id), "agent_type": .string(Self.agentType), "binary": .string(Self.binary),
            "topic": .string(Self.topic), "host": .string(host), "admin_state_up": .bool(adminStateUp),
            "alive": .bool(isAlive(now: now, downTime: downTime)), "availability_zone": .string("nova"),
            "description": description.isEmpty ? .null : .string(description),
            "created_at": .string(Self.neutronTime(createdAt)), "started_at": .string(Self.neutronTime(startedAt)),
            "heartbeat_timestamp": .string(Self.neutronTime(heartbeatAt)), "configurations": .object(configurations),
            "resources_synced": .null,
        ]
    }

    /// `2026-12-08 01:02:03`, as Neutron prints an agent's datetimes.
    static func neutronTime(_ t: Timestamp) -> String {
        String(t.description.map { $0 == "T" ? " " : $0 }.dropLast())
    }

    /// `PUT /v2.0/agents/{id}`: only `admin_state_up` and `description` may change.
    package static func parseUpdate(_ body: JSONValue) throws -> (adminStateUp: Bool?, description: String?) {
        guard let agent = body["agent"]?.objectValue else {
            throw VPNaaSError.badRequest("Resource body required")
        }
        var adminStateUp: Bool?
        var description: String?
        for field in agent.fields {
            switch (field.key, field.value) {
            case ("admin_state_up", .bool(let b)): adminStateUp = b
            case ("admin_state_up", _):
                throw VPNaaSError.invalidAttribute("admin_state_up", reason: "'\(field.value.pythonRepr)' is not a valid boolean value")
            case ("description", .string(let s)): description = s
            case ("description", .null): description = ""
            case ("description", _):
                throw VPNaaSError.invalidAttribute("description", reason: "'\(field.value.pythonRepr)' is not a valid string")
            default:
                throw VPNaaSError.badRequest("Attribute '\(field.key)' not allowed in PUT")
            }
        }
        return (adminStateUp, description)
    }
}
