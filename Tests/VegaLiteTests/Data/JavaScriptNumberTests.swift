import Testing

@testable import VegaLite

/// `String(v)` as JavaScript writes it (ECMA-262 Number::toString).
@Test(arguments: [
    (0.0, "0"), (123, "123"), (1.5, "1.5"), (-2.5e-8, "-2.5e-8"), (1e-7, "1e-7"), (0.000001, "0.000001"),
    (1e21, "1e+21"), (1.5e21, "1.5e+21"), (123_456_789_012, "123456789012"), (0.1 + 0.2, "0.30000000000000004"),
    (1e20, "100000000000000000000"), (.nan, "NaN"), (-.infinity, "-Infinity"),
] as [(Double, String)])
func javaScriptNumberToString(_ v: Double, _ expected: String) {
    #expect(JavaScriptNumber.string(v) == expected)
}
