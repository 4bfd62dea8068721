/// The result of ``LeastSquares/curveFit(_:x:y:p0:lower:upper:maxfev:)``.
public struct CurveFitResult: Sendable, Equatable {
    /// The fitted parameters (`popt`).
    public var popt: [Double]
    /// `pcov`, row-major `popt.count × popt.count`, as `curve_fit(absolute_sigma=False)` computes
    /// it from the SVD of the final Jacobian (all `+inf` when it cannot be estimated).
    public var pcov: [Double]
    /// The `least_squares` result behind the fit (cost, nfev, status, ...).
    public var leastSquares: LeastSquaresResult
}

extension LeastSquares {
    /// `scipy.optimize.curve_fit(f, xdata, ydata, p0, bounds=(lower, upper), maxfev=maxfev)`
    /// (scipy 1.17, no `sigma`), i.e. `least_squares(lambda p: f(xdata, *p) - ydata, p0,
    /// jac='2-point', bounds=(lower, upper), method='trf', max_nfev=maxfev)`.
    ///
    /// `model(x, p)` evaluates the model at every `x` for parameters `p`. Throws
    /// ``LeastSquaresError/optimalParametersNotFound(status:message:nfev:)`` where `curve_fit`
    /// raises `RuntimeError` (`least_squares` unsuccessful, e.g. `maxfev` reached) and
    /// ``LeastSquaresError/valueError(_:)`` where it raises `ValueError` (non-finite data,
    /// non-finite residuals at `p0`, `p0` outside the bounds, and — scipy quirk — a final
    /// Jacobian containing inf/NaN, which `scipy.linalg.svd` rejects while computing `pcov`).
    public static func curveFit(
        _ model: ([Double], [Double]) -> [Double], x: [Double], y: [Double], p0: [Double], lower: [Double],
        upper: [Double], maxfev: Int? = nil
    ) throws(LeastSquaresError) -> CurveFitResult {
        // np.asarray_chkfinite(ydata) / (xdata).
        if !y.allSatisfy({ $0.isFinite }) || !x.allSatisfy({ $0.isFinite }) {
            throw .valueError("array must not contain infs or NaNs")
        }
        if y.isEmpty { throw .valueError("`ydata` must not be empty!") }
        let residuals: ([Double]) -> [Double] = { p in
            let fx = model(x, p)
            var r = [Double](repeating: 0, count: y.count)
            for i in 0..<y.count { r[i] = fx[i] - y[i] }
            return r
        }
        let res = try trf(residuals, x0: p0, lower: lower, upper: upper, maxNfev: maxfev)
        if !res.success {
            throw .optimalParametersNotFound(status: res.status, message: res.message, nfev: res.nfev)
        }
        // pcov: svd(res.jac) (check_finite=True), drop s <= eps * max(shape) * s[0].
        guard res.jac.allSatisfy({ $0.isFinite }) else { throw .valueError("array must not contain infs or NaNs") }
        let n = p0.count
        let m = res.fun.count
        let svd = ThinSVD(res.jac, rows: m, cols: n)
        let threshold = Double.ulpOfOne * Double(Swift.max(m, n)) * (svd.s.first ?? 0)
        var pcov = [Double](repeating: 0, count: n * n)
        for k in 0..<svd.k where svd.s[k] > threshold {
            let s2 = svd.s[k] * svd.s[k]
            for i in 0..<n { for j in 0..<n { pcov[i * n + j] += svd.vt[k * n + i] / s2 * svd.vt[k * n + j] } }
        }
        if pcov.contains(where: { $0.isNaN }) || m <= n {
            pcov = [Double](repeating: .infinity, count: n * n)
        } else {
            let sSq = 2 * res.cost / Double(m - n)
            pcov = pcov.map { $0 * sSq }
        }
        return CurveFitResult(popt: res.x, pcov: pcov, leastSquares: res)
    }
}
