import Numerics

/// Vega's aggregate operations (vega-transforms AggregateOps and TupleStore,
/// vega-statistics quantiles): what `aggregate` transforms and encoding
/// aggregates (`"aggregate": "mean"`) compute for one group.
///
/// A value is missing when it is null (nil), invalid when it is NaN: `count`
/// counts every row, `valid` the others, `missing` the nulls (a NaN is
/// neither). The statistics use the valid values, accumulated as Vega does
/// (Welford's mean and deviation, in row order); an undefined result is nil.
///
/// `ci0` and `ci1` are Vega's bootstrap interval of the mean
/// (vega-statistics `bootstrapCI(values, 1000, 0.05)`): 1000 resamples with
/// replacement, each index `⌊u × n⌋`, their means sorted, and d3's quantiles
/// 0.025 and 0.975 of them. Vega draws `u` from `Math.random`, which cannot
/// be reproduced; figpipe draws it from numpy's PCG64 seeded with 0
/// (`PCG64(seed: 0).nextDouble()`, a fresh stream for every group), so the
/// interval is the same on every run and ci0 and ci1 come from the same resamples.
public enum AggregateOp: String, Sendable, CaseIterable {
    case count, valid, missing, sum, product, mean, average, variance, variancep, stdev, stdevp, stderr
    case median, q1, q3, min, max, ci0, ci1

    public func apply(_ values: [Double?]) -> Double? {
        switch self {
        case .count: return Double(values.count)
        case .missing: return Double(values.filter { $0 == nil }.count)
        default: break
        }
        let valid = values.compactMap { $0 }.filter { !$0.isNaN }
        let n = Double(valid.count)
        switch self {
        case .valid: return n
        case .sum: return valid.isEmpty ? nil : valid.reduce(0, +)
        case .product: return valid.isEmpty ? nil : valid.reduce(1, *)
        case .mean, .average: return valid.isEmpty ? nil : Self.welford(valid).mean
        case .variance: return n > 1 ? Self.welford(valid).dev / (n - 1) : nil
        case .variancep: return n > 1 ? Self.welford(valid).dev / n : nil
        case .stdev: return n > 1 ? (Self.welford(valid).dev / (n - 1)).squareRoot() : nil
        case .stdevp: return n > 1 ? (Self.welford(valid).dev / n).squareRoot() : nil
        case .stderr: return n > 1 ? (Self.welford(valid).dev / (n * (n - 1))).squareRoot() : nil
        case .median: return Self.quantile(valid, 0.5)
        case .q1: return Self.quantile(valid, 0.25)
        case .q3: return Self.quantile(valid, 0.75)
        case .min: return valid.min()
        case .max: return valid.max()
        case .ci0: return Self.bootstrapInterval(valid)?.lower
        case .ci1: return Self.bootstrapInterval(valid)?.upper
        case .count, .missing: return nil
        }
    }

    /// Vega's running mean and sum of squared deviations, value by value.
    static func welford(_ values: [Double]) -> (mean: Double, dev: Double) {
        var mean = 0.0
        var dev = 0.0
        var n = 0.0
        for v in values {
            n += 1
            let d = v - mean
            mean += d / n
            dev += d * (v - mean)
        }
        return (mean, dev)
    }

    /// The number of bootstrap resamples and the interval's level (Vega's).
    static let bootstrapSamples = 1000
    static let bootstrapAlpha = 0.05

    /// Vega's `bootstrapCI` with the seeded stream described above; nil
    /// when there is no valid value.
    static func bootstrapInterval(_ values: [Double]) -> (lower: Double, upper: Double)? {
        guard !values.isEmpty else { return nil }
        var random = PCG64(seed: 0)
        let n = values.count
        var means: [Double] = []
        means.reserveCapacity(bootstrapSamples)
        for _ in 0..<bootstrapSamples {
            var sum = 0.0
            for _ in 0..<n { sum += values[Swift.min(n - 1, Int(random.nextDouble() * Double(n)))] }
            means.append(sum / Double(n))
        }
        guard let lower = quantile(means, bootstrapAlpha / 2), let upper = quantile(means, 1 - bootstrapAlpha / 2)
        else { return nil }
        return (lower, upper)
    }

    /// d3's `quantileSorted` on the sorted values (R-7: linear between the
    /// two nearest ranks); nil when there are none.
    static func quantile(_ values: [Double], _ p: Double) -> Double? {
        let sorted = values.sorted()
        guard let first = sorted.first else { return nil }
        if p <= 0 || sorted.count < 2 { return first }
        if p >= 1 { return sorted[sorted.count - 1] }
        let i = Double(sorted.count - 1) * p
        let i0 = Int(i.rounded(.down))
        return sorted[i0] + (sorted[i0 + 1] - sorted[i0]) * (i - Double(i0))
    }

    /// Vega-Lite's name for the result field: `mean_x` (`count` alone: `__count`).
    public func fieldName(of field: String?) -> String {
        guard let field else { return self == .count ? "__count" : rawValue }
        return "\(rawValue)_\(field)"
    }
}
