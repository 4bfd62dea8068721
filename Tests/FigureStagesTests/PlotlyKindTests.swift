import CairoBackend
import FigpipeBasics
import FigureModel
import FigureStages
import Pipeline
import PlotlyBackend
import Testing

/// `figure.plotly` writes both interactive figures and (static) figures.
@Suite struct PlotlyKindTests {
    func run(_ artifact: Artifact, keepHeight: Bool = false) throws -> [UInt8] {
        let out = try FigureStageKinds.plotly.run(
            StageContext(
                stageID: "s", parameters: Parameters(["path": .string("d/f"), "keep_height": .bool(keepHeight)]),
                artifacts: ["figure": artifact], files: [:], filesForDisplay: [:]))
        return try #require(out.files["d/f.json"])
    }

    @Test func theKindAcceptsBothFigureTypes() {
        #expect(
            FigureStageKinds.plotly.inputs.map(\.source) == [
                .stage(accepts: [InteractiveFigure.artifactType, Figure.artifactType])
            ])
    }

    @Test func aFigureIsWrittenLaidOutAsItsPNG() throws {
        var fig = Figure(widthInches: 5, heightInches: 4, dpi: 100)
        fig.axes[0].marks = [.line(LineMark(x: [1, 10, 100], y: [1, 2, 3], label: "a"))]
        fig.axes[0].x.scale = .log
        fig.axes[0].legend = Legend()
        let bytes = try run(try fig.artifact())
        let doc = try JSONValue(parsing: bytes)
        #expect(doc["layout"]?["width"] == 500 && doc["layout"]?["height"] == 400)
        #expect(doc["layout"]?["xaxis"]?["type"] == "log")
        #expect(doc["data"]?.arrayValue?.first?["name"] == "a")
        // The domains are the Cairo layout's, not the bare grid cell's.
        let layout = FigureLayout.compute(fig, measurer: CairoBackend.measurer)
        #expect(bytes == PlotlyBackend.json(for: fig, layout: layout))
        #expect(bytes == (try run(try fig.artifact())))
    }

    @Test func anInteractiveFigureIsStillStrippedForTheBlog() throws {
        var fig = InteractiveFigure()
        fig.addTrace(["x": [1, 2], "y": [3, 4], "mode": "lines"])
        fig.updateLayout(["width": 800, "height": 600])
        #expect(try run(fig.artifact()) == PlotlyBackend.blogJSON(fig))
        #expect(try run(fig.artifact(), keepHeight: true) == PlotlyBackend.blogJSON(fig, keepHeight: true))
    }
}
