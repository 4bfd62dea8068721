import Foundation

/// Decoded artifacts by content hash, so the stages of a run that read one
/// large artifact (the ΔH runs table is read by a dozen stages) decode it once.
/// A hash names its bytes, so a value found here is always the right one. At
/// most `capacity` values are kept (the oldest is let go first); a value being
/// decoded is decoded once, and the other readers of the same hash wait for it.
public final class DecodedArtifacts<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Value] = [:]
    private var order: [String] = []
    private var decoding: [String: NSLock] = [:]
    private let capacity: Int

    public init(capacity: Int = 8) {
        self.capacity = max(1, capacity)
    }

    /// The value for `hash`, decoded by `decode` when it is not kept yet; with no
    /// hash, `decode` runs every time.
    public func value(forHash hash: String?, decode: () throws -> Value) throws -> Value {
        guard let hash else { return try decode() }
        let keyLock: NSLock = lock.withLock {
            if let l = decoding[hash] { return l }
            let l = NSLock()
            decoding[hash] = l
            return l
        }
        keyLock.lock()
        defer { keyLock.unlock() }
        if let v = lock.withLock({ values[hash] }) { return v }
        let v = try decode()
        lock.withLock {
            values[hash] = v
            order.append(hash)
            while order.count > capacity {
                let old = order.removeFirst()
                values[old] = nil
                decoding[old] = nil
            }
        }
        return v
    }
}
