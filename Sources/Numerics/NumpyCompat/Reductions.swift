extension NP {
    /// numpy's `pairwise_sum` for `float64` (`numpy/_core/src/umath/loops_utils.h.src`):
    /// blocks of 8 accumulators up to `PW_BLOCKSIZE` (128) elements, recursive halving
    /// (at a multiple of 8) above that. This is what `np.add.reduce`, and so `np.sum` and
    /// `np.mean`, use over a contiguous 1-D `float64` array.
    @inlinable
    public static func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
        let n = a.count
        if n < 8 {
            var res = 0.0
            for i in 0..<n { res += a[i] }
            return res
        } else if n <= 128 {
            var r0 = a[0]
            var r1 = a[1]
            var r2 = a[2]
            var r3 = a[3]
            var r4 = a[4]
            var r5 = a[5]
            var r6 = a[6]
            var r7 = a[7]
            var i = 8
            let end = n - (n % 8)
            while i < end {
                r0 += a[i]
                r1 += a[i + 1]
                r2 += a[i + 2]
                r3 += a[i + 3]
                r4 += a[i + 4]
                r5 += a[i + 5]
                r6 += a[i + 6]
                r7 += a[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                res += a[i]
                i += 1
            }
            return res
        } else {
            var n2 = n / 2
            n2 -= n2 % 8
            let lo = UnsafeBufferPointer(rebasing: a[0..<n2])
            let hi = UnsafeBufferPointer(rebasing: a[n2..<n])
            return pairwiseSum(lo) + pairwiseSum(hi)
        }
    }

    /// `np.sum(a)` for a 1-D `float64` array: `0.0 +` numpy's pairwise sum of all elements.
    @inlinable
    public static func sum(_ a: [Double]) -> Double {
        a.withUnsafeBufferPointer { pairwiseSum($0) }
    }

    /// `np.mean(a)`: `np.sum(a) / len(a)` (pairwise sum, then one true division).
    /// An empty array gives NaN (numpy warns and returns `nan`).
    @inlinable
    public static func mean(_ a: [Double]) -> Double {
        sum(a) / Double(a.count)
    }

    /// `np.var(a, ddof=ddof)` exactly as `numpy/_core/_methods.py::_var` computes it:
    /// `arrmean = sum(a) / n`, `x = a - arrmean`, `x = x * x`, `sum(x) / max(n - ddof, 0)`.
    /// Both sums are numpy's pairwise sum. `n - ddof <= 0` gives NaN or inf as numpy does
    /// (division by zero).
    @inlinable
    public static func variance(_ a: [Double], ddof: Int = 0) -> Double {
        let n = a.count
        let arrmean = sum(a) / Double(n)
        var x = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let d = a[i] - arrmean
            x[i] = d * d
        }
        let rcount = Double(Swift.max(n - ddof, 0))
        return sum(x) / rcount
    }

    /// `np.var(a, ddof=ddof)`; see ``variance(_:ddof:)``.
    @inlinable
    public static func `var`(_ a: [Double], ddof: Int = 0) -> Double {
        variance(a, ddof: ddof)
    }

    /// `np.std(a, ddof=ddof)`: `sqrt(np.var(a, ddof=ddof))`.
    @inlinable
    public static func std(_ a: [Double], ddof: Int = 0) -> Double {
        variance(a, ddof: ddof).squareRoot()
    }

    /// `np.min(a)`: NaN if any element is NaN (numpy's minimum propagates NaN).
    public static func min(_ a: [Double]) -> Double {
        guard var m = a.first else { return .nan }
        for v in a {
            if v.isNaN { return .nan }
            if v < m { m = v }
        }
        return m
    }

    /// `np.max(a)`: NaN if any element is NaN (numpy's maximum propagates NaN).
    public static func max(_ a: [Double]) -> Double {
        guard var m = a.first else { return .nan }
        for v in a {
            if v.isNaN { return .nan }
            if v > m { m = v }
        }
        return m
    }
}
