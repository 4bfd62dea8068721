import FigpipeBasics
import FigureModel
import Pipeline
import Testing

@testable import FigureStages

/// `render`, `plotly` and `static` settings on figure stages: the stages
/// figpipe adds, and their validation.
@Suite struct FigureSettingsTests {
    static func producer(_ name: String, _ type: String) -> StageKind {
        StageKind(name: name, version: 1, summary: "test figure", inputs: [], output: type) { _ in
            throw StageError("not run in these tests")
        }
    }

    let registry = StageRegistry(
        FigureStageKinds.all + [
            producer("test.figure", Figure.artifactType), producer("test.interactive", InteractiveFigure.artifactType),
        ])

    func parse(_ stages: [JSONValue]) throws(PipelineErrors) -> PipelineDefinition {
        let doc: JSONValue = ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
        return try PipelineDefinition.parse(
            doc, file: "pipeline.json", baseDirectory: "/b", registry: registry, checkFiles: false)
    }

    func errors(_ stages: [JSONValue]) -> [String] {
        do {
            _ = try parse(stages)
            Issue.record("accepted")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func renderSettings() throws {
        let p = try parse([
            [
                "id": "compression.fig1", "kind": "test.figure",
                "render": ["path": "compression/fig1", "dpi": 240, "bbox": "figure", "description": "as saved"],
            ]
        ])
        #expect(p.stages.map(\.id) == ["compression.fig1", "compression.fig1.render"])
        let r = try #require(p["compression.fig1.render"])
        #expect(r.kind.name == "figure.render")
        #expect(r.upstream == ["compression.fig1"])
        #expect(
            r.parameters.values == [
                "path": "compression/fig1", "formats": ["pdf", "png"], "dpi": .double(240), "bbox": "figure",
                "dump": true, "layout": false,
            ])
        #expect(
            r.outputFiles == ["compression/fig1.pdf", "compression/fig1.png", "compression/fig1.dump.json"])
        #expect(r.description == "as saved")
    }

    /// As the Delphi family names them: `X.plotly`, `X.static` + `X.render`,
    /// and `X.<name>.static` + `X.<name>.render` for a slider step.
    @Test func plotlyAndStaticSettings() throws {
        let p = try parse([
            [
                "id": "delphi.ot", "kind": "test.interactive",
                "plotly": ["path": "delphi/ot", "keep_height": true],
                "static": [
                    ["description": "default view", "render": ["path": "delphi/ot", "formats": ["png", "pdf"]]],
                    [
                        "name": "step-2x", "step": "2×", "width": 400,
                        "render": ["path": "delphi/ot@2x", "formats": ["png"], "dump": false],
                    ],
                ],
            ]
        ])
        #expect(
            p.stages.map(\.id) == [
                "delphi.ot", "delphi.ot.plotly", "delphi.ot.static", "delphi.ot.render", "delphi.ot.step-2x.static",
                "delphi.ot.step-2x.render",
            ])
        #expect(p["delphi.ot.plotly"]?.parameters.values == ["path": "delphi/ot", "keep_height": true])
        #expect(p["delphi.ot.static"]?.description == "default view")
        #expect(p["delphi.ot.render"]?.upstream == ["delphi.ot.static"])
        let step = try #require(p["delphi.ot.step-2x.static"])
        #expect(step.kind.name == "figure.static")
        #expect(step.upstream == ["delphi.ot"])
        #expect(step.parameters.values == ["step": "2×", "width": .double(400), "height": .double(450)])
        #expect(p["delphi.ot.step-2x.render"]?.upstream == ["delphi.ot.step-2x.static"])
        #expect(p["delphi.ot.step-2x.render"]?.outputFiles == ["delphi/ot@2x.png"])
    }

    @Test func addedParametersAreValidatedAndNamedByTheFigureStage() {
        #expect(
            errors([["id": "compression.fig1", "kind": "test.figure", "render": ["path": "c/fig1", "dpi": 0]]])
                == ["pipeline.json: stage 'compression.fig1': render.dpi: expected a value > 0 and ≤ 10000, got 0.0"])
        #expect(
            errors([["id": "f", "kind": "test.figure", "render": ["path": "c/"]]])
                == [
                    "pipeline.json: stage 'f': render.path: expected a relative path that ends in a file name (not hidden), got 'c/'"
                ])
        #expect(
            errors([
                [
                    "id": "i", "kind": "test.interactive",
                    "static": [
                        ["render": ["path": "a"]], ["name": "s", "render": ["path": "b", "formats": ["gif"]]],
                    ],
                ]
            ]) == [
                "pipeline.json: stage 'i': static[1].render.formats[0]: expected one of 'png', 'pdf', 'svg', got 'gif'"
            ])
        #expect(
            errors([["id": "i", "kind": "test.interactive", "static": ["width": -1]]])
                == ["pipeline.json: stage 'i': static.width: expected a value > 0 and ≤ 20000, got -1.0"])
    }

    @Test func settingsOnTheWrongKindOfStage() {
        #expect(
            errors([["id": "i", "kind": "test.interactive", "render": ["path": "x"]]])
                == [
                    "pipeline.json: stage 'i': render: 'render' settings need a stage producing 'figure' (kind 'test.interactive' produces 'interactive-figure')"
                ])
        #expect(
            errors([["id": "f", "kind": "test.figure", "static": ["width": 400]]])
                == [
                    "pipeline.json: stage 'f': static: 'static' settings need a stage producing 'interactive-figure' (kind 'test.figure' produces 'figure')"
                ])
    }

    /// `figure.plotly` takes figures as well as interactive figures.
    @Test func plotlySettingsOnAFigureStageAddAPlotlyStage() throws {
        let p = try parse([["id": "f", "kind": "test.figure", "plotly": ["path": "x/f"]]])
        #expect(p.stages.map(\.id) == ["f", "f.plotly"])
        let added = try #require(p["f.plotly"])
        #expect(added.kind.name == "figure.plotly")
        #expect(added.upstream == ["f"])
        #expect(added.outputFiles == ["x/f.json"])
    }

    @Test func theGalleryListsAddedRenders() throws {
        let p = try parse([
            ["id": "f", "kind": "test.figure", "render": ["path": "f"]],
            ["id": "gallery", "kind": "figure.gallery", "inputs": ["figures": ["*.render"]]],
        ])
        #expect(p["gallery"]?.upstream == ["f.render"])
    }
}
