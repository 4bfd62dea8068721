import Foundation

extension NP {
    /// numpy's `_lerp(a, b, t)` (`numpy/lib/_function_base_impl.py`): `a + (b - a) * t`,
    /// replaced by `b - (b - a) * (1 - t)` where `t >= 0.5` (for monotonicity near `b`).
    @inlinable
    public static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        if t >= 0.5 { return b - diff * (1 - t) }
        return a + diff * t
    }

    /// `np.quantile(a, q)` with the default `method='linear'`, on a sorted copy of `a`.
    /// Virtual index `(n - 1) * q`; `previous = floor(index)`, `next = previous + 1`; indices
    /// at or above `n - 1` take the last element, below 0 the first;
    /// `gamma = index - previous`; result `_lerp(arr[previous], arr[next], gamma)`.
    /// Any NaN in `a` makes the result NaN (numpy sorts NaN last and propagates it).
    public static func quantile(_ a: [Double], _ q: Double) -> Double {
        quantile(a, [q])[0]
    }

    /// `np.quantile(a, q)` for several `q` at once (`method='linear'`).
    public static func quantile(_ a: [Double], _ qs: [Double]) -> [Double] {
        let n = a.count
        precondition(n > 0, "quantile of an empty array")
        if a.contains(where: { $0.isNaN }) { return qs.map { _ in .nan } }
        let sorted = a.sorted()
        return qs.map { quantileSorted(sorted, $0) }
    }

    /// ``quantile(_:_:)`` on data already sorted ascending without NaN.
    public static func quantileSorted(_ sorted: [Double], _ q: Double) -> Double {
        let n = sorted.count
        let vi = Double(n - 1) * q
        var prevF = Foundation.floor(vi)
        var prevI: Int
        var nextI: Int
        if vi >= Double(n - 1) {
            prevI = n - 1
            nextI = n - 1
            prevF = -1  // numpy sets previous_indexes to -1 before computing gamma
        } else if vi < 0 {
            prevI = 0
            nextI = 0
            prevF = 0
        } else if vi.isNaN {
            return .nan
        } else {
            prevI = Int(prevF)
            nextI = prevI + 1
        }
        let gamma = vi - prevF
        return lerp(sorted[prevI], sorted[nextI], gamma)
    }

    /// `np.percentile(a, q)` (`method='linear'`): `np.quantile(a, q / 100)` where the
    /// division is numpy's `np.true_divide(q, 100)`.
    public static func percentile(_ a: [Double], _ q: Double) -> Double {
        quantile(a, q / 100)
    }

    /// `np.percentile(a, q)` for several `q`.
    public static func percentile(_ a: [Double], _ qs: [Double]) -> [Double] {
        quantile(a, qs.map { $0 / 100 })
    }

    /// `np.median(a)`: the middle element for odd `n`; for even `n`, `np.mean` of the two middle
    /// elements, i.e. `(0.0 + lo + hi) / 2`. NaN if any element is NaN; NaN for an empty array.
    public static func median(_ a: [Double]) -> Double {
        let n = a.count
        if n == 0 { return .nan }
        if a.contains(where: { $0.isNaN }) { return .nan }
        let s = a.sorted()
        let h = n / 2
        if n % 2 == 1 { return s[h] / 1 }
        return (s[h - 1] + s[h]) / 2
    }
}
