import FigpipeBasics

/// A value of the spec with its JSON path, for reading it with checks: each
/// accessor names the path and what was expected when the value is not what
/// Vega-Lite allows there, and `members(allowed:)` rejects keys the subset
/// does not support instead of ignoring them.
public struct SpecNode: Sendable {
    public let value: JSONValue
    public let path: String

    public init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.path = path
    }

    /// The node of member `key`, if present (and not null).
    public subscript(key: String) -> SpecNode? {
        guard let v = value.objectValue?[key], v != .null else { return nil }
        return SpecNode(v, path: SpecError.join(path, key))
    }

    public func error(_ message: String) -> SpecError { SpecError(path, message) }

    /// The object's members; a key outside `allowed` is an error naming it.
    @discardableResult
    public func members(allowed: Set<String>, what: String = "") throws(SpecError) -> [String: SpecNode] {
        guard let object = value.objectValue else { throw error("expected an object, found \(value.typeName)") }
        var out: [String: SpecNode] = [:]
        for key in object.keys.sorted() {
            let child = SpecError.join(path, key)
            guard allowed.contains(key) else {
                let place = what.isEmpty ? "" : " in \(what)"
                let expected =
                    allowed.count <= 12 ? " (expected one of \(allowed.sorted().joined(separator: ", ")))" : ""
                throw SpecError(child, "\"\(key)\" is not supported\(place)\(expected)")
            }
            if let v = object[key], v != .null { out[key] = SpecNode(v, path: child) }
        }
        return out
    }

    public func string() throws(SpecError) -> String {
        guard let s = value.stringValue else { throw error("expected a string, found \(value.typeName)") }
        return s
    }

    public func number() throws(SpecError) -> Double {
        guard let d = value.numberValue, d.isFinite else { throw error("expected a number, found \(value.typeName)") }
        return d
    }

    public func bool() throws(SpecError) -> Bool {
        guard let b = value.boolValue else { throw error("expected true or false, found \(value.typeName)") }
        return b
    }

    public func array() throws(SpecError) -> [SpecNode] {
        guard let items = value.arrayValue else { throw error("expected an array, found \(value.typeName)") }
        return items.enumerated().map { SpecNode($0.element, path: SpecError.join(path, $0.offset)) }
    }

    /// A string that must be one of `allowed`; anything else "is not supported".
    public func oneOf(_ allowed: [String]) throws(SpecError) -> String {
        let s = try string()
        guard allowed.contains(s) else {
            throw error("\"\(s)\" is not supported (supported: \(allowed.joined(separator: ", ")))")
        }
        return s
    }

    /// A string or an array of strings (a title with lines, `groupby`, …).
    public func strings() throws(SpecError) -> [String] {
        if value.arrayValue != nil {
            var out: [String] = []
            for item in try array() { out.append(try item.string()) }
            return out
        }
        return [try string()]
    }

    /// An array of numbers.
    public func numbers() throws(SpecError) -> [Double] {
        var out: [Double] = []
        for item in try array() { out.append(try item.number()) }
        return out
    }

    /// The value as a field value (inline data, `datum`, domain entries).
    public func fieldValue() throws(SpecError) -> FieldValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .boolean(b)
        case .int(let i): return .number(Double(i))
        case .double(let d): return .number(d)
        case .string(let s): return .string(s)
        case .array, .object: throw error("expected a number, string, boolean or null, found \(value.typeName)")
        }
    }
}
