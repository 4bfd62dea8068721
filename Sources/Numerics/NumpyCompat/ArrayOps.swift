import Foundation

extension NP {
    /// numpy's sort order for `float64`: ascending, NaN last.
    @inlinable
    static func npLess(_ a: Double, _ b: Double) -> Bool {
        a < b || (b.isNaN && !a.isNaN)
    }

    /// `np.sort(a)`: ascending with NaN last.
    public static func sort(_ a: [Double]) -> [Double] {
        a.sorted(by: npLess)
    }

    /// `np.argsort(a, kind='stable')`: indices that sort `a` ascending (NaN last), equal
    /// elements in their original order.
    ///
    /// numpy's default `kind='quicksort'` is *not* stable (introsort, or a SIMD sort on
    /// AVX-512/AVX2 machines), so the order it gives to ties is implementation-defined. This
    /// function always returns the stable order: equal to numpy's default whenever `a` has no
    /// ties, and to `kind='stable'`/`'mergesort'` always.
    public static func argsort(_ a: [Double]) -> [Int] {
        Array(a.indices).sorted { i, j in
            if npLess(a[i], a[j]) { return true }
            if npLess(a[j], a[i]) { return false }
            return i < j
        }
    }

    /// `np.argsort(a, kind='stable')` for integer keys.
    public static func argsort(_ a: [Int]) -> [Int] {
        Array(a.indices).sorted { i, j in a[i] != a[j] ? a[i] < a[j] : i < j }
    }

    /// `np.unique(a)`: the sorted distinct values. NaNs collapse into one trailing NaN
    /// (numpy's default `equal_nan=True`).
    public static func unique(_ a: [Double]) -> [Double] {
        let s = sort(a)
        var out: [Double] = []
        out.reserveCapacity(s.count)
        for v in s {
            if let last = out.last {
                if v.isNaN && last.isNaN { continue }
                if v == last { continue }
            }
            out.append(v)
        }
        return out
    }

    /// `np.unique(a)` for integers.
    public static func unique(_ a: [Int]) -> [Int] {
        var out: [Int] = []
        for v in a.sorted() where out.last != v { out.append(v) }
        return out
    }

    /// `np.clip(x, lo, hi)` for one value: `minimum(maximum(x, lo), hi)` with numpy's NaN
    /// propagation (a NaN `x` stays NaN).
    @inlinable
    public static func clip(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
        if x.isNaN || lo.isNaN || hi.isNaN { return .nan }
        let m = x < lo ? lo : x
        return m > hi ? hi : m
    }

    /// `np.clip(a, lo, hi)`.
    public static func clip(_ a: [Double], _ lo: Double, _ hi: Double) -> [Double] {
        a.map { clip($0, lo, hi) }
    }

    /// Python's `float(f"{x:.{sig}g}")`: round to `sig` significant digits with correct
    /// decimal rounding (C's `%.*g`, which like Python's formatter rounds the exact binary
    /// value half-to-even), then parse back. `round_sig` in the Delphi exporter also returns
    /// 0 and NaN unchanged, which this does.
    public static func roundSig(_ x: Double, sig: Int = 2) -> Double {
        if x == 0 || x.isNaN { return x }
        if x.isInfinite { return x }
        let s = String(format: "%.*g", sig, x)
        return Double(s) ?? x
    }
}
