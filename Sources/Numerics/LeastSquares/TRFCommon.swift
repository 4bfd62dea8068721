import Foundation

/// Ports of the helpers in `scipy/optimize/_lsq/common.py` (scipy 1.17) that the
/// Trust Region Reflective solver uses with `tr_solver='exact'` and `loss='linear'`.
///
/// Vectors are `[Double]`; matrices are row-major `[Double]` with explicit shapes. Dot products
/// and norms sum left to right; numpy hands them to BLAS (`ddot`), whose SIMD accumulation order
/// differs, so results can differ from scipy's in the last bits.
enum TRFCommon {
    /// `numpy.finfo(float).eps`.
    static let eps = Double.ulpOfOne

    // MARK: - numpy-style elementwise helpers

    /// `np.dot(a, b)` for 1-D arrays, summed left to right.
    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for i in 0..<a.count { s += a[i] * b[i] }
        return s
    }

    /// `np.linalg.norm(a)`: `sqrt(a.dot(a))`.
    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    /// `np.linalg.norm(a, ord=np.inf)`: `max(abs(a))` (NaN propagates, as numpy's `max`).
    static func normInf(_ a: [Double]) -> Double {
        var m = -Double.infinity
        for v in a {
            let av = abs(v)
            if av.isNaN { return .nan }
            if av > m { m = av }
        }
        return a.isEmpty ? 0 : m
    }

    /// `np.maximum(a, b)` for scalars: NaN if either is NaN.
    static func npMaximum(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        return a >= b ? a : b
    }

    /// `np.minimum(a, b)` for scalars: NaN if either is NaN.
    static func npMinimum(_ a: Double, _ b: Double) -> Double {
        if a.isNaN || b.isNaN { return .nan }
        return a <= b ? a : b
    }

    /// Python's builtin `max(a, b)`: returns `a` unless `b > a`.
    static func pyMax(_ a: Double, _ b: Double) -> Double { b > a ? b : a }

    /// Python's builtin `min(a, b)`: returns `a` unless `b < a`.
    static func pyMin(_ a: Double, _ b: Double) -> Double { b < a ? b : a }

    /// `np.nextafter(x, toward)`.
    static func nextafter(_ x: Double, _ toward: Double) -> Double {
        if x.isNaN || toward.isNaN { return .nan }
        if x < toward { return x.nextUp }
        if x > toward { return x.nextDown }
        return toward
    }

    /// `J.dot(s)` for a row-major `m × n` matrix.
    static func matvec(_ j: [Double], rows m: Int, cols n: Int, _ s: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: m)
        for i in 0..<m {
            var acc = 0.0
            for k in 0..<n { acc += j[i * n + k] * s[k] }
            out[i] = acc
        }
        return out
    }

    /// `compute_grad(J, f)` = `J.T.dot(f)` for a row-major `m × n` matrix.
    static func rmatvec(_ j: [Double], rows m: Int, cols n: Int, _ f: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: n)
        for k in 0..<n {
            var acc = 0.0
            for i in 0..<m { acc += j[i * n + k] * f[i] }
            out[k] = acc
        }
        return out
    }

    // MARK: - common.py

    /// `in_bounds(x, lb, ub)`: `np.all((x >= lb) & (x <= ub))`.
    static func inBounds(_ x: [Double], _ lb: [Double], _ ub: [Double]) -> Bool {
        for i in 0..<x.count where !(x[i] >= lb[i] && x[i] <= ub[i]) { return false }
        return true
    }

    /// `step_size_to_bound(x, s, lb, ub)`: the smallest step `t` along `s` at which a bound is hit,
    /// and `hits` (`sign(s[i])` for the components hitting at that step, else 0).
    static func stepSizeToBound(_ x: [Double], _ s: [Double], _ lb: [Double], _ ub: [Double]) -> (Double, [Int]) {
        let n = x.count
        var steps = [Double](repeating: .infinity, count: n)
        for i in 0..<n where s[i] != 0 {
            steps[i] = npMaximum((lb[i] - x[i]) / s[i], (ub[i] - x[i]) / s[i])
        }
        // np.min propagates NaN.
        var minStep = Double.infinity
        for v in steps {
            if v.isNaN {
                minStep = .nan
                break
            }
            if v < minStep { minStep = v }
        }
        var hits = [Int](repeating: 0, count: n)
        for i in 0..<n where steps[i] == minStep {
            // np.sign(s).astype(int)
            hits[i] = s[i] > 0 ? 1 : (s[i] < 0 ? -1 : 0)
        }
        return (minStep, hits)
    }

    /// `find_active_constraints(x, lb, ub, rtol)`: -1 on an active lower bound, 1 on an active
    /// upper bound, 0 otherwise.
    static func findActiveConstraints(_ x: [Double], _ lb: [Double], _ ub: [Double], rtol: Double) -> [Int] {
        let n = x.count
        var active = [Int](repeating: 0, count: n)
        if rtol == 0 {
            for i in 0..<n {
                if x[i] <= lb[i] { active[i] = -1 }
                if x[i] >= ub[i] { active[i] = 1 }
            }
            return active
        }
        for i in 0..<n {
            let lowerDist = x[i] - lb[i]
            let upperDist = ub[i] - x[i]
            let lowerThreshold = rtol * npMaximum(1, abs(lb[i]))
            let upperThreshold = rtol * npMaximum(1, abs(ub[i]))
            if lb[i].isFinite && lowerDist <= npMinimum(upperDist, lowerThreshold) { active[i] = -1 }
            if ub[i].isFinite && upperDist <= npMinimum(lowerDist, upperThreshold) { active[i] = 1 }
        }
        return active
    }

    /// `make_strictly_feasible(x, lb, ub, rstep)`: shifts components on (or within `rstep` of) a
    /// bound into the interior. With `rstep == 0` the shift is one ulp (`np.nextafter`).
    static func makeStrictlyFeasible(_ x: [Double], _ lb: [Double], _ ub: [Double], rstep: Double = 1e-10)
        -> [Double]
    {
        var xNew = x
        let active = findActiveConstraints(x, lb, ub, rtol: rstep)
        for i in 0..<x.count {
            if active[i] == -1 {
                xNew[i] = rstep == 0 ? nextafter(lb[i], ub[i]) : lb[i] + rstep * npMaximum(1, abs(lb[i]))
            } else if active[i] == 1 {
                xNew[i] = rstep == 0 ? nextafter(ub[i], lb[i]) : ub[i] - rstep * npMaximum(1, abs(ub[i]))
            }
        }
        for i in 0..<x.count where xNew[i] < lb[i] || xNew[i] > ub[i] {
            xNew[i] = 0.5 * (lb[i] + ub[i])
        }
        return xNew
    }

    /// `CL_scaling_vector(x, g, lb, ub)`: Coleman–Li scaling `v` and its derivative sign `dv`.
    static func clScalingVector(_ x: [Double], _ g: [Double], _ lb: [Double], _ ub: [Double]) -> ([Double], [Double]) {
        let n = x.count
        var v = [Double](repeating: 1, count: n)
        var dv = [Double](repeating: 0, count: n)
        for i in 0..<n where g[i] < 0 && ub[i].isFinite {
            v[i] = ub[i] - x[i]
            dv[i] = -1
        }
        for i in 0..<n where g[i] > 0 && lb[i].isFinite {
            v[i] = x[i] - lb[i]
            dv[i] = 1
        }
        return (v, dv)
    }

    /// `intersect_trust_region(x, s, Delta)`: the roots `t_neg ≤ t_pos` of `‖x + s·t‖ = Delta`.
    /// Throws where scipy raises `ValueError` (`s` zero, or `x` outside the trust region).
    static func intersectTrustRegion(_ x: [Double], _ s: [Double], _ delta: Double) throws(LeastSquaresError)
        -> (Double, Double)
    {
        let a = dot(s, s)
        if a == 0 { throw .valueError("`s` is zero.") }
        let b = dot(x, s)
        let c = dot(x, x) - delta * delta
        if c > 0 { throw .valueError("`x` is not within the trust region.") }
        let d = (b * b - a * c).squareRoot()
        let q = -(b + copysign(d, b))
        let t1 = q / a
        let t2 = c / q
        return t1 < t2 ? (t1, t2) : (t2, t1)
    }

    /// `solve_lsq_trust_region(n, m, uf, s, V, Delta, initial_alpha, rtol=0.01, max_iter=10)`:
    /// Moré's Levenberg–Marquardt trust-region solve through one SVD. `v` is row-major `n × n`
    /// (`V = VT.T`). Returns `(p, alpha, n_iter)`.
    ///
    /// scipy quirk kept: `m` is the number of residuals of the *unaugmented* Jacobian (trf passes
    /// its own `m`), so the rank threshold is `EPS * m * s[0]`.
    static func solveLsqTrustRegion(
        n: Int, m: Int, uf: [Double], s: [Double], v: [Double], delta: Double,
        initialAlpha: Double?, rtol: Double = 0.01, maxIter: Int = 10
    ) -> (p: [Double], alpha: Double, nIter: Int) {
        func phiAndDerivative(_ alpha: Double, _ suf: [Double]) -> (Double, Double) {
            var denom = [Double](repeating: 0, count: s.count)
            for i in 0..<s.count { denom[i] = s[i] * s[i] + alpha }
            var q = [Double](repeating: 0, count: s.count)
            for i in 0..<s.count { q[i] = suf[i] / denom[i] }
            let pNorm = norm(q)
            let phi = pNorm - delta
            // np.sum(suf ** 2 / denom ** 3): `**3` is np.power (not a square fast path).
            var acc = 0.0
            for i in 0..<s.count { acc += (suf[i] * suf[i]) / pow(denom[i], 3) }
            let phiPrime = -acc / pNorm
            return (phi, phiPrime)
        }
        func vDot(_ w: [Double]) -> [Double] {
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var acc = 0.0
                for j in 0..<w.count { acc += v[i * n + j] * w[j] }
                out[i] = acc
            }
            return out
        }
        let k = s.count
        var suf = [Double](repeating: 0, count: k)
        for i in 0..<k { suf[i] = s[i] * uf[i] }

        let fullRank: Bool
        if m >= n {
            let threshold = eps * Double(m) * s[0]
            fullRank = s[k - 1] > threshold
        } else {
            fullRank = false
        }
        if fullRank {
            var w = [Double](repeating: 0, count: k)
            for i in 0..<k { w[i] = uf[i] / s[i] }
            let p = vDot(w).map { -$0 }
            if norm(p) <= delta { return (p, 0.0, 0) }
        }
        var alphaUpper = norm(suf) / delta
        var alphaLower: Double
        if fullRank {
            let (phi, phiPrime) = phiAndDerivative(0.0, suf)
            alphaLower = -phi / phiPrime
        } else {
            alphaLower = 0.0
        }
        var alpha: Double
        if let initial = initialAlpha, fullRank || initial != 0 {
            alpha = initial
        } else {
            alpha = pyMax(0.001 * alphaUpper, (alphaLower * alphaUpper).squareRoot())
        }
        var it = 0
        for i in 0..<maxIter {
            it = i
            if alpha < alphaLower || alpha > alphaUpper {
                alpha = pyMax(0.001 * alphaUpper, (alphaLower * alphaUpper).squareRoot())
            }
            let (phi, phiPrime) = phiAndDerivative(alpha, suf)
            if phi < 0 { alphaUpper = alpha }
            let ratio = phi / phiPrime
            alphaLower = pyMax(alphaLower, alpha - ratio)
            alpha -= (phi + delta) * ratio / delta
            if abs(phi) < rtol * delta { break }
        }
        var w = [Double](repeating: 0, count: k)
        for i in 0..<k { w[i] = suf[i] / (s[i] * s[i] + alpha) }
        var p = vDot(w).map { -$0 }
        let scale = delta / norm(p)
        for i in 0..<n { p[i] *= scale }
        return (p, alpha, it + 1)
    }

    /// `update_tr_radius(Delta, actual_reduction, predicted_reduction, step_norm, bound_hit)`.
    static func updateTrRadius(
        _ delta: Double, _ actualReduction: Double, _ predictedReduction: Double, _ stepNorm: Double,
        _ boundHit: Bool
    ) -> (Double, Double) {
        let ratio: Double
        if predictedReduction > 0 {
            ratio = actualReduction / predictedReduction
        } else if predictedReduction == actualReduction && actualReduction == 0 {
            ratio = 1
        } else {
            ratio = 0
        }
        var d = delta
        if ratio < 0.25 {
            d = 0.25 * stepNorm
        } else if ratio > 0.75 && boundHit {
            d *= 2.0
        }
        return (d, ratio)
    }

    /// `build_quadratic_1d(J, g, s, diag, s0)`: coefficients `(a, b, c)` of
    /// `f(t) = a t² + b t + c` along `s0 + s t` (`c = 0` without `s0`).
    static func buildQuadratic1d(
        _ j: [Double], rows m: Int, cols n: Int, _ g: [Double], _ s: [Double], diag: [Double]?, s0: [Double]?
    ) -> (Double, Double, Double) {
        let v = matvec(j, rows: m, cols: n, s)
        var a = dot(v, v)
        if let diag {
            a += dot(zip(s, diag).map { $0 * $1 }, s)
        }
        a *= 0.5
        var b = dot(g, s)
        guard let s0 else { return (a, b, 0) }
        let u = matvec(j, rows: m, cols: n, s0)
        b += dot(u, v)
        var c = 0.5 * dot(u, u) + dot(g, s0)
        if let diag {
            let s0d = zip(s0, diag).map { $0 * $1 }
            b += dot(s0d, s)
            c += 0.5 * dot(s0d, s0)
        }
        return (a, b, c)
    }

    /// `minimize_quadratic_1d(a, b, lb, ub, c)`: the minimizer of `a t² + b t + c` on `[lb, ub]`
    /// and its value (first minimum among `[lb, ub, extremum]`, as `np.argmin`).
    static func minimizeQuadratic1d(_ a: Double, _ b: Double, _ lb: Double, _ ub: Double, c: Double = 0)
        -> (Double, Double)
    {
        var t = [lb, ub]
        if a != 0 {
            let extremum = -0.5 * b / a
            if lb < extremum && extremum < ub { t.append(extremum) }
        }
        let y = t.map { $0 * (a * $0 + b) + c }
        var best = 0
        for i in 1..<y.count {
            if y[best].isNaN { break }
            if y[i].isNaN || y[i] < y[best] { best = i }
        }
        return (t[best], y[best])
    }

    /// `evaluate_quadratic(J, g, s, diag)`: `0.5 sᵀ(JᵀJ + diag)s + gᵀs` for one step `s`.
    static func evaluateQuadratic(
        _ j: [Double], rows m: Int, cols n: Int, _ g: [Double], _ s: [Double], diag: [Double]?
    )
        -> Double
    {
        let js = matvec(j, rows: m, cols: n, s)
        var q = dot(js, js)
        if let diag { q += dot(zip(s, diag).map { $0 * $1 }, s) }
        let l = dot(s, g)
        return 0.5 * q + l
    }

    /// `check_termination(dF, F, dx_norm, x_norm, ratio, ftol, xtol)`: status 2 (ftol), 3 (xtol),
    /// 4 (both) or nil.
    static func checkTermination(
        _ dF: Double, _ F: Double, _ dxNorm: Double, _ xNorm: Double, _ ratio: Double, _ ftol: Double,
        _ xtol: Double
    ) -> Int? {
        let ftolSatisfied = dF < ftol * F && ratio > 0.25
        let xtolSatisfied = dxNorm < xtol * (xtol + xNorm)
        if ftolSatisfied && xtolSatisfied { return 4 }
        if ftolSatisfied { return 2 }
        if xtolSatisfied { return 3 }
        return nil
    }
}
