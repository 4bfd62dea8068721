import Foundation

/// JavaScript's conversions and operators on Vega's field values, as Vega's
/// generated expression code runs them: `+` concatenates when either side is
/// a string, the other arithmetic converts to numbers (null → 0, true → 1,
/// a string by `Number(s)`), `==` is loose, `===` strict, and relational
/// operators compare two strings by UTF-16 code units and anything else as
/// numbers (false when either is NaN).
enum JavaScript {
    /// `Number(v)`: like `FieldValue.numeric`, but a string must be a
    /// JavaScript numeric literal (`"nan"` and `"inf"`, which Swift's parser
    /// takes, are NaN; `"Infinity"` and `"0x1F"` are numbers).
    static func toNumber(_ v: FieldValue) -> Double {
        switch v {
        case .null: 0
        case .number(let d): d
        case .boolean(let b): b ? 1 : 0
        case .string(let s): toNumber(s)
        }
    }

    static func toNumber(_ s: String) -> Double {
        let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return 0 }
        switch t {
        case "Infinity", "+Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: break
        }
        let lower = t.lowercased()
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where lower.hasPrefix(prefix) {
            let digits = lower.dropFirst(2)
            guard !digits.isEmpty, digits.allSatisfy({ $0.isHexDigit && Int(String($0), radix: radix) != nil })
            else { return .nan }
            var value = 0.0
            for c in digits { value = value * Double(radix) + Double(Int(String(c), radix: radix) ?? 0) }
            return value
        }
        // A decimal literal: digits, at most one point, an optional exponent.
        guard t.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }), t.contains(where: \.isNumber)
        else { return .nan }
        return Double(t) ?? .nan
    }

    /// `String(v)`.
    static func toString(_ v: FieldValue) -> String { v.text }

    /// `a + b`.
    static func add(_ a: FieldValue, _ b: FieldValue) -> FieldValue {
        switch (a, b) {
        case (.number(let x), .number(let y)): return .number(x + y)
        case (.string, _), (_, .string): return .string(a.text + b.text)
        default: return .number(toNumber(a) + toNumber(b))
        }
    }

    /// `a % b`: the remainder with the dividend's sign (C's fmod).
    static func remainder(_ a: Double, _ b: Double) -> Double { fmod(a, b) }

    /// `a == b`.
    static func looseEquals(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        case (.boolean(let x), _): return looseEquals(.number(x ? 1 : 0), b)
        case (_, .boolean(let y)): return looseEquals(a, .number(y ? 1 : 0))
        case (.number(let x), .string(let s)): return x == toNumber(s)
        case (.string(let s), .number(let y)): return toNumber(s) == y
        }
    }

    /// `a === b`.
    static func strictEquals(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.boolean(let x), .boolean(let y)): return x == y
        default: return false
        }
    }

    /// `a < b` (`orEqual`: `a <= b`).
    static func less(_ a: FieldValue, _ b: FieldValue, orEqual: Bool) -> Bool {
        if case .string(let x) = a, case .string(let y) = b {
            return orEqual ? !y.utf16.lexicographicallyPrecedes(x.utf16) : x.utf16.lexicographicallyPrecedes(y.utf16)
        }
        let x = toNumber(a)
        let y = toNumber(b)
        return orEqual ? x <= y : x < y
    }

    /// `Math.round`: the nearest integer, halves toward +infinity.
    static func round(_ x: Double) -> Double {
        if !x.isFinite { return x }
        let down = x.rounded(.down)
        return x - down >= 0.5 ? down + 1 : down
    }

    /// `Math.pow`, which differs from C's `pow` where the exponent is NaN or
    /// the base is ±1 and the exponent infinite (NaN in JavaScript).
    static func pow(_ x: Double, _ y: Double) -> Double {
        if y.isNaN { return .nan }
        if y.isInfinite && Swift.abs(x) == 1 { return .nan }
        return Foundation.pow(x, y)
    }

    /// `Math.min` / `Math.max`: NaN if any argument is; ±infinity for none.
    static func minimum(_ xs: [Double], max: Bool) -> Double {
        var out = max ? -Double.infinity : Double.infinity
        for x in xs {
            if x.isNaN { return .nan }
            if max ? x > out : x < out { out = x }
        }
        return out
    }

    /// JavaScript's comparison of two values for sorting (vega-util `ascending`):
    /// null sorts first, then by `<` and `>`; NaN sorts before numbers.
    static func ascending(_ u: FieldValue, _ v: FieldValue) -> Int {
        let uNull = u == .null
        let vNull = v == .null
        if (less(u, v, orEqual: false) || uNull) && !vNull { return -1 }
        if (less(v, u, orEqual: false) || vNull) && !uNull { return 1 }
        let uNaN = isNaNValue(u)
        let vNaN = isNaNValue(v)
        if uNaN && !vNaN { return -1 }
        if vNaN && !uNaN { return 1 }
        return 0
    }

    /// `v !== v`.
    private static func isNaNValue(_ v: FieldValue) -> Bool {
        if case .number(let d) = v { return d.isNaN }
        return false
    }
}
