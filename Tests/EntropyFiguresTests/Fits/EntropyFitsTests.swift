import Foundation
import Testing

import EntropyFigures
import FigureTesting

/// The ΔH notebook fits against `fits_entropy.json` (written by
/// `Fixtures/make_fits_fixtures.py`, see the README there).
@Suite("ΔH fits against the reference notebook")
struct EntropyFitsTests {
    let ent: FixtureValue

    init() throws {
        ent = try FixtureValue.load("fits_entropy.json", in: .module)
    }

    @Test func deltaHFits() {
        #expect(!ent["cases"].array.isEmpty)
        for c in ent["cases"].array {
            let eta = c["eta"].doubles
            let d = c["delta_true"].doubles
            let f = EntropyFits.logLogFit(eta: eta, deltaTrue: d)
            #expect(closeDouble(f.slope, c["slope"].double), "slope \(f.slope) vs \(c["slope"].double)")
            #expect(closeDouble(f.intercept, c["intercept"].double), "intercept")
            #expect(closeDouble(f.rSquared, c["r_squared"].double), "r2 \(f.rSquared) vs \(c["r_squared"].double)")
            #expect(f.sign == c["sign"].double)
            let curve = EntropyFits.logLogFitCurve(eta: eta, fit: f)
            let every20 = stride(from: 0, to: 200, by: 20)
            #expect(closeDoubles(every20.map { curve.eta[$0] }, c["fit_eta"].doubles))
            #expect(closeDoubles(every20.map { curve.abs[$0] }, c["fit_abs"].doubles))
            let l = EntropyFits.linearFit(eta: eta, deltaTrue: d)
            #expect(
                closeDouble(l.slope, c["slope_linear"].double), "slope_linear \(l.slope) vs \(c["slope_linear"].double)"
            )
            #expect(closeDouble(l.intercept, c["intercept_linear"].double), "intercept_linear")
            #expect(closeDouble(l.rSquared, c["r_squared_linear"].double), "r2 linear")
        }
        let k = ent["constant"]
        let f = EntropyFits.logLogFit(eta: k["eta"].doubles, deltaTrue: k["delta_true"].doubles)
        #expect(f.rSquared.isNaN && k["ss_tot"].double == 0)
        #expect(EntropyFits.linearFit(eta: k["eta"].doubles, deltaTrue: k["delta_true"].doubles).rSquared.isNaN)
    }
}
