import Foundation

/// A d3-format specifier that does not parse.
public enum D3FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not of the form `[[fill]align][sign][symbol][0][width][,][.precision][~][type]`.
    case invalidSpecifier(String)
    /// A width beyond what figpipe pads to (d3 would build the string).
    case widthTooLarge(String)

    public var description: String {
        switch self {
        case .invalidSpecifier(let s):
            "invalid format: \"\(s)\" is not [[fill]align][sign][symbol][0][width][,][.precision][~][type]"
        case .widthTooLarge(let s):
            "invalid format: \"\(s)\" pads to more than \(D3FormatSpecifier.maximumWidth) characters"
        }
    }
}

/// The parts of a d3-format specifier (d3-format's `formatSpecifier`),
/// with d3's defaults for the parts left out.
public struct D3FormatSpecifier: Sendable, Equatable, CustomStringConvertible {
    public var fill: Character = " "
    /// One of `<`, `>`, `=`, `^`.
    public var align: Character = ">"
    /// One of `-`, `+`, `(`, space.
    public var sign: Character = "-"
    /// "", `$` or `#`.
    public var symbol = ""
    public var zero = false
    public var width: Int? = nil
    public var comma = false
    public var precision: Int? = nil
    public var trim = false
    /// The type letter (or `%`); "" when left out.
    public var type = ""

    /// The widest padding accepted.
    public static let maximumWidth = 10_000

    public init() {}

    /// Parses `specifier` as d3's regular expression
    /// `^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$` (case-insensitive).
    public init(parsing specifier: String) throws(D3FormatError) {
        let c = Array(specifier)
        var i = 0
        let aligns: Set<Character> = ["<", ">", "=", "^"]
        if c.count >= 2, aligns.contains(c[1]), !c[0].isNewline {
            fill = c[0]
            align = c[1]
            i = 2
        } else if let first = c.first, aligns.contains(first) {
            align = first
            i = 1
        }
        if i < c.count, ["+", "-", "(", " "].contains(c[i]) {
            sign = c[i]
            i += 1
        }
        if i < c.count, c[i] == "$" || c[i] == "#" {
            symbol = String(c[i])
            i += 1
        }
        if i < c.count, c[i] == "0" {
            zero = true
            i += 1
        }
        var digits = ""
        while i < c.count, c[i].isASCII, c[i].isNumber {
            digits.append(c[i])
            i += 1
        }
        if !digits.isEmpty {
            let w = Int(digits) ?? Int.max
            if w > Self.maximumWidth { throw .widthTooLarge(specifier) }
            width = w
        }
        if i < c.count, c[i] == "," {
            comma = true
            i += 1
        }
        if i < c.count, c[i] == "." {
            var p = ""
            i += 1
            while i < c.count, c[i].isASCII, c[i].isNumber {
                p.append(c[i])
                i += 1
            }
            if p.isEmpty { throw .invalidSpecifier(specifier) }
            precision = Int(p) ?? Int.max
        }
        if i < c.count, c[i] == "~" {
            trim = true
            i += 1
        }
        if i < c.count, c[i] == "%" || (c[i].isASCII && c[i].isLetter) {
            type = String(c[i])
            i += 1
        }
        if i != c.count { throw .invalidSpecifier(specifier) }
    }

    /// The specifier written back (d3's `FormatSpecifier.toString`).
    public var description: String {
        var s = "\(fill)\(align)\(sign)\(symbol)"
        if zero { s += "0" }
        if let width { s += String(Swift.max(1, width)) }
        if comma { s += "," }
        if let precision { s += "." + String(Swift.max(0, precision)) }
        if trim { s += "~" }
        return s + type
    }
}

/// d3-format's `format(specifier)` in d3's default locale (en-US: "," groups
/// of three, "." decimal point, "$" currency, "−" U+2212 minus), as d3-format
/// 3.1.0, the version Vega 6 bundles, computes it: unlike 3.1.1 on, zero has
/// digits (`format("r")(0)` is "0.00000") and `formatPrefix` appends its SI
/// prefix after any padding.
public struct D3Format: Sendable {
    /// The SI prefixes for exponents −24 … 24 in steps of 3.
    static let prefixes = ["y", "z", "a", "f", "p", "n", "µ", "m", "", "k", "M", "G", "T", "P", "E", "Z", "Y"]
    static let minus = "−"
    static let formatTypes: Set<String> = ["%", "b", "c", "d", "e", "f", "g", "o", "p", "r", "s", "X", "x"]

