import FigpipeBasics
import Foundation

/// Vega-Lite's loess transform (`{"loess": y, "on": x, "bandwidth": 0.3, …}`),
/// run as vega-regression's Loess over vega-statistics `loess`: per group
/// (in order of first appearance), the valid points sorted by x (stably)
/// and centred on their means; a local linear fit at every point over its
/// ⌊bandwidth × n⌋ (at least 2) nearest neighbours, weighted by the tricube
/// of the distance over the farthest neighbour's; then two robustness
/// passes reweighting by the bisquare of residual / (6 × median residual)
/// (a weight of 1e-12 beyond; stopping early when the median residual is
/// below 1e-12). The output is one point per distinct x.
///
/// Where several points share an x, Vega "averages" their fits with a
/// running mean whose count starts at 0, so the second point's fit replaces
/// the first's and the later ones are averaged with it; figpipe does the same.
public struct LoessTransform: Sendable {
    public var y: String
    public var x: String
    public var bandwidth: Double
    public var groupby: [String]
    public var names: (String, String)

    static func parse(_ object: SpecObject) throws(SpecError) -> LoessTransform {
        try object.only(["loess", "on", "bandwidth", "groupby", "as"])
        let y = try object.requiredString("loess")
        let x = try object.requiredString("on")
        let bandwidth = try object.number("bandwidth") ?? 0.3
        guard bandwidth > 0 && bandwidth <= 1 else {
            throw SpecError(object.path("bandwidth"), "expected a number in (0, 1]")
        }
        return LoessTransform(
            y: y, x: x, bandwidth: bandwidth, groupby: try object.strings("groupby") ?? [],
            names: try RegressionTransform.outputNames(object, defaults: (x, y)))
    }

    func apply(to data: Dataset, path: String) throws(SpecError) -> Dataset {
        try requireFields([x, y], in: data, path: path, key: "loess")
        var outRows: [Int] = []
        var xs: [Double?] = []
        var ys: [Double?] = []
        for rows in Grouping(data, by: groupby, arrayKey: true).rows {
            let points = RegressionPoints(data, rows: rows, x: x, y: y, sorted: true)
            for (px, py) in Self.loess(points, bandwidth: bandwidth) {
                outRows.append(rows[0])
                xs.append(px)
                ys.append(py)
            }
        }
        var out = RegressionTransform.groupColumns(data, rows: outRows, groupby: groupby)
        out[names.0] = .numbers(xs)
        out[names.1] = .numbers(ys)
        return out
    }

    static let maxIterations = 2
    static let epsilon = 1e-12

    static func tricube(_ x: Double) -> Double {
        let t = 1 - x * x * x
        return t * t * t
    }

    /// The smoothed points of x-sorted `points`.
    static func loess(_ points: RegressionPoints, bandwidth: Double) -> [(Double, Double)] {
        let xv = points.centredX
        let yv = points.centredY
        let n = xv.count
        if n == 0 { return [] }
        // ~~(bandwidth * n): truncation toward zero.
        let bw = Swift.max(
            2, Int(Double(Int32(truncatingIfNeeded: Int64((bandwidth * Double(n)).rounded(.towardZero))))))
        // Out of range reads are JavaScript's undefined, NaN in arithmetic.
        func xAt(_ k: Int) -> Double { k < n ? xv[k] : .nan }
        var yhat = [Double](repeating: 0, count: n)
        var residuals = [Double](repeating: 0, count: n)
        var robust = [Double](repeating: 1, count: n)
        for iteration in 0...maxIterations {
            var interval = (0, bw - 1)
            for i in 0..<n {
                let dx = xv[i]
                let (i0, i1) = interval
                let edge = (dx - xAt(i0)) > (xAt(i1) - dx) ? i0 : i1
                let spread = Swift.abs(xAt(edge) - dx)
                let denom = 1 / (spread != 0 && !spread.isNaN ? spread : 1)
                var w = 0.0
                var sx = 0.0
                var sy = 0.0
                var sxy = 0.0
                var sx2 = 0.0
                for k in i0...i1 {
                    let xk = xAt(k)
                    let yk = k < n ? yv[k] : .nan
                    let weight = tricube(Swift.abs(dx - xk) * denom) * (k < n ? robust[k] : .nan)
                    let xkw = xk * weight
                    w += weight
                    sx += xkw
                    sy += yk * weight
                    sxy += yk * xkw
                    sx2 += xk * xkw
                }
                let (a, b) = RegressionModel.ols(sx / w, sy / w, sxy / w, sx2 / w)
                yhat[i] = a + b * dx
                residuals[i] = Swift.abs(yv[i] - yhat[i])
                updateInterval(xv, i + 1, &interval)
            }
            if iteration == maxIterations { break }
            let median = AggregateOp.quantile(residuals.filter { !$0.isNaN }, 0.5) ?? .nan
            if Swift.abs(median) < epsilon { break }
            for i in 0..<n {
                let arg = residuals[i] / (6 * median)
                let t = 1 - arg * arg
                robust[i] = arg >= 1 ? epsilon : t * t
            }
        }
        // One point per distinct x, with Vega's running average (see above).
        var out: [(Double, Double)] = []
        var count = 0
        for i in 0..<n {
            let v = xv[i] + points.meanX
            if let last = out.last, last.0 == v {
                count += 1
                out[out.count - 1].1 += (yhat[i] - last.1) / Double(count)
            } else {
                count = 0
                out.append((v, yhat[i]))
            }
        }
        return out.map { ($0.0, $0.1 + points.meanY) }
    }

    /// Slides the neighbour window right while the next point past its
    /// right edge is no farther from x[i] than its left edge is (ties move,
    /// so duplicated x values are passed).
    static func updateInterval(_ xv: [Double], _ i: Int, _ interval: inout (Int, Int)) {
        guard i < xv.count else { return }
        let val = xv[i]
        var left = interval.0
        var right = interval.1 + 1
        if right >= xv.count { return }
        while i > left && right < xv.count && (xv[right] - val) <= (val - xv[left]) {
            left += 1
            interval = (left, right)
            right += 1
        }
    }
}
