import Foundation

/// An error scipy's `least_squares` / `curve_fit` would raise.
public enum LeastSquaresError: Error, Equatable, Sendable {
    /// scipy raised `ValueError` with this message (bad input, non-finite residuals at the
    /// initial point, a non-finite final Jacobian, or a trust-region helper's internal check).
    case valueError(String)
    /// `curve_fit` raised `RuntimeError("Optimal parameters not found: " + message)` because
    /// `least_squares` reported `success == False` (status ≤ 0, e.g. `max_nfev` reached).
    case optimalParametersNotFound(status: Int, message: String, nfev: Int)
}

/// The `OptimizeResult` of `scipy.optimize.least_squares(method='trf')`.
public struct LeastSquaresResult: Sendable, Equatable {
    /// The solution found (`res.x`).
    public var x: [Double]
    /// Half the sum of squared residuals at `x` (`res.cost`).
    public var cost: Double
    /// Residuals at `x` (`res.fun`).
    public var fun: [Double]
    /// The last Jacobian computed, row-major `fun.count × x.count` (`res.jac`): the one at `x`,
    /// or the initial one when no step was ever accepted.
    public var jac: [Double]
    /// `Jᵀ f` at `x` (`res.grad`).
    public var grad: [Double]
    /// First-order optimality `‖g · v‖∞` of the last iteration (`res.optimality`).
    public var optimality: Double
    /// -1 / 0 / 1 for an active lower bound / no active bound / active upper bound (`res.active_mask`).
    public var activeMask: [Int]
    /// Residual evaluations by the solver, not counting the Jacobian's (`res.nfev`).
    public var nfev: Int
    /// Jacobian evaluations (`res.njev`).
    public var njev: Int
    /// scipy's termination status: 0 = `max_nfev` reached, 1 = gtol, 2 = ftol, 3 = xtol, 4 = ftol and xtol.
    public var status: Int

    /// `res.success`: `status > 0`.
    public var success: Bool { status > 0 }

    /// `res.message`, scipy's `TERMINATION_MESSAGES[status]`.
    public var message: String { LeastSquares.terminationMessage(status) }
}

/// scipy's bounded nonlinear least squares: `least_squares(method='trf')` and `curve_fit` with `bounds`.
public enum LeastSquares {
    /// `scipy.optimize._lsq.least_squares.TERMINATION_MESSAGES`.
    public static func terminationMessage(_ status: Int) -> String {
        switch status {
        case -2: return "Stopped because `callback` function raised `StopIteration` or returned `True`"
        case -1: return "Improper input parameters status returned from `leastsq`"
        case 0: return "The maximum number of function evaluations is exceeded."
        case 1: return "`gtol` termination condition is satisfied."
        case 2: return "`ftol` termination condition is satisfied."
        case 3: return "`xtol` termination condition is satisfied."
        case 4: return "Both `ftol` and `xtol` termination conditions are satisfied."
        default: return "Unknown status \(status)"
        }
    }

    /// `scipy.optimize.least_squares(fun, x0, jac='2-point', bounds=(lower, upper), method='trf',
    /// ftol, xtol, gtol, x_scale=None (1.0 for trf), loss='linear', tr_solver='exact',
    /// max_nfev=maxNfev)` (scipy 1.17), including its input checks and the initial
    /// `make_strictly_feasible(x0, lb, ub)`.
    ///
    /// `fun` maps parameters to residuals. `maxNfev == nil` means scipy's default
    /// `100 * x0.count`. Use `±.infinity` for absent bounds; at least one bound must be finite
    /// (scipy's unbounded `trf_no_bounds` path is not ported).
    ///
    /// Returns the result even when `success` is false (like scipy); throws where scipy raises
    /// `ValueError`.
    public static func trf(
        _ fun: ([Double]) -> [Double], x0: [Double], lower: [Double], upper: [Double],
        ftol: Double = 1e-8, xtol: Double = 1e-8, gtol: Double = 1e-8, maxNfev: Int? = nil
    ) throws(LeastSquaresError) -> LeastSquaresResult {
        let n = x0.count
        guard lower.count == n, upper.count == n else {
            throw .valueError("Inconsistent shapes between bounds and `x0`.")
        }
        if let maxNfev, maxNfev <= 0 { throw .valueError("`max_nfev` must be None or positive integer.") }
        for i in 0..<n where lower[i] >= upper[i] {
            throw .valueError("Each lower bound must be strictly less than each upper bound.")
        }
        if !TRFCommon.inBounds(x0, lower, upper) { throw .valueError("Initial guess is outside of provided bounds") }
        if lower.allSatisfy({ $0 == -.infinity }) && upper.allSatisfy({ $0 == .infinity }) {
            throw .valueError("figpipe: unbounded trf (trf_no_bounds) is not ported")
        }
        let x0f = TRFCommon.makeStrictlyFeasible(x0, lower, upper)
        let f0 = fun(x0f)
        let (j0, _) = ApproxDerivative.twoPoint(fun, at: x0f, f0: f0, lower: lower, upper: upper)
        if !f0.allSatisfy({ $0.isFinite }) { throw .valueError("Residuals are not finite in the initial point.") }
        return try trfBounds(
            fun, x0: x0f, f0: f0, j0: j0, lb: lower, ub: upper, ftol: ftol, xtol: xtol, gtol: gtol,
            maxNfev: maxNfev ?? n * 100)
    }

