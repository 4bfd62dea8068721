import EntropyFigures
import FigureModel
import FigureStages
import Foundation
import Testing

/// The ΔH_true fits as an artifact of their own (README cells 8–10): the
/// fit-stats tables and the figures read one artifact, so the fits run once.
@Suite struct DeltaHTrueFitsTests {
    @Test func theArtifactRoundTripsBitForBit() throws {
        let sample = try SampleRuns.shared.get().lin
        let fits = DeltaHTrueFits.compute(sample)
        #expect(fits.runs.map(\.id) == sample.runs.map(\.id))
        #expect(fits.runs.allSatisfy { $0.logLog != nil && $0.linear != nil && $0.problem == nil })
        let back = try DeltaHTrueFits(artifact: try fits.artifact())
        for (a, b) in zip(fits.runs, back.runs) {
            #expect(a.eta.map(\.bitPattern) == b.eta.map(\.bitPattern))
            #expect(a.deltaTrue.map(\.bitPattern) == b.deltaTrue.map(\.bitPattern))
            #expect(a.logLog?.slope.bitPattern == b.logLog?.slope.bitPattern)
            #expect(a.logLog?.rSquared.bitPattern == b.logLog?.rSquared.bitPattern)
            #expect(a.linear?.intercept.bitPattern == b.linear?.intercept.bitPattern)
        }
        // The same bytes every time (canonical: sorted keys).
        #expect(try fits.artifact().bytes == back.artifact().bytes)
    }

    /// A constant ΔH_true has ss_tot = 0: r² is NaN, and it survives the artifact.
    @Test func nanRSquaredSurvivesTheArtifact() throws {
        let run = DeltaHTrueFits.Run(
            id: "run_01", eta: [1e-6, 2e-6], deltaTrue: [-1, -1],
            logLog: EntropyFits.logLogFit(eta: [1e-6, 2e-6], deltaTrue: [-1, -1]),
            linear: EntropyFits.linearFit(eta: [1e-6, 2e-6], deltaTrue: [-1, -1]))
        let fits = DeltaHTrueFits(folder: "lin", runs: [run])
        let back = try DeltaHTrueFits(artifact: try fits.artifact())
        #expect(back.runs[0].logLog?.rSquared.isNaN == true)
        #expect(back.runs[0].linear?.rSquared.isNaN == true)
    }

    /// A run without points fails only what needs it: the one-run figure and
    /// table of another run still work; the per-run tables say which run.
    @Test func aRunWithoutPointsFailsOnlyWhatNeedsIt() throws {
        let set = try runSet([runJSON(), runJSON(etas: [])], folder: "data_for_lin_trend")
        let fits = DeltaHTrueFits.compute(set)
        #expect(fits.runs[1].problem == "data_for_lin_trend/run_02 has no true.entries to fit")
        _ = try EntropyFigureBuilders.deltaHTrueVsEta(fits, run: "run_01")
        _ = try EntropyFigureBuilders.fitStatsTable(fits, run: "run_01")
        #expect(message { try EntropyFigureBuilders.logLogFitStats(fits) } == fits.runs[1].problem)
        #expect(message { try EntropyFigureBuilders.deltaHTrueLinearOverlay(fits) } == fits.runs[1].problem)
        #expect(
            message { try EntropyFigureBuilders.fitStatsTable(fits, run: "run_09") }
                == "run 'run_09' is not in data_for_lin_trend (it has: run_01, run_02)")
    }

    /// The tables hold exactly the artifact's fits: no figure is built for them.
    @Test func tablesAreTheArtifactsNumbers() throws {
        let fits = DeltaHTrueFits.compute(try SampleRuns.shared.get().lin)
        let table = try EntropyFigureBuilders.logLogFitStats(fits)
        let csv = table.csv()
        for run in fits.runs {
            let slope = try #require(run.logLog?.slope)
            #expect(csv.contains(run.id + "," + PythonFormat.repr(slope)), "\(run.id) in \(csv)")
        }
    }
}
