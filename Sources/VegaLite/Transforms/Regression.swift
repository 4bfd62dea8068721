import FigpipeBasics
import Foundation

/// Vega-Lite's regression transform (`{"regression": y, "on": x, …}`), run as
/// vega-regression's Regression: rows are partitioned by `groupby` (in order
/// of first appearance); a group with no more rows than the model has
/// parameters (1; quad 2; poly `order`) is skipped; each other group is fit
/// and either its curve is sampled over `extent` (by default the group's
/// extent of x) — the two ends for `linear`, vega-statistics `sampleCurve`
/// (25 to 200 steps, adaptive) otherwise — or, with `params: true`, one row
/// gives the coefficients and R².
///
/// Vega writes `params` rows as `{keys, coef: [...], rSquared}`; a `Dataset`
/// holds no arrays, so figpipe writes the groupby fields by name and the
/// coefficients as `coef_0`, `coef_1`, … (constant term first), then `rSquared`.
public struct RegressionTransform: Sendable {
    public enum Method: String, Sendable, CaseIterable {
        case linear, log, exp, pow, quad, poly
    }

    public var y: String
    public var x: String
    public var method: Method
    public var order: Int
    public var groupby: [String]
    public var extent: (Double, Double)?
    public var params: Bool
    /// The output x and y fields (default: `on` and the regression field).
    public var names: (String, String)

    static func parse(_ object: SpecObject) throws(SpecError) -> RegressionTransform {
        try object.only(["regression", "on", "groupby", "method", "order", "extent", "params", "as"])
        let y = try object.requiredString("regression")
        let x = try object.requiredString("on")
        let methodName = try object.string("method") ?? "linear"
        guard let method = Method(rawValue: methodName) else {
            throw SpecError(object.path("method"), "unsupported regression method '\(methodName)'")
        }
        var order = 3
        if let v = try object.number("order") {
            guard v >= 0, v == v.rounded(), v <= 20 else {
                throw SpecError(object.path("order"), "expected a whole number from 0 to 20")
            }
            order = Int(v)
        }
        if object.has("order") && method != .poly {
            throw SpecError(object.path("order"), "order applies only to the poly method")
        }
        let names = try outputNames(object, defaults: (x, y))
        return RegressionTransform(
            y: y, x: x, method: method, order: order, groupby: try object.strings("groupby") ?? [],
            extent: try object.pair("extent"), params: try object.bool("params") ?? false, names: names)
    }

    /// `as: [x, y]`; either may be left out (null).
    static func outputNames(_ object: SpecObject, defaults: (String, String)) throws(SpecError) -> (String, String) {
        guard let v = object["as"] else { return defaults }
        guard let items = v.arrayValue, items.count <= 2, items.allSatisfy({ $0 == .null || $0.stringValue != nil })
        else { throw SpecError(object.path("as"), "expected [x, y] output names") }
        return (
            items.first?.stringValue ?? defaults.0, items.count > 1 ? items[1].stringValue ?? defaults.1 : defaults.1
        )
    }

    /// The model's parameter count Vega compares the group size with.
    var degreesOfFreedom: Int { method == .poly ? order : method == .quad ? 2 : 1 }

    func apply(to data: Dataset, path: String) throws(SpecError) -> Dataset {
        try requireFields([x, y], in: data, path: path, key: "regression")
        var domain = extent
        if method == .log, let d = domain, d.0 <= 0 { domain = nil }  // Vega ignores it (with a warning)
        let groups = Grouping(data, by: groupby, arrayKey: true)
        var outRows: [Int] = []
        var xs: [Double?] = []
        var ys: [Double?] = []
        var coefs: [[Double]] = []
        var rSquared: [Double?] = []
        for rows in groups.rows where rows.count > degreesOfFreedom {
            let points = RegressionPoints(data, rows: rows, x: x, y: y)
            let model = RegressionModel.fit(method, points, order: order)
            if params {
                outRows.append(rows[0])
                coefs.append(model.coefficients)
                rSquared.append(model.rSquared)
                continue
            }
            guard let dom = domain ?? points.rawExtent else { continue }
            let samples =
                method == .linear
                ? [(dom.0, model.predict(dom.0)), (dom.1, model.predict(dom.1))]
                : SampleCurve.sample(model.predict, extent: dom, minSteps: 25, maxSteps: 200)
            for (px, py) in samples {
                outRows.append(rows[0])
                xs.append(px)
                ys.append(py)
            }
        }
        var out = Self.groupColumns(data, rows: outRows, groupby: groupby)
        if params {
            let k = coefs.map(\.count).max() ?? 0
            for i in 0..<k { out["coef_\(i)"] = .numbers(coefs.map { i < $0.count ? $0[i] : nil }) }
            out["rSquared"] = .numbers(rSquared)
        } else {
            out[names.0] = .numbers(xs)
            out[names.1] = .numbers(ys)
        }
        return out
    }

