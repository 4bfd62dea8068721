import FigpipeBasics
import FigpipeCLI
import Foundation
import Pipeline
import Testing

/// The repository root, from this file's place in it (Tests/FigpipeCLITests/…).
private let repositoryRoot = Paths.directory(of: Paths.directory(of: Paths.directory(of: #filePath)))

/// pipeline.json as it was before vars, foreach/matrix and figure settings
/// (1,577 lines, every stage written out; committed unchanged as a fixture).
private let expandedV1 = repositoryRoot + "/Tests/FigpipeCLITests/Fixtures/pipeline-v1.json"

private func document(_ path: String) throws -> JSONValue {
    let bytes = try #require(FileManager.default.contents(atPath: path), "missing \(path)")
    return try JSONValue(parsing: Array(bytes))
}

private func parse(_ doc: JSONValue) throws -> PipelineDefinition {
    try PipelineDefinition.parse(
        doc, file: "pipeline.json", baseDirectory: repositoryRoot, registry: Figpipe.registry.current,
        checkFiles: false)
}

/// Everything about a resolved stage that reaches a cache key, an output
/// file or `figpipe list`, as one comparable line.
private func summary(_ s: ResolvedStage) -> String {
    let inputs = s.inputs.map { i -> String in
        let source: String
        switch i.source {
        case .file(let relative, _): source = "file:" + relative
        case .stage(let id): source = "@" + id
        }
        return "\(i.name)=\(source)\(i.isOptional ? "?" : "")\(i.list.map { " in \($0)" } ?? "")"
    }
    return [
        s.id, s.kind.name, JSONValue.object(s.parameters.values).canonicalString(), inputs.joined(separator: " "),
        s.outputFiles.joined(separator: ","), s.description ?? "-",
    ].joined(separator: " | ")
}

@Suite struct PipelineExpansion {
    /// The rewritten pipeline.json expands to exactly the stages of the old
    /// one: ids, kinds, parameters, inputs (list inputs in the same order),
    /// output files, descriptions, and the same pipeline order.
    @Test func theRepositoryPipelineExpandsToTheOldStages() throws {
        let old = try parse(try document(expandedV1))
        let new = try parse(try document(repositoryRoot + "/pipeline.json"))
        // 132 + entropy.fits.lin_trend (the fits are a stage) + seven tables
        // (tables.delphi-runs, delphi.runs.table, entropy.runs.E_512.table,
        // compression.results.table, compression.atlas-{bf16,q4k,layer}.table)
        // + ten declared examples (examples/*.vl.json), each drawn and written as plotly JSON
        #expect(old.stages.count == 170)
        #expect(new.stages.map(\.id) == old.stages.map(\.id))
        for (a, b) in zip(old.stages, new.stages) {
            #expect(summary(b) == summary(a))
        }
    }

    /// It is at most half as long as the old file.
    @Test func theRepositoryPipelineIsShort() throws {
        let text = try #require(FileManager.default.contents(atPath: repositoryRoot + "/pipeline.json"))
        let old = try #require(FileManager.default.contents(atPath: expandedV1))
        let lines = text.filter { $0 == UInt8(ascii: "\n") }.count
        #expect(lines * 2 <= old.filter { $0 == UInt8(ascii: "\n") }.count, "\(lines) lines")
    }

    /// Moving the post-correction analysis to another eta is one edit: the
    /// `eta_post` variable. Ids, parameters, output paths and descriptions follow.
    @Test func oneEditMovesThePostCorrectionEta() throws {
        guard case .object(var doc) = try document(repositoryRoot + "/pipeline.json"),
            case .object(var vars)? = doc["vars"]
        else { throw StageError("pipeline.json has no vars") }
        #expect(vars["eta_post"] == .double(8e-06))
        vars["eta_post"] = .double(3.2e-06)
        doc["vars"] = .object(vars)
        let moved = try parse(.object(doc))
        let old = try parse(try document(repositoryRoot + "/pipeline.json"))
        #expect(moved.stages.count == old.stages.count)
        let changed = zip(old.stages, moved.stages).filter { summary($0) != summary($1) }.map(\.0.id)
        // 4 figures, their renders, 3 tables; and the gallery, which lists the renders.
        #expect(changed.count == 12, "\(changed)")
        #expect(changed.allSatisfy { $0.contains("_eta_8e-06") || $0 == "gallery" })
        let ids = moved.stages.map(\.id)
        #expect(ids.contains("entropy.table.trunc_result_run_01_eta_3.2e-06"))
        #expect(ids.contains("entropy.clip_sweep_run_01_eta_3.2e-06.render"))
        #expect(!moved.stages.contains { summary($0).contains("8e-06") })
        let figure = try #require(moved["entropy.normalized_abs_error_run_01_eta_3.2e-06"])
        #expect(figure.parameters.values["eta"] == .double(3.2e-06))
        #expect(figure.description == "Post-correction plot_normalized_abs_error('run_01', 3.2e-06).")
        #expect(
            moved["entropy.normalized_abs_error_run_01_eta_3.2e-06.render"]?.outputFiles.first
                == "entropy/normalized_abs_error_run_01_eta_3.2e-06.pdf")
    }

    /// The schema checks settings against their kinds, and accepts references.
    @Test func theSchemaChecksSettings() {
        let schema = JSONSchemaValidator(schema: PipelineSchema.generate(for: Figpipe.registry.current))
        func check(_ stage: JSONValue) -> [String] {
            schema.validate(["version": 1, "data": "d", "out": "o", "stages": [stage]])
        }
        let fig: JSONValue = ["id": "compression.fig5", "kind": "compression.fig5", "inputs": ["results": "r"]]
        func with(_ key: String, _ value: JSONValue) -> JSONValue {
            guard case .object(var o) = fig else { return fig }
            o[key] = value
            return .object(o)
        }
        #expect(check(with("render", ["path": "c/fig5", "dpi": "${dpi}"])) == [])
        #expect(check(with("render", [["path": "c/fig5"], ["name": "big", "path": "c/big", "dpi": 300]])) == [])
        #expect(
            check(with("render", ["path": "c/fig5", "dpi": 0])) == ["$.stages[0].render.dpi: 0 is not greater than 0.0"]
        )
        #expect(check(with("render", ["dpi": 10])) == ["$.stages[0].render: required property 'path' is missing"])
        #expect(
            check(with("render", ["path": "c", "bogus": 1])) == ["$.stages[0].render: property 'bogus' is not allowed"])
        // figure.plotly takes figures too, so a figure stage may add one.
        #expect(check(with("plotly", ["path": "c"])) == [])
        #expect(
            check(with("plotly", ["path": "c", "bogus": 1])) == ["$.stages[0].plotly: property 'bogus' is not allowed"])
        #expect(check(with("static", ["width": 400])) == ["$.stages[0].static: no value is allowed here"])
        #expect(
            check([
                "id": "delphi.x", "kind": "delphi.lucky-seeds", "inputs": ["runs": "r"],
                "static": ["width": 400, "render": ["path": "delphi/x", "formats": ["gif"]]],
            ]) == [#"$.stages[0].static.render.formats[0]: "gif" is not one of ["png","pdf","svg"]"#])
        // A template: references where values go; its kind is a reference too.
        #expect(
            check([
                "foreach": [["k": "entropy.clip-sweep"]], "id": "e.${item.k}", "kind": "${item.k}",
                "params": ["eta": "${eta}"], "render": ["path": "e/${item.k}"],
            ]) == [])
        #expect(check(["id": "a b", "kind": "compression.fig5"]).first?.hasPrefix("$.stages[0].id:") == true)
    }
}
