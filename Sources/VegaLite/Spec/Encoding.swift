/// The encoding channels of the subset, parsed from a unit's (or a layer's
/// shared) `encoding` object, with Vega-Lite's defaults filled in.

/// An encoding channel.
public enum Channel: String, Sendable, CaseIterable, Comparable {
    case x, y, x2, y2, xError, yError, xError2, yError2
    case color, fill, stroke, shape, size, opacity, strokeDash
    case text, tooltip, detail, order
    case row, column, facet

    public static func < (a: Channel, b: Channel) -> Bool {
        allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }

    /// Channels that group the data into series (one line, one area, one legend entry per value).
    static let grouping: [Channel] = [.color, .fill, .stroke, .shape, .strokeDash, .opacity, .size, .detail]
}

/// A field's measurement type.
public enum FieldType: String, Sendable {
    case quantitative, ordinal, nominal

    public var isDiscrete: Bool { self != .quantitative }
}

/// A sort order for a discrete field's domain.
public enum SortOrder: Sendable, Equatable {
    case ascending
    case descending
    /// Unsorted: the order of first appearance.
    case none
    /// An explicit order of values (the rest follow, ascending).
    case values([FieldValue])
    /// By another channel's or field's aggregate (`{"op": "mean", "field": "y"}` or `"-y"`).
    case byEncoding(channel: Channel, descending: Bool)
    case byField(op: AggregateOp, field: String?, descending: Bool)
}

/// `scale` of a channel.
public struct ScaleDef: Sendable, Equatable {
    public enum Kind: String, Sendable { case linear, log, pow, sqrt, symlog, band, point, ordinal }
    public var type: Kind?
    public var base: Double = 10
    public var exponent: Double = 1
    public var constant: Double = 1
    public var domain: [FieldValue]?
    public var zero: Bool?
    public var nice: Bool?
    public var niceCount: Double?
    public var reverse = false
    public var scheme: String?
    public var range: [FieldValue]?
    public var padding: Double?
    public var paddingInner: Double?
    public var paddingOuter: Double?

    public init() {}
}

/// `axis` of a position channel; nil members take the defaults.
public struct AxisDef: Sendable, Equatable {
    public var title: [String]?
    public var format: String?
    public var tickCount: Double?
    public var values: [FieldValue]?
    public var labelAngle: Double?
    public var grid: Bool?
    public var labels = true
    public var ticks = true
    public var hidden = false
    public init() {}
}

/// `legend` of a non-position channel.
public struct LegendDef: Sendable, Equatable {
    public var title: [String]?
    public var orient: String?
    public var hidden = false
    public var format: String?
    public init() {}
}

/// One channel's definition: a field (with type, aggregate, bin, scale,
/// axis, legend), a constant `value`, or a `datum` in the data's domain.
public struct ChannelDef: Sendable, Equatable {
    public var field: String?
    public var type: FieldType = .nominal
    public var aggregate: AggregateOp?
    /// `errorbar`/`errorband`'s `extent` is on the mark, not here.
    public var bin: BinParameters?
    /// The bin's key in Vega-Lite's field names (`bin_maxbins_10`).
    public var binKey = "bin_maxbins_10"
    public var value: FieldValue?
    public var datum: FieldValue?
    public var title: [String]?
    public var format: String?
    public var sort: SortOrder = .ascending
    public var sortGiven = false
    public var scale = ScaleDef()
    /// `"scale": null`: the values are used as they are (colors as CSS strings).
    public var scaleDisabled = false
    public var axis = AxisDef()
    public var legend = LegendDef()
    /// `stack`: nil = Vega-Lite's default; "zero", "normalize", "center" or false (none).
    public var stack: String?
    public var stackGiven = false
    public var path: String = ""

    public init() {}

    /// The field the mark reads after binning and aggregation, as Vega-Lite
    /// names it: `mean_y`, `__count`, `bin_maxbins_10_x` (and `…_end`).
    public var dataField: String? {
        if let aggregate {
            if aggregate == .count { return "__count" }
            return field.map { aggregate.fieldName(of: $0) }
        }
        if bin != nil, let field { return "\(binKey)_\(field)" }
        return field
    }

    /// The end field of a binned channel.
    public var binEndField: String? {
        guard aggregate == nil, bin != nil, let field else { return nil }
        return "\(binKey)_\(field)_end"
    }

    /// Vega-Lite's default title: the field, "Mean of y", "Count of Records", "x (binned)".
    public var defaultTitle: String {
        if let aggregate {
            if aggregate == .count { return "Count of Records" }
            let name = AggregateTitles.name(aggregate)
            return "\(name) of \(field ?? "")"
        }
        if bin != nil, let field { return "\(field) (binned)" }
        return field ?? ""
    }

    public var titleText: String { (title ?? [defaultTitle]).joined(separator: "\n") }
}

/// The words Vega-Lite's default titles use for aggregates.
enum AggregateTitles {
    static func name(_ op: AggregateOp) -> String {
        switch op {
        case .count: "Count"
        case .valid: "Valid"
        case .missing: "Missing"
        case .sum: "Sum"
        case .product: "Product"
        case .mean: "Mean"
        case .average: "Average"
        case .variance: "Variance"
        case .variancep: "Population variance"
        case .stdev: "Standard deviation"
        case .stdevp: "Population standard deviation"
        case .stderr: "Standard error"
        case .median: "Median"
        case .q1: "Q1"
        case .q3: "Q3"
        case .min: "Min"
        case .max: "Max"
        default: op.rawValue.prefix(1).uppercased() + op.rawValue.dropFirst()
        }
    }
}
