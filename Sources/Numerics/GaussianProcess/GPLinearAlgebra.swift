// Dense kernels the Gaussian process needs: scipy.linalg.cholesky(lower=True),
// cho_solve and solve_triangular(lower=True), on row-major n x n buffers.

/// Row-major dense helpers for `GaussianProcessRegressor` (internal).
enum GPLinearAlgebra {
    /// `scipy.linalg.cholesky(a, lower=True)` in place on the lower triangle
    /// of the row-major `n x n` matrix at `a` (the strict upper triangle is
    /// left untouched). Returns `false` when the matrix is not positive
    /// definite (LAPACK `info > 0`, numpy's `LinAlgError`).
    static func choleskyLower(_ a: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        for j in 0..<n {
            let rowJ = a + j * n
            var s = rowJ[j]
            for k in 0..<j { s -= rowJ[k] * rowJ[k] }
            if !(s > 0) { return false }
            let ljj = s.squareRoot()
            rowJ[j] = ljj
            var i = j + 1
            while i < n {
                let rowI = a + i * n
                var t = rowI[j]
                for k in 0..<j { t -= rowI[k] * rowJ[k] }
                rowI[j] = t / ljj
                i += 1
            }
        }
        return true
    }

    /// Solves `L z = b` in place (`L` lower triangular, row-major `n x n`).
    static func solveLower(_ l: UnsafePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) {
        for i in 0..<n {
            let row = l + i * n
            var s = b[i]
            for k in 0..<i { s -= row[k] * b[k] }
            b[i] = s / row[i]
        }
    }

    /// Solves `L' x = b` in place (`L` lower triangular, row-major `n x n`).
    static func solveLowerTransposed(_ l: UnsafePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) {
        var i = n - 1
        while i >= 0 {
            var s = b[i]
            var k = i + 1
            while k < n {
                s -= l[k * n + i] * b[k]
                k += 1
            }
            b[i] = s / l[i * n + i]
            i -= 1
        }
    }

    /// `cho_solve((L, True), b)` in place: `(L L')^{-1} b`.
    static func choSolve(_ l: UnsafePointer<Double>, n: Int, _ b: UnsafeMutablePointer<Double>) {
        solveLower(l, n: n, b)
        solveLowerTransposed(l, n: n, b)
    }
}
