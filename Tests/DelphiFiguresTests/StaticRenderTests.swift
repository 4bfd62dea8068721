import CairoBackend
import DelphiFigures
import FigpipeBasics
import FigureModel
import Foundation
import Pipeline
import Testing

/// The 12 blog figures built from the sample data, as the pipeline builds them.
func sampleBlogFigures() throws -> [(name: String, figure: InteractiveFigure, mobile: Bool)] {
    let ladder = sampleLadderData
    let adamc = DelphiLadderFigures.ladder(ladder, quantizer: DelphiNames.cAdamC)
    let adamh = DelphiLadderFigures.ladder(ladder, quantizer: DelphiNames.adamH)
    let mmlu = DelphiMMLUEmergence.figure(try sampleEvals())
    let bytes = try FileIO.read(sampleDataDir + "/hparam_sweep.json")
    guard case .runs(let runs) = try DelphiSweep.load(bytes: bytes, displayName: "hparam_sweep.json") else {
        throw StageError("the sample sweep was skipped")
    }
    let hparam = try DelphiHparamSweep.figure(runs)
    return [
        ("isoflop-parabolas", DelphiLadderFigures.isoflop(ladder), false),
        ("scaling-law-asymptote", DelphiLadderFigures.scalingLaw(ladder), false),
        ("first-ladder", adamc, false), ("first-ladder-mobile", DelphiMobile.stack(adamc), true),
        ("delphi-ladder", adamh, false), ("delphi-ladder-mobile", DelphiMobile.stack(adamh), true),
        ("lucky-seeds", DelphiLuckySeeds.figure(ladder), false),
        ("overtraining-forecast", DelphiOvertraining.figure(ladder), false),
        ("mmlu-emergence", mmlu, false), ("mmlu-emergence-mobile", DelphiMobile.mmluStack(mmlu), true),
        ("hparam-scaling", hparam, false), ("hparam-scaling-mobile", DelphiMobile.grid3x2(hparam), true),
    ]
}

/// The static figure of a blog figure's view, as `figure.static` makes it.
func staticFigure(_ view: InteractiveFigure, mobile: Bool) -> Figure {
    StaticFigure.figure(
        view, options: StaticFigure.Options(width: mobile ? 400 : 700), measurer: CairoBackend.browserMeasurer)
}

/// Static renders (issue 6): every blog figure's default view drawn by the Cairo back end.
@Suite struct StaticRenderTests {
    @Test func everyFigureRendersToTheSamePNGTwice() throws {
        let figures = try sampleBlogFigures()
        #expect(figures.count == 12)
        for (name, interactive, mobile) in figures {
            let fig = staticFigure(try interactive.staticView(), mobile: mobile)
            // Something is drawn: every visible trace is a mark, and there is a legend.
            #expect(fig.axes.contains { !$0.marks.isEmpty }, "\(name): no marks")
            #expect(!fig.legends.isEmpty, "\(name): no legend")
            let a = try CairoBackend.render(fig, format: .png, dpi: 100, tightBBox: true)
            let b = try CairoBackend.render(
                staticFigure(try interactive.staticView(), mobile: mobile), format: .png, dpi: 100, tightBBox: true)
            #expect(a.count > 10_000, "\(name): \(a.count) bytes")
            #expect(a == b, "\(name): two renders differ")
            #expect(Array(a.prefix(4)) == [0x89, 0x50, 0x4E, 0x47], "\(name): not a PNG")
        }
    }

    @Test func theDefaultViewsShowWhatThePageShows() throws {
        let figures = Dictionary(uniqueKeysWithValues: try sampleBlogFigures().map { ($0.name, $0.figure) })
        // mmlu-emergence opens on MMLU 5-Shot: only its traces are drawn.
        let mmlu = try #require(figures["mmlu-emergence"]).staticView()
        #expect(mmlu.data.allSatisfy { $0["legendgroup"]?.stringValue != "MMLU 0-Shot" })
        #expect(mmlu.data.contains { $0["legendgroup"]?.stringValue == "MMLU 5-Shot" })
        // hparam-scaling draws only the traces of the default dropdown entries.
        let hparam = try #require(figures["hparam-scaling"])
        #expect(try hparam.staticView().data.count == hparam.data.filter { $0["visible"] == true }.count)
        // overtraining-forecast opens on the 2× step, which the base traces already show.
        let over = try #require(figures["overtraining-forecast"])
        #expect(over.sliderStepLabels == ["0.2×", "0.333×", "0.5×", "0.667×", "2×", "3×", "4×", "5×", "10×"])
        let base = try over.staticView()
        #expect(try over.staticView(step: over.sliderStep(labelled: "2×")).data == base.data)
        #expect(try over.staticView(step: 0).data != base.data)
    }

    @Test func everyOvertrainingStepIsItsOwnPicture() throws {
        let over = DelphiOvertraining.figure(sampleLadderData)
        var seen: Set<[UInt8]> = []
        for k in over.sliderStepLabels.indices {
            let png = try CairoBackend.render(
                staticFigure(try over.staticView(step: k), mobile: false), format: .png, dpi: 50, tightBBox: true)
            seen.insert(png)
        }
        #expect(seen.count == over.sliderStepLabels.count)
    }

    @Test func pdfsAreDeterministicToo() throws {
        let fig = staticFigure(try DelphiLuckySeeds.figure(sampleLadderData).staticView(), mobile: false)
        #expect(try CairoBackend.render(fig, format: .pdf) == CairoBackend.render(fig, format: .pdf))
    }
}
