import DelphiFigures
import FigureModel
import FigureTesting
import Foundation
import Pipeline
import Testing

/// Every blog figure against the reference exporter's output on the sample data
/// (`Fixtures/reference/blog`, see the README there), under `compare.py plotly` rules.
@Suite struct GoldenTests {
    @Test func isoflopParabolas() throws {
        let c = try goldenCompare("isoflop-parabolas", DelphiLadderFigures.isoflop(sampleLadderData))
        #expect(c.ok, report(c))
    }

    @Test func scalingLawAsymptote() throws {
        let c = try goldenCompare("scaling-law-asymptote", DelphiLadderFigures.scalingLaw(sampleLadderData))
        #expect(c.ok, report(c))
    }

    @Test func firstLadder() throws {
        let fig = DelphiLadderFigures.ladder(sampleLadderData, quantizer: DelphiNames.cAdamC)
        let c = try goldenCompare("first-ladder", fig)
        #expect(c.ok, report(c))
        let m = try goldenCompare("first-ladder-mobile", DelphiMobile.stack(fig), keepHeight: true)
        #expect(m.ok, report(m))
    }

    @Test func delphiLadder() throws {
        let fig = DelphiLadderFigures.ladder(sampleLadderData, quantizer: DelphiNames.adamH)
        let c = try goldenCompare("delphi-ladder", fig)
        #expect(c.ok, report(c))
        let m = try goldenCompare("delphi-ladder-mobile", DelphiMobile.stack(fig), keepHeight: true)
        #expect(m.ok, report(m))
    }

    @Test func luckySeeds() throws {
        let c = try goldenCompare("lucky-seeds", DelphiLuckySeeds.figure(sampleLadderData))
        #expect(c.ok, report(c))
    }

    @Test func overtrainingForecast() throws {
        let c = try goldenCompare("overtraining-forecast", DelphiOvertraining.figure(sampleLadderData))
        #expect(c.ok, report(c))
    }
}
