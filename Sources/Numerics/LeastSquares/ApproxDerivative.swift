/// Forward-difference Jacobians as `scipy.optimize._numdiff.approx_derivative(fun, x0,
/// method='2-point', f0=f0, bounds=(lb, ub))` computes them (scipy 1.17), the way
/// `least_squares(jac='2-point')` asks for them.
public enum ApproxDerivative {
    /// `EPS**0.5` for float64 (`_eps_for_method(float64, float64, '2-point')`), exactly `2⁻²⁶`.
    public static let twoPointRelativeStep = Double.ulpOfOne.squareRoot()

    /// `_compute_absolute_step(None, x0, f0, '2-point')`: `EPS**0.5 * sign(x0) * max(1, |x0|)`,
    /// where (scipy quirk) `sign(0)` is taken as +1.
    public static func absoluteStep(_ x0: [Double]) -> [Double] {
        x0.map { x in
            let sign: Double = x >= 0 ? 1 : -1
            return twoPointRelativeStep * sign * TRFCommon.npMaximum(1.0, abs(x))
        }
    }

    /// `_adjust_scheme_to_bounds(x0, h, 1, '1-sided', lb, ub)`: flips a step that would leave the
    /// box when the opposite one fits, otherwise steps to the farther bound.
    public static func adjustOneSidedToBounds(_ x0: [Double], _ h: [Double], lower lb: [Double], upper ub: [Double])
        -> [Double]
    {
        if zip(lb, ub).allSatisfy({ $0 == -.infinity && $1 == .infinity }) { return h }
        var adjusted = h
        for i in 0..<x0.count {
            let hTotal = h[i] * 1
            let lowerDist = x0[i] - lb[i]
            let upperDist = ub[i] - x0[i]
            let x = x0[i] + hTotal
            let violated = x < lb[i] || x > ub[i]
            let fitting = abs(hTotal) <= TRFCommon.npMaximum(lowerDist, upperDist)
            if violated && fitting { adjusted[i] *= -1 }
            if upperDist >= lowerDist && !fitting {
                adjusted[i] = upperDist / 1
            } else if upperDist < lowerDist && !fitting {
                adjusted[i] = -lowerDist / 1
            }
        }
        return adjusted
    }

    /// `approx_derivative(fun, x0, method='2-point', f0=f0, bounds=(lower, upper))` as
    /// `least_squares` calls it (no `rel_step`, no sparsity). Returns the row-major
    /// `f0.count × x0.count` Jacobian and the number of function evaluations (`x0.count`).
    ///
    /// Column `i` is `(fun(x0 + h_i e_i) - f0) / dx_i` with the step actually taken,
    /// `dx_i = (x0[i] + h[i]) - x0[i]`, exactly as `_dense_difference` divides.
    public static func twoPoint(
        _ fun: ([Double]) -> [Double], at x0: [Double], f0: [Double], lower: [Double], upper: [Double]
    ) -> (jacobian: [Double], nfev: Int) {
        let n = x0.count
        let m = f0.count
        let h = adjustOneSidedToBounds(x0, absoluteStep(x0), lower: lower, upper: upper)
        var jac = [Double](repeating: 0, count: m * n)
        for i in 0..<n {
            var x1 = x0
            x1[i] = x0[i] + h[i]
            let f1 = fun(x1)
            let dx = (x0[i] + h[i]) - x0[i]
            for r in 0..<m { jac[r * n + i] = (f1[r] - f0[r]) / dx }
        }
        return (jac, n)
    }
}
