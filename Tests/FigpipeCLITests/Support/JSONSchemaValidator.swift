import FigpipeBasics
import Foundation

/// A small JSON Schema (draft 2020-12) validator: exactly the keywords
/// `PipelineSchema.generate` uses — type, properties, required,
/// additionalProperties (boolean or schema), propertyNames, items, enum, const, pattern,
/// minimum, exclusiveMinimum, maximum, minLength, maxLength, minItems,
/// allOf, if/then/else, and `$ref` to `#/$defs/…`. Annotations (title,
/// description, default, $schema) are ignored; any other keyword is reported,
/// so a schema that starts using one fails the tests instead of passing unchecked.
struct JSONSchemaValidator {
    let root: JSONValue

    static let annotations: Set<String> = ["$schema", "$defs", "title", "description", "default"]
    static let supported: Set<String> = [
        "type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern", "allOf",
        "if", "then", "else", "$ref", "propertyNames", "minimum", "exclusiveMinimum", "maximum", "minLength",
        "maxLength", "minItems",
    ]

    init(schema: JSONValue) { root = schema }

    /// Every problem, as `path: message` (empty when the instance is valid).
    func validate(_ instance: JSONValue) -> [String] {
        var errors: [String] = []
        check(instance, against: root, path: "$", errors: &errors)
        return errors
    }

    private func check(_ value: JSONValue, against schema: JSONValue, path: String, errors: inout [String]) {
        switch schema {
        case .bool(true): return
        case .bool(false):
            errors.append("\(path): no value is allowed here")
            return
        case .object: break
        default:
            errors.append("\(path): the schema is not an object or a boolean: \(schema)")
            return
        }
        let s = schema.objectValue ?? [:]
        for key in s.keys.sorted() where !Self.supported.contains(key) && !Self.annotations.contains(key) {
            errors.append("\(path): unsupported schema keyword '\(key)'")
        }
        if let ref = s["$ref"] {
            if let target = resolve(ref) {
                check(value, against: target, path: path, errors: &errors)
            } else {
                errors.append("\(path): cannot resolve $ref \(ref)")
            }
        }
        if let type = s["type"] {
            let allowed = type.arrayValue ?? [type]
            if !allowed.contains(where: { matches(value, type: $0.stringValue ?? "") }) {
                errors.append("\(path): expected \(type), got \(value.typeName)")
            }
        }
        if let options = s["enum"]?.arrayValue, !options.contains(where: { equal($0, value) }) {
            errors.append("\(path): \(value) is not one of \(JSONValue.array(options))")
        }
        if let constant = s["const"], !equal(constant, value) {
            errors.append("\(path): expected \(constant), got \(value)")
        }
        if let pattern = s["pattern"]?.stringValue, let string = value.stringValue {
            if let regex = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(string.startIndex..., in: string)
                if regex.firstMatch(in: string, range: range) == nil {
                    errors.append("\(path): \(value) does not match \(pattern)")
                }
            } else {
                errors.append("\(path): invalid pattern \(pattern)")
            }
        }
        if let d = value.numberValue {
            if let m = s["minimum"]?.numberValue, !(d >= m) { errors.append("\(path): \(value) is less than \(m)") }
            if let m = s["exclusiveMinimum"]?.numberValue, !(d > m) {
                errors.append("\(path): \(value) is not greater than \(m)")
            }
            if let m = s["maximum"]?.numberValue, !(d <= m) { errors.append("\(path): \(value) is more than \(m)") }
        }
        if let string = value.stringValue {
            // JSON Schema counts characters (code points).
            let length = string.unicodeScalars.count
            if let m = s["minLength"]?.intValue, length < m { errors.append("\(path): shorter than \(m)") }
            if let m = s["maxLength"]?.intValue, length > m { errors.append("\(path): longer than \(m)") }
        }
        if let m = s["minItems"]?.intValue, let items = value.arrayValue, items.count < m {
            errors.append("\(path): fewer than \(m) items")
        }
        if case .object(let members) = value {
            let properties = s["properties"]?.objectValue ?? [:]
            for name in s["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                errors.append("\(path): required property '\(name)' is missing")
            }
            if let names = s["propertyNames"] {
                for name in members.keys.sorted() {
                    check(.string(name), against: names, path: "\(path) (property name '\(name)')", errors: &errors)
                }
            }
            for name in members.keys.sorted() {
                let member = members[name] ?? .null
                if let propertySchema = properties[name] {
                    check(member, against: propertySchema, path: "\(path).\(name)", errors: &errors)
                } else if let additional = s["additionalProperties"] {
                    if additional == .bool(false) {
                        errors.append("\(path): property '\(name)' is not allowed")
                    } else {
                        check(member, against: additional, path: "\(path).\(name)", errors: &errors)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = s["items"] {
            for (n, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(n)]", errors: &errors)
            }
        }
        for sub in s["allOf"]?.arrayValue ?? [] {
            check(value, against: sub, path: path, errors: &errors)
        }
        if let condition = s["if"] {
            var trial: [String] = []
            check(value, against: condition, path: path, errors: &trial)
            if trial.isEmpty {
                if let then = s["then"] { check(value, against: then, path: path, errors: &errors) }
            } else if let otherwise = s["else"] {
                check(value, against: otherwise, path: path, errors: &errors)
            }
        }
    }

    private func resolve(_ ref: JSONValue) -> JSONValue? {
        guard let text = ref.stringValue, text.hasPrefix("#/$defs/") else { return nil }
        return root["$defs"]?[String(text.dropFirst("#/$defs/".count))]
    }

    private func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("integer", .int), ("number", .int), ("number", .double):
            return true
        case ("integer", .double(let d)): return d.isFinite && d == d.rounded()
        default: return false
        }
    }

    /// JSON equality: numbers by value (1 equals 1.0), objects ignoring key order.
    private func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return a.numberValue == b.numberValue
        case (.array(let x), .array(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, v in y[key].map { equal(v, $0) } ?? false }
        default:
            return a == b
        }
    }
}
