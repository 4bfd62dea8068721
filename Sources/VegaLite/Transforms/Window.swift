import FigpipeBasics

/// Vega-Lite's window transform, with Vega's semantics (vega-transforms
/// Window, WindowOps, WindowState): rows are partitioned by `groupby`
/// (groups in order of first appearance), each partition sorted by `sort`
/// (ties keep the input order), and every row gets each operation's value
/// over its frame. The rows keep their input order.
///
/// `frame` is `[start, end]` offsets from the row (null: unbounded), by
/// default `[null, 0]`; unless `ignorePeers`, a sorted frame is widened to
/// the rows that sort equal to its edge rows (peers). Without `sort`, Vega's
/// comparator says every row differs from the one before: rank, dense_rank
/// and row_number coincide. The aggregate operations are accumulated as
/// Vega's window cell does: values added and removed as the frame slides
/// (sum, mean and deviation incrementally), a null or "" missing, NaN skipped.
public struct WindowTransform: Sendable {
    public enum Operation: String, Sendable {
        case row_number, rank, dense_rank, percent_rank, cume_dist
    }

    public enum Op: Sendable, Equatable {
        case window(Operation)
        case aggregate(AggregateOp)
    }

    public struct FieldDef: Sendable, Equatable {
        public var op: Op
        public var field: String?
        public var name: String
    }

    public struct SortField: Sendable, Equatable {
        public var field: String
        public var descending: Bool
    }

    public var operations: [FieldDef]
    public var groupby: [String]
    public var sort: [SortField]
    public var frame: (Double?, Double?)
    public var ignorePeers: Bool

    static func parse(_ object: SpecObject) throws(SpecError) -> WindowTransform {
        try object.only(["window", "groupby", "sort", "frame", "ignorePeers"])
        let path = object.path("window")
        guard let items = object["window"]?.arrayValue else {
            throw SpecError(path, "expected an array of {op, field, as}")
        }
        var ops: [FieldDef] = []
        for (i, item) in items.enumerated() {
            let def = try SpecObject(item, path: SpecError.join(path, i))
            if def.has("param") { throw SpecError(def.path("param"), "window operation parameters are not supported") }
            try def.only(["op", "field", "as"])
            let name = try def.requiredString("op")
            let op: Op
            if let w = Operation(rawValue: name) {
                op = .window(w)
            } else if let a = AggregateOp(rawValue: name) {
                op = .aggregate(a)
            } else {
                throw SpecError(def.path("op"), "unsupported window operation '\(name)'")
            }
            let field = try def.string("field")
            if case .aggregate(let a) = op, a != .count, field == nil {
                throw SpecError(def.path("field"), "missing (\(name) needs a field)")
            }
            ops.append(
                FieldDef(op: op, field: field, name: try def.string("as") ?? name + (field.map { "_" + $0 } ?? "")))
        }
        var sort: [SortField] = []
        if let v = object["sort"] {
            guard let items = v.arrayValue else {
                throw SpecError(object.path("sort"), "expected an array of {field, order}")
            }
            for (i, item) in items.enumerated() {
                let s = try SpecObject(item, path: SpecError.join(object.path("sort"), i))
                try s.only(["field", "order"])
                let order = try s.string("order") ?? "ascending"
                guard order == "ascending" || order == "descending" else {
                    throw SpecError(s.path("order"), "expected ascending or descending")
                }
                sort.append(SortField(field: try s.requiredString("field"), descending: order == "descending"))
            }
        }
        var frame: (Double?, Double?) = (nil, 0)
        if let v = object["frame"] {
            guard let items = v.arrayValue, items.count == 2,
                items.allSatisfy({ $0 == .null || $0.numberValue != nil })
            else { throw SpecError(object.path("frame"), "expected [start, end] offsets (numbers or null)") }
            frame = (items[0].numberValue, items[1].numberValue)
        }
        return WindowTransform(
            operations: ops, groupby: try object.strings("groupby") ?? [], sort: sort, frame: frame,
            ignorePeers: try object.bool("ignorePeers") ?? false)
    }

