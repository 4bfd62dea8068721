/// What kind of change made a mutant (for the summary and the failure folders).
public enum MutationKind: String, CaseIterable, Sendable {
    case bitFlip = "bit-flip"
    case truncate = "truncate"
    case insertBytes = "insert-bytes"
    case deleteBytes = "delete-bytes"
    case numberSwap = "number-swap"
    case stringSwap = "string-swap"
    case emptyContainer = "empty-container"
    case deepNesting = "deep-nesting"
    case removeMember = "remove-member"
}

/// One mutated input: its bytes and a one-line account of the change.
public struct Mutant: Sendable {
    public var bytes: [UInt8]
    public var kind: MutationKind
    public var description: String
    /// The first byte changed.
    public var offset: Int
}

/// Makes mutants of one seed file. Byte-level changes (bit flips, truncation,
/// insertion, deletion) and JSON-aware ones that replace a single value in
/// place: a number by a huge, negative, fractional, non-finite, boolean or
/// string value; a string by a number or another oddity; a container by an
/// empty one or by deep nesting; or a member removed. Every other byte stays
/// as it was, so a failure points at one change.
public struct Mutator: Sendable {
    public let seed: [UInt8]
    let spans: [JSONSpan]
    let numbers: [Int]
    let strings: [Int]
    let containers: [Int]
    let values: [Int]
    let keys: [Int]
    let jsonAware: Bool

    /// Replacements for a number: out of every integer range, negative, zero,
    /// fractional, subnormal, non-finite (Python's json writes these), and other types.
    public static let numberReplacements = [
        "1e300", "-1e308", "1e9", "-1", "0", "-0", "0.5", "2.5", "1e-320", "NaN", "Infinity", "-Infinity",
        "true", "false", "null", "\"1\"", "\"\"", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "4294967296", "123456789012345678901234567890", "1.7976931348623157e309",
    ]

    /// Replacements for a string value.
    public static let stringReplacements = [
        "1e300", "0", "-1", "null", "true", "[]", "{}", "\"\"", "\"\\u0000\"", "\"\\uD800\"",
        "\"" + String(repeating: "x", count: 10_000) + "\"", "\"../../../etc/passwd\"", "\"*\"",
    ]

    public static let nestingDepths = [32, 1_000, 10_000, 100_000]

    /// Bytes inserted by `insertBytes`: invalid UTF-8, NUL, and JSON syntax.
    static let insertAlphabet: [UInt8] =
        [0x00, 0xFF, 0xFE, 0xC3, 0x80, 0xED, 0xA0] + Array("\"[]{},:\\\n-.e9".utf8)

    /// - Parameters:
    ///   - jsonAware: false for bytes that are not JSON text (a compressed file): byte-level changes only.
    ///   - lines: the text is JSON lines.
    public init(seed: [UInt8], jsonAware: Bool = true, lines: Bool = false) {
        self.seed = seed
        self.jsonAware = jsonAware
        let spans = jsonAware ? JSONSpans.scan(seed, lines: lines) : []
        self.spans = spans
        var numbers: [Int] = []
        var strings: [Int] = []
        var containers: [Int] = []
        var values: [Int] = []
        var keys: [Int] = []
        for (i, s) in spans.enumerated() {
            if s.isKey {
                keys.append(i)
                continue
            }
            values.append(i)
            switch s.kind {
            case .number: numbers.append(i)
            case .string: strings.append(i)
            case .array, .object: containers.append(i)
            case .literal: break
            }
        }
        self.numbers = numbers
        self.strings = strings
        self.containers = containers
        self.values = values
        self.keys = keys
    }

    /// The mutant for one generator state (so one seed gives one mutant).
    public func mutate(using rng: inout SplitMix64) -> Mutant {
        let roll = rng.below(100)
        if jsonAware && !spans.isEmpty {
            switch roll {
            case 35..<60: if let m = swapNumber(&rng) { return m }
            case 60..<70: if let m = swapString(&rng) { return m }
            case 70..<80: if let m = emptyContainer(&rng) { return m }
            case 80..<90: if let m = nest(&rng) { return m }
            case 90..<100: if let m = removeMember(&rng) { return m }
            default: break
            }
        }
        switch roll % 35 {
        case 0..<12: return flipBits(&rng)
        case 12..<20: return truncate(&rng)
        case 20..<30: return insert(&rng)
        default: return delete(&rng)
        }
    }

    // MARK: byte level

    func flipBits(_ rng: inout SplitMix64) -> Mutant {
        guard !seed.isEmpty else { return insert(&rng) }
        var bytes = seed
        var flips: [String] = []
        var first = bytes.count
        for _ in 0..<(1 + rng.below(4)) {
            let at = rng.below(bytes.count)
            let bit = rng.below(8)
            bytes[at] ^= UInt8(1 << bit)
            flips.append("bit \(bit) of byte \(at)")
            first = min(first, at)
        }
        return Mutant(
            bytes: bytes, kind: .bitFlip, description: "flip " + flips.joined(separator: ", "), offset: first)
    }

    func truncate(_ rng: inout SplitMix64) -> Mutant {
        let at = rng.below(seed.count)
        return Mutant(
            bytes: Array(seed[..<at]), kind: .truncate, description: "truncate to \(at) of \(seed.count) bytes",
            offset: at)
    }

