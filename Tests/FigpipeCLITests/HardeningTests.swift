import FigpipeBasics
import FigpipeCLI
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// The issue's hardening defects, each through the real command line
/// (figpipe-testbed, which has every standard kind): bad parameter values are
/// refused before anything runs, for `run`, `run --dry-run` and `status`; file
/// inputs that are not regular files are named; only the selected stages'
/// input files are required; a failed stage is shown as failed by `status`.

/// A stage that reads a file and renders it: `test.source` → `test.render`.
private func renderPair(_ id: String, path: JSONValue) -> [JSONValue] {
    [
        stage(id, "test.source", inputs: ["file": "a.txt"]),
        stage("\(id).render", "test.render", params: ["path": path], inputs: ["in": id]),
    ]
}

@Suite struct ParameterValuesAreCheckedBeforeAnythingRuns {
    /// (params of a figure.render stage, the expected field and message fragment).
    static let renderCases: [([String: JSONValue], String)] = [
        (["dpi": 1e9], "params.dpi: expected a value > 0 and ≤ 10000"),
        (["dpi": -5], "params.dpi: expected a value > 0 and ≤ 10000, got -5.0"),
        (["dpi": 0], "params.dpi: expected a value > 0 and ≤ 10000, got 0.0"),
        (["formats": ["gif"]], "params.formats[0]: expected one of 'png', 'pdf', 'svg', got 'gif'"),
        (["formats": []], "params.formats: expected at least one element"),
        (["bbox": "loose"], "params.bbox: expected one of 'tight', 'figure', got 'loose'"),
        (["path": ""], "params.path: expected a relative path that ends in a file name (not hidden), got ''"),
        (
            ["path": "compression/"],
            "params.path: expected a relative path that ends in a file name (not hidden), got 'compression/'"
        ),
    ]

    @Test(arguments: renderCases)
    func renderParameters(_ params: [String: JSONValue], _ expected: String) async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        var renderParams = params
        if renderParams["path"] == nil { renderParams["path"] = "figs/a" }
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("fig", "compression.fig1", inputs: ["atlas_bf16": "atlas"]),
            stage("atlas", "compression.load-atlas-bf16", inputs: ["file": "a.txt"]),
            stage("fig.render", "figure.render", params: renderParams, inputs: ["figure": "fig"]),
        ])
        for command in [["run"], ["run", "--dry-run"], ["status"]] {
            let r = try await p.run(arguments: command)
            #expect(r.exitCode == 2, "\(command): \(r)")
            #expect(r.stderrLines.contains { $0.hasPrefix("pipeline.json: stage 'fig.render': \(expected)") }, "\(r)")
        }
        #expect(p.counts.isEmpty)
        #expect(!p.dir.exists("out"))
    }

    @Test(arguments: [
        ("figure.static", ["width": JSONValue.double(0)], "params.width: expected a value > 0"),
        ("delphi.ladder", ["suite": "adamw"], "params.suite: expected one of 'adamc', 'adamh', got 'adamw'"),
        ("delphi.mobile", ["transform": "4x4"], "params.transform: expected one of 'stack', 'mmlu-stack', '3x2'"),
        ("entropy.err-rel-comparison", ["seed": -1], "params.seed: expected a value ≥ 0, got -1"),
        ("entropy.err-rel-comparison", ["num_samples": 0], "params.num_samples: expected a value ≥ 1 and ≤ 10000000"),
        ("entropy.normalized-abs-error", ["bins": 100_000_000], "params.bins: expected a value ≥ 1 and ≤ 100000"),
        ("entropy.truncation", ["keep_quantile": 1.5], "params.keep_quantile: expected a value ≥ 0 and ≤ 1"),
        ("entropy.batch-truncation", ["keep_quantiles": [0.5, -1]], "params.keep_quantiles[1]: expected a value ≥ 0"),
    ] as [(String, [String: JSONValue], String)])
    func familyParameters(_ kind: String, _ params: [String: JSONValue], _ expected: String) throws {
        let registry = Figpipe.registry.current
        let spec = try #require(registry[kind])
        var inputs: [String: JSONValue] = [:]
        for input in spec.inputs where !input.isOptional { inputs[input.name] = "up" }
        let doc: JSONValue = [
            "version": 1, "data": "d", "out": "o",
            "stages": [
                ["id": "s", "kind": .string(kind), "params": .object(params), "inputs": .object(inputs)]
            ],
        ]
        do {
            _ = try PipelineDefinition.parse(doc, file: "p.json", baseDirectory: "/b", registry: registry, checkFiles: false)
            Issue.record("accepted \(params) for \(kind)")
        } catch {
            #expect(error.errors.contains { $0.description.hasPrefix("p.json: stage 's': \(expected)") }, "\(error)")
        }
        // The committed schema flags it too.
        let schema = JSONSchemaValidator(schema: PipelineSchema.generate(for: registry))
        let name = try #require(params.keys.first)
        #expect(schema.validate(doc).contains { $0.hasPrefix("$.stages[0].params.\(name)") }, "\(kind) \(params)")
    }

    @Test func everyDefaultMeetsItsConstraints() {
        for kind in Figpipe.registry.current.kinds.values {
            for p in kind.parameters {
                guard let d = p.defaultValue else { continue }
                let schema = JSONSchemaValidator(schema: PipelineSchema.schema(for: p))
                #expect(schema.validate(d) == [], "\(kind.name).\(p.name) default \(d)")
            }
        }
    }

    @Test func longStageIDIsRefused() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        let long = String(repeating: "x", count: 301)
        try p.writePipeline(renderPair(long, path: "a.txt"))
        for command in [["run"], ["status"]] {
            let r = try await p.run(arguments: command)
            #expect(r.exitCode == 2, "\(command): \(r)")
            #expect(
                r.stderrLines.contains {
                    $0.hasSuffix("id: id of 301 characters is longer than 128 (ids name files in the cache)")
                }, "\(r)")
        }
        #expect(p.counts.isEmpty)
    }
}

