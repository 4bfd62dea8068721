import Foundation

/// Python's format-spec mini-language for floats (`format(x, ".2f")`,
/// `'{x:,.0f}'.format(x=…)`), as `str.format` applies it:
/// `[[fill]align][sign][z][#][0][width][grouping][.precision][type]` with the
/// float types `e E f F g G n %` and none.
public struct PythonFormatSpec: Hashable, Sendable {
    /// The parsed fields of the spec, as Python names them.
    public var fill: Character = " "
    public var align: Character? = nil
    public var sign: Character = "-"
    public var coerceNegativeZero = false
    public var alternate = false
    public var width: Int? = nil
    public var grouping: Character? = nil
    public var precision: Int? = nil
    public var type: Character? = nil

    /// Parses a spec such as `".0f"`, `",.0f"`, `"+.1%"`, `">10.3e"`; nil if
    /// it is not a valid float spec.
    public init?(_ spec: String) {
        var chars = Array(spec)
        var i = 0
        func isAlign(_ c: Character) -> Bool { c == "<" || c == ">" || c == "^" || c == "=" }
        if chars.count >= 2, isAlign(chars[1]) {
            fill = chars[0]
            align = chars[1]
            i = 2
        } else if let c = chars.first, isAlign(c) {
            align = c
            i = 1
        }
        if i < chars.count, chars[i] == "+" || chars[i] == "-" || chars[i] == " " {
            sign = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "z" {
            coerceNegativeZero = true
            i += 1
        }
        if i < chars.count, chars[i] == "#" {
            alternate = true
            i += 1
        }
        if i < chars.count, chars[i] == "0" {
            if align == nil {
                fill = "0"
                align = "="
            }
            i += 1
        }
        var w = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber {
            w.append(chars[i])
            i += 1
        }
        if !w.isEmpty { width = Int(w) }
        if i < chars.count, chars[i] == "," || chars[i] == "_" {
            grouping = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                p.append(chars[i])
                i += 1
            }
            guard let pv = Int(p) else { return nil }
            precision = pv
        }
        if i < chars.count {
            let t = chars[i]
            guard "eEfFgGn%".contains(t) else { return nil }
            type = t
            i += 1
        }
        guard i == chars.count else { return nil }
        chars = []
    }

    /// `format(value, spec)`.
    public func format(_ value: Double) -> String {
        var v = value
        var negative = v.sign == .minus && !v.isNaN
        v = abs(v)
        var body: String
        var suffix = ""
        let alt = alternate ? "#" : ""
        switch type {
        case "f", "F":
            body = PythonFormat.percent("%\(alt).\(precision ?? 6)f", v)
            if type == "F" { body = body.uppercased() }
        case "e", "E":
            body = PythonFormat.percent("%\(alt).\(precision ?? 6)e", v)
            if type == "E" { body = body.uppercased() }
        case "g", "G", "n":
            let p = precision.map { $0 == 0 ? 1 : $0 } ?? 6
            body = PythonFormat.percent("%\(alt).\(p)g", v)
            if type == "G" { body = body.uppercased() }
        case "%":
            body = PythonFormat.percent("%\(alt).\(precision ?? 6)f", v * 100)
            suffix = "%"
        default:
            if let p = precision {
                body = Self.noneTypeWithPrecision(v, p == 0 ? 1 : p, alternate: alternate)
            } else {
                body = PythonFormat.repr(v)
            }
        }
        if !v.isFinite {
            body = v.isNaN ? "nan" : "inf"
            if type.map({ $0.isUppercase }) == true { body = body.uppercased() }
        }
        if coerceNegativeZero, negative, body.allSatisfy({ $0 == "0" || $0 == "." }) { negative = false }
        let signString: String
        if negative {
            signString = "-"
        } else if sign == "+" {
            signString = "+"
        } else if sign == " " {
            signString = " "
        } else {
            signString = ""
        }
        if let g = grouping, v.isFinite {
            // Zero padding with grouping pads the digits themselves ("00,001.0").
            var minDigits = 0
            if align == "=", fill == "0", let width {
                let rest = body.drop(while: { $0.isASCII && $0.isNumber }).count + suffix.count
                minDigits = width - signString.count - rest
            }
            body = Self.group(body, separator: g, minLength: minDigits)
        }
        body += suffix
        guard let width, width > signString.count + body.count else { return signString + body }
        let pad = width - signString.count - body.count
        let fillString = { (n: Int) in String(repeating: String(fill), count: n) }
        switch align ?? ">" {
        case "<": return signString + body + fillString(pad)
        case "^": return fillString(pad / 2) + signString + body + fillString(pad - pad / 2)
        case "=": return signString + fillString(pad) + body
        default: return fillString(pad) + signString + body
        }
    }

