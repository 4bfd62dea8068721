/// Decimal to `Double`, correctly rounded (round half to even), as `strtod` gives
/// it, without `strtod`'s arbitrary-precision path for the common case.
///
/// Clinger's fast path when the digits and the power of ten are both exact
/// doubles, else the Eisel–Lemire algorithm over 128-bit powers of five (the
/// table of fast_float, made by scripts/make_pow5_table.py). Both are exact for
/// up to 19 significant digits (Mushtak & Lemire, "Fast Number Parsing Without
/// Fallback"); a number with more digits returns nil and the caller uses
/// `strtod`. Python's `json.dumps` writes at most 17.
public enum FastDouble {
    /// The number in `bytes` (JSON number syntax, already checked by the scanner:
    /// `-?digits(.digits)?([eE][+-]?digits)?`), or nil when it has more than 19
    /// significant digits.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let zero = UInt8(ascii: "0")
        var i = 0
        let n = bytes.count
        var negative = false
        if i < n, bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var w: UInt64 = 0
        var significant = 0
        var exponent = 0
        // Integer digits (leading zeros are not significant).
        while i < n, bytes[i] &- zero < 10 {
            let d = UInt64(bytes[i] &- zero)
            if significant > 0 || d != 0 {
                significant += 1
                if significant > 19 { return nil }
                w = w &* 10 &+ d
            }
            i += 1
        }
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, bytes[i] &- zero < 10 {
                let d = UInt64(bytes[i] &- zero)
                exponent -= 1
                if significant > 0 || d != 0 {
                    significant += 1
                    if significant > 19 { return nil }
                    w = w &* 10 &+ d
                }
                i += 1
            }
        }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < n, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                negativeExponent = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var e = 0
            while i < n, bytes[i] &- zero < 10 {
                // Past any double's range either way; keep it from overflowing.
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- zero) }
                i += 1
            }
            exponent += negativeExponent ? -e : e
        }
        guard i == n else { return nil }
        let magnitude = value(w, exponent)
        return negative ? -magnitude : magnitude
    }

    /// The exactly representable powers of ten, 10^0 … 10^22.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// w × 10^q, correctly rounded, for w < 10^19.
    static func value(_ w: UInt64, _ q: Int) -> Double {
        // Clinger: both operands exact, one IEEE operation rounds correctly.
        if w <= 1 << 53, q >= -22, q <= 22 {
            let d = Double(w)
            return q >= 0 ? d * exactPowersOfTen[q] : d / exactPowersOfTen[-q]
        }
        let (mantissa, power2) = eiselLemire(w, q)
        return Double(bitPattern: UInt64(power2) << 52 | mantissa)
    }

    /// fast_float's `compute_float<binary64>`: the biased exponent and the 52
    /// explicit mantissa bits of w × 10^q.
    static func eiselLemire(_ w0: UInt64, _ q: Int) -> (mantissa: UInt64, power2: Int) {
        let infinitePower = 0x7FF
        if w0 == 0 || q < -342 { return (0, 0) }
        if q > 308 { return (0, infinitePower) }
        let lz = w0.leadingZeroBitCount
        let w = w0 << UInt64(lz)
        // compute_product_approximation<55>
        let index = 2 * (q + 342)
        let table = powersOfFive128
        var product = w.multipliedFullWidth(by: table[index])
        let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
        if product.high & precisionMask == precisionMask {
            let second = w.multipliedFullWidth(by: table[index + 1])
            let (low, _) = product.low.addingReportingOverflow(second.high)
            product.low = low
            if second.high > low { product.high &+= 1 }
        }
        let upperbit = Int(product.high >> 63)
        let shift = UInt64(upperbit + 64 - 52 - 3)
        var mantissa = product.high >> shift
        // detail::power(q) = floor(q · log2(10)) + 63 (arithmetic shift, as in C).
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperbit - lz + 1023
        if power2 <= 0 {
            // Subnormal (or zero).
            if -power2 + 1 >= 64 { return (0, 0) }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            return (mantissa, mantissa < 1 << 52 ? 0 : 1)
        }
        // Exactly halfway between two doubles: round to even, not up.
        if product.low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << shift == product.high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= infinitePower { return (0, infinitePower) }
        return (mantissa, power2)
    }
}