@Suite struct InputFiles {
    @Test func aGlobMatchThatIsADirectoryIsNamed() async throws {
        let p = CLIProject()
        try p.writeData("runs/run_01/results.json", "{}")
        try FileManager.default.createDirectory(
            atPath: p.dir.file("data/runs/run_02/results.json"), withIntermediateDirectories: true)
        try p.writePipeline([stage("r", "entropy.load-runs", inputs: ["files": "runs/run_*/results.json"])])
        let r = try await p.run("run")
        #expect(r.exitCode == 2, "\(r)")
        #expect(
            r.stderrLines == [
                "pipeline.json: stage 'r': inputs.files: 'runs/run_*/results.json' matches data/runs/run_02/results.json, which is not a regular file (a directory)"
            ], "\(r)")
    }

    @Test func aFIFOInputNeverBlocks() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try FileManager.default.createDirectory(atPath: p.dir.file("data"), withIntermediateDirectories: true)
        #expect(mkfifo(p.dir.file("data/pipe"), 0o644) == 0)
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("f", "test.source", inputs: ["file": "pipe"]),
        ])
        let r = try await p.spawn(["run"]).finish(timeout: 30)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderrLines == ["pipeline.json: stage 'f': inputs.file: not a regular file (a FIFO): data/pipe"])
        // Only the other stage selected: it runs.
        let other = try await p.spawn(["run", "a"]).finish(timeout: 30)
        #expect(other.exitCode == 0, "\(other)")
        #expect(p.counts == ["a": 1])
    }

    @Test func onlyTheSelectedStagesNeedTheirFiles() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("m", "test.source", inputs: ["file": "missing/m.txt"]),
        ])
        let selected = try await p.run("run", "a")
        #expect(selected.exitCode == 0, "\(selected)")
        let all = try await p.run("run")
        #expect(all.exitCode == 2)
        #expect(all.stderrLines == ["pipeline.json: stage 'm': inputs.file: no such file: data/missing/m.txt"])
        let status = try await p.run("status")
        #expect(status.exitCode == 0, "\(status)")
        #expect(status.stdoutLines.contains { $0.hasPrefix("stale") && $0.contains("input missing: data/missing/m.txt") })
    }
}

