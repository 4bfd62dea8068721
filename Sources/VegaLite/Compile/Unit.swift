/// A unit view ready to draw: its mark, its encoding, and its data after
/// Vega-Lite's implicit transforms (bins, aggregates, composite marks' summaries, stacks).
struct Unit {
    var path: String
    var mark: MarkDef
    var encoding: [Channel: [ChannelDef]]
    var data: Dataset
    /// Where a position channel's values are: start (and end) fields, or a constant.
    var x: Position?
    var y: Position?
    /// The bars', areas' and lines' orientation: true when x is the dimension.
    var vertical: Bool?
    /// errorbar/errorband: the summary fields (center, lower, upper) along the continuous channel.
    var errorChannel: Channel?
    /// The boundaries of each encoding bin, by its start field: Vega's axis
    /// ticks for binned fields (start, start + step, … before stop), and with
    /// the stop the scale's domain.
    var binBoundaries: [String: (ticks: [Double], domain: (Double, Double))] = [:]

    func def(_ c: Channel) -> ChannelDef? { encoding[c]?.first }

    func position(_ c: Channel) -> Position? { c == .x ? x : y }
}

/// A position channel's data: the field(s) the mark reads, or a constant.
struct Position {
    var def: ChannelDef
    /// The field of the start (the value).
    var start: String?
    /// The field of the end (x2/y2, a bin's end, a stack's end).
    var end: String?
    /// A constant (`datum`).
    var datum: FieldValue?
    var binned: Bool
    var stacked: Bool
    /// The value axis of an error summary: its lower and upper fields.
    var lower: String?
    var upper: String?

    var isDiscrete: Bool {
        switch def.scale.type {
        case .band?, .point?, .ordinal?: return true
        case nil: return def.type.isDiscrete && !binned
        default: return false
        }
    }

    /// Every field whose values the scale must cover.
    var extentFields: [String] { [start, end, lower, upper].compactMap { $0 } }
}

/// Builds a `Unit` from a mark, an encoding and the data.
struct UnitBuilder {
    let state: CompileState
    let path: String
    let mark: MarkDef
    var encoding: [Channel: [ChannelDef]]
    var data: Dataset
    var binBoundaries: [String: (ticks: [Double], domain: (Double, Double))] = [:]

    init(state: CompileState, path: String, mark: MarkDef, encoding: [Channel: [ChannelDef]], data: Dataset) {
        self.state = state
        self.path = path
        self.mark = mark
        self.encoding = encoding
        self.data = data
    }

    func def(_ c: Channel) -> ChannelDef? { encoding[c]?.first }

    mutating func build() throws(SpecError) -> Unit {
        try checkFields()
        try checkChannels()
        bin()
        var unit: Unit
        if mark.type == .errorbar || mark.type == .errorband {
            unit = try errorSummary()
        } else {
            aggregate()
            unit = Unit(path: path, mark: mark, encoding: encoding, data: data)
            unit.x = position(.x, .x2)
            unit.y = position(.y, .y2)
            unit.vertical = orientation()
            stack(&unit)
        }
        unit.binBoundaries = binBoundaries
        state.views.append(CompiledView(path: path, mark: mark.type, data: unit.data))
        return unit
    }

    /// Every field a channel names must be in the data.
    func checkFields() throws(SpecError) {
        if state.checkOnly { return }
        for (_, defs) in encoding {
            for d in defs {
                guard let f = d.field else { continue }
                if data[f] == nil {
                    let known = data.fields.joined(separator: ", ")
                    throw SpecError(SpecError.join(d.path, "field"), "no field '\(f)' in the data (fields: \(known))")
                }
            }
        }
    }

