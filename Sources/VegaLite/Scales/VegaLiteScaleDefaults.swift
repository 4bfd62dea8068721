/// Vega-Lite's defaults for the scale and axis properties a spec leaves
/// out (vega-lite src/compile/scale/properties.ts `zero`, `nice`,
/// `reverse`; src/scale.ts `scaleTypeSupportProperty`;
/// src/compile/axis/properties.ts `defaultTickCount`, `defaultTickMinStep`),
/// for quantitative fields on continuous scales.
public enum VegaLiteScaleDefaults {
    /// The continuous scale types Vega-Lite knows for quantitative fields.
    public enum ScaleType: String, Sendable, CaseIterable {
        case linear, log, pow, sqrt, symlog
    }

    /// An encoding channel, as far as the defaults tell channels apart.
    public enum Channel: String, Sendable {
        case x, y, size, color, other
    }

    /// A mark's orientation.
    public enum Orient: String, Sendable {
        case horizontal, vertical
    }

    /// An explicit `scale.domain`, as far as `zero` looks at it.
    public enum Domain: Sendable, Equatable {
        /// No domain given.
        case none
        /// `"unaggregated"` (not a custom domain).
        case unaggregated
        /// An array: its first and last value.
        case values(first: Double, last: Double)
        /// Anything else (a selection, a signal, `domainMin`/`domainMax` alone do not count).
        case other
    }

    /// Vega-Lite's `zero` default, or nil where Vega-Lite writes none (log
    /// scales, which cannot hold zero). An explicit array domain keeps zero
    /// only when it spans 0; `size` includes zero; so do unbinned x and y,
    /// except along the orientation of bar, area, line and trail marks
    /// (their x for vertical marks, y for horizontal ones).
    public static func zero(
        channel: Channel, scaleType: ScaleType, fieldIsBinned: Bool, markType: String, orient: Orient?,
        domain: Domain = .none
    ) -> Bool? {
        if scaleType == .log { return nil }
        switch domain {
        case .values(let first, let last): return first <= 0 && last >= 0
        case .other: return false
        case .none, .unaggregated: break
        }
        if channel == .size { return true }
        if !fieldIsBinned && (channel == .x || channel == .y) {
            if ["bar", "area", "line", "trail"].contains(markType) {
                if (orient == .horizontal && channel == .y) || (orient == .vertical && channel == .x) { return false }
            }
            return true
        }
        return false
    }

    /// Vega-Lite's `nice` default: true for unbinned x and y without an
    /// explicit array domain, nil (Vega's default, no nicing) otherwise.
    public static func nice(channel: Channel, fieldIsBinned: Bool, domain: Domain = .none) -> Bool? {
        if fieldIsBinned { return nil }
        if case .values = domain { return nil }
        return channel == .x || channel == .y ? true : nil
    }

    /// Vega-Lite's `reverse` default: true for a descending sort.
    public static func reverse(sortDescending: Bool) -> Bool? {
        sortDescending ? true : nil
    }

    /// Vega-Lite's axis `tickCount` default for a continuous scale of
    /// `size` pixels: ceil(size/40), ceil(size/10) for binned fields, nil
    /// (Vega's 10) for log scales and explicit `values`.
    public static func axisTickCount(scaleType: ScaleType, size: Double, fieldIsBinned: Bool, hasValues: Bool)
        -> Double?
    {
        if hasValues || scaleType == .log { return nil }
        return (size / (fieldIsBinned ? 10 : 40)).rounded(.up)
    }

    /// Vega-Lite's axis `tickMinStep` default: 1 for format `d`.
    public static func axisTickMinStep(format: String?) -> Double? {
        format == "d" ? 1 : nil
    }

    /// The d3 scale of a Vega-Lite scale type (`sqrt` is pow 0.5).
    public static func kind(_ type: ScaleType, base: Double? = nil, exponent: Double? = nil, constant: Double? = nil)
        -> ContinuousScale.Kind
    {
        switch type {
        case .linear: .linear
        case .log: .log(base: base ?? 10)
        case .pow: .pow(exponent: exponent ?? 1)
        case .sqrt: .pow(exponent: 0.5)
        case .symlog: .symlog(constant: constant ?? 1)
        }
    }
}
