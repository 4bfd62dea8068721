import Foundation

/// A fitted Richards curve `y = floor + (C − floor) · σ(k·(x − x0))^v`, as the Delphi exporter's
/// `_fit_richards` returns it: `(k, x0, v, C)`.
public struct RichardsFit: Sendable, Equatable {
    /// Steepness `k`.
    public var k: Double
    /// Midpoint `x0`.
    public var x0: Double
    /// Richards shape exponent `v` (1 = plain logistic).
    public var v: Double
    /// Ceiling `C` (fitted, or the pinned ceiling passed in).
    public var c: Double

    /// Creates a fit from its four parameters.
    public init(k: Double, x0: Double, v: Double, c: Double) {
        self.k = k
        self.x0 = x0
        self.v = v
        self.c = c
    }

    /// The curve at `x` for the given floor: the exporter's
    /// `floor + (C - floor) / (1.0 + np.exp(-k * (x - x0))) ** v`, in the same operation order.
    /// (numpy's SIMD `exp`/`power` may differ from libm's in the last bit.)
    public func callAsFunction(_ x: Double, floor: Double) -> Double {
        Richards.model(x, k: k, x0: x0, v: v, c: c, floor: floor)
    }
}

/// The Richards-sigmoid fits of `delphi_export_figures.py` (`_fit_richards`, `_invert_richards`).
public enum Richards {
    /// `floor + (C - floor) / (1.0 + np.exp(-k * (x - x0))) ** v`.
    public static func model(_ x: Double, k: Double, x0: Double, v: Double, c: Double, floor: Double) -> Double {
        floor + (c - floor) / pow(1.0 + exp(-k * (x - x0)), v)
    }

    /// `_fit_richards(x, y, floor=floor, ceiling=ceiling)` from `delphi_export_figures.py`:
    /// `scipy.optimize.curve_fit` of the Richards curve with `maxfev=20000`.
    ///
    /// - Free ceiling (`ceiling == nil`): parameters `(k, x0, v, C)`, `p0 = [5, median(x), 1, 0.95]`,
    ///   bounds `[0.1, min(x) − 2, 0.1, floor + 0.05]` … `[50, max(x) + 2, 20, 1]`.
    /// - Pinned ceiling: parameters `(k, x0, v)`, `p0 = [5, median(x), 1]`, bounds
    ///   `[0.1, min(x) − 2, 0.1]` … `[50, max(x) + 2, 20]`; the result's `c` is `ceiling`.
    ///
    /// Returns nil wherever the exporter returns None: `curve_fit` raised (RuntimeError when the
    /// optimiser fails, ValueError for non-finite data or residuals). Empty `x` also gives nil (the
    /// exporter would raise from `x.min()`).
    public static func fit(x: [Double], y: [Double], floor: Double, ceiling: Double? = nil) -> RichardsFit? {
        guard !x.isEmpty, x.count == y.count else { return nil }
        // p0's x0: float(np.median(x)).
        let median = NP.median(x)
        // float(x.min()), float(x.max()) — NaN propagates as numpy's min/max would.
        var xLo = x[0]
        var xHi = x[0]
        for v in x {
            if v.isNaN || xLo.isNaN {
                xLo = .nan
                xHi = .nan
                break
            }
            if v < xLo { xLo = v }
            if v > xHi { xHi = v }
        }
        if let ceiling {
            let model: ([Double], [Double]) -> [Double] = { xv, p in
                xv.map { Self.model($0, k: p[0], x0: p[1], v: p[2], c: ceiling, floor: floor) }
            }
            do {
                let r = try LeastSquares.curveFit(
                    model, x: x, y: y, p0: [5.0, median, 1.0], lower: [0.1, xLo - 2.0, 0.1],
                    upper: [50.0, xHi + 2.0, 20.0], maxfev: 20000)
                return RichardsFit(k: r.popt[0], x0: r.popt[1], v: r.popt[2], c: ceiling)
            } catch {
                return nil
            }
        }
        let model: ([Double], [Double]) -> [Double] = { xv, p in
            xv.map { Self.model($0, k: p[0], x0: p[1], v: p[2], c: p[3], floor: floor) }
        }
        do {
            let r = try LeastSquares.curveFit(
                model, x: x, y: y, p0: [5.0, median, 1.0, 0.95], lower: [0.1, xLo - 2.0, 0.1, floor + 0.05],
                upper: [50.0, xHi + 2.0, 20.0, 1.0], maxfev: 20000)
            return RichardsFit(k: r.popt[0], x0: r.popt[1], v: r.popt[2], c: r.popt[3])
        } catch {
            return nil
        }
    }

    /// `_invert_richards(k, x0, v, target=, floor=, ceiling=)`: the `x` where the curve equals
    /// `target`, `x0 - log(1/s - 1) / k` with `s = ((target - floor) / (ceiling - floor)) ** (1/v)`.
    public static func invert(k: Double, x0: Double, v: Double, target: Double, floor: Double, ceiling: Double)
        -> Double
    {
        let s = pow((target - floor) / (ceiling - floor), 1.0 / v)
        return x0 - log(1.0 / s - 1.0) / k
    }
}
