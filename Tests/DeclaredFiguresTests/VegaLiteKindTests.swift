import DeclaredFigures
import FigpipeBasics
import FigureStages
import Foundation
import Pipeline
import PipelineTesting
import Tables
import Testing

/// `figure.vega-lite` in a pipeline: specs inline and in files, tables from
/// table.load stages and from files, errors at the spec's JSON paths.
@Suite struct VegaLiteKindTests {
    func project() -> Project {
        Project(extraKinds: DeclaredFigureKinds.all + TableKinds.all + FigureStageKinds.all)
    }

    static let csv = "group,value\na,1\na,3\nb,2\nb,6\nb,7\n"

    func barSpec(_ extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: [String: JSONValue] = [
            "data": ["name": "points"], "mark": "bar",
            "encoding": [
                "x": ["field": "group", "type": "nominal"],
                "y": ["field": "value", "type": "quantitative", "aggregate": "mean"],
            ],
        ]
        for (k, v) in extra { spec[k] = v }
        return .object(spec)
    }

    func render(_ figure: String) -> JSONValue {
        stage(
            "\(figure).render", "figure.render", params: ["path": .string(figure), "formats": ["png"]],
            inputs: ["figure": figure])
    }

    /// The dump's bars of the first axes: (x positions, heights).
    func bars(_ p: Project, _ path: String) throws -> [Double] {
        let text = try #require(p.output("\(path).dump.json"))
        let dump = try JSONValue(parsing: text)
        let axes = try #require(dump["axes"]?.arrayValue?.first)
        let rects = axes["rectangles"]?.arrayValue ?? axes["patches"]?.arrayValue ?? []
        return rects.compactMap { $0["height"]?.numberValue }
    }

    @Test func aCSVFileInputDrawsTheMeanPerGroup() throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        try p.writePipeline([
            stage("fig", "figure.vega-lite", params: ["spec": barSpec()], inputs: ["points": "points.csv"]),
            render("fig"),
        ])
        let summary = try p.run()
        #expect(summary.failedIDs.isEmpty, "\(summary.outcomes)")
        let heights = try bars(p, "fig")
        #expect(heights == [2, 5])
    }

    @Test func aTableStageAndASpecFile() throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        try p.dir.write("specs/bars.vl.json", barSpec().prettyString())
        try p.writePipeline([
            stage("points", "table.load", inputs: ["file": "points.csv"]),
            stage("fig", "figure.vega-lite", inputs: ["points": "points", "spec": "{pipeline}/specs/bars.vl.json"]),
            render("fig"),
        ])
        let summary = try p.run()
        #expect(summary.failedIDs.isEmpty, "\(summary.outcomes)")
        #expect(try bars(p, "fig") == [2, 5])
    }

    @Test func inlineValuesAndAltairDatasets() throws {
        let p = project()
        let values: JSONValue = [["group": "a", "value": 4], ["group": "b", "value": 8]]
        var inline = barSpec()
        inline["data"] = ["values": values]
        var datasets = barSpec()
        datasets["data"] = ["name": "data-0f3a"]
        datasets["datasets"] = ["data-0f3a": values]
        try p.writePipeline([
            stage("inline", "figure.vega-lite", params: ["spec": inline]), render("inline"),
            stage("datasets", "figure.vega-lite", params: ["spec": datasets]), render("datasets"),
        ])
        let summary = try p.run()
        #expect(summary.failedIDs.isEmpty, "\(summary.outcomes)")
        #expect(try bars(p, "inline") == [4, 8])
        #expect(try bars(p, "datasets") == [4, 8])
    }

    /// An unsupported construct is a validation error at its JSON path, before anything runs.
    @Test(
        arguments: [
            (
                [
                    "layer": [
                        ["mark": "point"],
                        [
                            "mark": "line",
                            "encoding": ["x": ["field": "t", "type": "quantitative", "scale": ["type": "utc"]]],
                        ],
                    ]
                ] as JSONValue,
                "params.spec.layer[1].encoding.x.scale.type: \"utc\" is not supported"
            ),
            (["mark": "arc"], "params.spec.mark: \"arc\" is not supported"),
            (
                ["mark": "point", "encoding": ["x": ["field": "t", "type": "temporal"]]],
                "params.spec.encoding.x.type: \"temporal\" is not supported"
            ),
            (
                ["mark": "point", "encoding": ["x": ["field": "t", "type": "quantitative", "timeUnit": "year"]]],
                "params.spec.encoding.x.timeUnit: \"timeUnit\" is not supported"
            ),
            (["mark": "point", "params": []], "params.spec.params: \"params\" is not supported"),
            (["mark": "point", "transform": [["pivot": "a", "value": "b"]]], "params.spec.transform[0]"),
            (
                ["mark": "point", "data": ["name": "elsewhere"]],
                "params.spec.data.name: no table input or dataset named 'elsewhere'"
            ),
            (["mark": "point", "data": ["url": "data/cars.json"]], "params.spec.data.url: url data is not supported"),
        ] as [(JSONValue, String)])
    func unsupportedConstructsAreValidationErrors(_ body: JSONValue, _ expected: String) throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        var spec = body
        if spec["data"] == nil { spec["data"] = ["name": "points"] }
        try p.writePipeline([stage("fig", "figure.vega-lite", params: ["spec": spec], inputs: ["points": "points.csv"])]
        )
        do {
            _ = try p.load()
            Issue.record("no validation error for \(expected)")
        } catch let e as PipelineErrors {
            #expect(e.description.contains(expected), "\(e.description)")
            #expect(e.description.contains("stage 'fig'"))
        }
    }

    @Test func aMissingFieldFailsTheStageNamingItAndTheOthersFinish() throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        var spec = barSpec()
        spec["encoding"]?["x"] = ["field": "grp", "type": "nominal"]
        try p.writePipeline([
            stage("bad", "figure.vega-lite", params: ["spec": spec], inputs: ["points": "points.csv"]), render("bad"),
            stage("good", "figure.vega-lite", params: ["spec": barSpec()], inputs: ["points": "points.csv"]),
            render("good"),
        ])
        let summary = try p.run()
        #expect(summary.failedIDs == ["bad", "bad.render"])
        guard case .failed(let message)? = summary.outcomes["bad"] else {
            Issue.record("bad did not fail")
            return
        }
        #expect(
            message.description.contains(
                "params.spec.encoding.x.field: no field 'grp' in the data (fields: group, value)"))
        #expect(p.output("bad.png") == nil)
        #expect(p.output("good.png") != nil)
    }

    @Test func aSpecFileErrorNamesTheFileAndThePath() throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        var spec = barSpec()
        spec["mark"] = ["type": "bar", "cornerRadius": 3]
        try p.dir.write("specs/bad.vl.json", spec.prettyString())
        try p.writePipeline([
            stage("fig", "figure.vega-lite", inputs: ["points": "points.csv", "spec": "{pipeline}/specs/bad.vl.json"])
        ])
        let summary = try p.run()
        guard case .failed(let message)? = summary.outcomes["fig"] else {
            Issue.record("fig did not fail")
            return
        }
        #expect(
            message.description.contains("specs/bad.vl.json: mark.cornerRadius: \"cornerRadius\" is not supported"),
            "\(message)")
    }

    @Test func aSpecMustBeGivenOnce() throws {
        let p = project()
        try p.writeData("points.csv", Self.csv)
        try p.writePipeline([stage("fig", "figure.vega-lite", inputs: ["points": "points.csv"])])
        #expect(throws: PipelineErrors.self) { try p.load() }
    }
}
