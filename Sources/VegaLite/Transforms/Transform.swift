import FigpipeBasics

/// One entry of a Vega-Lite `transform` array, parsed and checked, with
/// Vega-Lite's defaults and output names filled in; `apply(to:)` runs it with
/// Vega's semantics (vega-transforms, vega-regression, vega-statistics).
///
/// The subset: `filter` (an expression or field predicates with and/or/not),
/// `calculate`, `aggregate`, `joinaggregate`, `bin`, `fold`, `window`,
/// `regression` and `loess`. Any other transform, key or value is a
/// `SpecError` at its path (`transform[2].density: …`).
public struct Transform: Sendable {
    /// The JSON path of the transform object (`transform[2]`).
    public var path: String
    public var operation: Operation

    public enum Operation: Sendable {
        /// Keeps the rows for which the predicate is truthy.
        case filter(Expression)
        case calculate(Expression, as: String)
        case aggregate(measures: [AggregateMeasure], groupby: [String])
        case joinaggregate(measures: [AggregateMeasure], groupby: [String])
        case bin(BinTransform)
        case fold(fields: [String], as: [String])
        case window(WindowTransform)
        case regression(RegressionTransform)
        case loess(LoessTransform)
    }

    public init(path: String, operation: Operation) {
        self.path = path
        self.operation = operation
    }

    /// The transforms of a `transform` array (nil or absent: none).
    public static func parseAll(_ json: JSONValue?, path: String) throws(SpecError) -> [Transform] {
        guard let json, json != .null else { return [] }
        guard let items = json.arrayValue else { throw SpecError(path, "expected an array of transforms") }
        var out: [Transform] = []
        for (i, item) in items.enumerated() { out.append(try parse(item, path: SpecError.join(path, i))) }
        return out
    }

    /// Runs the transforms in order.
    public static func apply(_ transforms: [Transform], to data: Dataset) throws(SpecError) -> Dataset {
        var data = data
        for t in transforms { data = try t.apply(to: data) }
        return data
    }

    /// The transform kinds of Vega-Lite that figpipe does not run.
    static let unsupportedKinds = [
        "density", "extent", "flatten", "impute", "lookup", "pivot", "quantile", "sample", "stack", "timeUnit",
    ]

    public static func parse(_ json: JSONValue, path: String) throws(SpecError) -> Transform {
        let object = try SpecObject(json, path: path)
        let kinds = [
            "filter", "calculate", "aggregate", "joinaggregate", "bin", "fold", "window", "regression", "loess",
        ]
        let present = kinds.filter { object.has($0) }
        guard let kind = present.first else {
            // ("extent" is also a key of regression, so only a transform of no known kind is checked here.)
            if let unsupported = unsupportedKinds.first(where: { object.has($0) }) {
                throw SpecError(SpecError.join(path, unsupported), "the \(unsupported) transform is not supported")
            }
            let keys = object.keys.sorted().joined(separator: ", ")
            throw SpecError(
                path, "unknown transform with keys [\(keys)]; expected one of \(kinds.joined(separator: ", "))")
        }
        if present.count > 1 {
            throw SpecError(path, "a transform has one kind, found \(present.joined(separator: " and "))")
        }
        let operation: Operation
        switch kind {
        case "filter":
            try object.only(["filter"])
            operation = .filter(try Predicate.parse(object["filter"], path: object.path("filter")))
        case "calculate":
            try object.only(["calculate", "as"])
            let source = try object.requiredString("calculate")
            operation = .calculate(
                try Expression(source, path: object.path("calculate")), as: try object.requiredString("as"))
        case "aggregate", "joinaggregate":
            try object.only([kind, "groupby"])
            let measures = try AggregateMeasure.parseAll(object, key: kind)
            let groupby = try object.strings("groupby") ?? []
            operation =
                kind == "aggregate"
                ? .aggregate(measures: measures, groupby: groupby)
                : .joinaggregate(measures: measures, groupby: groupby)
        case "bin": operation = .bin(try BinTransform.parse(object))
        case "fold":
            try object.only(["fold", "as"])
            guard let fields = try object.strings("fold") else {
                throw SpecError(object.path("fold"), "expected an array of field names")
            }
            let names = try object.strings("as") ?? ["key", "value"]
            guard names.count == 2 else { throw SpecError(object.path("as"), "expected two names [key, value]") }
            operation = .fold(fields: fields, as: names)
        case "window": operation = .window(try WindowTransform.parse(object))
        case "regression": operation = .regression(try RegressionTransform.parse(object))
        default: operation = .loess(try LoessTransform.parse(object))
        }
        return Transform(path: path, operation: operation)
    }

