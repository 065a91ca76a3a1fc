/// Runs `body` for each item, at most `limit` at a time, and answers the results in no particular order. The agent's
/// bulk work (bridges, routers, charons after a failover or a restart) is mostly waiting on processes and sockets,
/// so a few items side by side finish much sooner than one after the other, without flooding two cores.
func concurrently<T: Sendable, R: Sendable>(_ items: [T], limit: Int, _ body: @escaping @Sendable (T) async -> R) async -> [R] {
    await withTaskGroup(of: R.self) { group in
        var pending = items.makeIterator()
        for _ in 0..<limit {
            guard let item = pending.next() else { break }
            group.addTask { await body(item) }
        }
        var results: [R] = []
        results.reserveCapacity(items.count)
        while let result = await group.next() {
            results.append(result)
            if let item = pending.next() { group.addTask { await body(item) } }
        }
        return results
    }
}