    /// The no-type float format with a precision: 'g'-like, but with at
    /// least one digit after the point in fixed notation and exponent
    /// notation from `exp >= p - 1` on (CPython's `format(x, '.3')`).
    static func noneTypeWithPrecision(_ v: Double, _ p: Int, alternate: Bool) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : "inf" }
        // Round to p significant digits via %e.
        let e = PythonFormat.percent("%.\(p - 1)e", v)
        guard let ei = e.firstIndex(of: "e"), let exp = Int(e[e.index(after: ei)...]) else { return e }
        if -4 <= exp && exp < p - 1 {
            var s = PythonFormat.percent("%.\(max(0, p - 1 - exp))f", v)
            if !alternate, s.contains(".") {
                while s.hasSuffix("0") { s.removeLast() }
                if s.hasSuffix(".") { s += "0" }
            } else if !s.contains(".") {
                s += ".0"
            }
            return s
        }
        var mant = String(e[..<ei])
        if !alternate, mant.contains(".") {
            while mant.hasSuffix("0") { mant.removeLast() }
            if mant.hasSuffix(".") { mant.removeLast() }
        }
        return mant + "e" + (exp < 0 ? "-" : "+") + (abs(exp) < 10 ? "0" : "") + String(abs(exp))
    }

    /// Thousands grouping of the integer digits of `body`, zero-padded to at
    /// least `minLength` characters (never starting with a separator).
    static func group(_ body: String, separator: Character, minLength: Int = 0) -> String {
        var intEnd = body.startIndex
        while intEnd < body.endIndex, body[intEnd].isASCII, body[intEnd].isNumber {
            intEnd = body.index(after: intEnd)
        }
        let digits = Array(body[body.startIndex..<intEnd])
        var out: [Character] = []
        var k = 0
        var placed = 0
        while placed < digits.count || out.count < minLength || out.last == separator {
            if k > 0, k % 3 == 0, out.last != separator {
                out.append(separator)
                continue
            }
            out.append(placed < digits.count ? digits[digits.count - 1 - placed] : "0")
            placed += 1
            k += 1
        }
        return String(out.reversed()) + body[intEnd...]
    }

    /// `fmt.format(x=value, pos=pos)` for a `str.format` template whose
    /// fields are `{x}`, `{x:spec}`, `{pos}` (and `{{`/`}}` escapes); each
    /// field is passed through `fix_minus`, as matplotlib's
    /// `_UnicodeMinusFormat` does. A template without braces is treated as
    /// the spec of `{x:…}`.
    public static func formatTemplate(_ template: String, x: Double, pos: Int?) -> String {
        guard template.contains("{") else {
            return PythonFormat.fixMinus(PythonFormatSpec(template)?.format(x) ?? PythonFormat.repr(x))
        }
        var out = ""
        var chars = Array(template)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "{" {
                if chars.first == "{" {
                    out.append("{")
                    chars = chars.dropFirst()
                    continue
                }
                var field = ""
                while let d = chars.first, d != "}" {
                    field.append(d)
                    chars = chars.dropFirst()
                }
                chars = chars.dropFirst()
                var name = field
                var spec = ""
                if let colon = field.firstIndex(of: ":") {
                    name = String(field[..<colon])
                    spec = String(field[field.index(after: colon)...])
                }
                if name == "pos" {
                    out += pos.map(String.init) ?? "None"
                } else {
                    let s = spec.isEmpty ? PythonFormat.repr(x) : (PythonFormatSpec(spec)?.format(x) ?? "")
                    out += PythonFormat.fixMinus(s)
                }
            } else if c == "}" {
                if chars.first == "}" { chars = chars.dropFirst() }
                out.append("}")
            } else {
                out.append(c)
            }
        }
        return out
    }
}
