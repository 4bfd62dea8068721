// The few BLAS/LAPACK kernels L-BFGS-B calls (ddot, dnrm2, dpotrf 'U',
// dtrtrs 'U'), on raw column-major storage as the C code passes them.

/// BLAS/LAPACK stand-ins for `LBFGSBCore`: column-major, upper-triangular
/// storage, LAPACK's `info` conventions.
enum LBFGSBBlas {
    /// `ddot` with unit strides.
    static func dot(_ count: Int, _ a: UnsafeMutablePointer<Double>, _ b: UnsafeMutablePointer<Double>) -> Double {
        var s = 0.0
        var i = 0
        while i < count {
            s += a[i] * b[i]
            i += 1
        }
        return s
    }

    /// `dnrm2` with unit stride (scaled to avoid overflow).
    static func nrm2(_ count: Int, _ v: UnsafeMutablePointer<Double>) -> Double {
        var scale = 0.0
        var i = 0
        while i < count {
            scale = Swift.max(scale, abs(v[i]))
            i += 1
        }
        if scale == 0 || !scale.isFinite {
            return scale
        }
        // Plain sum of squares when it cannot overflow or underflow.
        if scale < 1e150 && scale > 1e-150 {
            var s = 0.0
            i = 0
            while i < count {
                s += v[i] * v[i]
                i += 1
            }
            return s.squareRoot()
        }
        var s = 0.0
        i = 0
        while i < count {
            let q = v[i] / scale
            s += q * q
            i += 1
        }
        return scale * s.squareRoot()
    }

    /// `dpotrf('U', n, a, lda)`: A = U'U with U in the upper triangle.
    /// Returns LAPACK's `info` (0, or the 1-based order of the failing minor).
    static func potrfUpper(n: Int, a: UnsafeMutablePointer<Double>, lda: Int) -> Int {
        for j in 0..<n {
            var ajj = a[j + lda * j]
            for k in 0..<j {
                ajj -= a[k + lda * j] * a[k + lda * j]
            }
            if ajj <= 0 || ajj.isNaN {
                a[j + lda * j] = ajj
                return j + 1
            }
            ajj = ajj.squareRoot()
            a[j + lda * j] = ajj
            var i = j + 1
            while i < n {
                var s = a[j + lda * i]
                for k in 0..<j {
                    s -= a[k + lda * j] * a[k + lda * i]
                }
                a[j + lda * i] = s / ajj
                i += 1
            }
        }
        return 0
    }

    /// `dtrtrs('U', trans, 'N', n, nrhs, a, lda, b, ldb)`: solves U x = b or
    /// U' x = b in place for each right-hand side column. Returns `info > 0`
    /// (1-based) if a diagonal entry is exactly zero, as LAPACK does.
    static func trtrsUpper(
        transpose: Bool, n: Int, nrhs: Int, a: UnsafeMutablePointer<Double>, lda: Int,
        b: UnsafeMutablePointer<Double>, ldb: Int
    ) -> Int {
        for i in 0..<n where a[i + lda * i] == 0 {
            return i + 1
        }
        for c in 0..<nrhs {
            let x = b + ldb * c
            if transpose {
                // U' x = b: forward substitution.
                for i in 0..<n {
                    var s = x[i]
                    for k in 0..<i {
                        s -= a[k + lda * i] * x[k]
                    }
                    x[i] = s / a[i + lda * i]
                }
            } else {
                // U x = b: back substitution.
                var i = n - 1
                while i >= 0 {
                    var s = x[i]
                    var k = i + 1
                    while k < n {
                        s -= a[i + lda * k] * x[k]
                        k += 1
                    }
                    x[i] = s / a[i + lda * i]
                    i -= 1
                }
            }
        }
        return 0
    }
}
