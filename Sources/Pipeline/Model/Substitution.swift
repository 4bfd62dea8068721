import FigpipeBasics
/// `${name}` references in the strings of pipeline.json stages: variables
/// (`vars`), `foreach` items (`${item}`, `${item.key}`) and `matrix` keys.
///
/// A string that is exactly one reference (`"${eta_post}"`) takes the bound
/// JSON value with its type; a reference inside a longer string is replaced by
/// its text: strings as they are, integers as digits, other numbers in Python's
/// `repr` form (`8e-06`, `3.2e-06`, `0.95`, `150.0`) so ids and paths read as the
/// notebooks name them, booleans as `true`/`false`. `$${` is a literal `${`.
enum Substitution {
    typealias Bindings = [String: JSONValue]

    /// Why a reference cannot be substituted, at `field` (`params.eta`).
    struct Problem: Sendable, Equatable {
        var field: String
        var message: String
    }

    /// Whether a name is a valid variable or matrix key name.
    /// A letter or `_`, then letters, digits, `_` and `-` (`eta_post`, `run-id`).
    static func isName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || ("a"..."z").contains(first)
                || ("A"..."Z").contains(first)
        else { return false }
        return name.unicodeScalars.allSatisfy { isNameScalar($0) }
    }

    private static func isNameScalar(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    /// `value` with every reference in its strings (not in object keys)
    /// substituted; problems are appended to `problems`, naming the field.
    static func substitute(_ value: JSONValue, _ bindings: Bindings, field: String, problems: inout [Problem])
        -> JSONValue
    {
        switch value {
        case .string(let s):
            switch resolve(s, bindings) {
            case .success(let v): return v
            case .failure(let p):
                problems.append(Problem(field: field, message: p.message))
                return value
            }
        case .array(let items):
            return .array(
                items.enumerated().map {
                    substitute($0.element, bindings, field: "\(field)[\($0.offset)]", problems: &problems)
                })
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for key in members.keys.sorted() {
                out[key] = substitute(
                    members[key] ?? .null, bindings, field: field.isEmpty ? key : "\(field).\(key)",
                    problems: &problems)
            }
            return .object(out)
        default:
            return value
        }
    }

    struct Failure: Error {
        var message: String
    }

    private enum Piece: Equatable {
        case text(String)
        case reference(String)
    }

    /// One string with its references substituted.
    static func resolve(_ s: String, _ bindings: Bindings) -> Result<JSONValue, Failure> {
        guard s.contains("$") else { return .success(.string(s)) }
        let pieces: [Piece]
        switch split(s) {
        case .success(let p): pieces = p
        case .failure(let f): return .failure(f)
        }
        if pieces.count == 1, case .reference(let name) = pieces[0] {
            return lookup(name, bindings)
        }
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .reference(let name):
                switch lookup(name, bindings) {
                case .failure(let f): return .failure(f)
                case .success(let v):
                    guard let text = text(of: v) else {
                        return .failure(
                            Failure(
                                message:
                                    "'${\(name)}' is \(article(v)) \(v.typeName); only strings, numbers and booleans go inside a longer string"
                            ))
                    }
                    out += text
                }
            }
        }
        return .success(.string(out))
    }

    /// Text and references; `$${` is a literal `${`.
    private static func split(_ s: String) -> Result<[Piece], Failure> {
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(s)
        while let dollar = rest.firstIndex(of: "$") {
            text += rest[..<dollar]
            let after = rest[dollar...].dropFirst()
            if after.hasPrefix("${") {
                text += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{") else {
                text += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else {
                return .failure(Failure(message: "unterminated '${' in '\(s)' (a reference is ${name})"))
            }
            let name = String(after[after.index(after: after.startIndex)..<close])
            guard !name.isEmpty else { return .failure(Failure(message: "empty reference '${}' in '\(s)'")) }
            if !text.isEmpty { pieces.append(.text(text)) }
            text = ""
            pieces.append(.reference(name))
            rest = after[after.index(after: close)...]
        }
        text += rest
        if !text.isEmpty { pieces.append(.text(text)) }
        return .success(pieces)
    }

    /// `name` or `name.key.key` in the bindings.
    private static func lookup(_ reference: String, _ bindings: Bindings) -> Result<JSONValue, Failure> {
        let parts = reference.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard var value = bindings[parts[0]] else {
            let known = bindings.keys.sorted()
            return .failure(
                Failure(
                    message: "unknown variable '${\(reference)}'"
                        + (known.isEmpty ? " (no variables are defined)" : " (known: \(known.joined(separator: ", ")))")
                ))
        }
        var path = parts[0]
        for key in parts.dropFirst() {
            guard case .object(let members) = value else {
                return .failure(Failure(message: "'${\(path)}' is \(article(value)) \(value.typeName), not an object"))
            }
            guard let member = members[key] else {
                let known = members.keys.sorted().joined(separator: ", ")
                return .failure(Failure(message: "'${\(path)}' has no key '\(key)' (keys: \(known))"))
            }
            value = member
            path += "." + key
        }
        return .success(value)
    }

    private static func article(_ v: JSONValue) -> String {
        switch v {
        case .array, .object, .int: "an"
        default: "a"
        }
    }

    /// A scalar's text inside a longer string.
    static func text(of value: JSONValue) -> String? {
        switch value {
        case .string(let s): s
        case .int(let i): String(i)
        case .double(let d): pythonRepr(d)
        case .bool(let b): b ? "true" : "false"
        case .null, .array, .object: nil
        }
    }

    /// Python's `repr(float)`: the shortest round-trip digits, positional for
    /// decimal exponents from -4 to 15, scientific otherwise (`8e-06`, `1e+16`).
    static func pythonRepr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description has the same shortest digits; only the layout differs.
        var text = "\(d.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        var integerLength = text.firstIndex(of: ".").map { text.distance(from: text.startIndex, to: $0) } ?? text.count
        var digits = text.filter { $0 != "." }
        while digits.first == "0" {
            digits.removeFirst()
            integerLength -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        let sign = d < 0 ? "-" : ""
        let scientific = integerLength + exponent - 1
        if scientific >= -4 && scientific < 16 {
            if scientific < 0 {
                return sign + "0." + String(repeating: "0", count: -scientific - 1) + digits
            }
            let whole = scientific + 1
            if digits.count <= whole {
                return sign + digits + String(repeating: "0", count: whole - digits.count) + ".0"
            }
            return sign + digits.prefix(whole) + "." + digits.dropFirst(whole)
        }
        let mantissa = digits.count > 1 ? "\(digits.prefix(1)).\(digits.dropFirst())" : digits
        let magnitude = abs(scientific)
        return sign + mantissa + "e" + (scientific < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }
}
