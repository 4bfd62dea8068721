/// A thin singular value decomposition `A = U · diag(s) · Vᵀ` of a dense row-major
/// `rows × cols` matrix, as `scipy.linalg.svd(A, full_matrices=False)` /
/// `numpy.linalg.svd(A, full_matrices=False)` return it.
///
/// With `k = min(rows, cols)`: `u` is row-major `rows × k`, `s` has `k` singular values in
/// descending order, `vt` is row-major `k × cols` (its rows are the right singular vectors).
/// Signs of singular vector pairs are arbitrary, as in LAPACK.
public struct ThinSVD: Sendable, Equatable {
    /// Number of rows of the decomposed matrix.
    public var rows: Int
    /// Number of columns of the decomposed matrix.
    public var cols: Int
    /// Left singular vectors, row-major `rows × min(rows, cols)`.
    public var u: [Double]
    /// Singular values, descending.
    public var s: [Double]
    /// Right singular vectors as rows, row-major `min(rows, cols) × cols`.
    public var vt: [Double]

    /// The rank `k = min(rows, cols)` of the thin factors.
    public var k: Int { s.count }

    /// Decomposes the row-major `rows × cols` matrix `a`.
    ///
    /// Mirrors `scipy.linalg.svd(a, full_matrices=False)` (LAPACK `gesdd`), computed instead by
    /// one-sided Jacobi (Hestenes) rotations on the columns of `a` (of `aᵀ` when `rows < cols`).
    /// Jacobi is accurate to a few ulps relative to each singular value for the small, dense
    /// matrices this module sees (a handful of columns), so results agree with LAPACK to about
    /// `cond(A) · eps`, not bit for bit. Left singular vectors of zero singular values are zero
    /// columns (LAPACK would complete an orthonormal basis); callers multiply them by `s` anyway.
    public init(_ a: [Double], rows: Int, cols: Int) {
        precondition(a.count == rows * cols, "ThinSVD: a.count != rows * cols")
        self.rows = rows
        self.cols = cols
        if rows >= cols {
            let (u, s, v) = Self.jacobi(a, rows: rows, cols: cols)
            self.u = u
            self.s = s
            // vt[j][i] = v[i][j]; `v` is row-major cols × cols with singular vectors as columns.
            var vt = [Double](repeating: 0, count: cols * cols)
            for i in 0..<cols { for j in 0..<cols { vt[j * cols + i] = v[i * cols + j] } }
            self.vt = vt
        } else {
            // A = U S Vᵀ  <=>  Aᵀ = V S Uᵀ.
            var at = [Double](repeating: 0, count: rows * cols)
            for i in 0..<rows { for j in 0..<cols { at[j * rows + i] = a[i * cols + j] } }
            let (u2, s, v2) = Self.jacobi(at, rows: cols, cols: rows)
            // u2 is cols × rows (= V of A); v2 is rows × rows (= U of A).
            self.u = v2
            self.s = s
            var vt = [Double](repeating: 0, count: rows * cols)
            for i in 0..<cols { for j in 0..<rows { vt[j * cols + i] = u2[i * rows + j] } }
            self.vt = vt
        }
    }

    /// One-sided Jacobi on a tall `m × n` (m ≥ n) row-major matrix. Returns `U` (m × n row-major),
    /// `s` (descending) and `V` (n × n row-major, singular vectors as columns).
    private static func jacobi(_ a: [Double], rows m: Int, cols n: Int) -> ([Double], [Double], [Double]) {
        // Column-major working copy (column j at j*m); v: n × n, row j at j*n.
        var w = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { w[j * m + i] = a[i * n + j] } }
        var v = [Double](repeating: 0, count: n * n)
        for j in 0..<n { v[j * n + j] = 1 }
        var sigma = [Double](repeating: 0, count: n)
        var order = [Int](repeating: 0, count: n)
        w.withUnsafeMutableBufferPointer { wp in
            v.withUnsafeMutableBufferPointer { vp in
                sigma.withUnsafeMutableBufferPointer { sp in
                    order.withUnsafeMutableBufferPointer { op in
                        JacobiSVD.decompose(w: wp, m: m, n: n, v: vp, sigma: sp, order: op)
                    }
                }
            }
        }
        var u = [Double](repeating: 0, count: m * n)
        var s = [Double](repeating: 0, count: n)
        var vOut = [Double](repeating: 0, count: n * n)
        for (k, j) in order.enumerated() {
            s[k] = sigma[j]
            if sigma[j] > 0 {
                for i in 0..<m { u[i * n + k] = w[j * m + i] / sigma[j] }
            }
            // Row j of v holds the j-th right singular vector (rotations were applied to rows of v).
            for i in 0..<n { vOut[i * n + k] = v[j * n + i] }
        }
        return (u, s, vOut)
    }
}

/// One-sided Jacobi (Hestenes) on the columns of a column-major `m × n` matrix,
/// in place: the one kernel behind `ThinSVD` and `NP.lstsq`.
enum JacobiSVD {
    /// Rotates the columns of `w` (column `j` at `w + j*m`) until they are
    /// mutually orthogonal, applying the same rotations to the rows of the
    /// `n × n` matrix `v` (row `j` at `v + j*n`, which must start as the
    /// identity); then writes each column's norm (the singular values, in
    /// column order) to `sigma` and the column indices by descending norm
    /// (stable: ties keep column order) to `order`.
    static func decompose(
        w wBuffer: UnsafeMutableBufferPointer<Double>, m: Int, n: Int, v vBuffer: UnsafeMutableBufferPointer<Double>,
        sigma sigmaBuffer: UnsafeMutableBufferPointer<Double>, order orderBuffer: UnsafeMutableBufferPointer<Int>
    ) {
        guard m > 0, n > 0, wBuffer.count >= m * n, vBuffer.count >= n * n, sigmaBuffer.count >= n,
            orderBuffer.count >= n, let w = wBuffer.baseAddress, let v = vBuffer.baseAddress,
            let sigma = sigmaBuffer.baseAddress, let order = orderBuffer.baseAddress
        else { return }
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
        for j in 0..<n {
            var ss = 0.0
            for i in 0..<m { ss += w[j * m + i] * w[j * m + i] }
            sigma[j] = ss.squareRoot()
        }
        // Indices by descending singular value (stable insertion sort; n is tiny).
        for j in 0..<n {
            var k = j
            while k > 0 && sigma[order[k - 1]] < sigma[j] {
                order[k] = order[k - 1]
                k -= 1
            }
            order[k] = j
        }
    }
}
