import FigureModel
import Foundation

/// The d3/Vega scale math the compiler needs, in one place: nice domains,
/// axis ticks with Vega's labels, and d3-format for text.
enum ScaleMath {
    /// d3's `nice(count)` of a domain.
    static func nice(_ kind: ContinuousScale.Kind, _ domain: (Double, Double), count: Double) -> (Double, Double) {
        ContinuousScale(kind, domain: domain).nice(count: count).domain
    }

    /// Vega's axis ticks and labels: `count` the axis tickCount (nil: Vega's
    /// default), `values` explicit tick values, `format` a d3-format specifier.
    static func ticks(
        _ kind: ContinuousScale.Kind, _ domain: (Double, Double), pixels: Double, count: Double?, values: [Double]?,
        bins: [Double]?, format: String?, path: String
    ) throws(SpecError) -> [Tick] {
        do {
            return try VegaAxisTicks.ticks(
                scale: ContinuousScale(kind, domain: domain), range: (0, pixels), count: count, values: values,
                bins: bins, specifier: format)
        } catch {
            throw SpecError(path, "\(error)")
        }
    }

    /// A value written with a d3-format specifier (text marks, tooltips, legends).
    static func format(_ value: Double, _ specifier: String, path: String = "") throws(SpecError) -> String {
        do {
            return try D3Format(specifier)(value)
        } catch {
            throw SpecError(path, "\(error)")
        }
    }

    /// The Vega-Lite scale type of a continuous kind, for the defaults.
    static func type(_ kind: ContinuousScale.Kind) -> VegaLiteScaleDefaults.ScaleType {
        switch kind {
        case .linear: .linear
        case .log: .log
        case .pow(let e): e == 0.5 ? .sqrt : .pow
        case .symlog: .symlog
        }
    }
}
