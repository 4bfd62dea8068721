import DelphiFigures
import FigpipeBasics
import FigureStages
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// The repository's pipeline.json, reached from this file.
private let repositoryPipeline: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("../../pipeline.json").standardizedFileURL.path

/// Records the outcome of every stage and the progress notes of a run.
private final class Recorder: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _notes: [(id: String, message: String)] = []
    func stageStarted(_ id: String) {}
    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {}
    func note(_ id: String, _ message: String) { lock.withLock { _notes.append((id, message)) } }
    var notes: [(id: String, message: String)] { lock.withLock { _notes } }
}

/// The Delphi stages of the repository's pipeline.json, run in process on a
/// copy of `data/delphi` with one optional cache changed as a fixture under
/// `Fixtures/gating/` says, beside what the exporter printed on that copy.
private struct GatingRun {
    let dir = TemporaryDirectory("figpipe-delphi-gating")
    let name: String

    var dataFolder: String { dir.file("data/delphi") }

    /// Makes the copy (see `Fixtures/gating/README.md`) and the pipeline.
    init(_ name: String) throws {
        self.name = name
        for file in try FileManager.default.contentsOfDirectory(atPath: sampleDataDir).sorted()
        where file.hasSuffix(".json") {
            try dir.write("data/delphi/" + file, try FileIO.read(sampleDataDir + "/" + file))
        }
        let fm = FileManager.default
        switch name {
        case "no-sweep": try fm.removeItem(atPath: dataFolder + "/hparam_sweep.json")
        case "empty-sweep": try dir.write("data/delphi/hparam_sweep.json", "[]")
        case "columnless-sweep":
            let rows = try JSONValue(parsing: try FileIO.read(dataFolder + "/hparam_sweep.json")).arrayValue ?? []
            let stripped: [JSONValue] = rows.map { row in
                .object((row.objectValue ?? [:]).filter { $0.key != "beta2" && $0.key != "eval/paloma/macro_loss" })
            }
            try dir.write("data/delphi/hparam_sweep.json", JSONValue.array(stripped).prettyString())
        case "no-mmlu": try fm.removeItem(atPath: dataFolder + "/mmlu.json")
        case "no-humaneval-empty-gsm8k":
            try fm.removeItem(atPath: dataFolder + "/humaneval.json")
            try dir.write("data/delphi/gsm8k.json", "[]")
        default: Issue.record("unknown gating case \(name)")
        }
        let doc = try JSONValue(parsing: try FileIO.read(repositoryPipeline))
        // The Delphi entries: stages and groups of stages (with the file's variables).
        func isDelphi(_ entry: JSONValue) -> Bool {
            entry["id"]?.stringValue?.hasPrefix("delphi.") == true
                || entry["stages"]?.arrayValue?.contains(where: isDelphi) == true
        }
        let stages = (doc["stages"]?.arrayValue ?? []).filter(isDelphi)
        let pipeline: JSONValue = [
            "version": 1, "data": "data", "out": "out", "vars": doc["vars"] ?? [:], "stages": .array(stages),
        ]
        try dir.write("pipeline.json", pipeline.prettyString())
    }

    /// The exporter's standard output on the copy (the fixture).
    var exporterOutput: [String] {
        get throws {
            let text = String(decoding: try FileIO.read(fixture("gating/\(name)/stdout.txt")), as: UTF8.self)
            return text.split(separator: "\n").map(String.init)
        }
    }

    /// The exporter's gating messages (every line about a cache), naming our copy's files
    /// where the exporter's name `delphi/<file>`.
    var exporterMessages: [String] {
        get throws {
            let ours = Paths.display(dataFolder)
            return try exporterOutput.filter { $0.contains(" cache ") }.map {
                $0.replacingOccurrences(of: " delphi/", with: " \(ours)/")
            }
        }
    }

    /// The blog figures the exporter wrote (`wrote out/blog/<name>.json`).
    var exporterFigures: [String] {
        get throws {
            try exporterOutput.compactMap { line in
                guard line.hasPrefix("wrote out/blog/"), line.hasSuffix(".json") else { return nil }
                return String(line.dropFirst("wrote out/blog/".count).dropLast(".json".count))
            }.sorted()
        }
    }

    /// The blog figures figpipe wrote (`out/delphi/<name>.json`; not the static renders' dumps and layouts).
    var ourFigures: [String] {
        dir.files(under: "out/delphi").filter {
            $0.hasSuffix(".json") && !$0.hasSuffix(".dump.json") && !$0.hasSuffix(".layout.json")
        }
        .map { String($0.dropLast(5)) }.sorted()
    }