    func apply(to data: Dataset) -> Dataset {
        let n = data.count
        var outputs = operations.map { _ in [Double?](repeating: nil, count: n) }
        let sortColumns = sort.map { data[$0.field] }
        // Vega's comparator on the sort fields: the first that differs, times its order.
        func compare(_ a: Int, _ b: Int) -> Int {
            for (i, c) in sortColumns.enumerated() {
                let r = JavaScript.ascending(c?[a] ?? .null, c?[b] ?? .null)
                if r != 0 { return sort[i].descending ? -r : r }
            }
            return 0
        }
        let sorted = !sort.isEmpty
        // Without sort Vega's comparator is constant(-1): every row differs from its predecessor.
        func differs(_ a: Int, _ b: Int) -> Bool { sorted ? compare(a, b) != 0 : true }
        var inputs: [String: [Double?]] = [:]
        let fieldValues: [[Double?]?] = operations.map { def in
            guard case .aggregate = def.op, let f = def.field else { return nil }
            return Transform.measureInput(data, f, cache: &inputs)
        }
        for group in Grouping(data, by: groupby).rows {
            let rows =
                sorted
                ? group.sorted { a, b in
                    let c = compare(a, b); return c != 0 ? c < 0 : a < b
                } : group
            let m = rows.count
            var cells = operations.map { _ in WindowCell() }
            var rank = 1
            var denseRank = 1
            var cume = 0
            var i0 = 0
            var i1 = 0
            for i in 0..<m {
                let p0 = i0
                let p1 = i1
                let start = frame.0.map { Double(i) + $0 } ?? 0
                let end = frame.1.map { Double(i) + $0 + 1 } ?? Double(m)
                i0 = Int(Swift.min(Swift.max(start, 0), Double(m)))
                i1 = Int(Swift.min(Swift.max(end, 0), Double(m)))
                if sorted && !ignorePeers {
                    // Widen to peers: Vega bisects the sorted partition for the edge rows' values.
                    let r0 = i0
                    let r1 = i1 - 1
                    if r0 > 0 && r0 < m && compare(rows[r0], rows[r0 - 1]) == 0 {
                        while i0 > 0 && compare(rows[i0 - 1], rows[r0]) == 0 { i0 -= 1 }
                    }
                    if r1 >= 0 && r1 < m - 1 && compare(rows[r1], rows[r1 + 1]) == 0 {
                        while i1 < m && compare(rows[i1], rows[r1]) == 0 { i1 += 1 }
                    }
                }
                if i > 0 && differs(rows[i - 1], rows[i]) {
                    rank = i + 1
                    denseRank += 1
                }
                if cume < i {
                    var j = i
                    while j + 1 < m && !differs(rows[j], rows[j + 1]) { j += 1 }
                    cume = j
                }
                let row = rows[i]
                for (k, def) in operations.enumerated() {
                    switch def.op {
                    case .window(.row_number): outputs[k][row] = Double(i + 1)
                    case .window(.rank): outputs[k][row] = Double(rank)
                    case .window(.dense_rank): outputs[k][row] = Double(denseRank)
                    case .window(.percent_rank): outputs[k][row] = Double(rank - 1) / Double(m - 1)
                    case .window(.cume_dist): outputs[k][row] = Double(1 + cume) / Double(m)
                    case .aggregate(let op):
                        let values = fieldValues[k]
                        let value: (Int) -> Double? = { i in values.map { $0[rows[i]] } ?? 0 }
                        // Vega removes rows [p0, i0) and adds rows [p1, i1), as signed updates.
                        for j in stride(from: p0, to: i0, by: 1) { cells[k].remove(value(j)) }
                        for j in stride(from: p1, to: i1, by: 1) { cells[k].add(value(j)) }
                        outputs[k][row] = cells[k].value(op) { (i0..<i1).map(value) }
                    }
                }
            }
        }
        var out = data
        for (k, def) in operations.enumerated() { out[def.name] = .numbers(outputs[k]) }
        return out
    }
}

/// Vega's window cell for one measure: the count of rows, valid and missing
/// counts, the running sum, product, mean and deviation (updated on add and
/// remove as Vega's AggregateOps do), the extremes (recomputed when a
/// removed value was one); quantiles and intervals come from the frame's values.
struct WindowCell {
    var num = 0
    var valid = 0
    var missing = 0
    var sum = 0.0
    var product = 1.0
    var mean = 0.0
    var dev = 0.0
    var min: Double?
    var max: Double?
    var extremesStale = false

    mutating func add(_ v: Double?) {
        num += 1
        guard let v else {
            missing += 1
            return
        }
        if v.isNaN { return }
        valid += 1
        sum += v
        product *= v
        let d = v - mean
        mean += d / Double(valid)
        dev += d * (v - mean)
        if let m = min, !(v < m) {} else { min = v }
        if let m = max, !(v > m) {} else { max = v }
    }

    mutating func remove(_ v: Double?) {
        num -= 1
        guard let v else {
            missing -= 1
            return
        }
        if v.isNaN { return }
        valid -= 1
        sum -= v
        product /= v
        let d = v - mean
        mean -= valid > 0 ? d / Double(valid) : mean
        dev -= d * (v - mean)
        if let m = min, v <= m { extremesStale = true }
        if let m = max, v >= m { extremesStale = true }
    }

    /// The value of `op` over the frame; `frame` lists the frame's values.
    mutating func value(_ op: AggregateOp, frame: () -> [Double?]) -> Double? {
        let n = Double(valid)
        let d = Swift.max(0, dev)
        switch op {
        case .count: return Double(num)
        case .valid: return n
        case .missing: return Double(missing)
        case .sum: return valid > 0 ? sum : nil
        case .product: return valid > 0 ? product : nil
        case .mean, .average: return valid > 0 ? mean : nil
        case .variance: return valid > 1 ? d / (n - 1) : nil
        case .variancep: return valid > 1 ? d / n : nil
        case .stdev: return valid > 1 ? (d / (n - 1)).squareRoot() : nil
        case .stdevp: return valid > 1 ? (d / n).squareRoot() : nil
        case .stderr: return valid > 1 ? (d / (n * (n - 1))).squareRoot() : nil
        case .min, .max:
            if extremesStale {
                let values = frame().compactMap { $0 }.filter { !$0.isNaN }
                min = values.min()
                max = values.max()
                extremesStale = false
            }
            return op == .min ? min : max
        case .median, .q1, .q3, .ci0, .ci1: return op.apply(frame())
        }
    }
}