    public let specifier: D3FormatSpecifier
    private let fill: Character
    private let align: Character
    private let zero: Bool
    private let comma: Bool
    private let precision: Int
    private let trim: Bool
    private let type: String
    private let prefix: String
    private let suffix: String
    /// What goes after everything else, padding included (`formatPrefix`'s SI prefix).
    private let trailer: String
    /// What values are multiplied by first (`formatPrefix`'s scaling).
    private let multiplier: Double

    /// The format of a specifier such as `.2f`, `,d`, `~s` or `$,.2f`.
    public init(_ specifier: String) throws(D3FormatError) {
        self.init(try D3FormatSpecifier(parsing: specifier))
    }

    /// The format of parsed specifier parts; `trailer` goes after the
    /// formatted and padded text, and values are multiplied by `multiplier`
    /// before formatting.
    public init(_ specifier: D3FormatSpecifier, trailer: String = "", multiplier: Double = 1) {
        self.specifier = specifier
        var fill = specifier.fill
        var align = specifier.align
        var zero = specifier.zero
        var comma = specifier.comma
        var precision = specifier.precision
        var trim = specifier.trim
        var type = specifier.type
        if type == "n" {
            comma = true
            type = "g"
        } else if !Self.formatTypes.contains(type) {
            // "" and unknown types are ".12~g".
            if precision == nil { precision = 12 }
            trim = true
            type = "g"
        }
        if zero || (fill == "0" && align == "=") {
            zero = true
            fill = "0"
            align = "="
        }
        let radixTypes: Set<String> = ["b", "o", "x", "X"]
        prefix =
            specifier.symbol == "$"
            ? "$" : (specifier.symbol == "#" && radixTypes.contains(type) ? "0" + type.lowercased() : "")
        suffix = specifier.symbol == "$" ? "" : (type == "%" || type == "p") ? "%" : ""
        self.trailer = trailer
        let significantTypes: Set<String> = ["g", "p", "r", "s"]
        if let p = precision {
            self.precision =
                significantTypes.contains(type) ? Swift.max(1, Swift.min(21, p)) : Swift.max(0, Swift.min(20, p))
        } else {
            self.precision = 6
        }
        self.fill = fill
        self.align = align
        self.zero = zero
        self.comma = comma
        self.trim = trim
        self.type = type
        self.multiplier = multiplier
    }

    /// d3-format's `formatPrefix(specifier, value)`: fixed-point digits
    /// scaled to the SI prefix of `value`, with that prefix as the suffix.
    public static func prefixed(_ specifier: D3FormatSpecifier, value: Double) -> D3Format {
        var s = specifier
        s.type = "f"
        guard let e10 = D3FormatPrecision.exponent(value) else {
            // d3's arithmetic with an undefined exponent: NaN times the
            // value, and the missing prefix written as "undefined".
            return D3Format(s, trailer: "undefined", multiplier: .nan)
        }
        let e = Swift.max(-8, Swift.min(8, floorDivide(e10, 3))) * 3
        return D3Format(s, trailer: prefixes[8 + e / 3], multiplier: Foundation.pow(10, Double(-e)))
    }

    /// `value` formatted.
    public func callAsFunction(_ value: Double) -> String {
        trailer.isEmpty ? formatted(value) : formatted(value) + trailer
    }

