#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns strings by their UTF-8 bytes: equal strings get one id, ids are
/// assigned in order of first appearance (so a table's pool, and its encoded
/// bytes, depend only on the input). Looking up bytes that are already known
/// allocates nothing, which matters for ~1.3 M method names at `--scale 100`.
struct Interner {
    /// The interned strings, by id.
    private(set) var strings: [String] = []
    /// The UTF-8 bytes of all strings, concatenated; string i is
    /// `utf8[starts[i] ..< starts[i + 1]]`.
    private var utf8: [UInt8] = []
    private var starts: [Int] = [0]
    /// Open addressing, linear probing; -1 is empty. Capacity: a power of two.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var hashes: [UInt64] = []

    init() {}

    /// The id of `bytes`, interning them if new. Nil when new bytes are not
    /// valid UTF-8.
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let h = Interner.hash(bytes)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let id = slots[i]
            if id < 0 { break }
            if hashes[Int(id)] == h && equals(Int(id), bytes) { return id }
            i = (i + 1) & mask
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { return nil }
        return insert(s, bytes, hash: h, slot: i)
    }

    /// The id of `s`, interning it if new.
    mutating func intern(_ s: String) -> Int32 {
        var copy = s
        return copy.withUTF8 { bytes in
            // A String is always valid UTF-8.
            intern(bytes) ?? insertUnchecked(s, bytes)
        }
    }

    private mutating func insertUnchecked(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let h = Interner.hash(bytes)
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        return insert(s, bytes, hash: h, slot: i)
    }

    private mutating func insert(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>, hash h: UInt64, slot: Int)
        -> Int32
    {
        let id = Int32(strings.count)
        strings.append(s)
        utf8.append(contentsOf: bytes)
        starts.append(utf8.count)
        hashes.append(h)
        slots[slot] = id
        if strings.count * 2 > slots.count { grow() }
        return id
    }

    private func equals(_ id: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id]
        let n = starts[id + 1] - start
        guard n == bytes.count else { return false }
        if n == 0 { return true }
        return utf8.withUnsafeBufferPointer { stored in
            guard let a = stored.baseAddress, let b = bytes.baseAddress else { return false }
            return memcmp(a + start, b, n) == 0
        }
    }

    private mutating func grow() {
        var newSlots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = newSlots.count - 1
        for (id, h) in hashes.enumerated() {
            var i = Int(truncatingIfNeeded: h) & mask
            while newSlots[i] >= 0 { i = (i + 1) & mask }
            newSlots[i] = Int32(id)
        }
        slots = newSlots
    }

    /// A fast 64-bit hash of a byte string (8 bytes at a time, multiply-mix).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let n = bytes.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(base[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h = (h ^ (h >> 32)) &* 0xD6E8_FEB8_6659_FD93
        return h ^ (h >> 32)
    }
}