    /// Channels the mark cannot use are errors, as Vega-Lite warns and drops them.
    func checkChannels() throws(SpecError) {
        let positional: Set<Channel> = [.x, .y, .x2, .y2]
        for (channel, defs) in encoding {
            guard let d = defs.first else { continue }
            switch channel {
            case .xError, .yError, .xError2, .yError2:
                if mark.type != .errorbar && mark.type != .errorband {
                    throw SpecError(d.path, "\(channel.rawValue) needs an errorbar or errorband mark")
                }
            case .text where mark.type != .text:
                throw SpecError(d.path, "the text channel needs a text mark")
            case .shape where ![.point].contains(mark.type):
                throw SpecError(d.path, "the shape channel needs a point mark")
            default:
                if positional.contains(channel), d.value != nil, channel == .x || channel == .y {
                    throw SpecError(
                        SpecError.join(d.path, "value"),
                        "pixel values on position channels are not supported; use \"datum\"")
                }
            }
        }
    }

    /// Vega's bin boundaries (vega-util `sequence(start, stop, step)`: stop
    /// left out) and the binned scale's domain [start, stop].
    static func boundaries(_ bins: Bins) -> (ticks: [Double], domain: (Double, Double)) {
        let n = max(0, Int(((bins.stop - bins.start) / bins.step).rounded(.up)))
        return ((0..<n).map { bins.start + Double($0) * bins.step }, (bins.start, bins.stop))
    }

    /// Encoding bins: the start and end fields Vega-Lite names `bin_maxbins_10_x`, `…_end`.
    mutating func bin() {
        for (_, defs) in encoding {
            for d in defs {
                guard let p = d.bin, let f = d.field, let start = d.dataField, let end = d.binEndField,
                    data[start] == nil
                else { continue }
                let values = data.statistics(f)
                var params = p
                let extent = p.extent.map { (min: $0.0, max: $0.1) } ?? Bins.extent(of: values)
                guard let extent else {
                    data[start] = .numbers(Array(repeating: nil, count: data.count))
                    data[end] = .numbers(Array(repeating: nil, count: data.count))
                    continue
                }
                params.extent = (extent.min, extent.max)
                let bins = Bins(params, extent: extent)
                binBoundaries[start] = Self.boundaries(bins)
                var s: [Double?] = []
                var e: [Double?] = []
                s.reserveCapacity(values.count)
                e.reserveCapacity(values.count)
                for v in values {
                    let b = bins.bin(v)
                    s.append(b?.start)
                    e.append(b?.end)
                }
                data[start] = .numbers(s)
                data[end] = .numbers(e)
            }
        }
    }

    /// Encoding aggregates: one row per group of the other channels' fields.
    mutating func aggregate() {
        let all = encoding.sorted { $0.key < $1.key }.flatMap { c, defs in defs.map { (c, $0) } }
        guard all.contains(where: { $0.1.aggregate != nil }) else { return }
        var groupby: [String] = []
        var measures: [(op: AggregateOp, field: String?, as: String)] = []
        for (_, d) in all {
            if let op = d.aggregate {
                guard let name = d.dataField, !measures.contains(where: { $0.as == name }) else { continue }
                measures.append((op, d.field, name))
            } else {
                for f in [d.dataField, d.binEndField].compactMap({ $0 }) where !groupby.contains(f) {
                    groupby.append(f)
                }
            }
        }
        data = Transform.aggregate(data, groupby: groupby, measures: measures)
    }

    func position(_ c: Channel, _ c2: Channel) -> Position? {
        guard let d = def(c) else {
            // x2/y2 alone is not a position.
            return nil
        }
        var p = Position(def: d, binned: d.bin != nil, stacked: false)
        if let datum = d.datum {
            p.datum = datum
        } else {
            p.start = d.dataField
        }
        if let e = d.binEndField {
            p.end = e
        } else if let d2 = def(c2) {
            p.end = d2.dataField
            if p.end == nil, let datum = d2.datum { _ = datum }
        }
        return p
    }

    /// Vega-Lite's orientation: vertical when x is the dimension (discrete or
    /// binned x, continuous y), horizontal in the opposite case.
    func orientation() -> Bool? {
        guard [.bar, .area, .line, .rule, .tick, .errorbar, .errorband, .rect].contains(mark.type) else { return nil }
        if let o = mark.orient { return o == "vertical" }
        let x = def(.x)
        let y = def(.y)
        let xDimension = x.map { $0.type.isDiscrete || $0.bin != nil } ?? false
        let yDimension = y.map { $0.type.isDiscrete || $0.bin != nil } ?? false
        if yDimension && !xDimension && x != nil { return false }
        if xDimension && !yDimension { return true }
        if x == nil && y != nil { return true }
        if y == nil && x != nil { return false }
        // Both continuous: an aggregated x with a raw y is horizontal.
        if x?.aggregate != nil && y?.aggregate == nil { return false }
        return true
    }