    func insert(_ rng: inout SplitMix64) -> Mutant {
        let at = rng.below(seed.count + 1)
        let inserted = (0..<(1 + rng.below(8))).map { _ in rng.pick(Self.insertAlphabet) }
        var bytes = seed
        bytes.insert(contentsOf: inserted, at: at)
        return Mutant(
            bytes: bytes, kind: .insertBytes, description: "insert \(hex(inserted)) at byte \(at)", offset: at)
    }

    func delete(_ rng: inout SplitMix64) -> Mutant {
        guard !seed.isEmpty else { return insert(&rng) }
        let at = rng.below(seed.count)
        let count = min(1 + rng.below(16), seed.count - at)
        var bytes = seed
        bytes.removeSubrange(at..<(at + count))
        return Mutant(bytes: bytes, kind: .deleteBytes, description: "delete \(count) bytes at byte \(at)", offset: at)
    }

    // MARK: JSON-aware

    func swapNumber(_ rng: inout SplitMix64) -> Mutant? {
        guard !numbers.isEmpty else { return nil }
        let span = spans[rng.pick(numbers)]
        let with = rng.pick(Self.numberReplacements)
        return replace(span, with: Array(with.utf8), kind: .numberSwap, what: "number", by: with)
    }

    func swapString(_ rng: inout SplitMix64) -> Mutant? {
        guard !strings.isEmpty else { return nil }
        let span = spans[rng.pick(strings)]
        var with = Array(rng.pick(Self.stringReplacements).utf8)
        var shown = with.count > 40 ? "a \(with.count)-byte string" : String(decoding: with, as: UTF8.self)
        if rng.chance(0.15) {
            with = Array("\"a".utf8) + [0xFF, 0xC3] + Array("b\"".utf8)
            shown = "a string holding invalid UTF-8 (FF C3)"
        }
        return replace(span, with: with, kind: .stringSwap, what: "string", by: shown)
    }

    func emptyContainer(_ rng: inout SplitMix64) -> Mutant? {
        guard !containers.isEmpty else { return nil }
        let span = spans[rng.pick(containers)]
        let with = rng.chance(0.7) ? (span.kind == .array ? "[]" : "{}") : (span.kind == .array ? "{}" : "[]")
        return replace(span, with: Array(with.utf8), kind: .emptyContainer, what: "\(span.kind)", by: with)
    }

    func nest(_ rng: inout SplitMix64) -> Mutant? {
        guard !values.isEmpty else { return nil }
        let span = spans[rng.pick(values)]
        let depth = rng.pick(Self.nestingDepths)
        let style = rng.below(3)
        var with: [UInt8] = []
        let shown: String
        switch style {
        case 0:
            with = Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth)
            shown = "\(depth) nested arrays"
        case 1:
            with = Array(repeating: Array("{\"a\":".utf8), count: depth).flatMap { $0 }
            with += Array("1".utf8) + Array(repeating: UInt8(ascii: "}"), count: depth)
            shown = "\(depth) nested objects"
        default:
            with = Array(repeating: UInt8(ascii: "["), count: depth)
            shown = "\(depth) unclosed ["
        }
        return replace(span, with: with, kind: .deepNesting, what: "\(span.kind)", by: shown)
    }

    func removeMember(_ rng: inout SplitMix64) -> Mutant? {
        guard !keys.isEmpty else { return nil }
        let key = spans[rng.pick(keys)]
        // The value starts after the colon.
        var v = key.range.upperBound
        while v < seed.count, seed[v] == 0x20 || seed[v] == 0x09 || seed[v] == UInt8(ascii: ":") { v += 1 }
        guard let value = spans.first(where: { !$0.isKey && $0.range.lowerBound == v }) else { return nil }
        var lower = key.range.lowerBound
        var upper = value.range.upperBound
        var after = upper
        while after < seed.count, isSpace(seed[after]) { after += 1 }
        if after < seed.count, seed[after] == UInt8(ascii: ",") {
            upper = after + 1
        } else {
            var before = lower - 1
            while before >= 0, isSpace(seed[before]) { before -= 1 }
            if before >= 0, seed[before] == UInt8(ascii: ",") { lower = before }
        }
        var bytes = seed
        bytes.removeSubrange(lower..<upper)
        let name = String(decoding: seed[key.range], as: UTF8.self)
        return Mutant(
            bytes: bytes, kind: .removeMember, description: "remove member \(name) at byte \(key.range.lowerBound)",
            offset: lower)
    }

    private func replace(_ span: JSONSpan, with: [UInt8], kind: MutationKind, what: String, by shown: String)
        -> Mutant
    {
        var bytes = seed
        bytes.replaceSubrange(span.range, with: with)
        let old =
            span.range.count > 40 ? "\(span.range.count) bytes" : String(decoding: seed[span.range], as: UTF8.self)
        let member = span.key.map { "\"\($0)\": " } ?? ""
        return Mutant(
            bytes: bytes, kind: kind,
            description: "replace \(what) \(member)\(old) at byte \(span.range.lowerBound) with \(shown)",
            offset: span.range.lowerBound)
    }

    private func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
}

/// Bytes as `[FF C3 5B]`.
func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    let parts = bytes.map { String(decoding: [digits[Int($0 >> 4)], digits[Int($0 & 15)]], as: UTF8.self) }
    return "[" + parts.joined(separator: " ") + "]"
}
