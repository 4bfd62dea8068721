import Foundation

/// A decoded fixture value. Doubles keep their exact bits (JSONDecoder parses the `repr`
/// text); "nan", "inf", "-inf" strings stand for the non-finite doubles.
public enum FixtureValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case array([FixtureValue])
    case object([String: FixtureValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            self = .int(i)
        } else if let u = try? c.decode(UInt64.self) {
            self = .uint(u)
        } else if let d = try? c.decode(Double.self) {
            self = .double(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([FixtureValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: FixtureValue].self))
        }
    }

    public subscript(key: String) -> FixtureValue {
        if case .object(let o) = self, let v = o[key] { return v }
        return .null
    }

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    public var double: Double {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        case .uint(let u): return Double(u)
        case .string("nan"): return .nan
        case .string("inf"): return .infinity
        case .string("-inf"): return -.infinity
        default: return .nan
        }
    }

    public var int: Int {
        switch self {
        case .int(let i): return Int(i)
        case .double(let d): return Int(d)
        default: return Int.min
        }
    }

    public var uint64: UInt64 {
        switch self {
        case .uint(let u): return u
        case .int(let i): return UInt64(bitPattern: i)
        default: return 0
        }
    }

    public var int64: Int64 {
        switch self {
        case .int(let i): return i
        default: return Int64.min
        }
    }

    public var bool: Bool {
        if case .bool(let b) = self { return b }
        return false
    }

    public var string: String {
        if case .string(let s) = self { return s }
        return ""
    }

    public var array: [FixtureValue] {
        if case .array(let a) = self { return a }
        return []
    }

    public var doubles: [Double] { array.map(\.double) }
    public var ints: [Int] { array.map(\.int) }
    public var int64s: [Int64] { array.map(\.int64) }
    public var uint64s: [UInt64] { array.map(\.uint64) }
}

extension FixtureValue {
    /// The JSON fixture `name` of the test target whose bundle is `bundle` (its `Bundle.module`).
    public static func load(_ name: String, in bundle: Bundle) throws -> FixtureValue {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestPaths.fixture(name, in: bundle)))
        return try JSONDecoder().decode(FixtureValue.self, from: data)
    }
}

/// Bitwise equality, NaN equal to NaN.
public func sameDouble(_ a: Double, _ b: Double) -> Bool {
    a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
}

/// Within `rel` relative (of the larger magnitude); NaN matches NaN, infinities must match.
public func closeDouble(_ a: Double, _ b: Double, rel: Double = 1e-12, abs absTol: Double = 0) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    if a.isInfinite || b.isInfinite { return false }
    return Swift.abs(a - b) <= Swift.max(rel * Swift.max(Swift.abs(a), Swift.abs(b)), absTol)
}

public func sameDoubles(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { sameDouble($0, $1) }
}

public func closeDoubles(_ a: [Double], _ b: [Double], rel: Double = 1e-12, abs absTol: Double = 0) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { closeDouble($0, $1, rel: rel, abs: absTol) }
}
