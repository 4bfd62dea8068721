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
    /// The SVD is one-sided Jacobi (Hestenes) on the columns of `A`, accurate to a few ulps
    /// relative to each singular value for the small, dense problems this code sees
    /// (polynomial fits). It is not bit-identical to LAPACK (whose own result is about
    /// `cond(A) * eps` from the exact solution), so results agree with numpy to about
    /// `cond(A) * eps` relative.
    public static func lstsq(_ a: [Double], rows m: Int, cols n: Int, _ b: [Double], rcond: Double = -1)
        -> LstsqResult
    {
        precondition(a.count == m * n && b.count == m, "lstsq: shape mismatch")
        var x = [Double](repeating: 0, count: n)
        var sigma = [Double](repeating: 0, count: n)
        let rank = a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                x.withUnsafeMutableBufferPointer { xp in
                    sigma.withUnsafeMutableBufferPointer { sp in
                        lstsqCore(ap, bp, m: m, n: n, rcond: rcond, x: xp, sigma: sp)
                    }
                }
            }
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
        return LstsqResult(solution: x, residuals: residuals, rank: rank, singularValues: sigma)
    }

    /// The allocation-free core of ``lstsq(_:rows:cols:_:rcond:)``: writes the solution to `x`
    /// and the singular values (descending) to `sigma`, returns the rank.
    static func lstsqCore(
        _ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>, m: Int, n: Int, rcond: Double,
        x: UnsafeMutableBufferPointer<Double>, sigma sigmaOut: UnsafeMutableBufferPointer<Double>
    ) -> Int {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: n * m + n * n + n) { tmp in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { order in
                // w: column-major copy of A (column j at j*m); v: n x n, row j at j*n.
                let w = tmp.baseAddress.unsafelyUnwrapped
                let v = w + n * m
                let sigma = v + n * n
                for i in 0..<m { for j in 0..<n { w[j * m + i] = a[i * n + j] } }
                for k in 0..<(n * n) { v[k] = 0 }
                for j in 0..<n { v[j * n + j] = 1 }
                let eps = Double.ulpOfOne
                var sweep = 0
                while sweep < 100 {
                    sweep += 1
                    var rotated = false
                    for p in 0..<n {
                        for q in (p + 1)..<Swift.max(p + 1, n) {
                            let wp = w + p * m
                            let wq = w + q * m
                            var alpha = 0.0
                            var beta = 0.0
                            var gamma = 0.0
                            for i in 0..<m {
                                alpha += wp[i] * wp[i]
                                beta += wq[i] * wq[i]
                                gamma += wp[i] * wq[i]
                            }
                            if gamma == 0 || abs(gamma) <= eps * (alpha * beta).squareRoot() { continue }
                            rotated = true
                            let zeta = (beta - alpha) / (2 * gamma)
                            let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
                            let c = 1 / (1 + t * t).squareRoot()
                            let s = c * t
                            for i in 0..<m {
                                let xp = wp[i]
                                let xq = wq[i]
                                wp[i] = c * xp - s * xq
                                wq[i] = s * xp + c * xq
                            }
                            let vp = v + p * n
                            let vq = v + q * n
                            for i in 0..<n {
                                let xp = vp[i]
                                let xq = vq[i]
                                vp[i] = c * xp - s * xq
                                vq[i] = s * xp + c * xq
                            }
                        }
                    }
                    if !rotated { break }
                }
                var smax = 0.0
                for j in 0..<n {
                    var ss = 0.0
                    for i in 0..<m { ss += w[j * m + i] * w[j * m + i] }
                    sigma[j] = ss.squareRoot()
                    smax = Swift.max(smax, sigma[j])
                }
                // indices by descending singular value (stable insertion sort; n is tiny)
                for j in 0..<n {
                    var k = j
                    while k > 0 && sigma[order[k - 1]] < sigma[j] {
                        order[k] = order[k - 1]
                        k -= 1
                    }
                    order[k] = j
                }
                let thresh = (rcond < 0 ? eps : rcond) * smax
                for k in 0..<n { x[k] = 0 }
                var rank = 0
                // x = V diag(1/s) U^T b, largest singular values first; u_j = w_j / s_j.
                for r in 0..<n {
                    let j = order[r]
                    sigmaOut[r] = sigma[j]
                    guard sigma[j] > thresh else { continue }
                    rank += 1
                    var ub = 0.0
                    for i in 0..<m { ub += w[j * m + i] * b[i] }
                    let coef = ub / (sigma[j] * sigma[j])
                    for k in 0..<n { x[k] += v[j * n + k] * coef }
                }
                return rank
            }
        }
    }
}
