import DelphiFigures
import FigpipeBasics
import FigureModel
import FigureTesting
import Foundation
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

/// The figures that come out of the GP and Richards fits: arrays to 1e-4 relative.
let fitTolerance: FigureComparison.Options = {
    var o = FigureComparison.Options()
    o.arrayRtol = { _ in 1e-4 }
    return o
}()

@Suite struct GoldenFitFigureTests {
    @Test func hparamScaling() throws {
        let bytes = try FileIO.read(sampleDataDir + "/hparam_sweep.json")
        guard case .runs(let runs) = try DelphiSweep.load(bytes: bytes, displayName: "hparam_sweep.json") else {
            Issue.record("the sample sweep was skipped")
            return
        }
        let fig = try DelphiHparamSweep.figure(runs)
        let c = try goldenCompare("hparam-scaling", fig, options: fitTolerance)
        #expect(c.ok, report(c))
        let m = try goldenCompare(
            "hparam-scaling-mobile", DelphiMobile.grid3x2(fig), keepHeight: true, options: fitTolerance)
        #expect(m.ok, report(m))
    }
}

/// The sample eval caches, loaded as the `delphi.mmlu-emergence` stage loads them.
func sampleEvals() throws -> DelphiEvals {
    func bytes(_ f: String) throws -> [UInt8]? { try FileIO.readIfExists(sampleDataDir + "/" + f) }
    var log: [String] = []
    let evals = try DelphiEvals.load(
        mmlu: bytes("mmlu.json"), mmluExternal: bytes("mmlu_external.json"), humaneval: bytes("humaneval.json"),
        humanevalExternal: bytes("humaneval_external.json"), gsm8k: bytes("gsm8k.json"),
        gsm8kExternal: bytes("gsm8k_external.json"), names: { $0 }, log: { log.append($0) })
    #expect(log.isEmpty, "\(log)")
    return try #require(evals)
}

extension GoldenFitFigureTests {
    @Test func mmluEmergence() throws {
        let fig = DelphiMMLUEmergence.figure(try sampleEvals())
        let c = try goldenCompare("mmlu-emergence", fig, options: fitTolerance)
        #expect(c.ok, report(c))
        let m = try goldenCompare(
            "mmlu-emergence-mobile", DelphiMobile.mmluStack(fig), keepHeight: true, options: fitTolerance)
        #expect(m.ok, report(m))
    }
}