    private func formatted(_ value: Double) -> String {
        var valuePrefix = prefix
        var valueSuffix = suffix
        var body: String
        if type == "c" {
            valueSuffix = JavaScriptNumber.string(value * multiplier) + valueSuffix
            body = ""
        } else {
            let v = multiplier == 1 ? value : multiplier * value
            var negative = v < 0 || (v == 0 && v.sign == .minus)
            var siExponent: Int? = nil
            if v.isNaN {
                body = "NaN"
            } else {
                (body, siExponent) = formatType(Swift.abs(v))
            }
            if trim { body = Self.trimInsignificantZeros(body) }
            if negative && Double(body) == 0 && specifier.sign != "+" { negative = false }
            let sign = specifier.sign
            valuePrefix =
                (negative ? (sign == "(" ? "(" : Self.minus) : (sign == "-" || sign == "(" ? "" : String(sign)))
                + valuePrefix
            let si = (type == "s" && !v.isNaN) ? siExponent.map { Self.prefixes[8 + $0 / 3] } ?? "" : ""
            valueSuffix = si + valueSuffix + (negative && sign == "(" ? ")" : "")
            if ["d", "e", "f", "g", "p", "r", "s", "%"].contains(type) {
                let scalars = Array(body.unicodeScalars)
                if let i = scalars.firstIndex(where: { $0.value < 48 || $0.value > 57 }) {
                    let rest = String(String.UnicodeScalarView(scalars[(i + 1)...]))
                    valueSuffix =
                        (scalars[i] == "." ? "." + rest : String(String.UnicodeScalarView(scalars[i...])))
                        + valueSuffix
                    body = String(String.UnicodeScalarView(scalars[..<i]))
                }
            }
        }
        let width = specifier.width ?? 0
        if comma && !zero { body = Self.group(body, width: Int.max) }
        let length = valuePrefix.utf16.count + body.utf16.count + valueSuffix.utf16.count
        var padding = length < width ? String(repeating: fill, count: width - length) : ""
        if comma && zero {
            let paddingLength = padding.utf16.count
            body = Self.group(padding + body, width: paddingLength > 0 ? width - valueSuffix.utf16.count : Int.max)
            padding = ""
        }
        switch align {
        case "<": return valuePrefix + body + valueSuffix + padding
        case "=": return valuePrefix + padding + body + valueSuffix
        case "^":
            let p = Array(padding)
            let half = p.count / 2
            return String(p[..<half]) + valuePrefix + body + valueSuffix + String(p[half...])
        default: return padding + valuePrefix + body + valueSuffix
        }
    }

    /// d3-format's `formatTypes[type](x, precision)` for |value|; the SI
    /// exponent for type `s`.
    private func formatType(_ x: Double) -> (String, Int?) {
        let p = precision
        switch type {
        case "%": return (JavaScriptFormatting.toFixed(x * 100, p), nil)
        case "b": return (JavaScriptFormatting.integerString(JavaScriptFormatting.round(x), radix: 2), nil)
        case "d": return (Self.formatDecimal(x), nil)
        case "e": return (JavaScriptFormatting.toExponential(x, p), nil)
        case "f": return (JavaScriptFormatting.toFixed(x, p), nil)
        case "g": return (JavaScriptFormatting.toPrecision(x, p), nil)
        case "o": return (JavaScriptFormatting.integerString(JavaScriptFormatting.round(x), radix: 8), nil)
        case "p": return (Self.formatRounded(x * 100, p), nil)
        case "r": return (Self.formatRounded(x, p), nil)
        case "s": return Self.formatPrefixAuto(x, p)
        case "X":
            return (JavaScriptFormatting.integerString(JavaScriptFormatting.round(x), radix: 16).uppercased(), nil)
        case "x": return (JavaScriptFormatting.integerString(JavaScriptFormatting.round(x), radix: 16), nil)
        default: return (JavaScriptNumber.string(x), nil)
        }
    }

    /// d3's `formatDecimal`: the rounded value's integer digits.
    static func formatDecimal(_ x: Double) -> String {
        let r = JavaScriptFormatting.round(x)
        return Swift.abs(r) >= 1e21 ? JavaScriptFormatting.wholeNumberDigits(r) : JavaScriptNumber.string(r)
    }

