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
                guard n > 0, let w = tmp.baseAddress else { return 0 }
                let v = w + n * m
                let sigma = v + n * n
                for i in 0..<m { for j in 0..<n { w[j * m + i] = a[i * n + j] } }
                for k in 0..<(n * n) { v[k] = 0 }
                for j in 0..<n { v[j * n + j] = 1 }
                let eps = Double.ulpOfOne
                JacobiSVD.decompose(
                    w: UnsafeMutableBufferPointer(start: w, count: m * n), m: m, n: n,
                    v: UnsafeMutableBufferPointer(start: v, count: n * n),
                    sigma: UnsafeMutableBufferPointer(start: sigma, count: n), order: order)
                var smax = 0.0
                for j in 0..<n { smax = Swift.max(smax, sigma[j]) }
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
