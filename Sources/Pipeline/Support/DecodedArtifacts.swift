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
        /// One gate per hash being decoded: its other readers wait for the value.
        var decoding: [String: Locked<Void>] = [:]
    }

    private let state = Locked(State())
    private let capacity: Int

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// The value for `hash`, decoded by `decode` when it is not kept yet; with no
    /// hash, `decode` runs every time.
    public func value(forHash hash: String?, decode: () throws -> Value) throws -> Value {
        guard let hash else { return try decode() }
        let gate = state.withLock { s in
            if let g = s.decoding[hash] { return g }
            let g = Locked(())
            s.decoding[hash] = g
            return g
        }
        return try gate.withLock { _ throws -> Value in
            if let v = state.withLock({ $0.values[hash] }) { return v }
            let v = try decode()
            state.withLock { s in
                s.values[hash] = v
                s.order.append(hash)
                while s.order.count > capacity {
                    let old = s.order.removeFirst()
                    s.values[old] = nil
                    s.decoding[old] = nil
                }
            }
            return v
        }
    }
}
