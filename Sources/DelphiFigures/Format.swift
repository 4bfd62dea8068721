import FigureModel
import Foundation

/// The exporter's palette (`oa_theme.py`) and string helpers.
public enum DelphiStyle {
    /// `OA_PALETTE`.
    public static let palette = [
        "#385C8F", "#8F6B38", "#B5543A", "#5E7F4F", "#7A4E7E", "#3F8A8C", "#C49A2C", "#6B6B6B",
    ]
    public static let brandBlue = "#385C8F"
    public static let brandBlack = "#1F1E1B"
    public static let brandTerracotta = "#B5543A"
    /// `BRAND_GOLD = OA_PALETTE[1]`.
    public static let brandGold = palette[1]
    /// `OA_PALETTE[i % len(OA_PALETTE)]`.
    public static func color(_ i: Int) -> String { palette[i % palette.count] }
}

/// Python string formatting used by the exporter's labels and hover templates.
public enum Py {
    /// `format(x, spec)` (`f"{x:.3e}"` is `Py.f(x, ".3e")`).
    public static func f(_ x: Double, _ spec: String) -> String {
        PythonFormatSpec(spec)?.format(x) ?? "\(x)"
    }
    /// `str(x)` / `repr(x)` of a float.
    public static func str(_ x: Double) -> String { PythonFormat.repr(x) }

    /// `fmt_sci(x)`: mantissa `:.3g` with trailing zeros and dot stripped, `e{exp:+d}`.
    /// EXPORTER: `rstrip("0")` also strips a mantissa that formats as "10" to "1".
    public static func fmtSci(_ x: Double) -> String {
        if x == 0 || !x.isFinite { return str(x) }
        let exp = Int(Foundation.floor(Foundation.log10(abs(x))))
        let mant = x / pythonPow10(exp)
        var m = f(mant, ".3g")
        while m.hasSuffix("0") { m.removeLast() }
        if m.hasSuffix(".") { m.removeLast() }
        return "\(m)e\(exp >= 0 ? "+" : "-")\(abs(exp))"
    }

    /// Python's `10**exp` for an int exponent used as a float divisor: exact integer
    /// powers (correctly rounded to a double) for `exp >= 0`, `float pow` otherwise.
    static func pythonPow10(_ exp: Int) -> Double {
        if exp >= 0 { return Double("1e\(exp)") ?? Foundation.pow(10.0, Double(exp)) }
        return Foundation.pow(10.0, Double(exp))
    }

    /// `fmt_pct_err(pct)`: `X.X% worse` (pct ≥ 0) / `X.X% better`; "" for NaN.
    public static func fmtPctErr(_ pct: Double) -> String {
        if pct.isNaN { return "" }
        return "\(f(abs(pct), ".1f"))% \(pct >= 0 ? "worse" : "better")"
    }

    /// `_hex_to_rgba(hex, alpha)`: `rgba(r,g,b,alpha)` with Python's `str(alpha)`.
    public static func hexToRGBA(_ hex: String, _ alpha: Double) -> String {
        let h = Array(hex.hasPrefix("#") ? String(hex.dropFirst()) : hex)
        func ch(_ i: Int) -> Int { Int(String(h[i..<i + 2]), radix: 16) ?? 0 }
        return "rgba(\(ch(0)),\(ch(2)),\(ch(4)),\(str(alpha)))"
    }
}
