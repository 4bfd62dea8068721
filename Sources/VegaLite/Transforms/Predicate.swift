import FigpipeBasics

/// Vega-Lite's filter predicates, turned into the expression Vega-Lite
/// compiles them to (compile/predicate `fieldFilterExpression`):
/// `equal` → `datum.f === v`, `lt`/`lte`/`gt`/`gte` → `<` `<=` `>` `>=`,
/// `range: [a, b]` → `inrange` (bounds swapped when a > b; a null bound is
/// left out), `oneOf` → `indexof([…], datum.f) !== -1` (strict equality),
/// `valid` → `isValid(datum.f) && isFinite(+datum.f)` (or its negation);
/// `and`, `or` and `not` combine predicates, and a string is an expression.
///
/// Not supported (each a `SpecError`): `timeUnit`, date-time objects as
/// values, `param` (selection) predicates.
enum Predicate {
    static func parse(_ json: JSONValue?, path: String) throws(SpecError) -> Expression {
        guard let json else { throw SpecError(path, "missing") }
        if let source = json.stringValue { return try Expression(source, path: path) }
        return Expression(node: try node(json, path: path), source: "predicate at \(path)")
    }

    static func node(_ json: JSONValue, path: String) throws(SpecError) -> ExpressionNode {
        if let source = json.stringValue { return try Expression(source, path: path).root }
        let object = try SpecObject(json, path: path)
        for op in ["and", "or"] where object.has(op) {
            try object.only([op])
            guard let items = object[op]?.arrayValue, !items.isEmpty else {
                throw SpecError(object.path(op), "expected a non-empty array of predicates")
            }
            var nodes: [ExpressionNode] = []
            for (i, item) in items.enumerated() {
                nodes.append(try node(item, path: SpecError.join(object.path(op), i)))
            }
            var result = nodes[0]
            for n in nodes.dropFirst() { result = op == "and" ? .and(result, n) : .or(result, n) }
            return result
        }
        if object.has("not") {
            try object.only(["not"])
            return .not(try node(object["not"] ?? .null, path: object.path("not")))
        }
        if object.has("param") { throw SpecError(object.path("param"), "selection predicates are not supported") }
        if object.has("timeUnit") { throw SpecError(object.path("timeUnit"), "timeUnit predicates are not supported") }
        let tests = ["equal", "lt", "lte", "gt", "gte", "range", "oneOf", "valid"]
        try object.only(Set(tests + ["field"]), in: "a field predicate")
        let field = ExpressionNode.field(try object.requiredString("field"))
        let present = tests.filter { object.has($0) }
        guard present.count == 1, let test = present.first else {
            throw SpecError(
                path, "a field predicate needs exactly one of \(tests.joined(separator: ", ")), found \(present.count)")
        }
        let valuePath = object.path(test)
        let value = object[test] ?? .null
        switch test {
        case "equal": return .binary(.strictEqual, field, .constant(try scalar(value, path: valuePath)))
        case "lt": return .binary(.less, field, .constant(try scalar(value, path: valuePath)))
        case "lte": return .binary(.lessEqual, field, .constant(try scalar(value, path: valuePath)))
        case "gt": return .binary(.greater, field, .constant(try scalar(value, path: valuePath)))
        case "gte": return .binary(.greaterEqual, field, .constant(try scalar(value, path: valuePath)))
        case "oneOf":
            guard let items = value.arrayValue else { throw SpecError(valuePath, "expected an array of values") }
            var values: [FieldValue] = []
            for (i, item) in items.enumerated() {
                values.append(try scalar(item, path: SpecError.join(valuePath, i), allowNull: true))
            }
            return .oneOf(field, values)
        case "valid":
            guard let valid = value.boolValue else { throw SpecError(valuePath, "expected true or false") }
            let test = ExpressionNode.and(.call(.isValid, [field]), .call(.isFinite, [.plus(field)]))
            return valid ? test : .or(.not(.call(.isValid, [field])), .not(.call(.isFinite, [.plus(field)])))
        default:
            guard let items = value.arrayValue, items.count == 2 else {
                throw SpecError(valuePath, "expected [min, max] (either may be null)")
            }
            var lower = try scalar(items[0], path: SpecError.join(valuePath, 0), allowNull: true)
            var upper = try scalar(items[1], path: SpecError.join(valuePath, 1), allowNull: true)
            switch (lower, upper) {
            case (.null, .null): return .constant(.boolean(true))
            case (.null, _): return .binary(.lessEqual, field, .constant(upper))
            case (_, .null): return .binary(.greaterEqual, field, .constant(lower))
            default:
                // vega-functions inrange: r0 <= value && value <= r1, after ordering the bounds.
                if JavaScript.less(upper, lower, orEqual: false) { swap(&lower, &upper) }
                return .and(
                    .binary(.lessEqual, .constant(lower), field), .binary(.lessEqual, field, .constant(upper)))
            }
        }
    }

    /// A predicate's value: a number, string or boolean (null where allowed).
    static func scalar(_ json: JSONValue, path: String, allowNull: Bool = false) throws(SpecError) -> FieldValue {
        switch json {
        case .int(let v): return .number(Double(v))
        case .double(let v): return .number(v)
        case .string(let s): return .string(s)
        case .bool(let b): return .boolean(b)
        case .null where allowNull: return .null
        default: throw SpecError(path, "expected a number, string or boolean, found \(json.typeName)")
        }
    }
}