    /// The groupby fields of the given rows (a dataset of that many rows).
    static func groupColumns(_ data: Dataset, rows: [Int], groupby: [String]) -> Dataset {
        var out = Dataset(count: rows.count)
        for g in groupby { out[g] = Column(rows.map { data.value(g, $0) }) }
        return out
    }
}

/// A field the transform reads that no row has is a spec error (a typo
/// would otherwise give an empty fit).
func requireFields(_ fields: [String], in data: Dataset, path: String, key: String) throws(SpecError) {
    guard data.count > 0 else { return }
    for f in fields where data[f] == nil {
        throw SpecError(
            SpecError.join(path, key),
            "field '\(f)' is not in the data (fields: \(data.fields.joined(separator: ", ")))")
    }
}

/// The valid (x, y) points of a group, as vega-statistics `points` takes
/// them: both non-null and numbers (`+v` not NaN), in row order; with their
/// means and the mean-centred values.
struct RegressionPoints {
    var x: [Double] = []
    var y: [Double] = []
    var meanX = 0.0
    var meanY = 0.0
    /// vega-util `extent` of the group's x values (nulls and NaN left out).
    var rawExtent: (Double, Double)?

    init(_ data: Dataset, rows: [Int], x xField: String, y yField: String, sorted: Bool = false) {
        var lo = Double.infinity
        var hi = -Double.infinity
        var pairs: [(Double, Double)] = []
        for r in rows {
            let u = data.value(xField, r)
            let v = data.value(yField, r)
            if u != .null, case let xn = JavaScript.toNumber(u), !xn.isNaN {
                lo = Swift.min(lo, xn)
                hi = Swift.max(hi, xn)
                if v != .null, case let yn = JavaScript.toNumber(v), !yn.isNaN { pairs.append((xn, yn)) }
            }
        }
        if lo <= hi { rawExtent = (lo, hi) }
        if sorted { pairs.sort { $0.0 < $1.0 } }  // Swift's sort is stable, as JavaScript's
        var i = 0.0
        for (a, b) in pairs {
            x.append(a)
            y.append(b)
            i += 1
            meanX += (a - meanX) / i
            meanY += (b - meanY) / i
        }
    }

    var count: Int { x.count }
    var centredX: [Double] { x.map { $0 - meanX } }
    var centredY: [Double] { y.map { $0 - meanY } }
}

/// A fitted model: coefficients (constant term first), R², and the prediction.
struct RegressionModel {
    var coefficients: [Double]
    var rSquared: Double
    var predict: (Double) -> Double

    static func fit(_ method: RegressionTransform.Method, _ p: RegressionPoints, order: Int) -> RegressionModel {
        switch method {
        case .linear: return linear(p)
        case .log: return logarithmic(p)
        case .exp: return exponential(p)
        case .pow: return power(p)
        case .quad: return quadratic(p)
        case .poly: return polynomial(p, order: order)
        }
    }

    /// Ordinary least squares from running means: slope 0 when x has no spread.
    static func ols(_ mx: Double, _ my: Double, _ mxy: Double, _ mx2: Double) -> (intercept: Double, slope: Double) {
        let delta = mx2 - mx * mx
        let slope = Swift.abs(delta) < 1e-24 ? 0 : (mxy - mx * my) / delta
        return (my - slope * mx, slope)
    }

    /// 1 − SSE/SST over the points, with `meanY` as the reference.
    static func rSquared(_ p: RegressionPoints, _ meanY: Double, _ predict: (Double) -> Double) -> Double {
        var sse = 0.0
        var sst = 0.0
        for (x, y) in zip(p.x, p.y) {
            let e = y - predict(x)
            let t = y - meanY
            sse += e * e
            sst += t * t
        }
        return 1 - sse / sst
    }

