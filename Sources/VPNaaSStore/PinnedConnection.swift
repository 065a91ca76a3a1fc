import Dispatch
import GRDB
import Synchronization

/// One GRDB connection held for the whole of an async transaction body.
///
/// GRDB's transaction closures are synchronous, but `Store` bodies are async (PostgreSQL is async-only). Rather
/// than re-implementing transactions with `allowsUnsafeTransactions`, `transaction(hold:body:)` lets GRDB open its
/// usual transaction (`write`: IMMEDIATE on the single writer; `read`: a DEFERRED read-only snapshot on a pool
/// reader) and keeps that closure running on GRDB's own dispatch queue — never a Swift-concurrency thread — where
/// `serve` executes the body's statements one job at a time until the body finishes. So SQLite keeps exactly its
/// former semantics: one write transaction per use-case (committed only if the body returns), reads see one
/// consistent snapshot, concurrent reads stay concurrent in WAL mode.
///
/// A body must not open another transaction on the same store while it holds this one (it would wait on itself).
final class PinnedConnection: Sendable {
    /// A statement batch to run on the pinned connection, or to fail when the transaction is gone.
    struct Job: Sendable {
        let run: @Sendable (Database) -> Void
        let fail: @Sendable (any Error) -> Void
    }

    private enum Next {
        case job(Job)
        case finish((any Error)?)
        case none
    }

    private struct State {
        var jobs: [Job] = []
        var finishing = false
        var bodyError: (any Error)?
        var closed = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private init() {}

    /// Runs `body` while `hold` keeps a GRDB transaction open on one connection and serves it. `hold` must call
    /// `serve(_:)` inside GRDB's closure; a body error rolls back and is rethrown, a commit error is thrown.
    static func transaction<T: Sendable>(
        hold: @escaping @Sendable (PinnedConnection) async throws -> Void,
        body: (PinnedConnection) async throws -> T
    ) async throws -> T {
        let pin = PinnedConnection()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await hold(pin)
                    pin.close(nil)
                } catch {
                    pin.close(error)
                    throw error
                }
            }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(pin))
            } catch {
                result = .failure(error)
            }
            switch result {
            case .success: pin.finish(nil)
            case .failure(let error): pin.finish(error)
            }
            do {
                try await group.next()
            } catch {
                // A failed body rolled back with its own error; otherwise this is the commit's failure.
                if case .failure(let bodyError) = result { throw bodyError }
                throw error
            }
            return try result.get()
        }
    }

    /// Runs `work` on the pinned connection, after the jobs already queued.
    func run<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db in continuation.resume(with: Result { try work(db) }) },
                fail: { continuation.resume(throwing: $0) })
            let accepted = state.withLock { s -> Bool in
                guard !s.closed, !s.finishing else { return false }
                s.jobs.append(job)
                return true
            }
            if accepted {
                wake.signal()
            } else {
                continuation.resume(throwing: StoreError(code: .other, message: "the transaction is over"))
            }
        }
    }

    /// Called inside GRDB's transaction closure: runs queued jobs until the body finishes; throws the body's
    /// error so that GRDB rolls back.
    func serve(_ db: Database) throws {
        while true {
            wake.wait()
            let next = state.withLock { s -> Next in
                if !s.jobs.isEmpty { return .job(s.jobs.removeFirst()) }
                if s.finishing { return .finish(s.bodyError) }
                return .none
            }
            switch next {
            case .job(let job): job.run(db)
            case .finish(let error):
                if let error { throw error }
                return
            case .none: continue
            }
        }
    }

    private func finish(_ error: (any Error)?) {
        let first = state.withLock { s -> Bool in
            guard !s.finishing else { return false }
            s.finishing = true
            s.bodyError = error
            return true
        }
        if first { wake.signal() }
    }

    /// After GRDB's closure is over (or never ran): fails whatever is still queued, with GRDB's error if any.
    private func close(_ error: (any Error)?) {
        let pending = state.withLock { s -> [Job] in
            s.closed = true
            defer { s.jobs = [] }
            return s.jobs
        }
        for job in pending { job.fail(error ?? StoreError(code: .other, message: "the transaction is over")) }
    }
}
