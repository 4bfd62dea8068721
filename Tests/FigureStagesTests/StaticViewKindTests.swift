import FigureModel
import FigureStages
import Pipeline
import Testing

@testable import FigureStages

@Suite struct StaticViewKindTests {
    func figure() -> InteractiveFigure {
        var fig = InteractiveFigure()
        fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([1, 2]), "mode": "lines", "name": "a"])
        fig.layout["sliders"] = [
            [
                "active": 0,
                "steps": [
                    ["label": "1×", "method": "animate", "args": [["f1"]]],
                    ["label": "2×", "method": "animate", "args": [["f2"]]],
                ],
            ]
        ]
        fig.frames = [
            Frame(name: "f1", data: [["y": .numbers([1, 2])]], traces: [0], layout: [:]),
            Frame(name: "f2", data: [["y": .numbers([3, 5])]], traces: [0], layout: [:]),
        ]
        return fig
    }

    func run(step: String) throws -> StageOutput {
        try FigureStageKinds.staticView.run(
            StageContext(
                stageID: "s",
                parameters: Parameters(["step": .string(step), "width": .double(700), "height": .double(450)]),
                artifacts: ["figure": figure().artifact()], files: [:], filesForDisplay: [:]))
    }

    @Test func aStepByLabelBecomesAFigureArtifact() throws {
        let out = try #require(try run(step: "2×").artifact)
        #expect(out.type == Figure.artifactType)
        let fig = try Figure(artifact: out)
        guard case .line(let line)? = fig.axes.first?.marks.first else {
            Issue.record("no line")
            return
        }
        #expect(line.y == [3, 5])
        #expect(fig.legends.first?.entries?.map(\.label) == ["a"])
        #expect(fig.theme == StaticFigure.blogTheme)
        // The default view: the active step.
        let first = try Figure(artifact: try #require(try run(step: "").artifact))
        guard case .line(let l0)? = first.axes.first?.marks.first else { return }
        #expect(l0.y == [1, 2])
    }

    @Test func anUnknownStepNamesTheLabels() {
        do {
            _ = try run(step: "3×")
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("params.step"))
            #expect("\(error)".contains("1×, 2×"))
        }
    }
}
