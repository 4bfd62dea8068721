import Foundation
import Testing

@testable import FigpipeBasics

#if canImport(Glibc)
    import Glibc
#endif

/// FastDouble against glibc's `strtod` (correctly rounded), bit for bit.
@Suite struct FastDoubleTests {
    func strtodBits(_ s: String) -> UInt64 { strtod(s, nil).bitPattern }

    func fastBits(_ s: String) -> UInt64? {
        let bytes = Array(s.utf8)
        return bytes.withUnsafeBufferPointer { FastDouble.parse($0)?.bitPattern }
    }

    func check(_ s: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let fast = fastBits(s) else { return }  // > 19 digits: the scanner falls back to strtod
        let slow = strtodBits(s)
        #expect(
            fast == slow, "\(s): \(Double(bitPattern: fast)) vs strtod \(Double(bitPattern: slow))",
            sourceLocation: sourceLocation)
    }

    @Test func hardCases() {
        let cases = [
            "0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.2", "0.3", "1e23", "8.98846567431158e307",
            "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e308", "1e309", "2e308",
            "2.2250738585072013e-308", "2.2250738585072011e-308", "2.2250738585072014e-308", "4.9406564584124654e-324",
            "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "3e-324", "1e-400", "9007199254740993",
            "9007199254740992", "9007199254740991", "9007199254740995", "18014398509481985", "1.00000000000000011102",
            "0.000001", "123456789012345678", "1234567890123456789", "9999999999999999999", "7.2057594037927933e16",
            "1.9156918820264798e-56", "4.0564819207303340847894502572032e31", "3.0540412e5", "-1879.8473673095332",
            "0.22715012685545863", "7.498569489278151", "1e-5", "1E+2", "12.5e-1", "0.0000000000000000000000001234",
            "100000000000000000000000", "1e22", "1e-22", "4.35e-06", "2.56e-05", "-3.2e-06", "6.4e-06",
        ]
        for s in cases { check(s) }
        #expect(fastBits("12345678901234567890") == nil)  // 20 significant digits: strtod's job
        #expect(fastBits("0.000000000000000000001234567890123456789") != nil)  // leading zeros do not count
    }

    @Test func shortestReprsOfRandomDoubles() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let d = Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF)
            check(d.description)
            check(String(format: "%.17g", d))
            check(String(format: "%.15g", d))
        }
    }

    @Test func randomDigitStringsAndExponents() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let digits = Int.random(in: 1...19, using: &g)
            var s = ""
            for k in 0..<digits { s.append(Character(String(Int.random(in: k == 0 ? 1...9 : 0...9, using: &g)))) }
            let e = Int.random(in: -345...310, using: &g)
            check(s + "e" + String(e))
            let dot = Int.random(in: 0...digits, using: &g)
            let withDot = String(s.prefix(dot)) + "." + String(s.dropFirst(dot)) + "0"
            check((dot == 0 ? "0" : "") + withDot + "e" + String(Int.random(in: -30...30, using: &g)))
        }
    }

    @Test func halfwayPointsRoundToEven() {
        // Every double d in [2^53, 2^54) is an even integer step of 2; d + 1 is halfway.
        var g = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            let base = (UInt64(1) << 53) + (g.next() % (UInt64(1) << 52)) * 2
            check(String(base + 1))
            check(String(base))
        }
    }
}
