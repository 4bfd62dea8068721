extension NP {
    /// `np.vander(x, N)` (decreasing powers), row-major `len(x) x N`. Powers are built by
    /// repeated multiplication (`np.multiply.accumulate`), as numpy does.
    public static func vander(_ x: [Double], _ order: Int) -> [Double] {
        var out = [Double](repeating: 0, count: x.count * order)
        for (i, xi) in x.enumerated() {
            var p = 1.0
            for k in 0..<order {
                out[i * order + (order - 1 - k)] = p
                p = k == 0 ? xi : p * xi
            }
        }
        return out
    }

    /// `np.polyfit(x, y, deg)`: coefficients, highest power first.
    ///
    /// numpy's algorithm (`numpy/lib/_polynomial_impl.py`): Vandermonde `lhs`, column scaling
    /// `scale = sqrt((lhs*lhs).sum(axis=0))` (an axis-0 sum, so sequential over rows),
    /// `lhs /= scale`, `lstsq(lhs, y, rcond=len(x)*eps)`, then `c / scale`.
    /// numpy's rank warning is not reproduced.
    public static func polyfit(_ x: [Double], _ y: [Double], deg: Int) -> [Double] {
        precondition(deg >= 0, "expected deg >= 0")
        precondition(!x.isEmpty && x.count == y.count, "expected x and y to have same length")
        var c = [Double](repeating: 0, count: deg + 1)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                c.withUnsafeMutableBufferPointer { cp in polyfitCore(xp, yp, order: deg + 1, out: cp) }
            }
        }
        return c
    }

    /// The allocation-free core of ``polyfit(_:_:deg:)``; `out` has `order = deg + 1` slots.
    public static func polyfitCore(
        _ x: UnsafeBufferPointer<Double>, _ y: UnsafeBufferPointer<Double>, order: Int,
        out: UnsafeMutableBufferPointer<Double>
    ) {
        let m = x.count
        withUnsafeTemporaryAllocation(of: Double.self, capacity: m * order + 2 * order) { tmp in
            // order ≥ 1, so the allocation is never empty.
            guard let lhs = tmp.baseAddress else { return }
            let scale = lhs + m * order
            let sig = scale + order
            // np.vander(x, order): decreasing powers by repeated multiplication
            for i in 0..<m {
                var p = 1.0
                for k in 0..<order {
                    lhs[i * order + (order - 1 - k)] = p
                    p = k == 0 ? x[i] : p * x[i]
                }
            }
            // scale = sqrt((lhs*lhs).sum(axis=0)): an axis-0 reduction, sequential over rows
            for j in 0..<order { scale[j] = 0 }
            for i in 0..<m { for j in 0..<order { scale[j] = scale[j] + lhs[i * order + j] * lhs[i * order + j] } }
            for j in 0..<order { scale[j] = scale[j].squareRoot() }
            for i in 0..<m { for j in 0..<order { lhs[i * order + j] /= scale[j] } }
            let rcond = Double(m) * Double.ulpOfOne
            _ = lstsqCore(
                UnsafeBufferPointer(start: lhs, count: m * order), y, m: m, n: order, rcond: rcond, x: out,
                sigma: UnsafeMutableBufferPointer(start: sig, count: order))
            for j in 0..<order { out[j] = out[j] / scale[j] }
        }
    }

    /// `np.polyval(p, x)`: Horner's scheme starting from `y = 0`: `y = y * x + pv` for each
    /// coefficient, highest power first (so the first step is `0 * x + p[0]`, as numpy).
    @inlinable
    public static func polyval(_ p: [Double], _ x: Double) -> Double {
        var y = 0.0
        for pv in p { y = y * x + pv }
        return y
    }

    /// `np.polyval(p, x)` over an array.
    public static func polyval(_ p: [Double], _ x: [Double]) -> [Double] {
        x.map { polyval(p, $0) }
    }
}
