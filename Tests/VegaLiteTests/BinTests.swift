import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// Fixtures/bin.json: Vega-Lite's bin transform on 7 columns × 9 settings,
/// as vegafusion computes it (scripts/make_vega_fixtures.py; the altair and
/// vegafusion versions are in the file).
@Suite struct VegaBin {
    static let fixture = fixtureJSON("bin")

    static func parameters(_ json: JSONValue?) -> BinParameters {
        var p = BinParameters()
        if let v = json?["maxbins"]?.numberValue { p.maxbins = v }
        if let v = json?["base"]?.numberValue { p.base = v }
        if let v = json?["divide"]?.arrayValue { p.divide = v.compactMap(\.numberValue) }
        if let v = json?["step"]?.numberValue { p.step = v }
        if let v = json?["steps"]?.arrayValue { p.steps = v.compactMap(\.numberValue) }
        if let v = json?["minstep"]?.numberValue { p.minstep = v }
        if let v = json?["nice"]?.boolValue { p.nice = v }
        if let v = json?["anchor"]?.numberValue { p.anchor = v }
        return p
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .string("inf"): .infinity
        case .string("-inf"): -.infinity
        default: v.numberValue
        }
    }

    /// Equal within 1e-9 of the larger of the values and the bin width (the
    /// issue's bound for deterministic transforms; a boundary at 0 differs by
    /// rounding noise: Vega computes the end as start + step × (1 + (v − start) / step)).
    static func close(_ a: Double, _ b: Double, step: Double) -> Bool {
        a == b || Swift.abs(a - b) <= 1e-9 * Swift.max(Swift.abs(a), Swift.abs(b), step)
    }

    @Test func everyCaseMatchesVegaFusion() throws {
        let cases = try #require(Self.fixture["cases"]?.arrayValue)
        #expect(cases.count == 48)
        for c in cases {
            let label = "\(c["column"]?.stringValue ?? "") / \(c["setting"]?.stringValue ?? "")"
            let values = (c["values"]?.arrayValue ?? []).map(Self.number)
            let starts = (c["start"]?.arrayValue ?? []).map(Self.number)
            let ends = (c["end"]?.arrayValue ?? []).map(Self.number)
            let extent = try #require(Bins.extent(of: values), "\(label)")
            let bins = Bins(Self.parameters(c["bin"]), extent: extent)
            for (n, v) in values.enumerated() {
                let ours = bins.bin(v)
                switch (ours, starts[n], ends[n]) {
                case (nil, nil, nil): break
                case (let b?, let s?, let e?):
                    #expect(
                        Self.close(b.start, s, step: bins.step) && Self.close(b.end, e, step: bins.step),
                        "\(label) [\(n)] \(v ?? .nan): \(b) vs \(s), \(e)")
                default:
                    Issue.record("\(label) [\(n)]: \(String(describing: ours)) vs \(String(describing: starts[n]))")
                }
            }
        }
    }

    /// Vega's `steps`: the largest allowed step below span / maxbins (here
    /// 8 / 10 = 0.8, so 0.5), even when that makes more than maxbins bins.
    @Test func stepsTakeTheLargestBelowTheSpanPerBin() {
        var p = BinParameters()
        p.steps = [0.5, 1, 5, 10]
        let bins = Bins(p, extent: (-1, 7))
        #expect(bins.step == 0.5 && bins.start == -1 && bins.stop == 7)
        #expect(bins.bin(2.25)?.start == 2 && bins.bin(2.25)?.end == 2.5)
    }

    /// The maximum of the extent falls in the last bin (Vega clamps a value
    /// to stop − step before it takes the bin index), and a missing value
    /// has no bin.
    @Test func theMaximumFallsInTheLastBin() {
        let bins = Bins(BinParameters(), extent: (0, 10))
        #expect(bins.step == 1 && bins.stop == 10)
        #expect(bins.bin(10)?.start == 9 && bins.bin(10)?.end == 10)
        #expect(bins.bin(nil) == nil && bins.bin(.nan) == nil)
        #expect(bins.bin(11)?.start == .infinity && bins.bin(-1)?.start == -.infinity)
    }

    @Test func javaScriptRoundingAndOr() {
        #expect(Bins.jsRound(-2.5) == -2)
        #expect(Bins.jsRound(2.5) == 3)
        #expect(Bins.jsRound(0.49999999999999994) == 0)
        #expect(Bins.or(0, 7) == 7 && Bins.or(.nan, 7) == 7 && Bins.or(3, 7) == 3)
    }
}