    /// d3's `formatDecimalParts`: the significant digits (without a point)
    /// and decimal exponent of non-negative `x` to `p` digits (0: as many as
    /// it takes); nil for non-finite values (0 has zeros and exponent 0).
    static func decimalParts(_ x: Double, _ p: Int) -> (coefficient: String, exponent: Int)? {
        if !x.isFinite { return nil }
        let s = p > 0 ? JavaScriptFormatting.toExponential(x, p - 1) : JavaScriptFormatting.toExponential(x)
        guard let e = s.firstIndex(of: "e") else { return nil }
        let coefficient = s[..<e].replacingOccurrences(of: ".", with: "")
        return (coefficient, Int(s[s.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0)
    }

    /// d3's `formatRounded` (types `r` and `p`).
    static func formatRounded(_ x: Double, _ p: Int) -> String {
        guard let (coefficient, exponent) = decimalParts(x, p) else { return JavaScriptNumber.string(x) }
        if exponent < 0 { return "0." + String(repeating: "0", count: -exponent - 1) + coefficient }
        if coefficient.count > exponent + 1 {
            let i = coefficient.index(coefficient.startIndex, offsetBy: exponent + 1)
            return coefficient[..<i] + "." + coefficient[i...]
        }
        return coefficient + String(repeating: "0", count: exponent - coefficient.count + 1)
    }

    /// d3's `formatPrefixAuto` (type `s`): the digits and the SI exponent
    /// (a multiple of 3 in −24 … 24), nil when `x` has none.
    static func formatPrefixAuto(_ x: Double, _ p: Int) -> (String, Int?) {
        guard let (coefficient, exponent) = decimalParts(x, p) else {
            // d3 3.1.0 leaves the SI exponent of the previous call here; none is kept.
            return (JavaScriptNumber.string(x), nil)
        }
        let siExponent = Swift.max(-8, Swift.min(8, floorDivide(exponent, 3))) * 3
        let i = exponent - siExponent + 1
        let n = coefficient.count
        if i == n { return (coefficient, siExponent) }
        if i > n { return (coefficient + String(repeating: "0", count: i - n), siExponent) }
        if i > 0 {
            let k = coefficient.index(coefficient.startIndex, offsetBy: i)
            return (coefficient[..<k] + "." + coefficient[k...], siExponent)
        }
        let rest = decimalParts(x, Swift.max(0, p + i - 1))?.coefficient ?? ""
        return ("0." + String(repeating: "0", count: -i) + rest, siExponent)
    }

    /// d3's `formatTrim`: drops insignificant trailing zeros of the
    /// fraction (`1.2000k` → `1.2k`, `1.000` → `1`).
    static func trimInsignificantZeros(_ s: String) -> String {
        let c = Array(s)
        var i0 = -1
        var i1 = 0
        var i = 1
        scan: while i < c.count {
            switch c[i] {
            case ".":
                i0 = i
                i1 = i
            case "0":
                if i0 == 0 { i0 = i }
                i1 = i
            default:
                guard let d = c[i].wholeNumberValue, d != 0, c[i].isASCII else { break scan }
                if i0 > 0 { i0 = 0 }
            }
            i += 1
        }
        return i0 > 0 ? String(c[..<i0]) + String(c[(i1 + 1)...]) : s
    }

    /// d3's `formatGroup` with groups of three and ",": thousands
    /// separators in `value`, within `width` characters when zero-padded.
    static func group(_ value: String, width: Int) -> String {
        let c = Array(value)
        var i = c.count
        var parts: [String] = []
        var length = 0
        var g = 3
        while i > 0 && g > 0 {
            if length + g + 1 > width { g = Swift.max(1, width - length) }
            let start = Swift.max(0, i - g)
            parts.append(String(c[start..<i]))
            i -= g
            length += g + 1
            if length > width { break }
            g = 3
        }
        return parts.reversed().joined(separator: ",")
    }
}

/// Floor division (JavaScript's `Math.floor(a / b)` for integers).
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// d3-format's precision helpers for tick labels; nil where d3's result is
/// NaN (a step or value that is not finite).
public enum D3FormatPrecision {
    /// d3's `exponent(x)`: the decimal exponent of |x| (from its shortest digits).
    public static func exponent(_ x: Double) -> Int? {
        D3Format.decimalParts(Swift.abs(x), 0)?.exponent
    }

    /// `precisionFixed(step)`: fraction digits that tell values `step` apart.
    public static func fixed(step: Double) -> Int? {
        exponent(step).map { Swift.max(0, -$0) }
    }

    /// `precisionRound(step, max)`: significant digits for values up to `max`.
    public static func round(step: Double, max: Double) -> Int? {
        let s = Swift.abs(step)
        guard let em = exponent(Swift.abs(max) - s), let es = exponent(s) else { return nil }
        return Swift.max(0, em - es) + 1
    }

    /// `precisionPrefix(step, value)`: fraction digits for type `s` at
    /// `value`'s SI prefix.
    public static func prefix(step: Double, value: Double) -> Int? {
        guard let ev = exponent(value), let es = exponent(Swift.abs(step)) else { return nil }
        return Swift.max(0, Swift.max(-8, Swift.min(8, floorDivide(ev, 3))) * 3 - es)
    }
}