@Suite struct FailuresStayVisible {
    @Test func statusShowsTheFailureUntilSomethingChanges() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("f", "test.fail", params: ["message": "the fit did not converge"]),
        ])
        let r = try await p.run("run")
        #expect(r.exitCode == 1)
        let status = try await p.run("status")
        #expect(status.stdoutLines.contains { $0.hasPrefix("failed") && $0.hasSuffix("the fit did not converge") })
        #expect(status.stdoutLines.last == "1 up to date, 1 failed, 0 stale")
        // A changed parameter makes it stale again (its failure was for the old key).
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("f", "test.fail", params: ["message": "another"]),
        ])
        let after = try await p.run("status")
        #expect(after.stdoutLines.contains { $0.hasPrefix("stale") && $0.contains("never run") }, "\(after)")
        // Once it succeeds, its failure record is gone.
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("f", "test.source", inputs: ["file": "a.txt"]),
        ])
        #expect(try await p.run("run").exitCode == 0)
        #expect(!p.dir.exists(".figpipe/failures/f.json"))
        #expect(try await p.run("status").stdoutLines.last == "2 up to date, 0 stale")
    }
}

@Suite struct GalleryWithAFailedFigure {
    @Test func theGalleryIsBuiltWithTheErrorOnTheFailedCard() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("a.render", "test.render", params: ["path": "figs/a.png"], inputs: ["in": "a"]),
            stage("f", "test.fail", params: ["message": "no data at eta 8e-06"]),
            stage("f.render", "test.render", params: ["path": "figs/f.png"], inputs: ["in": "f"]),
            .object([
                "id": "gallery", "kind": "figure.gallery", "inputs": ["figures": ["*.render"]],
            ]),
        ])
        let r = try await p.run("run")
        #expect(r.exitCode == 1, "\(r)")
        #expect(r.stderrLines.contains("  f: no data at eta 8e-06"))
        #expect(r.stderrLines.contains("  f.render: not run: input stage 'f' failed"))
        #expect(!r.stderrLines.contains { $0.contains("gallery") }, "the gallery itself does not fail: \(r)")
        let page = try #require(p.output("index.html"))
        #expect(page.contains(#"<figure id="figs/a">"#))
        #expect(page.contains(#"<figure id="figs/f" class="failed">"#))
        #expect(page.contains("f.render: input stage &#39;f&#39; failed: no data at eta 8e-06") || page.contains(
            "f.render: input stage 'f' failed: no data at eta 8e-06"))
        #expect(page.contains("1 failed in the last run"))
        // Once the figure is fixed, its card is a figure again.
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("a.render", "test.render", params: ["path": "figs/a.png"], inputs: ["in": "a"]),
            stage("f", "test.source", inputs: ["file": "a.txt"]),
            stage("f.render", "test.render", params: ["path": "figs/f.png"], inputs: ["in": "f"]),
            .object(["id": "gallery", "kind": "figure.gallery", "inputs": ["figures": ["*.render"]]]),
        ])
        let fixed = try await p.run("run")
        #expect(fixed.exitCode == 0, "\(fixed)")
        let again = try #require(p.output("index.html"))
        #expect(again.contains(#"<figure id="figs/f">"#) && !again.contains(#"class="failed""#))
    }
}

