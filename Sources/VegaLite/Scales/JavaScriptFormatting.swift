/// JavaScript's number-to-text conversions that d3-format builds on
/// (`Number.prototype.toFixed`, `toExponential`, `toPrecision`,
/// `toString(radix)`, `toLocaleString("en")` of whole numbers) and
/// `Math.round`, reproduced from the exact decimal value of the double:
/// rounding is to the nearest, halves away from zero, as ECMAScript asks
/// ("pick the larger n"), where C's printf would round halves to even.
public enum JavaScriptFormatting {
    /// The exact decimal digits of a finite, positive double: the value is
    /// 0.d₁d₂d₃… × 10^point, with d₁ ≠ 0 and no trailing zero digits.
    static func exactDigits(_ x: Double) -> (digits: [UInt8], point: Int) {
        let significand: UInt64
        let exponent: Int
        if x.exponentBitPattern == 0 {
            significand = x.significandBitPattern
            exponent = -1074
        } else {
            significand = x.significandBitPattern | (1 << 52)
            exponent = Int(x.exponentBitPattern) - 1075
        }
        // value = significand × 2^exponent; for negative exponents,
        // significand × 5^-exponent / 10^-exponent.
        var number = BigDecimalInteger(significand)
        var remaining = Swift.abs(exponent)
        let (chunk, chunkPower): (UInt64, Int) = exponent >= 0 ? (1 << 29, 29) : (1_220_703_125, 13)
        let single: UInt64 = exponent >= 0 ? 2 : 5
        while remaining >= chunkPower {
            number.multiply(by: chunk)
            remaining -= chunkPower
        }
        while remaining > 0 {
            number.multiply(by: single)
            remaining -= 1
        }
        var digits = number.decimalDigits()
        let point = digits.count + Swift.min(exponent, 0)
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        return (digits, point)
    }

