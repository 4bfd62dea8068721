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

/// One lock per key, made on first use: work on a key (hashing a file,
/// decoding an artifact, rebuilding a stage's output) is done by one thread
/// while the others that want the same key wait, then find it done.
public final class KeyedGates: Sendable {
    private let gates = Locked<[String: Locked<Void>]>([:])

    public init() {}

    /// Runs `body` holding the gate of `key`.
    public func withGate<R: Sendable, E: Error>(_ key: String, _ body: () throws(E) -> R) throws(E) -> R {
        let gate = gates.withLock { gates in
            if let g = gates[key] { return g }
            let g = Locked(())
            gates[key] = g
            return g
        }
        return try gate.withLock { _ throws(E) -> R in try body() }
    }

    /// Lets the gate of `key` go (a thread that holds it keeps it until done).
    public func forget(_ key: String) { _ = gates.withLock { $0.removeValue(forKey: key) } }
}