    /// Vega-Lite's stack: bars and areas with a grouping field stack along
    /// their value channel (`stack: "zero"` by default; "normalize", "center").
    func stack(_ unit: inout Unit) {
        guard let vertical = unit.vertical else { return }
        let valueChannel: Channel = vertical ? .y : .x
        guard let value = unit.position(valueChannel), let field = value.start, value.end == nil, !value.binned,
            value.def.type == .quantitative
        else { return }
        let explicit = value.def.stackGiven
        let mode = explicit ? value.def.stack : ([.bar, .area].contains(mark.type) ? "zero" : nil)
        guard let mode else { return }
        let dimension = unit.position(vertical ? .x : .y)
        // The stack groups: rows with the same dimension value, ordered by the grouping fields.
        let groupFields = Channel.grouping.compactMap { def($0)?.field == nil ? nil : def($0)?.dataField }
            .filter { $0 != field && $0 != dimension?.start }
        if groupFields.isEmpty && !explicit && mark.type != .bar && mark.type != .area { return }
        let dimFields = [dimension?.start].compactMap { $0 }
        let groups = Grouping(unit.data, by: dimFields)
        let values = unit.data.statistics(field)
        var starts = Array(repeating: Double?.none, count: unit.data.count)
        var ends = Array(repeating: Double?.none, count: unit.data.count)
        for rows in groups.rows {
            // Vega-Lite sorts each stack by the grouping fields, descending.
            let ordered = rows.sorted { a, b in
                for f in groupFields {
                    let va = unit.data.value(f, a)
                    let vb = unit.data.value(f, b)
                    if va != vb { return Domains.less(vb, va) }
                }
                return a < b
            }
            let total = ordered.reduce(0.0) { $0 + abs(values[$1] ?? 0) }
            var pos = 0.0
            var neg = 0.0
            let offset = mode == "center" ? -ordered.reduce(0.0) { $0 + (values[$1] ?? 0) } / 2 : 0
            for r in ordered {
                guard var v = values[r], !v.isNaN else { continue }
                if mode == "normalize" { v = total == 0 ? 0 : v / total }
                if mode == "center" || v >= 0 {
                    starts[r] = pos + offset
                    pos += v
                    ends[r] = pos + offset
                } else {
                    starts[r] = neg
                    neg += v
                    ends[r] = neg
                }
            }
        }
        unit.data["\(field)_start"] = .numbers(starts)
        unit.data["\(field)_end"] = .numbers(ends)
        var p = value
        p.start = "\(field)_start"
        p.end = "\(field)_end"
        p.stacked = true
        if valueChannel == .y { unit.y = p } else { unit.x = p }
    }

