import Foundation

/// An axis scale with its parameters, as the map from data values to the
/// coordinates positions are linear in: log in any base, d3's symlog
/// (sign(x)·log1p(|x/c|)) and power (sign(x)·|x|^e) scales of declared
/// figures, or the identity.
public struct ScaleTransform: Hashable, Sendable {
    public var scale: Scale
    /// The log base (`.log`).
    public var base: Double
    /// The symlog constant c (`.symlog`).
    public var constant: Double
    /// The exponent (`.pow`; 0.5 is a square root scale).
    public var exponent: Double

    public init(scale: Scale, base: Double = 10, constant: Double = 1, exponent: Double = 1) {
        self.scale = scale
        self.base = base
        self.constant = constant
        self.exponent = exponent
    }

    /// The scale coordinate of data value `v`: log_base v (−∞ for v ≤ 0),
    /// sign(v)·log1p(|v/c|), sign(v)·|v|^e, or v.
    public func forward(_ v: Double) -> Double {
        switch scale {
        case .linear: return v
        case .log:
            guard v > 0 else { return -.infinity }
            return base == 10 ? log10(v) : base == 2 ? log2(v) : Foundation.log(v) / Foundation.log(base)
        case .symlog:
            return v == 0 || v.isNaN ? v : (v < 0 ? -1 : 1) * log1p(Swift.abs(v / constant))
        case .pow:
            if exponent == 1 { return v }
            if exponent == 0.5 { return v < 0 ? -(-v).squareRoot() : v.squareRoot() }
            return v < 0 ? -Foundation.pow(-v, exponent) : Foundation.pow(v, exponent)
        }
    }

    /// The data value at scale coordinate `t` (the inverse of `forward`).
    public func inverse(_ t: Double) -> Double {
        switch scale {
        case .linear: return t
        case .log: return Foundation.pow(base, t)
        case .symlog:
            return t == 0 || t.isNaN ? t : (t < 0 ? -1 : 1) * expm1(Swift.abs(t)) * constant
        case .pow:
            if exponent == 1 { return t }
            if exponent == 0.5 { return t < 0 ? -t * t : t * t }
            return t < 0 ? -Foundation.pow(-t, 1 / exponent) : Foundation.pow(t, 1 / exponent)
        }
    }
}
