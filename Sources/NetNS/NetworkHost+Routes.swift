extension NetworkHost {
    /// `table`: nil = main, "all", or a table id/name. A table that does not exist yet reads as empty.
    package func routes(in namespace: String?, table: String? = nil, family: IPFamily) async throws -> [Route] {
        var words = ["route", "show"]
        if let table { words += ["table", table] }
        var command = Self.ipCommand(words, in: namespace, family: family, json: true)
        command.toleratesFailure = true
        let result = try await runner.run(command)
        if !result.succeeded {
            // The kernel creates a table on its first route; asking for an unused one is normal.
            if result.standardError.contains("FIB table does not exist") { return [] }
            throw NetNSError.commandFailed(command, status: result.status, stderr: result.standardError)
        }
        return try IPJSON.routes(result.standardOutput, family: family, table: table)
    }

    /// Idempotent. The kernel keys a route by (table, destination, metric): a changed metric adds a
    /// second route, so delete the old one when changing it.
    package func replaceRoute(_ route: Route, in namespace: String?) async throws {
        try await perform(.replaceRoute(route), in: namespace)
    }

    /// No-op when missing.
    package func deleteRoute(_ route: Route, in namespace: String?) async throws {
        try await perform(.deleteRoute(route), in: namespace)
    }
}

extension Route {
    /// Whether `other` (typically parsed from the kernel) is this desired route. Fields left nil here
    /// match anything, because the kernel fills in defaults (IPv6 metric 1024, proto, src, scope).
    package func isSatisfied(by other: Route) -> Bool {
        func same<T: Equatable>(_ mine: T?, _ theirs: T?) -> Bool { mine == nil || mine == theirs }
        return family == other.family && destination == other.destination && type == other.type
            && table == other.table && same(via, other.via) && same(device, other.device)
            && same(metric, other.metric) && same(mtu, other.mtu) && same(source, other.source)
            && same(proto, other.proto)
    }
}
