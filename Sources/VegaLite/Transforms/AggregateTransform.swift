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
        let values = data.statistics(field)
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
        // Each field's values as small codes, one per distinct key text (so 1
        // and "1" share one); then the row's codes as one mixed-radix number.
        let coded = fields.map { Self.codes(data[$0], count: data.count, arrayKey: arrayKey) }
        var radix = 1
        var fits = true
        for c in coded {
            let (r, overflow) = radix.multipliedReportingOverflow(by: max(1, c.distinct))
            if overflow { fits = false }
            radix = r
        }
        if fits && radix <= 1 << 22 {
            // Few combinations: the group of each key in a flat table.
            var slot = [Int](repeating: -1, count: radix)
            for row in 0..<data.count {
                var key = 0
                for c in coded { key = key * max(1, c.distinct) + c.codes[row] }
                if slot[key] < 0 {
                    slot[key] = rows.count
                    rows.append([])
                }
                rows[slot[key]].append(row)
                groupOfRow.append(slot[key])
            }
        } else if fits {
            var index: [Int: Int] = [:]
            for row in 0..<data.count {
                var key = 0
                for c in coded { key = key * max(1, c.distinct) + c.codes[row] }
                assign(key, row, &index)
            }
        } else {
            var index: [[Int]: Int] = [:]
            for row in 0..<data.count { assign(coded.map { $0.codes[row] }, row, &index) }
        }
    }

    private mutating func assign<K: Hashable>(_ key: K, _ row: Int, _ index: inout [K: Int]) {
        if let g = index[key] {
            rows[g].append(row)
            groupOfRow.append(g)
        } else {
            index[key] = rows.count
            groupOfRow.append(rows.count)
            rows.append([row])
        }
    }

    /// A field's values as codes 0..<distinct, equal for equal key texts
    /// (Vega's `String(v)`; null is "" in an array key).
    private static func codes(_ column: Column?, count: Int, arrayKey: Bool) -> (codes: [Int], distinct: Int) {
        var byText: [String: Int] = [:]
        func code(_ v: FieldValue) -> Int {
            let text = arrayKey && v == .null ? "" : v.text
            if let c = byText[text] { return c }
            byText[text] = byText.count
            return byText.count - 1
        }
        var codes: [Int] = []
        codes.reserveCapacity(count)
        switch column {
        case nil:
            let c = code(.null)
            codes = Array(repeating: c, count: count)
        case .numbers(let values)?:
            var byNumber: [Double: Int] = [:]
            for v in values {
                guard let d = v, !d.isNaN else {
                    codes.append(code(v.map(FieldValue.number) ?? .null))
                    continue
                }
                if let c = byNumber[d] {
                    codes.append(c)
                } else {
                    let c = code(.number(d))
                    byNumber[d] = c
                    codes.append(c)
                }
            }
        case .values(let values)?:
            var byValue: [FieldValue: Int] = [:]
            for v in values {
                if case .number(let d) = v, d.isNaN {
                    codes.append(code(v))
                } else if let c = byValue[v] {
                    codes.append(c)
                } else {
                    let c = code(v)
                    byValue[v] = c
                    codes.append(c)
                }
            }
        }
        return (codes, byText.count)
    }
}
