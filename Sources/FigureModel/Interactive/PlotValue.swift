import FigpipeBasics
import Foundation

/// A value in an interactive (web) figure's property tree: what plotly calls a
/// property value. Objects keep their keys in insertion order, and numeric
/// arrays are stored unboxed (`numbers`), so traces with thousands of points
/// stay cheap. Literals make builder code read like the plotly calls it ports:
/// `["size": 7, "color": "#385C8F"]`.
public enum PlotValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    /// A numeric array (NaN is written as JSON null, as plotly writes it).
    case numbers([Double])
    /// A 2-D numeric array (plotly's `customdata=[[c]]`, heat maps).
    case matrix([[Double]])
    case array([PlotValue])
    case object(PlotObject)

    /// The object, when this is one.
    public var objectValue: PlotObject? {
        if case .object(let o) = self { return o }
        return nil
    }
    /// The string, when this is one.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    /// The number, when this is one.
    public var numberValue: Double? {
        if case .number(let d) = self { return d }
        return nil
    }
    /// The boolean, when this is one.
    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
    /// The elements as numbers, for `numbers` and for arrays of numbers and nulls (null → NaN).
    public var numbersValue: [Double]? {
        switch self {
        case .numbers(let a): return a
        case .array(let items):
            var out: [Double] = []
            out.reserveCapacity(items.count)
            for v in items {
                switch v {
                case .number(let d): out.append(d)
                case .null: out.append(.nan)
                default: return nil
                }
            }
            return out
        default: return nil
        }
    }
    /// The elements of an array value (numbers boxed), or nil.
    public var arrayValue: [PlotValue]? {
        switch self {
        case .array(let a): return a
        case .numbers(let a): return a.map { .number($0) }
        case .matrix(let m): return m.map { .numbers($0) }
        default: return nil
        }
    }

    /// A number, or null when nil (plotly writes Python's None as null).
    public static func optional(_ d: Double?) -> PlotValue { d.map { .number($0) } ?? .null }

    /// Strings as an array value.
    public static func strings(_ s: [String]) -> PlotValue { .array(s.map { .string($0) }) }

    /// The value as a `JSONValue` (numbers as `.double`, NaN and ±inf as null, as plotly's
    /// JSON encoder writes them).
    public var json: JSONValue {
        switch self {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .number(let d): return Self.jsonNumber(d)
        case .string(let s): return .string(s)
        case .numbers(let a): return .array(a.map(Self.jsonNumber))
        case .matrix(let m): return .array(m.map { .array($0.map(Self.jsonNumber)) })
        case .array(let a): return .array(a.map(\.json))
        case .object(let o): return .object(o.jsonObject)
        }
    }

    static func jsonNumber(_ d: Double) -> JSONValue {
        guard d.isFinite else { return .null }
        if d == d.rounded(), abs(d) < 1e15 { return .int(Int(d)) }
        return .double(d)
    }

    /// A property tree from parsed JSON (numeric arrays become `numbers`; numeric 2-D arrays `matrix`).
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .array(let items):
            let converted = items.map(PlotValue.init(json:))
            if !items.isEmpty, let nums = PlotValue.array(converted).numbersValue,
                items.contains(where: { $0 != .null })
            {
                self = .numbers(nums)
            } else if !items.isEmpty,
                case let rows = converted.compactMap({ v -> [Double]? in
                    if case .numbers(let r) = v { return r }
                    return nil
                }), rows.count == items.count
            {
                self = .matrix(rows)
            } else {
                self = .array(converted)
            }
        case .object(let o):
            var obj = PlotObject()
            for k in o.keys.sorted() {
                if let v = o[k] { obj[k] = PlotValue(json: v) }
            }
            self = .object(obj)
        }
    }
}

extension PlotValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: PlotValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, PlotValue)...) {
        var o = PlotObject()
        for (k, v) in elements { o[k] = v }
        self = .object(o)
    }
    public init(nilLiteral: ()) { self = .null }
}

/// A property object: keys in insertion order (the order plotly's keyword
/// arguments were given in; JSON output sorts them, so order never reaches
/// a file).
public struct PlotObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: PlotValue] = [:]

    /// An empty object.
    public init() {}
    public init(dictionaryLiteral elements: (String, PlotValue)...) {
        for (k, v) in elements { self[k] = v }
    }

    /// The value at `key`; assigning nil removes the key.
    public subscript(key: String) -> PlotValue? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }

    /// Whether the object has no keys.
    public var isEmpty: Bool { keys.isEmpty }

    /// The value at a dotted path (`"title.text"`), or nil.
    public func value(at path: String) -> PlotValue? {
        let parts = path.split(separator: ".").map(String.init)
        var cur: PlotObject = self
        for (i, p) in parts.enumerated() {
            guard let v = cur[p] else { return nil }
            if i == parts.count - 1 { return v }
            guard case .object(let o) = v else { return nil }
            cur = o
        }
        return nil
    }

    /// Sets a dotted path (plotly's "magic underscore" `title_text` is `"title.text"`),
    /// creating intermediate objects.
    public mutating func set(_ path: String, _ value: PlotValue) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 1 {
            self[path] = value
            return
        }
        var child = self[parts[0]]?.objectValue ?? PlotObject()
        child.set(parts[1], value)
        self[parts[0]] = .object(child)
    }

    /// plotly's `update`: objects merge key by key (recursively); anything else
    /// replaces; null unsets (as Python's None does). Keys of `other` may be dotted paths.
    public mutating func update(_ other: PlotObject) {
        for k in other.keys {
            guard let v = other[k] else { continue }
            if v == .null, !k.contains(".") {
                self[k] = nil
                continue
            }
            if k.contains(".") {
                let parts = k.split(separator: ".", maxSplits: 1).map(String.init)
                var child = self[parts[0]]?.objectValue ?? PlotObject()
                child.update([parts[1]: v])
                self[parts[0]] = .object(child)
                continue
            }
            if case .object(let newObj) = v {
                // An existing object merges (and may be left empty, which plotly keeps as {});
                // a new one is created only if the update sets something in it.
                var merged = self[k]?.objectValue ?? PlotObject()
                let existed = self[k]?.objectValue != nil
                merged.update(newObj)
                if existed || !merged.isEmpty || newObj.isEmpty { self[k] = .object(merged) }
            } else {
                self[k] = v
            }
        }
    }

    /// The object with `other` merged in (see `update`).
    public func updating(_ other: PlotObject) -> PlotObject {
        var c = self
        c.update(other)
        return c
    }

    /// The object as JSON members. As plotly's `to_plotly_json`, unset (null) properties and
    /// empty lists are left out; an object emptied by an update stays (`{}`).
    public var jsonObject: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for k in keys {
            guard let v = storage[k] else { continue }
            switch v {
            case .null: continue
            case .array(let a) where a.isEmpty: continue
            case .object(let o): out[k] = .object(o.jsonObject)
            default: out[k] = v.json
            }
        }
        return out
    }
}
