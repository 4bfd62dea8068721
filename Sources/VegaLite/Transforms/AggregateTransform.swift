import FigpipeBasics

/// One measure of an `aggregate` or `joinaggregate` transform (or of an
/// encoding's aggregate): the operation, its field (none for `count`), and
/// the output field, by default Vega's `op_field` (`count` alone: `count`).
public struct AggregateMeasure: Sendable, Equatable {
    public var op: AggregateOp
    public var field: String?
    public var name: String

    public init(op: AggregateOp, field: String?, as name: String? = nil) {
        self.op = op
        self.field = field
        self.name = name ?? (op.rawValue + (field.map { "_" + $0 } ?? ""))
    }

    /// `[{"op": …, "field": …, "as": …}, …]` under `key`.
    static func parseAll(_ object: SpecObject, key: String) throws(SpecError) -> [AggregateMeasure] {
        let path = object.path(key)
        guard let items = object[key]?.arrayValue else { throw SpecError(path, "expected an array of {op, field, as}") }
        var out: [AggregateMeasure] = []
        for (i, item) in items.enumerated() {
            let def = try SpecObject(item, path: SpecError.join(path, i))
            try def.only(["op", "field", "as"])
            let opName = try def.requiredString("op")
            guard let op = AggregateOp(rawValue: opName) else {
                throw SpecError(def.path("op"), "unsupported aggregate operation '\(opName)'")
            }
            let field = try def.string("field")
            if field == nil && op != .count { throw SpecError(def.path("field"), "missing (\(opName) needs a field)") }
            out.append(AggregateMeasure(op: op, field: field, as: try def.string("as")))
        }
        return out
    }
}

extension Transform {
    /// Vega's aggregate: one row per group of `groupby` values (groups in
    /// order of first appearance, keyed as Vega keys them: the values'
    /// `String(v)` joined by "|", so 1 and "1" are one group), with the
    /// groupby fields (the group's first row's values) and the measures.
    /// This is also what encoding-level aggregates (`"aggregate": "mean"`) compute.
    public static func aggregate(_ data: Dataset, groupby: [String], measures: [AggregateMeasure]) -> Dataset {
        let groups = Grouping(data, by: groupby)
        var out = data.select(groups.firstRows)
        for f in out.fields where !groupby.contains(f) { out[f] = nil }
        if out.fields.isEmpty { out = Dataset(count: groups.count) }
        var inputs: [String: [Double?]] = [:]
        for m in measures {
            let values = measureInput(data, m.field, cache: &inputs)
            out[m.name] = .numbers(groups.rows.map { rows in m.op.apply(rows.map { values[$0] }) })
        }
        return out
    }

    /// The encoding-level form: measures as (operation, field, output name).
    public static func aggregate(
        _ data: Dataset, groupby: [String], measures: [(op: AggregateOp, field: String?, as: String)]
    ) -> Dataset {
        aggregate(
            data, groupby: groupby, measures: measures.map { AggregateMeasure(op: $0.op, field: $0.field, as: $0.as) })
    }

    /// Vega's joinaggregate: every row keeps its fields and gains its group's measures.
    public static func joinAggregate(_ data: Dataset, groupby: [String], measures: [AggregateMeasure]) -> Dataset {
        let groups = Grouping(data, by: groupby)
        var out = data
        var inputs: [String: [Double?]] = [:]
        for m in measures {
            let values = measureInput(data, m.field, cache: &inputs)
            let results = groups.rows.map { rows in m.op.apply(rows.map { values[$0] }) }
            out[m.name] = .numbers((0..<data.count).map { results[groups.groupOfRow[$0]] })
        }
        return out
    }

    /// A field's values as Vega's aggregates take them: null and "" are
    /// missing (nil), anything else its number (NaN is invalid). `count`
    /// (no field) counts rows: every row is a 0.
    static func measureInput(_ data: Dataset, _ field: String?, cache: inout [String: [Double?]]) -> [Double?] {
        guard let field else { return Array(repeating: 0, count: data.count) }
        if let v = cache[field] { return v }
        let values: [Double?]
        switch data[field] {
        case .numbers(let v)?: values = v
        case .values(let v)?:
            values = v.map { value -> Double? in
                switch value {
                case .null, .string(""): nil
                default: JavaScript.toNumber(value)
                }
            }
        case nil: values = Array(repeating: nil, count: data.count)
        }
        cache[field] = values
        return values
    }
}

/// Rows partitioned by the values of some fields, groups in order of first
/// appearance; the key of a row is its values' `String(v)` joined by
/// `separator` (Vega's aggregate keys join with "|", vega-regression's
/// partition with ",", where null is written as "").
struct Grouping {
    var rows: [[Int]] = []
    var groupOfRow: [Int] = []
    var count: Int { rows.count }
    var firstRows: [Int] { rows.map { $0[0] } }

    init(_ data: Dataset, by fields: [String], arrayKey: Bool = false) {
        groupOfRow.reserveCapacity(data.count)
        if fields.isEmpty {
            if data.count > 0 { rows = [Array(0..<data.count)] }
            groupOfRow = Array(repeating: 0, count: data.count)
            return
        }
        var index: [String: Int] = [:]
        let columns = fields.map { data[$0] }
        for row in 0..<data.count {
            var key = ""
            for (i, c) in columns.enumerated() {
                if i > 0 { key += arrayKey ? "," : "|" }
                let v = c?[row] ?? .null
                key += arrayKey && v == .null ? "" : v.text
            }
            if let g = index[key] {
                rows[g].append(row)
                groupOfRow.append(g)
            } else {
                index[key] = rows.count
                groupOfRow.append(rows.count)
                rows.append([row])
            }
        }
    }
}