    /// `trf_bounds` from `scipy/optimize/_lsq/trf.py` with `x_scale = 1`, `loss_function = None`,
    /// `tr_solver = 'exact'`, no callback. Operation order follows scipy's; multiplications by
    /// the unit `x_scale` are dropped (they are exact).
    static func trfBounds(
        _ fun: ([Double]) -> [Double], x0: [Double], f0: [Double], j0: [Double], lb: [Double], ub: [Double],
        ftol: Double, xtol: Double, gtol: Double, maxNfev: Int
    ) throws(LeastSquaresError) -> LeastSquaresResult {
        typealias C = TRFCommon
        var x = x0
        var f = f0
        var nfev = 1
        var jac = j0
        var njev = 1
        let m = f.count
        let n = x.count

        var cost = 0.5 * C.dot(f, f)
        var g = C.rmatvec(jac, rows: m, cols: n, f)

        var (v, dv) = C.clScalingVector(x, g, lb, ub)
        var delta = C.norm((0..<n).map { x0[$0] / v[$0].squareRoot() })
        if delta == 0 { delta = 1.0 }
        var gNorm = C.normInf(zip(g, v).map { $0 * $1 })

        var alpha = 0.0
        var terminationStatus: Int? = nil

        while true {
            (v, dv) = C.clScalingVector(x, g, lb, ub)
            gNorm = C.normInf(zip(g, v).map { $0 * $1 })
            if gNorm < gtol { terminationStatus = 1 }
            if terminationStatus != nil || nfev == maxNfev { break }

            let d = v.map { $0.squareRoot() }
            let diagH = (0..<n).map { g[$0] * dv[$0] }
            let gH = (0..<n).map { d[$0] * g[$0] }

            // J_augmented = [J * d; diag(diag_h ** 0.5)], f_augmented = [f; 0].
            var jH = [Double](repeating: 0, count: m * n)
            for r in 0..<m { for c in 0..<n { jH[r * n + c] = jac[r * n + c] * d[c] } }
            var jAug = jH
            jAug.append(contentsOf: [Double](repeating: 0, count: n * n))
            for c in 0..<n { jAug[(m + c) * n + c] = diagH[c].squareRoot() }
            let svd = ThinSVD(jAug, rows: m + n, cols: n)
            // uf = U.T.dot(f_augmented); the augmented rows of f are zero.
            var uf = [Double](repeating: 0, count: n)
            for k in 0..<n {
                var acc = 0.0
                for r in 0..<m { acc += svd.u[r * n + k] * f[r] }
                uf[k] = acc
            }
            var vMat = [Double](repeating: 0, count: n * n)  // V = VT.T
            for i in 0..<n { for k in 0..<n { vMat[i * n + k] = svd.vt[k * n + i] } }

            let theta = C.pyMax(0.995, 1 - gNorm)

            var actualReduction = -1.0
            var xNew = x
            var fNew = f
            var costNew = cost
            while actualReduction <= 0 && nfev < maxNfev {
                let sol = C.solveLsqTrustRegion(
                    n: n, m: m, uf: uf, s: svd.s, v: vMat, delta: delta, initialAlpha: alpha)
                let pH = sol.p
                alpha = sol.alpha
                let p = (0..<n).map { d[$0] * pH[$0] }
                let (step, stepH, predictedReduction) = try selectStep(
                    x: x, jH: jH, m: m, diagH: diagH, gH: gH, p: p, pH: pH, d: d, delta: delta, lb: lb, ub: ub,
                    theta: theta)
                xNew = C.makeStrictlyFeasible((0..<n).map { x[$0] + step[$0] }, lb, ub, rstep: 0)
                fNew = fun(xNew)
                nfev += 1

                let stepHNorm = C.norm(stepH)
                if !fNew.allSatisfy({ $0.isFinite }) {
                    delta = 0.25 * stepHNorm
                    continue
                }
                costNew = 0.5 * C.dot(fNew, fNew)
                actualReduction = cost - costNew
                let (deltaNew, ratio) = C.updateTrRadius(
                    delta, actualReduction, predictedReduction, stepHNorm, stepHNorm > 0.95 * delta)
                let stepNorm = C.norm(step)
                terminationStatus = C.checkTermination(
                    actualReduction, cost, stepNorm, C.norm(x), ratio, ftol, xtol)
                if terminationStatus != nil { break }
                alpha *= delta / deltaNew
                delta = deltaNew
            }

            if actualReduction > 0 {
                x = xNew
                f = fNew
                cost = costNew
                jac = ApproxDerivative.twoPoint(fun, at: x, f0: f, lower: lb, upper: ub).jacobian
                njev += 1
                g = C.rmatvec(jac, rows: m, cols: n, f)
            }
        }
        let activeMask = C.findActiveConstraints(x, lb, ub, rtol: xtol)
        return LeastSquaresResult(
            x: x, cost: cost, fun: f, jac: jac, grad: g, optimality: gNorm, activeMask: activeMask, nfev: nfev,
            njev: njev, status: terminationStatus ?? 0)
    }