    func run(jobs: Int = 2) throws -> (RunSummary, [(id: String, message: String)]) {
        let registry = StageRegistry(DelphiKinds.all + FigureStageKinds.all)
        let pipeline = try PipelineDefinition.load(path: dir.file("pipeline.json"), registry: registry)
        let store = Store(root: pipeline.cacheRoot)
        try store.prepare()
        let statCache = store.statCache()
        let recorder = Recorder()
        let summary = Executor(
            pipeline: pipeline, store: store, statCache: statCache, options: RunOptions(jobs: jobs),
            observer: recorder
        ).run()
        try statCache.save()
        return (summary, recorder.notes)
    }
}

/// The exporter's gating, stage by stage: a missing, empty or column-less optional cache
/// skips its figure (and the figure's mobile variant and files) with the exporter's
/// message, every other figure is still written, and the run succeeds.
@Suite struct GatingTests {
    /// The stages of a gated figure, by the figure.
    static let family = ["hparam-scaling", "mmlu-emergence"].reduce(into: [String: [String]]()) { out, figure in
        // The figure's stage first (the gate), then its mobile variant, the plotly
        // writers and the static renders of both.
        out[figure] =
            ["delphi.\(figure)", "delphi.\(figure)-mobile"]
            + ["plotly", "static", "render"].flatMap { ["delphi.\(figure).\($0)", "delphi.\(figure)-mobile.\($0)"] }
    }

    @Test(arguments: [
        ("no-sweep", "hparam-scaling"), ("empty-sweep", "hparam-scaling"), ("columnless-sweep", "hparam-scaling"),
        ("no-mmlu", "mmlu-emergence"),
    ])
    func aSkippedCacheSkipsItsFigureOnly(name: String, figure: String) throws {
        let run = try GatingRun(name)
        let (summary, _) = try run.run()
        #expect(summary.failed == 0, "\(summary.failures)")
        let gated = try #require(Self.family[figure])
        #expect(Set(summary.skips.map(\.id)) == Set(gated))
        // The figures the exporter writes on this copy, and no others.
        #expect(try run.ourFigures == run.exporterFigures)
        #expect(!run.ourFigures.contains(figure) && run.ourFigures.count == 10)
        // The gate's message is the exporter's; what needs it names the gate.
        let messages = try run.exporterMessages
        #expect(messages.count == 1, "\(messages)")
        #expect(summary.skips.first?.skip.message == messages.first)
        for (id, skip) in summary.skips.dropFirst() {
            #expect(skip.message == "input stage '\(gated[0])' skipped", "\(id)")
        }
        #expect(summary.line.contains(" \(gated.count) skipped, 0 failed in "))
    }

    @Test func theSecondRunFindsTheSkipInTheCacheAndARestoredCacheBringsTheFigureBack() throws {
        let run = try GatingRun("no-sweep")
        let expected = try run.exporterMessages
        _ = try run.run()
        let (again, _) = try run.run()
        #expect(again.ran == 0 && again.failed == 0)
        #expect(again.skips.first?.skip.cached == true)
        #expect(again.skips.first?.skip.message == expected.first)
        // An empty cache where the missing one was: skipped again, with that message.
        try run.dir.write("data/delphi/hparam_sweep.json", "[]")
        let (empty, _) = try run.run()
        #expect(
            empty.skips.first?.skip.message
                == "sweep cache \(Paths.display(run.dataFolder))/hparam_sweep.json is empty — skipping hparam-scaling figure."
        )
        #expect(empty.ran == 0 && empty.failed == 0)
    }

    @Test func aMissingOrEmptyEvalCacheDropsItsViewAndKeepsTheFigure() throws {
        let run = try GatingRun("no-humaneval-empty-gsm8k")
        let (summary, notes) = try run.run()
        #expect(summary.failed == 0 && summary.skipped == 0, "\(summary.failures)")
        #expect(try run.ourFigures == run.exporterFigures)
        #expect(run.ourFigures.count == 12)
        let ours = notes.filter { $0.id == "delphi.mmlu-emergence" && $0.message.contains(" cache ") }.map(\.message)
        let expected = try run.exporterMessages
        #expect(expected.count == 2)
        #expect(ours == expected)
    }
}
