extension NP {
    /// The result of ``lstsq(_:rows:cols:_:rcond:)``: `np.linalg.lstsq`'s `(x, residuals, rank, s)`.
    public struct LstsqResult: Sendable, Equatable {
        /// The minimum-norm least-squares solution (length `cols`).
        public var solution: [Double]
        /// `sum((b - A x)**2)` when `rank == cols < rows`, otherwise empty (as numpy).
        public var residuals: [Double]
        /// The effective rank: singular values above `rcond * s.max()`.
        public var rank: Int
        /// The singular values of `A`, descending.
        public var singularValues: [Double]
    }

    /// `np.linalg.lstsq(A, b, rcond)` for one right-hand side, solved as LAPACK's `dgelsd`
    /// does: through the singular value decomposition, discarding singular values
    /// `<= rcond * s_max` (rcond < 0 means machine epsilon). `A` is row-major `rows x cols`.
    ///
    /// The SVD is one-sided Jacobi (Hestenes) on the columns of `A`, which is accurate to a
    /// few ulps relative to each singular value for the small, dense problems this code sees
    /// (polynomial fits). It is not bit-identical to LAPACK: results agree with numpy to
    /// about `cond(A) * eps` relative.
    public static func lstsq(_ a: [Double], rows m: Int, cols n: Int, _ b: [Double], rcond: Double = -1)
        -> LstsqResult
    {
        precondition(a.count == m * n && b.count == m, "lstsq: shape mismatch")
        // Column-major working copy: w[j] is column j.
        var w = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for i in 0..<m { for j in 0..<n { w[j][i] = a[i * n + j] } }
        var v = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n { v[j][j] = 1 }
        let eps = Double.ulpOfOne
        var sweep = 0
        while sweep < 100 {
            sweep += 1
            var rotated = false
            for p in 0..<n {
                for q in (p + 1)..<Swift.max(p + 1, n) {
                    var alpha = 0.0
                    var beta = 0.0
                    var gamma = 0.0
                    for i in 0..<m {
                        alpha += w[p][i] * w[p][i]
                        beta += w[q][i] * w[q][i]
                        gamma += w[p][i] * w[q][i]
                    }
                    if gamma == 0 || abs(gamma) <= eps * (alpha * beta).squareRoot() { continue }
                    rotated = true
                    let zeta = (beta - alpha) / (2 * gamma)
                    let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                    let c = 1 / (1 + t * t).squareRoot()
                    let s = c * t
                    for i in 0..<m {
                        let wp = w[p][i]
                        let wq = w[q][i]
                        w[p][i] = c * wp - s * wq
                        w[q][i] = s * wp + c * wq
                    }
                    for i in 0..<n {
                        let vp = v[p][i]
                        let vq = v[q][i]
                        v[p][i] = c * vp - s * vq
                        v[q][i] = s * vp + c * vq
                    }
                }
            }
            if !rotated { break }
        }
        var sigma = [Double](repeating: 0, count: n)
        for j in 0..<n {
            var ss = 0.0
            for i in 0..<m { ss += w[j][i] * w[j][i] }
            sigma[j] = ss.squareRoot()
        }
        let smax = sigma.reduce(0) { Swift.max($0, $1) }
        let rc = rcond < 0 ? eps : rcond
        let thresh = rc * smax
        var x = [Double](repeating: 0, count: n)
        var rank = 0
        // Accumulate V * diag(1/s) * U^T b, largest singular values first.
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] }
        for j in order where sigma[j] > thresh {
            rank += 1
            var ub = 0.0
            for i in 0..<m { ub += w[j][i] * b[i] }
            let coef = ub / (sigma[j] * sigma[j])  // u_j = w_j / s_j, and one more 1/s_j
            for k in 0..<n { x[k] += v[j][k] * coef }
        }
        var residuals: [Double] = []
        if rank == n && m > n {
            var r = 0.0
            for i in 0..<m {
                var ax = 0.0
                for k in 0..<n { ax += a[i * n + k] * x[k] }
                let d = b[i] - ax
                r += d * d
            }
            residuals = [r]
        }
        return LstsqResult(
            solution: x, residuals: residuals, rank: rank, singularValues: order.map { sigma[$0] })
    }
}