    /// errorbar and errorband: the continuous channel's summary per group
    /// (Vega-Lite's `extent`: mean ± stderr or stdev, ci0/ci1, q1/q3), or
    /// the given range (y with y2, or y with yError/yError2).
    mutating func errorSummary() throws(SpecError) -> Unit {
        let x = def(.x)
        let y = def(.y)
        let yContinuous = y.map { $0.type == .quantitative && $0.bin == nil } ?? false
        let xContinuous = x.map { $0.type == .quantitative && $0.bin == nil } ?? false
        let channel: Channel
        if def(.yError) != nil || def(.y2) != nil {
            channel = .y
        } else if def(.xError) != nil || def(.x2) != nil {
            channel = .x
        } else if yContinuous && !(xContinuous && x?.aggregate == nil && y?.aggregate != nil) {
            channel = (xContinuous && !(x?.type.isDiscrete ?? false) && mark.orient == "horizontal") ? .x : .y
        } else if xContinuous {
            channel = .x
        } else {
            throw SpecError(path, "\(mark.type.rawValue) needs a quantitative x or y")
        }
        let other: Channel = channel == .y ? .x : .y
        let (c2, cErr, cErr2): (Channel, Channel, Channel) =
            channel == .y ? (.y2, .yError, .yError2) : (.x2, .xError, .xError2)
        guard let value = def(channel), let field = value.field else {
            throw SpecError(path, "\(mark.type.rawValue) needs a field on \(channel.rawValue)")
        }
        if value.aggregate != nil {
            throw SpecError(
                SpecError.join(value.path, "aggregate"),
                "\(mark.type.rawValue) summarizes raw values; remove the aggregate")
        }
        var unit = Unit(path: path, mark: mark, encoding: encoding, data: data)
        unit.vertical = channel == .y
        unit.errorChannel = channel
        if let d2 = def(c2), let f2 = d2.field {
            // Pre-computed ranges.
            var p = Position(def: value, binned: false, stacked: false)
            p.lower = field
            p.upper = f2
            p.start = field
            if channel == .y { unit.y = p } else { unit.x = p }
        } else if let e = def(cErr), let ef = e.field {
            let center = data.statistics(field)
            let up = data.statistics(ef)
            let down = def(cErr2)?.field.map { data.statistics($0) }
            var lower: [Double?] = []
            var upper: [Double?] = []
            for i in 0..<data.count {
                guard let c = center[i], let u = up[i] else {
                    lower.append(nil)
                    upper.append(nil)
                    continue
                }
                if let down, let dn = down[i] {
                    upper.append(c + u)
                    lower.append(c + dn)
                } else {
                    upper.append(c + u)
                    lower.append(c - u)
                }
            }
            unit.data["lower_\(field)"] = .numbers(lower)
            unit.data["upper_\(field)"] = .numbers(upper)
            var p = Position(def: value, binned: false, stacked: false)
            p.start = field
            p.lower = "lower_\(field)"
            p.upper = "upper_\(field)"
            if channel == .y { unit.y = p } else { unit.x = p }
        } else {
            // Summarize: group by every other field.
            var groupby: [String] = []
            for (c, defs) in encoding.sorted(by: { $0.key < $1.key }) where c != channel {
                for d in defs {
                    for f in [d.dataField, d.binEndField].compactMap({ $0 }) where !groupby.contains(f) {
                        groupby.append(f)
                    }
                }
            }
            let measures: [(op: AggregateOp, field: String?, as: String)]
            switch mark.extent {
            case "stdev", "stderr":
                let spread: AggregateOp = mark.extent == "stdev" ? .stdev : .stderr
                measures = [(.mean, field, "center_\(field)"), (spread, field, "extent_\(field)")]
            case "ci":
                measures = [
                    (.mean, field, "center_\(field)"), (.ci0, field, "lower_\(field)"), (.ci1, field, "upper_\(field)"),
                ]
            default:
                measures = [
                    (.median, field, "center_\(field)"), (.q1, field, "lower_\(field)"), (.q3, field, "upper_\(field)"),
                ]
            }
            var summary = Transform.aggregate(data, groupby: groupby, measures: measures)
            if mark.extent == "stdev" || mark.extent == "stderr" {
                let c = summary.statistics("center_\(field)")
                let e = summary.statistics("extent_\(field)")
                summary["lower_\(field)"] = .numbers(zip(c, e).map { a, b in a.flatMap { a in b.map { a - $0 } } })
                summary["upper_\(field)"] = .numbers(zip(c, e).map { a, b in a.flatMap { a in b.map { a + $0 } } })
            }
            unit.data = summary
            var p = Position(def: value, binned: false, stacked: false)
            p.start = "center_\(field)"
            p.lower = "lower_\(field)"
            p.upper = "upper_\(field)"
            if channel == .y { unit.y = p } else { unit.x = p }
        }
        if let d = def(other) {
            var p = Position(def: d, binned: d.bin != nil, stacked: false)
            p.start = d.dataField
            p.end = d.binEndField
            p.datum = d.datum
            if other == .x { unit.x = p } else { unit.y = p }
        }
        return unit
    }
}