    /// The rows and fields after this transform.
    public func apply(to data: Dataset) throws(SpecError) -> Dataset {
        switch operation {
        case .filter(let predicate):
            let test = predicate.bind(data)
            var rows: [Int] = []
            for row in 0..<data.count where test(row).truthy { rows.append(row) }
            return rows.count == data.count ? data : data.select(rows)
        case .calculate(let expression, let name):
            var out = data
            let values = expression.evaluate(on: data)
            out[name] = Column(values)
            return out
        case .aggregate(let measures, let groupby):
            return Self.aggregate(data, groupby: groupby, measures: measures)
        case .joinaggregate(let measures, let groupby):
            return Self.joinAggregate(data, groupby: groupby, measures: measures)
        case .bin(let bin): return bin.apply(to: data)
        case .fold(let fields, let names): return Self.fold(data, fields: fields, as: names)
        case .window(let window): return window.apply(to: data)
        case .regression(let regression): return try regression.apply(to: data, path: path)
        case .loess(let loess): return try loess.apply(to: data, path: path)
        }
    }

    /// Vega's fold: each row once per field, with the field's name under
    /// `as[0]` and its value under `as[1]`, row by row.
    static func fold(_ data: Dataset, fields: [String], as names: [String]) -> Dataset {
        var rows: [Int] = []
        var keys: [FieldValue] = []
        var values: [FieldValue] = []
        rows.reserveCapacity(data.count * fields.count)
        for row in 0..<data.count {
            for f in fields {
                rows.append(row)
                keys.append(.string(f))
                values.append(data.value(f, row))
            }
        }
        var out = data.select(rows)
        if out.fields.isEmpty { out = Dataset(count: rows.count) }
        out[names[0]] = Column(keys)
        out[names[1]] = Column(values)
        return out
    }
}

/// A JSON object of the spec at a path, read strictly (a `SpecNode` that
/// must be an object, read by key): every key must be one the reader
/// expects, and every value of the expected type.
struct SpecObject {
    let node: SpecNode
    let members: [String: JSONValue]

    init(_ json: JSONValue, path: String) throws(SpecError) {
        guard let members = json.objectValue else {
            throw SpecError(path, "expected an object, found \(json.typeName)")
        }
        self.members = members
        node = SpecNode(json, path: path)
    }

    var base: String { node.path }

    var keys: [String] { Array(members.keys) }

    subscript(key: String) -> JSONValue? { members[key] }

    func has(_ key: String) -> Bool { members[key] != nil }

    func path(_ key: String) -> String { SpecError.join(base, key) }

    /// Fails on the first key (in sorted order) outside `allowed`.
    func only(_ allowed: Set<String>, in kind: String? = nil) throws(SpecError) {
        try node.members(allowed: allowed, what: kind ?? "")
    }

    func string(_ key: String) throws(SpecError) -> String? { try node[key]?.string() }

    func requiredString(_ key: String) throws(SpecError) -> String {
        guard let s = try string(key) else { throw SpecError(path(key), "missing") }
        return s
    }

    func number(_ key: String) throws(SpecError) -> Double? { try node[key]?.number() }

    func bool(_ key: String) throws(SpecError) -> Bool? { try node[key]?.bool() }

    func strings(_ key: String) throws(SpecError) -> [String]? {
        guard let n = node[key] else { return nil }
        guard n.value.arrayValue != nil else { throw n.error("expected an array of strings") }
        return try n.strings()
    }

    /// `[min, max]` numbers.
    func pair(_ key: String) throws(SpecError) -> (Double, Double)? {
        guard let n = node[key] else { return nil }
        guard let items = n.value.arrayValue, items.count == 2 else { throw n.error("expected two numbers [min, max]") }
        let v = try n.numbers()
        return (v[0], v[1])
    }
}
