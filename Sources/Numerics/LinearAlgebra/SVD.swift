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
        // Column-major working copy: w[j] is column j.
        var w = [[Double]](repeating: [Double](repeating: 0, count: m), count: n)
        for i in 0..<m { for j in 0..<n { w[j][i] = a[i * n + j] } }
        var v = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for j in 0..<n { v[j][j] = 1 }
        let eps = Double.ulpOfOne
        for _ in 0..<100 {
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
                    let sn = c * t
                    for i in 0..<m {
                        let wp = w[p][i]
                        let wq = w[q][i]
                        w[p][i] = c * wp - sn * wq
                        w[q][i] = sn * wp + c * wq
                    }
                    for i in 0..<n {
                        let vp = v[p][i]
                        let vq = v[q][i]
                        v[p][i] = c * vp - sn * vq
                        v[q][i] = sn * vp + c * vq
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
        // Stable sort, descending (ties keep column order).
        let order = (0..<n).sorted { sigma[$0] > sigma[$1] || (sigma[$0] == sigma[$1] && $0 < $1) }
        var u = [Double](repeating: 0, count: m * n)
        var s = [Double](repeating: 0, count: n)
        var vOut = [Double](repeating: 0, count: n * n)
        for (k, j) in order.enumerated() {
            s[k] = sigma[j]
            if sigma[j] > 0 {
                for i in 0..<m { u[i * n + k] = w[j][i] / sigma[j] }
            }
            // v[j] holds the j-th right singular vector (rotations were applied to rows of v).
            for i in 0..<n { vOut[i * n + k] = v[j][i] }
        }
        return (u, s, vOut)
    }
}
