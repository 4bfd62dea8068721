import FigpipeBasics
import Foundation

/// Decoded artifacts by content hash, so the stages of a run that read one
/// large artifact (the ΔH runs table is read by a dozen stages) decode it once.
/// A hash names its bytes, so a value found here is always the right one. At
/// most `capacity` values are kept (the oldest is let go first); a value being
/// decoded is decoded once, and the other readers of the same hash wait for it.
public final class DecodedArtifacts<Value: Sendable>: Sendable {
    private struct State {
        var values: [String: Value] = [:]
        var order: [String] = []
    }

    private let state = Locked(State())
    /// One gate per hash being decoded: its other readers wait for the value.
    private let decoding = KeyedGates()
    private let capacity: Int

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// The value for `hash`, decoded by `decode` when it is not kept yet; with no
    /// hash, `decode` runs every time.
    public func value(forHash hash: String?, decode: () throws -> Value) throws -> Value {
        guard let hash else { return try decode() }
        return try decoding.withGate(hash) { () throws -> Value in
            if let v = state.withLock({ $0.values[hash] }) { return v }
            let v = try decode()
            let dropped = state.withLock { s in
                s.values[hash] = v
                s.order.append(hash)
                var dropped: [String] = []
                while s.order.count > capacity {
                    let old = s.order.removeFirst()
                    s.values[old] = nil
                    dropped.append(old)
                }
                return dropped
            }
            for old in dropped { decoding.forget(old) }
            return v
        }
    }
}