    /// The shortest digits that read back as `x` (positive, finite), as
    /// JavaScript's `Number::toString` picks them: 0.d₁d₂… × 10^point.
    static func shortestDigits(_ x: Double) -> (digits: [UInt8], point: Int) {
        let text = "\(x)"  // Swift's shortest round-trip digits, closest to x
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[text.startIndex..<e]
            exponent = Int(text[text.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
        }
        var digits: [UInt8] = []
        var intLength = 0
        var seenPoint = false
        for c in mantissa {
            if c == "." {
                seenPoint = true
            } else if let d = c.wholeNumberValue {
                digits.append(UInt8(d))
                if !seenPoint { intLength += 1 }
            }
        }
        var point = intLength + exponent
        while digits.count > 1, digits.first == 0 {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == 0 { digits.removeLast() }
        return (digits, point)
    }

    /// `digits` (of 0.d₁d₂… × 10^point) rounded to `count` significant
    /// digits, halves up; the result has exactly `count` digits.
    static func roundSignificant(_ digits: [UInt8], point: Int, count: Int) -> (digits: [UInt8], point: Int) {
        if digits.count <= count {
            return (digits + [UInt8](repeating: 0, count: count - digits.count), point)
        }
        var kept = Array(digits[0..<count])
        if digits[count] >= 5 {
            var i = count - 1
            while i >= 0 {
                if kept[i] == 9 {
                    kept[i] = 0
                    i -= 1
                } else {
                    kept[i] += 1
                    break
                }
            }
            if i < 0 {
                kept.insert(1, at: 0)
                kept.removeLast()
                return (kept, point + 1)
            }
        }
        return (kept, point)
    }

    private static func text(_ digits: some Sequence<UInt8>) -> String {
        String(digits.map { Character(Unicode.Scalar($0 + 48)) })
    }

    /// `x.toFixed(fractionDigits)`.
    public static func toFixed(_ x: Double, _ fractionDigits: Int) -> String {
        if !x.isFinite { return JavaScriptNumber.string(x) }
        if Swift.abs(x) >= 1e21 { return JavaScriptNumber.string(x) }
        let negative = x < 0
        var whole: [UInt8]  // round(|x| × 10^fractionDigits)
        if x == 0 {
            whole = [0]
        } else {
            let (digits, point) = exactDigits(Swift.abs(x))
            let keep = point + fractionDigits
            if keep < 0 {
                whole = [0]
            } else if keep == 0 {
                whole = [digits[0] >= 5 ? 1 : 0]
            } else {
                let r = roundSignificant(digits, point: point, count: keep)
                whole = r.digits + [UInt8](repeating: 0, count: Swift.max(0, r.point - point))
            }
        }
        if whole.count < fractionDigits + 1 {
            whole = [UInt8](repeating: 0, count: fractionDigits + 1 - whole.count) + whole
        }
        let split = whole.count - fractionDigits
        var out = text(whole[0..<split])
        if fractionDigits > 0 { out += "." + text(whole[split...]) }
        // JavaScript keeps the sign of a negative number that rounds to zero.
        return negative ? "-" + out : out
    }

    /// `x.toExponential(fractionDigits)`; nil: `x.toExponential()`, as many
    /// digits as it takes to read back as `x`.
    public static func toExponential(_ x: Double, _ fractionDigits: Int? = nil) -> String {
        if !x.isFinite { return JavaScriptNumber.string(x) }
        let negative = x < 0
        var digits: [UInt8]
        var e: Int
        if x == 0 {
            digits = [UInt8](repeating: 0, count: (fractionDigits ?? 0) + 1)
            e = 0
        } else if let f = fractionDigits {
            let exact = exactDigits(Swift.abs(x))
            let r = roundSignificant(exact.digits, point: exact.point, count: f + 1)
            digits = r.digits
            e = r.point - 1
        } else {
            let s = shortestDigits(Swift.abs(x))
            digits = s.digits
            e = s.point - 1
        }
        var out = text(digits[0..<1])
        if digits.count > 1 { out += "." + text(digits[1...]) }
        out += "e" + (e < 0 ? "-" : "+") + String(Swift.abs(e))
        return negative ? "-" + out : out
    }

    /// `x.toPrecision(precision)`.
    public static func toPrecision(_ x: Double, _ precision: Int) -> String {
        if !x.isFinite { return JavaScriptNumber.string(x) }
        let negative = x < 0
        let digits: [UInt8]
        let e: Int
        if x == 0 {
            digits = [UInt8](repeating: 0, count: precision)
            e = 0
        } else {
            let exact = exactDigits(Swift.abs(x))
            let r = roundSignificant(exact.digits, point: exact.point, count: precision)
            digits = r.digits
            e = r.point - 1
        }
        var out: String
        if e < -6 || e >= precision {
            out = text(digits[0..<1])
            if precision > 1 { out += "." + text(digits[1...]) }
            out += "e" + (e < 0 ? "-" : "+") + String(Swift.abs(e))
        } else if e == precision - 1 {
            out = text(digits)
        } else if e >= 0 {
            out = text(digits[0...e]) + "." + text(digits[(e + 1)...])
        } else {
            out = "0." + String(repeating: "0", count: -(e + 1)) + text(digits)
        }
        return negative ? "-" + out : out
    }

    /// `Math.round(x)`: the nearest integer, halves toward +∞.
    public static func round(_ x: Double) -> Double {
        if !x.isFinite || x == x.rounded(.towardZero) { return x }
        let down = x.rounded(.down)
        return x - down >= 0.5 ? down + 1 : down
    }

    /// `n.toString(radix)` of a whole number `n` (radix 2, 8 or 16, where
    /// JavaScript writes the exact value).
    public static func integerString(_ n: Double, radix: Int) -> String {
        if !n.isFinite { return JavaScriptNumber.string(n) }
        let magnitude = Swift.abs(n)
        let sign = n < 0 ? "-" : ""
        if magnitude < 9.007_199_254_740_992e15 { return sign + String(Int64(magnitude), radix: radix) }
        // n = significand × 2^shift: the significand's bits, then zeros.
        let shift = Int(magnitude.exponentBitPattern) - 1075
        let significand = magnitude.significandBitPattern | (1 << 52)
        let bits = String(significand, radix: 2) + String(repeating: "0", count: shift)
        let groupWidth = radix == 16 ? 4 : radix == 8 ? 3 : 1
        if groupWidth == 1 { return sign + bits }
        let padded = String(repeating: "0", count: (groupWidth - bits.count % groupWidth) % groupWidth) + bits
        var out = ""
        var group = ""
        for c in padded {
            group.append(c)
            if group.count == groupWidth {
                out += String(Int(group, radix: 2) ?? 0, radix: radix)
                group = ""
            }
        }
        return sign + out
    }

    /// `n.toLocaleString("en")` of a whole number of 1e21 or more with the
    /// group separators taken out: the shortest digits, padded with zeros.
    static func wholeNumberDigits(_ n: Double) -> String {
        if n.isInfinite { return n > 0 ? "∞" : "-∞" }
        let s = shortestDigits(Swift.abs(n))
        let padded = s.digits + [UInt8](repeating: 0, count: Swift.max(0, s.point - s.digits.count))
        return (n < 0 ? "-" : "") + text(padded)
    }
}

/// A non-negative integer in base 10⁹ limbs, least significant first: just
/// enough arithmetic for a double's exact decimal value.
struct BigDecimalInteger {
    private var limbs: [UInt64]
    private static let base: UInt64 = 1_000_000_000

    init(_ value: UInt64) {
        limbs = []
        var v = value
        repeat {
            limbs.append(v % Self.base)
            v /= Self.base
        } while v > 0
    }

    /// Multiplies by `factor` (below 2³²).
    mutating func multiply(by factor: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let product = limbs[i] * factor + carry
            limbs[i] = product % Self.base
            carry = product / Self.base
        }
        while carry > 0 {
            limbs.append(carry % Self.base)
            carry /= Self.base
        }
    }

    /// The decimal digits, most significant first, without leading zeros.
    func decimalDigits() -> [UInt8] {
        var out: [UInt8] = []
        for (i, limb) in limbs.reversed().enumerated() {
            var chunk = [UInt8](repeating: 0, count: 9)
            var v = limb
            for j in stride(from: 8, through: 0, by: -1) {
                chunk[j] = UInt8(v % 10)
                v /= 10
            }
            if i == 0 {
                out.append(contentsOf: chunk.drop(while: { $0 == 0 }))
            } else {
                out.append(contentsOf: chunk)
            }
        }
        return out.isEmpty ? [0] : out
    }
}
