import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Python's number formatting and float arithmetic, as matplotlib's tickers
/// rely on them: `%`-formatting (`'%1.2f' % x`), `format(x, spec)` (the
/// format-spec mini-language of `str.format`), `repr(float)`, `divmod`,
/// `round`, numpy's `np.round(x, decimals)` and `math.isclose`.
public enum PythonFormat {
    /// `fmt % value` for one float conversion (`%f`, `%e`, `%g`, with flags,
    /// width and precision). Python's `%` operator for floats is C's
    /// `printf`, correctly rounded, so this calls `vsnprintf`.
    public static func percent(_ fmt: String, _ value: Double) -> String {
        if !value.isFinite {
            // Python writes inf/nan (C may write "inf"/"-nan").
            let body = value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
            return body
        }
        var buffer = [CChar](repeating: 0, count: 512)
        let n = withVaList([value]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 512, fmt, args) }
        }
        guard n >= 0 else { return "" }
        if Int(n) >= 512 {
            var big = [CChar](repeating: 0, count: Int(n) + 1)
            _ = withVaList([value]) { args in
                big.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, Int(n) + 1, fmt, args) }
            }
            return String(decoding: big.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return String(decoding: buffer.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `'%d' % x` for a float `x` (Python truncates toward zero).
    public static func percentD(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let t = value.rounded(.towardZero)
        if abs(t) < 9.0e18 { return String(Int64(t)) }
        return percent("%.0f", t)
    }

    /// The shortest round-tripping digits of `|value|` and the position of
    /// the decimal point (Python's `decpt`: value = 0.d1d2… × 10^decpt).
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], decpt: Int) {
        // Swift's description is the shortest round-trip representation.
        let s = abs(value).description
        var mantissa = Substring(s)
        var exp = 0
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[s.startIndex..<e]
            exp = Int(s[s.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var pointIndex: Int? = nil
        for ch in mantissa {
            if ch == "." {
                pointIndex = digits.count
            } else if let d = ch.wholeNumberValue {
                digits.append(UInt8(d))
            }
        }
        var decpt = (pointIndex ?? digits.count) + exp
        // Strip leading zeros.
        while digits.count > 1, digits.first == 0 {
            digits.removeFirst()
            decpt -= 1
        }
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        if digits == [0] { decpt = 1 }
        return (digits, decpt)
    }

    /// `repr(value)` (Python's shortest round-trip float repr: fixed
    /// notation for 1e-4 <= |x| < 1e16, else `1e+16`, `1.5e-05`).
    public static func repr(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0.0" }
        let (digits, decpt) = shortestDigits(value)
        let ds = digits.map { String($0) }.joined()
        if decpt <= -4 || decpt > 16 {
            var m = String(ds.prefix(1))
            if ds.count > 1 { m += "." + ds.dropFirst() }
            let e = decpt - 1
            let es = e < 0 ? "-" + twoDigits(-e) : "+" + twoDigits(e)
            return sign + m + "e" + es
        }
        if decpt <= 0 {
            return sign + "0." + String(repeating: "0", count: -decpt) + ds
        }
        if decpt >= ds.count {
            return sign + ds + String(repeating: "0", count: decpt - ds.count) + ".0"
        }
        let i = ds.index(ds.startIndex, offsetBy: decpt)
        return sign + ds[..<i] + "." + ds[i...]
    }

    private static func twoDigits(_ e: Int) -> String { e < 10 ? "0\(e)" : "\(e)" }

    /// Python's `divmod(x, y)` for floats (floor division and a modulus with
    /// the sign of `y`), as CPython's `_float_div_mod` and numpy's
    /// `npy_divmod` compute them.
    public static func divmod(_ vx: Double, _ wx: Double) -> (Double, Double) {
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1.0
            }
        } else {
            mod = copysign(0.0, wx)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = floor(div)
            if div - floordiv > 0.5 { floordiv += 1.0 }
        } else {
            floordiv = copysign(0.0, vx / wx)
        }
        return (floordiv, mod)
    }

    /// `x // y` for floats (Python and numpy's `floor_divide`).
    public static func floorDiv(_ x: Double, _ y: Double) -> Double { divmod(x, y).0 }

    /// Python's `round(x)` (half to even), as a Double.
    public static func round(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }

    /// numpy's `np.round(x, decimals)` for `decimals >= 0`:
    /// `rint(x * 10**d) / 10**d`.
    public static func npRound(_ x: Double, decimals: Int) -> Double {
        let f = powerOfTen(decimals)
        return (x * f).rounded(.toNearestOrEven) / f
    }

    /// numpy's `power_of_ten` (exact table up to 1e8, then repeated ×10).
    static func powerOfTen(_ n: Int) -> Double {
        let table: [Double] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
        if n < 9 { return table[max(0, n)] }
        var r = 1e9
        var k = n
        while k > 9 {
            r *= 10
            k -= 1
        }
        return r
    }

    /// Python's `round(x, n)`: the double nearest to `x` correctly rounded
    /// to `n` decimals (half to even on the exact binary value).
    public static func round(_ x: Double, digits n: Int) -> Double {
        guard x.isFinite else { return x }
        return Double(percent("%.\(n)f", x)) ?? x
    }

    /// `math.isclose(a, b)` with the default `rel_tol=1e-9`, `abs_tol=0`.
    public static func isClose(_ a: Double, _ b: Double, relTol: Double = 1e-9, absTol: Double = 0) -> Bool {
        if a == b { return true }
        if a.isInfinite || b.isInfinite { return false }
        let diff = abs(b - a)
        return diff <= abs(relTol * b) || diff <= abs(relTol * a) || diff <= absTol
    }

    /// `10 ** e` as Python computes it for an int exponent: exact for
    /// `e >= 0` (an int, converted to float), `pow(10.0, e)` for `e < 0`.
    public static func tenTo(_ e: Int) -> Double { pow(10.0, Double(e)) }

    /// matplotlib's `Formatter.fix_minus`: hyphens become U+2212 (with the
    /// default `axes.unicode_minus`).
    public static func fixMinus(_ s: String) -> String { s.replacingOccurrences(of: "-", with: "\u{2212}") }
}
