import Synchronization

/// Mutable state shared between threads, reachable only under its lock: the
/// one box every class that threads share keeps its state in, so the class
/// is `Sendable` by the compiler's own check (no `@unchecked`).
///
/// A class (not the standard library's `Mutex` itself, which it wraps) so that
/// it can be stored in collections and captured by closures, e.g. one box per
/// stage id.
public final class Locked<State>: Sendable {
    private let mutex: Mutex<State>

    public init(_ state: sending State) { mutex = Mutex(state) }

    /// Runs `body` with the state, under the lock. Keep it short: it blocks
    /// every other thread that wants the state.
    public func withLock<Result, E: Error>(_ body: (inout sending State) throws(E) -> sending Result) throws(E)
        -> sending Result
    {
        try mutex.withLock(body)
    }
}

extension Locked where State: Sendable {
    /// A copy of the state.
    public var value: State { withLock { $0 } }
}