/// The repository root, from this file's place in it (Tests/FigpipeCLITests/…).
private let repository = Paths.directory(of: Paths.directory(of: Paths.directory(of: #filePath)))

/// A data defect in one real sample file: the run fails only the stage that
/// reads it (exit 1, naming the file and the field), and the other stage
/// (an independent `test.source`) still finishes.
struct DataDefect: Sendable, CustomStringConvertible {
    var name: String
    /// The sample file (under data/) and its kind's stage.
    var file: String
    var kind: String
    var input: String
    /// The file's bytes → the defective bytes.
    var mutate: @Sendable ([UInt8]) -> [UInt8]
    /// What the failure line must say, besides the file's name.
    var expected: [String]

    var description: String { name }

    static func replacing(_ old: String, with new: String) -> @Sendable ([UInt8]) -> [UInt8] {
        { bytes in
            let text = String(decoding: bytes, as: UTF8.self)
            guard let r = text.range(of: old) else { return bytes }
            return Array(text.replacingCharacters(in: r, with: new).utf8)
        }
    }

    /// A nested array of `depth` levels in place of the first occurrence of `old`.
    static func nesting(_ old: String, depth: Int) -> @Sendable ([UInt8]) -> [UInt8] {
        replacing(old, with: String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
    }

    /// An extra member `"extra": [[[…]]]` (which the readers skip) at the start of the first object.
    static func nestedExtraMember(depth: Int) -> @Sendable ([UInt8]) -> [UInt8] {
        replacing(
            "{", with: #"{"extra": "# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ", ")
    }

    /// Invalid UTF-8 (a lone continuation byte) inside the first string after `marker`.
    static func invalidUTF8(after marker: String) -> @Sendable ([UInt8]) -> [UInt8] {
        { bytes in
            let m = Array(marker.utf8)
            guard let at = (0...(bytes.count - m.count)).first(where: { Array(bytes[$0..<$0 + m.count]) == m })
            else { return bytes }
            var out = bytes
            out.insert(0x80, at: at + m.count)
            return out
        }
    }
}

@Suite struct DataDefectsFailOnlyTheirStage {
    static let defects: [DataDefect] = [
        DataDefect(
            name: "batch_size 1e300", file: "delphi/hparam_sweep.json", kind: "delphi.hparam-scaling", input: "sweep",
            mutate: DataDefect.replacing(#""batch_size": 8"#, with: #""batch_size": 1e300"#),
            expected: ["run 0: field 'batch_size': 1e+300 is out of the integer range"]),
        DataDefect(
            name: "hidden_dim -1e308", file: "delphi/hparam_sweep.json", kind: "delphi.hparam-scaling", input: "sweep",
            mutate: DataDefect.replacing(#""hidden_dim": 256"#, with: #""hidden_dim": -1e308"#),
            expected: ["run 0: field 'hidden_dim': -1e+308 is out of the integer range"]),
        DataDefect(
            name: "shot 1e300", file: "delphi/mmlu.json", kind: "delphi.mmlu-emergence", input: "mmlu",
            mutate: DataDefect.replacing(#""shot": 0"#, with: #""shot": 1e300"#),
            expected: ["row 0: field 'shot': 1e+300 is out of the integer range"]),
        DataDefect(
            name: "runs.json nested 100,000 deep", file: "delphi/runs.json", kind: "delphi.load-runs", input: "file",
            mutate: DataDefect.nesting(#""finished""#, depth: 100_000),
            expected: ["nesting deeper than 512 levels"]),
        DataDefect(
            name: "results.json nested 100,000 deep in an object", file: "entropy/E_2048/run_01/results.json",
            kind: "entropy.load-runs", input: "files", mutate: DataDefect.nestedExtraMember(depth: 100_000),
            expected: ["field 'extra'", "nesting deeper than 512 levels"]),
        DataDefect(
            name: "atlas line nested 100,000 deep", file: "compression/provenance/iter5/precheck_l/atlas_train.jsonl",
            kind: "compression.load-atlas-layer", input: "file", mutate: DataDefect.nestedExtraMember(depth: 100_000),
            expected: [":1:", "nesting deeper than 512 levels"]),
        DataDefect(
            name: "atlas invalid UTF-8", file: "compression/provenance/iter5/precheck_l/atlas_train.jsonl",
            kind: "compression.load-atlas-layer", input: "file",
            mutate: DataDefect.invalidUTF8(after: #""model": "Qwen"#),
            expected: [":1:", "invalid UTF-8"]),
        DataDefect(
            name: "results.json invalid UTF-8", file: "entropy/E_2048/run_01/results.json", kind: "entropy.load-runs",
            input: "files", mutate: DataDefect.invalidUTF8(after: #"{""#), expected: ["(byte 2)", "invalid UTF-8"]),
    ]

    @Test(arguments: defects)
    func defect(_ d: DataDefect) async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        let original = try FileIO.read(repository + "/data/" + d.file)
        let mutated = d.mutate(original)
        #expect(mutated != original, "the mutation applies to the sample file")
        try p.dir.write("data/" + d.file, mutated)
        try p.writePipeline([
            stage("other", "test.source", inputs: ["file": "a.txt"]),
            stage("defective", d.kind, inputs: [d.input: d.file]),
        ])
        let r = try await p.spawn(["run", "--jobs", "1"]).finish(timeout: 120)
        #expect(r.exitCode == 1, "\(r)")
        #expect(p.counts["other"] == 1, "the other stage finished")
        let failure = r.stderrLines.first { $0.hasPrefix("  defective: ") } ?? ""
        let base = String(d.file.split(separator: "/").last ?? "")
        #expect(r.stderr.contains(base), "the failure names the file: \(r.stderr)")
        for part in d.expected { #expect(r.stderr.contains(part), "\(part) in: \(failure) \(r.stderr)") }
        #expect(r.stdoutLines.last.map(isSummaryLine) == true)
    }
}