    /// Running means of x, y, xy and x² after mapping x and y.
    static func means(_ p: RegressionPoints, _ fx: (Double) -> Double, _ fy: (Double) -> Double)
        -> (x: Double, y: Double, xy: Double, x2: Double)
    {
        var mx = 0.0
        var my = 0.0
        var mxy = 0.0
        var mx2 = 0.0
        var n = 0.0
        for (a, b) in zip(p.x, p.y) {
            let u = fx(a)
            let v = fy(b)
            n += 1
            mx += (u - mx) / n
            my += (v - my) / n
            mxy += (u * v - mxy) / n
            mx2 += (u * u - mx2) / n
        }
        return (mx, my, mxy, mx2)
    }

    static func linear(_ p: RegressionPoints) -> RegressionModel {
        let m = means(p, { $0 }, { $0 })
        let (a, b) = ols(m.x, m.y, m.xy, m.x2)
        let predict: @Sendable (Double) -> Double = { a + b * $0 }
        return RegressionModel(coefficients: [a, b], rSquared: rSquared(p, m.y, predict), predict: predict)
    }

    /// y = a + b·ln(x).
    static func logarithmic(_ p: RegressionPoints) -> RegressionModel {
        let m = means(p, { Foundation.log($0) }, { $0 })
        let (a, b) = ols(m.x, m.y, m.xy, m.x2)
        let predict: @Sendable (Double) -> Double = { a + b * Foundation.log($0) }
        return RegressionModel(coefficients: [a, b], rSquared: rSquared(p, m.y, predict), predict: predict)
    }

    /// y = a·e^(b·x), fit as Vega does: least squares of ln(y) weighted by y,
    /// on x centred at its mean.
    static func exponential(_ p: RegressionPoints) -> RegressionModel {
        let cx = p.centredX
        var yl = 0.0
        var xy = 0.0
        var xyl = 0.0
        var x2y = 0.0
        var n = 0.0
        for (dx, dy) in zip(cx, p.y) {
            n += 1
            let ly = Foundation.log(dy)
            let xyv = dx * dy
            yl += (dy * ly - yl) / n
            xy += (xyv - xy) / n
            xyl += (xyv * ly - xyl) / n
            x2y += (dx * xyv - x2y) / n
        }
        let uy = p.meanY
        let ux = p.meanX
        let (c0, c1) = ols(xy / uy, yl / uy, xyl / uy, x2y / uy)
        let predict: @Sendable (Double) -> Double = { Foundation.exp(c0 + c1 * ($0 - ux)) }
        return RegressionModel(
            coefficients: [Foundation.exp(c0 - c1 * ux), c1], rSquared: rSquared(p, uy, predict), predict: predict)
    }

    /// y = a·x^b, by least squares of ln(y) on ln(x); R² against the mean of y.
    static func power(_ p: RegressionPoints) -> RegressionModel {
        let m = means(p, { Foundation.log($0) }, { Foundation.log($0) })
        var meanY = 0.0
        var n = 0.0
        for y in p.y {
            n += 1
            meanY += (y - meanY) / n
        }
        let (la, b) = ols(m.x, m.y, m.xy, m.x2)
        let a = Foundation.exp(la)
        let predict: @Sendable (Double) -> Double = { a * JavaScript.pow($0, b) }
        return RegressionModel(coefficients: [a, b], rSquared: rSquared(p, meanY, predict), predict: predict)
    }

    /// y = a + b·x + c·x², solved on the mean-centred points.
    static func quadratic(_ p: RegressionPoints) -> RegressionModel {
        let xv = p.centredX
        let yv = p.centredY
        var x2s = 0.0
        var x3 = 0.0
        var x4 = 0.0
        var xy = 0.0
        var x2y = 0.0
        var i = 0.0
        for (dx, dy) in zip(xv, yv) {
            i += 1
            let x2 = dx * dx
            x2s += (x2 - x2s) / i
            x3 += (x2 * dx - x3) / i
            x4 += (x2 * x2 - x4) / i
            xy += (dx * dy - xy) / i
            x2y += (x2 * dy - x2y) / i
        }
        let x2x2 = x4 - x2s * x2s
        let d = x2s * x2x2 - x3 * x3
        let a = (x2y * x2s - xy * x3) / d
        let b = (xy * x2x2 - x2y * x3) / d
        let c = -a * x2s
        let ux = p.meanX
        let uy = p.meanY
        let predict: @Sendable (Double) -> Double = { v in
            let x = v - ux
            return a * x * x + b * x + c + uy
        }
        return RegressionModel(
            coefficients: [c - b * ux + a * ux * ux + uy, b - 2 * a * ux, a], rSquared: rSquared(p, uy, predict),
            predict: predict)
    }