    /// `select_step` from `trf.py`: the best of the (bound-truncated) trust-region step, its
    /// reflection off the first bound hit, and the constrained Cauchy step. Returns
    /// `(step, step_h, -value)`.
    static func selectStep(
        x: [Double], jH: [Double], m: Int, diagH: [Double], gH: [Double], p pIn: [Double], pH pHIn: [Double],
        d: [Double], delta: Double, lb: [Double], ub: [Double], theta: Double
    ) throws(LeastSquaresError) -> ([Double], [Double], Double) {
        typealias C = TRFCommon
        let n = x.count
        var p = pIn
        var pH = pHIn
        if C.inBounds((0..<n).map { x[$0] + p[$0] }, lb, ub) {
            let pValue = C.evaluateQuadratic(jH, rows: m, cols: n, gH, pH, diag: diagH)
            return (p, pH, -pValue)
        }
        let (pStride, hits) = C.stepSizeToBound(x, p, lb, ub)

        // Reflected direction.
        var rH = pH
        for i in 0..<n where hits[i] != 0 { rH[i] *= -1 }
        var r = (0..<n).map { d[$0] * rH[$0] }

        // Restrict the trust-region step so that it hits the bound.
        for i in 0..<n {
            p[i] *= pStride
            pH[i] *= pStride
        }
        let xOnBound = (0..<n).map { x[$0] + p[$0] }

        let (_, toTr) = try C.intersectTrustRegion(pH, rH, delta)
        let (toBound, _) = C.stepSizeToBound(xOnBound, r, lb, ub)

        var rStride = C.pyMin(toBound, toTr)
        let rStrideL: Double
        let rStrideU: Double
        if rStride > 0 {
            rStrideL = (1 - theta) * pStride / rStride
            if rStride == toBound {
                rStrideU = theta * toBound
            } else {
                rStrideU = toTr
            }
        } else {
            rStrideL = 0
            rStrideU = -1
        }

        let rValue: Double
        if rStrideL <= rStrideU {
            let (a, b, c) = C.buildQuadratic1d(jH, rows: m, cols: n, gH, rH, diag: diagH, s0: pH)
            let (t, value) = C.minimizeQuadratic1d(a, b, rStrideL, rStrideU, c: c)
            rStride = t
            rValue = value
            for i in 0..<n {
                rH[i] *= rStride
                rH[i] += pH[i]
            }
            r = (0..<n).map { rH[$0] * d[$0] }
        } else {
            rValue = .infinity
        }

        // Make p_h strictly interior.
        for i in 0..<n {
            p[i] *= theta
            pH[i] *= theta
        }
        let pValue = C.evaluateQuadratic(jH, rows: m, cols: n, gH, pH, diag: diagH)

        var agH = gH.map { -$0 }
        var ag = (0..<n).map { d[$0] * agH[$0] }

        let toTr2 = delta / C.norm(agH)
        let (toBound2, _) = C.stepSizeToBound(x, ag, lb, ub)
        var agStride = toBound2 < toTr2 ? theta * toBound2 : toTr2

        let (a2, b2, _) = C.buildQuadratic1d(jH, rows: m, cols: n, gH, agH, diag: diagH, s0: nil)
        let agValue: Double
        (agStride, agValue) = C.minimizeQuadratic1d(a2, b2, 0, agStride)
        for i in 0..<n {
            agH[i] *= agStride
            ag[i] *= agStride
        }

        if pValue < rValue && pValue < agValue {
            return (p, pH, -pValue)
        } else if rValue < pValue && rValue < agValue {
            return (r, rH, -rValue)
        } else {
            return (ag, agH, -agValue)
        }
    }
}
