import VPNaaSDomain
import VPNaaSStore

extension VPN {
    package func endpointGroups(_ identity: Identity) async throws -> [EndpointGroup] {
        try await store.read { tx in try await tx.endpointGroups().filter { identity.owns($0.projectID) } }
    }

    package func endpointGroup(_ id: EndpointGroup.ID, _ identity: Identity) async throws -> EndpointGroup {
        try await store.readStatement { tx in try await tx.visibleEndpointGroup(id, identity) }
    }

    /// V15: at least one unique endpoint; CIDRs valid; subnets existing and visible to the caller.
    package func createEndpointGroup(_ input: EndpointGroup.Create, _ identity: Identity) async throws -> EndpointGroup {
        try requireWriter(identity, "create_endpoint_group")
        let project = try owner(input.projectID, identity, "create_endpoint_group")
        let id = newID()
        let quotaDefaults = quotaDefaults
        return try await write { tx in
            try await tx.enforceQuota(.endpointGroup, project: project, defaults: quotaDefaults)
            let endpoints = input.endpoints ?? []
            let describe =
                "{'name': '\(input.name ?? "")', 'type': '\(input.type.rawValue)', 'endpoints': [], 'project_id': '\(project)', 'tenant_id': '\(project)', 'description': '\(input.description ?? "")'}"
            var missing: Set<String> = []
            if input.type == .subnet {
                for e in endpoints where UUIDSyntax.isValid(e) {
                    var visible = false
                    if let subnet = try await tx.subnet(e.lowercased()) { visible = try await tx.subnetVisible(subnet, identity) }
                    if !visible { missing.insert(e.lowercased()) }
                }
            }
            try EndpointGroup.validate(
                type: input.type, endpoints: endpoints, describe: describe, subnetExists: { !missing.contains($0) })
            let stored = input.type == .subnet ? endpoints.map { $0.lowercased() } : endpoints
            let group = EndpointGroup(
                id: id, projectID: project, name: input.name ?? "", description: input.description ?? "",
                type: input.type, endpoints: stored)
            try await tx.insert(group)
            return group
        }
    }

    package func updateEndpointGroup(_ id: EndpointGroup.ID, _ input: EndpointGroup.Update, _ identity: Identity)
        async throws -> EndpointGroup
    {
        try requireWriter(identity, "update_endpoint_group")
        return try await write { tx in
            var group = try await tx.visibleEndpointGroup(id, identity)
            if let v = input.name { group.name = v }
            if let v = input.description { group.description = v }
            try await tx.update(group)
            return group
        }
    }

    /// V18: not while a connection uses it (400, as Neutron).
    package func deleteEndpointGroup(_ id: EndpointGroup.ID, _ identity: Identity) async throws {
        try requireWriter(identity, "delete_endpoint_group")
        try await write { tx in
            _ = try await tx.visibleEndpointGroup(id, identity)
            try EndpointGroup.checkDeletable(id, connections: try await tx.ipsecSiteConnections())
            try await tx.deleteEndpointGroup(id)
        }
    }
}