    /// The constant model (poly of order 0): the mean of y, R² 0.
    static func constant(_ p: RegressionPoints) -> RegressionModel {
        let mean = p.meanY
        return RegressionModel(coefficients: [mean], rSquared: 0, predict: { _ in mean })
    }

    /// A polynomial of degree `order`: the normal equations of the
    /// mean-centred points solved by Gaussian elimination with partial
    /// pivoting (as Vega does it), the coefficients then expanded back to
    /// powers of x. Orders 0, 1 and 2 use the constant, linear and quadratic fits.
    static func polynomial(_ p: RegressionPoints, order: Int) -> RegressionModel {
        switch order {
        case 0: return constant(p)
        case 1: return linear(p)
        case 2: return quadratic(p)
        default: break
        }
        let xv = p.centredX
        let yv = p.centredY
        let k = order + 1
        // matrix[column][row]: k columns of sums of x^(i+j), then the right-hand side.
        var matrix: [[Double]] = []
        var rhs: [Double] = []
        for i in 0..<k {
            var v = 0.0
            for l in 0..<xv.count { v += JavaScript.pow(xv[l], Double(i)) * yv[l] }
            rhs.append(v)
            var column = [Double](repeating: 0, count: k)
            for j in 0..<k {
                var s = 0.0
                for l in 0..<xv.count { s += JavaScript.pow(xv[l], Double(i + j)) }
                column[j] = s
            }
            matrix.append(column)
        }
        matrix.append(rhs)
        let coef = gaussianElimination(&matrix)
        let ux = p.meanX
        let uy = p.meanY
        let predict: @Sendable (Double) -> Double = { v in
            let x = v - ux
            var y = uy + coef[0] + coef[1] * x + coef[2] * x * x
            for i in 3..<k { y += coef[i] * JavaScript.pow(x, Double(i)) }
            return y
        }
        return RegressionModel(
            coefficients: uncenter(coef, shift: -ux, offset: uy), rSquared: rSquared(p, uy, predict), predict: predict)
    }

    /// Solves the system stored column-major in `m` (n columns, then the
    /// right-hand side), pivoting on the largest entry of each column's row.
    static func gaussianElimination(_ m: inout [[Double]]) -> [Double] {
        let n = m.count - 1
        for i in 0..<n {
            var r = i
            for j in (i + 1)..<Swift.max(i + 1, n) where Swift.abs(m[i][j]) > Swift.abs(m[i][r]) { r = j }
            for k in i..<(n + 1) { m[k].swapAt(i, r) }
            for j in (i + 1)..<Swift.max(i + 1, n) {
                for k in stride(from: n, through: i, by: -1) { m[k][j] -= (m[k][i] * m[i][j]) / m[i][i] }
            }
        }
        var coef = [Double](repeating: 0, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
            var t = 0.0
            for k in (j + 1)..<Swift.max(j + 1, n) { t += m[k][j] * coef[k] }
            coef[j] = (m[n][j] - t) / m[j][j]
        }
        return coef
    }

    /// The coefficients of p(x + shift) + offset, from those of p: each term
    /// a·x^i expanded binomially.
    static func uncenter(_ a: [Double], shift: Double, offset: Double) -> [Double] {
        let k = a.count
        var z = [Double](repeating: 0, count: k)
        for i in stride(from: k - 1, through: 0, by: -1) {
            let v = a[i]
            var c = 1.0
            z[i] += v
            if i >= 1 {
                for j in 1...i {
                    c *= Double(i + 1 - j) / Double(j)
                    z[i - j] += v * JavaScript.pow(shift, Double(j)) * c
                }
            }
        }
        z[0] += offset
        return z
    }
}
