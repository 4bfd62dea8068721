import FigpipeBasics
import FigpipeCLI
import Foundation
import Pipeline
import Tables

/// What a campaign runs: how many mutants of which families, from which seed.
public struct CampaignOptions: Sendable {
    /// The repository: `pipeline.json` and `data/` are read from here (never written).
    public var repositoryRoot: String
    /// The figpipe binary under test.
    public var figpipe: String
    /// Scratch space: one folder per worker (data root, output root, cache).
    public var workDirectory: String
    public var seed: UInt64 = 1
    public var mutantsPerFamily = 200
    public var families: [Family] = Family.all
    public var profile: Profile = .quick
    /// Mutants run at once (each in its own child process).
    public var workers = 2
    /// Per mutant, in seconds; a mutant still running then is a hang.
    public var timeLimit: Double = 20
    /// Where each failing mutant is saved with a script that reproduces it (nil: not saved).
    public var failuresDirectory: String?
    /// Progress lines (a failure as it happens, a family as it ends).
    public var log: (@Sendable (String) -> Void)?

    public init(repositoryRoot: String, figpipe: String, workDirectory: String) {
        self.repositoryRoot = repositoryRoot
        self.figpipe = figpipe
        self.workDirectory = workDirectory
    }
}

/// One mutant and what its run did.
public struct MutantRecord: Sendable {
    public var family: String
    public var index: Int
    /// The mutated file, relative to the data root, or `pipeline.json`.
    public var file: String
    public var kind: MutationKind
    public var mutation: String
    /// figpipe's arguments.
    public var arguments: [String]
    public var result: ChildResult
    public var verdict: Verdict
    public var problems: [String]
    /// The error output names the mutated file (meaningful for clean errors).
    public var namesFile: Bool
    /// Where the mutant was saved, when it failed and a failures folder was given.
    public var savedTo: String?

    /// `delphi.runs#17 number-swap (replace number …): signal 4 (SIGILL)`, and the last line of stderr.
    public var summary: String {
        let tail = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        return "\(family)#\(index) \(file): \(mutation) → \(verdict.rawValue), \(result.status)"
            + (problems.isEmpty ? "" : " [\(problems.prefix(2).joined(separator: "; "))]")
            + (tail.isEmpty ? "" : "\n    stderr: \(tail.prefix(300))") + (savedTo.map { "\n    saved: \($0)" } ?? "")
    }
}

/// The counts of one family.
public struct FamilySummary: Sendable {
    public var family: String
    public var mutants = 0
    public var counts: [Verdict: Int] = [:]
    /// Clean errors whose message names the mutated file.
    public var namingFile = 0
    /// figpipe's run time over the family's mutants, and the CPU time it used.
    public var seconds = 0.0
    public var cpuSeconds = 0.0

    public func count(_ v: Verdict) -> Int { counts[v, default: 0] }
}

/// Everything a campaign found.
public struct CampaignReport: Sendable {
    public var options: CampaignOptions
    public var records: [MutantRecord]
    /// Runs of the unmutated seeds that did not succeed (the harness or the sample data is broken).
    public var setupProblems: [String]
    public var seconds: Double

    public var failures: [MutantRecord] { records.filter { !$0.verdict.passes } }

    public var summaries: [FamilySummary] {
        options.families.map { f in
            var s = FamilySummary(family: f.name)
            for r in records where r.family == f.name {
                s.mutants += 1
                s.counts[r.verdict, default: 0] += 1
                if r.verdict == .cleanError && r.namesFile { s.namingFile += 1 }
                s.seconds += r.result.seconds
                s.cpuSeconds += r.result.cpuSeconds
            }
            return s
        }
    }

    /// The summary table: per family, the mutants and how they ended.
    public var table: String {
        let header = [
            "family", "mutants", "clean errors", "successes", "crashes", "hangs", "partial outputs", "silent errors",
            "errors naming the file", "run time", "CPU time",
        ]
        var rows: [[String]] = []
        var total = FamilySummary(family: "total")
        for s in summaries {
            rows.append(row(s))
            total.mutants += s.mutants
            for (v, n) in s.counts { total.counts[v, default: 0] += n }
            total.namingFile += s.namingFile
            total.seconds += s.seconds
            total.cpuSeconds += s.cpuSeconds
        }
        rows.append(row(total))
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in
                c == 0
                    ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ")
        }
        var lines = [line(header)]
        lines += rows.map(line)
        lines.append(
            "seed \(options.seed), \(options.mutantsPerFamily) mutants per family, \(options.profile.rawValue) profile, "
                + "\(options.workers) at once, time limit \(Int(options.timeLimit)) s, "
                + String(format: "%.1f s", seconds))
        return lines.joined(separator: "\n")
    }

    private func row(_ s: FamilySummary) -> [String] {
        let clean = s.count(.cleanError)
        let naming =
            clean == 0
            ? "-" : "\(s.namingFile)/\(clean) (\(Int((Double(s.namingFile) / Double(clean) * 100).rounded()))%)"
        return [
            s.family, "\(s.mutants)", "\(clean)", "\(s.count(.success))", "\(s.count(.crash))", "\(s.count(.hang))",
            "\(s.count(.partialOutput))", "\(s.count(.silentError))", naming, String(format: "%.1f s", s.seconds),
            String(format: "%.1f s", s.cpuSeconds),
        ]
    }
}

/// A problem that stops a campaign before any mutant runs.
public struct CampaignError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Runs every family's mutants through figpipe, each in a child process, and judges them.
public enum Campaign {
    public static func run(_ options: CampaignOptions) throws -> CampaignReport {
        let start = Date()
        let plan = try Plan(options)
        let jobs = options.families.flatMap { f in (0..<options.mutantsPerFamily).map { (f.name, $0) } }
        let collector = Collector(count: jobs.count)
        let workers = try (0..<max(1, options.workers)).map { try Worker(index: $0, plan: plan) }
        let threads = workers.map { worker in
            Thread {
                while let job = collector.nextJob() {
                    let record = worker.run(family: jobs[job].0, index: jobs[job].1)
                    collector.store(record, at: job)
                    if !record.verdict.passes { options.log?("FAIL " + record.summary) }
                }
                worker.finish()
                collector.workers.leave()
            }
        }
        for t in threads {
            t.stackSize = 8 << 20
            collector.workers.enter()
            t.start()
        }
        collector.waitForWorkers()
        return CampaignReport(
            options: options, records: collector.records, setupProblems: workers.flatMap(\.setupProblems),
            seconds: Date().timeIntervalSince(start))
    }
}

/// Hands out job numbers and keeps the records in job order.
private final class Collector: Sendable {
    private struct State {
        var next = 0
        var slots: [MutantRecord?]
    }

    private let state: Locked<State>
    private let count: Int
    /// Entered by each worker thread; `waitForWorkers` waits until all have left.
    let workers = DispatchGroup()

    init(count: Int) {
        self.count = count
        state = Locked(State(slots: Array(repeating: nil, count: count)))
    }

    func nextJob() -> Int? {
        let count = self.count
        return state.withLock { s in
            guard s.next < count else { return nil }
            s.next += 1
            return s.next - 1
        }
    }

    func store(_ record: MutantRecord, at job: Int) { state.withLock { $0.slots[job] = record } }

    func waitForWorkers() { workers.wait() }

    var records: [MutantRecord] { state.withLock { $0.slots.compactMap { $0 } } }
}

/// A family's seed file, ready to mutate.
struct Seed: Sendable {
    var file: String
    /// The bytes installed in the data root for the control run.
    var installed: [UInt8]
    /// Mutates the (decompressed) text.
    var text: Mutator
    /// For a compressed file: mutates the compressed bytes.
    var raw: Mutator?
    var compressed: Bool
    var targets: [String]
    /// The reduced pipeline (the targets' closure) the runs use.
    var config: String
    /// Files of the same glob left out of the data root (quick profile).
    var leftOut: [String]
}

/// What the workers share: seeds, targets, configs. Written only while it is
/// made, read-only once the workers start (hence `@unchecked`, documented in
/// docs/ARCHITECTURE.md).
final class Plan: @unchecked Sendable {
    let options: CampaignOptions
    let pipelineBytes: [UInt8]
    let full: PipelineDefinition
    let dataFiles: [String]
    var seeds: [String: [Seed]] = [:]
    /// pipeline.json: the byte range of each stage object and its id.
    var stageRanges: [(range: Range<Int>, id: String)] = []
    static let pipelineTargets = ["compression.atlas-layer", "compression.fig4", "delphi.mmlu-emergence"]

    init(_ options: CampaignOptions) throws {
        self.options = options
        let root = options.repositoryRoot
        let configPath = Paths.join(root, "pipeline.json")
        guard let bytes = FileManager.default.contents(atPath: configPath) else {
            throw CampaignError("cannot read \(configPath)")
        }
        // The fuzzer works on plain stage objects: the file with its variables,
        // loops and figure settings expanded (the same stages, in the same order).
        do {
            let expanded = try PipelineDefinition.expandedDocument(
                try JSONValue(parsing: Array(bytes)), registry: Figpipe.registry.current)
            pipelineBytes = Array(expanded.prettyString().utf8)
        } catch {
            throw CampaignError("the repository's pipeline.json does not expand: \(error)")
        }
        let scratch = Paths.join(options.workDirectory, "plan")
        do {
            full = try PipelineDefinition.load(
                path: configPath, registry: Figpipe.registry.current,
                overrides: RootOverrides(
                    data: Paths.join(root, "data"), out: Paths.join(scratch, "out"), cache: Paths.join(scratch, "cache")
                ))
        } catch {
            throw CampaignError("the repository's pipeline.json does not load: \(error)")
        }
        dataFiles = Judge.files(under: Paths.join(root, "data")).map { String($0.dropFirst(root.count + 6)) }
        let document = try JSONValue(parsing: pipelineBytes)
        let configs = Paths.join(options.workDirectory, "configs")
        try FileIO.createDirectory(configs)
        for family in options.families {
            if family.isPipeline {
                // Quick profile: a smaller pipeline.json (one family's worth of each stage kind),
                // so each run spends less time validating the file.
                var bytes = pipelineBytes
                var parsed = document
                if options.profile == .quick {
                    parsed = Self.reduced(document, keeping: Self.quickPipelineStages(full))
                    bytes = Array(parsed.prettyString().utf8)
                }
                seeds[family.name] = [
                    Seed(
                        file: "pipeline.json", installed: bytes, text: Mutator(seed: bytes), raw: nil,
                        compressed: false, targets: Self.pipelineTargets, config: configPath, leftOut: [])
                ]
                stageRanges = Self.stageRanges(bytes, parsed)
                continue
            }
            let files = options.profile == .quick ? family.quickFiles : family.files
            seeds[family.name] = try files.enumerated().map { n, file in
                try seed(family, file, document: document, config: Paths.join(configs, "\(family.name)-\(n).json"))
            }
        }
    }

    private func seed(_ family: Family, _ file: String, document: JSONValue, config: String) throws -> Seed {
        let path = Paths.join(Paths.join(options.repositoryRoot, "data"), file)
        guard let original = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw CampaignError("cannot read \(path)")
        }
        let lines = Family.isJSONLines(file)
        var text = original
        if family.compressed {
            do { text = try Zstd.decompress(original) } catch { throw CampaignError("\(path): \(error)") }
        }
        let quick = options.profile == .quick
        if quick, let n = family.quickRecords { text = Self.firstRecords(text, n, lines: lines) }
        var installed = original
        if family.compressed && text.count != (try? Zstd.decompress(original).count) {
            do { installed = try Zstd.compress(text) } catch { throw CampaignError("\(path): \(error)") }
        } else if !family.compressed {
            installed = text
        }
        var leftOut: [String] = []
        if quick && family.quickAloneInGlob {
            // Siblings: the other files of the same folder pattern (entropy/E_512/run_*/results.json).
            let group = Paths.directory(of: Paths.directory(of: file))
            leftOut = dataFiles.filter {
                $0 != file && Paths.directory(of: Paths.directory(of: $0)) == group
                    && Paths.fileName(of: $0) == Paths.fileName(of: file)
            }
        }
        let targets = Self.targets(reading: file, in: full, family: family, profile: options.profile)
        guard !targets.isEmpty else { throw CampaignError("no stage of pipeline.json reads \(file)") }
        let reduced = Self.reduced(document, keeping: Set(full.closure(of: Set(targets)).map(\.id)))
        try FileIO.createDirectory(Paths.directory(of: config))
        guard FileManager.default.createFile(atPath: config, contents: Data(reduced.prettyString().utf8))
        else { throw CampaignError("cannot write \(config)") }
        return Seed(
            file: file, installed: installed, text: Mutator(seed: text, lines: lines),
            raw: family.compressed ? Mutator(seed: installed, jsonAware: false) : nil, compressed: family.compressed,
            targets: targets, config: config, leftOut: leftOut)
    }

    /// pipeline.json with only the stages in `keep`.
    static func reduced(_ document: JSONValue, keeping keep: Set<String>) -> JSONValue {
        var top = document.objectValue ?? [:]
        top["stages"] = .array(
            (document["stages"]?.arrayValue ?? []).filter { keep.contains($0["id"]?.stringValue ?? "") })
        return .object(top)
    }

    /// The quick profile's pipeline.json: the compression family, the Delphi
    /// evals figure, the ΔH E_512 figures (loaders, builders, static views,
    /// plotly files and renders of each), and the gallery.
    static func quickPipelineStages(_ pipeline: PipelineDefinition) -> Set<String> {
        let roots = pipeline.stages.map(\.id).filter {
            $0.hasPrefix("compression.") || $0.hasPrefix("delphi.mmlu-emergence") || $0.contains("delta_h_vs_eta")
                || $0 == "gallery"
        }
        return Set(pipeline.closure(of: Set(roots.filter { $0 != "gallery" })).map(\.id) + ["gallery"])
    }

    /// The loaders reading `file` and the stages reading those loaders (no
    /// renders; in the quick profile no figure stages and none of the family's
    /// costly ones).
    static func targets(reading file: String, in pipeline: PipelineDefinition, family: Family, profile: Profile)
        -> [String]
    {
        let loaders = pipeline.stages.filter { s in
            s.inputs.contains { if case .file(let r, _) = $0.source { r == file } else { false } }
        }.map(\.id)
        let loaderSet = Set(loaders)
        let readers = pipeline.stages.filter { s in
            !loaderSet.contains(s.id) && s.upstream.contains(where: loaderSet.contains)
        }.filter { s in
            switch profile {
            case .quick: !s.kind.name.hasPrefix("figure.") && !family.quickExclude.contains(s.id)
            case .thorough: s.kind.name != "figure.render" && s.kind.name != "figure.gallery"
            }
        }.map(\.id)
        return loaders + readers
    }

    /// The first `n` records: lines of JSON lines, or elements of a top-level array.
    static func firstRecords(_ text: [UInt8], _ n: Int, lines: Bool) -> [UInt8] {
        if lines {
            var count = 0
            for (i, b) in text.enumerated() where b == UInt8(ascii: "\n") {
                count += 1
                if count == n { return Array(text[...i]) }
            }
            return text
        }
        let elements = JSONSpans.scan(text).filter { $0.depth == 1 && !$0.isKey }.sorted {
            $0.range.lowerBound < $1.range.lowerBound
        }
        guard elements.count > n, text.first(where: { $0 > 0x20 }) == UInt8(ascii: "[") else { return text }
        return Array(text[..<elements[n - 1].range.upperBound]) + Array("\n]\n".utf8)
    }

    /// Each stage object's byte range in pipeline.json, with its id (stages in order).
    static func stageRanges(_ bytes: [UInt8], _ document: JSONValue) -> [(range: Range<Int>, id: String)] {
        let objects = JSONSpans.scan(bytes).filter { $0.kind == .object && $0.depth == 2 }.sorted {
            $0.range.lowerBound < $1.range.lowerBound
        }
        let ids = (document["stages"]?.arrayValue ?? []).map { $0["id"]?.stringValue ?? "" }
        guard objects.count == ids.count else { return [] }
        return zip(objects, ids).map { ($0.range, $1) }
    }
}

/// One worker: its own data root (links to the sample data, with the mutated
/// file a real copy), output root and cache, reused from mutant to mutant.
///
/// Confined to the one thread that runs it (hence `@unchecked`, documented in
/// docs/ARCHITECTURE.md); its state is never shared.
final class Worker: @unchecked Sendable {
    let index: Int
    let plan: Plan
    let dir: String
    let dataRoot: String
    let outRoot: String
    let cacheRoot: String
    let configDir: String
    var setupProblems: [String] = []
    /// The family and file whose seed is installed, and the pipeline loaded for it.
    private var installed: (family: String, seed: Int)?
    private var loaded: PipelineDefinition?
    private var pipelines: [String: PipelineDefinition] = [:]
    private var controlled = Set<String>()

    init(index: Int, plan: Plan) throws {
        self.index = index
        self.plan = plan
        dir = Paths.join(plan.options.workDirectory, "worker\(index)")
        dataRoot = Paths.join(dir, "data")
        outRoot = Paths.join(dir, "out")
        cacheRoot = Paths.join(dir, "cache")
        configDir = Paths.join(dir, "config")
        try? FileManager.default.removeItem(atPath: dir)
        for d in [dataRoot, outRoot, cacheRoot, configDir] { try FileIO.createDirectory(d) }
        for file in plan.dataFiles { try link(file) }
    }

    private var original: String { Paths.join(plan.options.repositoryRoot, "data") }

    private func link(_ file: String) throws {
        let at = Paths.join(dataRoot, file)
        try FileIO.createDirectory(Paths.directory(of: at))
        unlink(at)
        try FileManager.default.createSymbolicLink(atPath: at, withDestinationPath: Paths.join(original, file))
    }

    private func write(_ bytes: [UInt8], to path: String) {
        unlink(path)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    /// Puts the data root back to links only.
    func finish() {
        guard let (family, n) = installed, let seed = plan.seeds[family]?[n] else { return }
        installed = nil
        loaded = nil
        if seed.file != "pipeline.json" {
            try? link(seed.file)
            for f in seed.leftOut { try? link(f) }
        }
    }

    private func install(_ family: Family, _ n: Int) {
        if let current = installed, current.family == family.name && current.seed == n { return }
        finish()
        guard let seed = plan.seeds[family.name]?[n] else { return }
        installed = (family.name, n)
        if !family.isPipeline {
            write(seed.installed, to: Paths.join(dataRoot, seed.file))
            for f in seed.leftOut { unlink(Paths.join(dataRoot, f)) }
            let key = "\(family.name)/\(n)"
            loaded =
                pipelines[key]
                ?? (try? PipelineDefinition.load(
                    path: seed.config, registry: Figpipe.registry.current,
                    overrides: RootOverrides(data: dataRoot, out: outRoot, cache: cacheRoot)))
            pipelines[key] = loaded
            if loaded == nil { setupProblems.append("\(family.name): \(seed.config) does not load") }
        }
        // The control run: the unmutated seed must succeed (and it primes the cache).
        let key = "\(family.name)/\(n)"
        guard controlled.insert(key).inserted else { return }
        let config = family.isPipeline ? Paths.join(configDir, "pipeline.json") : seed.config
        if family.isPipeline { write(seed.installed, to: config) }
        clearOutput()
        let arguments = ["run"] + roots(config) + seed.targets
        do {
            let r = try ChildProcess.run(
                plan.options.figpipe, arguments, outputPrefix: Paths.join(dir, "control"),
                timeLimit: plan.options.timeLimit * 6)
            if r.exitCode != 0 {
                setupProblems.append(
                    "\(family.name): the unmutated \(seed.file) does not run cleanly (\(r.status)): "
                        + "figpipe \(arguments.joined(separator: " "))\n\(r.stderr.suffix(2000))")
            }
        } catch {
            setupProblems.append("\(family.name): \(error)")
        }
    }

    private func roots(_ config: String) -> [String] {
        ["--config", config, "--data", dataRoot, "--out", outRoot, "--cache", cacheRoot]
    }

    private func clearOutput() {
        try? FileManager.default.removeItem(atPath: outRoot)
        try? FileIO.createDirectory(outRoot)
    }

    func run(family name: String, index: Int) -> MutantRecord {
        let options = plan.options
        guard let family = options.families.first(where: { $0.name == name }), let seeds = plan.seeds[name] else {
            preconditionFailure("unknown family \(name)")
        }
        var rng = SplitMix64.forMutant(seed: options.seed, family: name, index: index)
        // Contiguous blocks of mutants share a seed file, so a worker rarely switches.
        let n = min(seeds.count - 1, index * seeds.count / max(options.mutantsPerFamily, 1))
        let seed = seeds[n]
        install(family, n)

        // The mutant.
        var mutant: Mutant
        if let raw = seed.raw, rng.chance(0.25) {
            mutant = raw.mutate(using: &rng)
            mutant.description = "compressed bytes: " + mutant.description
        } else {
            mutant = seed.text.mutate(using: &rng)
            if seed.compressed {
                if let packed = try? Zstd.compress(mutant.bytes) {
                    mutant.bytes = packed
                    mutant.description = "decompressed text: " + mutant.description + " (compressed again)"
                }
            }
        }
        let config: String
        var arguments: [String]
        if family.isPipeline {
            config = Paths.join(configDir, "pipeline.json")
            write(mutant.bytes, to: config)
            var targets = seed.targets
            if options.profile == .thorough,
                let stage = plan.stageRanges.first(where: { $0.range.contains(mutant.offset) })?.id
            {
                targets.append(stage)
            }
            switch index % 4 {
            case 0: arguments = ["status"] + roots(config)
            case 1: arguments = ["run", "--dry-run"] + roots(config) + targets
            default: arguments = ["run"] + roots(config) + targets
            }
        } else {
            config = seed.config
            write(mutant.bytes, to: Paths.join(dataRoot, seed.file))
            arguments = ["run"] + roots(config) + seed.targets
        }
        clearOutput()

        let result: ChildResult
        do {
            // No Swift backtrace on a crash: symbolicating takes seconds (the
            // runtime's one-line message stays; repro.sh shows the backtrace).
            result = try ChildProcess.run(
                options.figpipe, arguments, outputPrefix: Paths.join(dir, "mutant"), timeLimit: options.timeLimit,
                environment: ["SWIFT_BACKTRACE": "enable=no"])
        } catch {
            result = ChildResult(
                exitCode: nil, signal: nil, timedOut: false, seconds: 0, stdout: "", stderr: "\(error)")
        }
        var problems: [String] = []
        if !result.timedOut && result.signal == nil {
            problems = Judge.outputProblems(
                exitCode: result.exitCode, outputRoot: outRoot, cacheRoot: cacheRoot,
                pipeline: family.isPipeline ? nil : loaded, selected: Set(seed.targets),
                invalidMeansNothingWritten: family.isPipeline)
        }
        let verdict = Judge.verdict(of: result, problems: problems)
        // Whatever a crash left behind must not be blamed on the next mutant.
        for t in Judge.temporaries(outputRoot: outRoot, cacheRoot: cacheRoot) { unlink(t) }
        // The file, or for a glob family its run folder (`entropy/E_2048/run_02`), which builders name.
        let mentions =
            family.isPipeline
            ? ["pipeline.json"]
            : [lastTwo(seed.file)] + (family.quickAloneInGlob ? [Paths.directory(of: seed.file)] : [])
        var record = MutantRecord(
            family: name, index: index, file: seed.file, kind: mutant.kind, mutation: mutant.description,
            arguments: arguments, result: result, verdict: verdict, problems: problems,
            namesFile: mentions.contains { result.stderr.contains($0) })
        if !verdict.passes, let folder = options.failuresDirectory {
            record.savedTo = save(record, mutant: mutant, seed: seed, config: config, in: folder)
        }
        return record
    }

    private func lastTwo(_ file: String) -> String {
        Paths.fileName(of: Paths.directory(of: file)) + "/" + Paths.fileName(of: file)
    }

    /// `<folder>/<family>-seed<S>-<index>/`: the mutated file, the config, what
    /// figpipe printed, and `repro.sh`, which runs the same command on a fresh
    /// copy of data/ with the mutant in place.
    private func save(_ record: MutantRecord, mutant: Mutant, seed: Seed, config: String, in folder: String) -> String {
        let options = plan.options
        let dir = Paths.join(folder, "\(record.family)-seed\(options.seed)-\(record.index)")
        try? FileManager.default.removeItem(atPath: dir)
        try? FileIO.createDirectory(Paths.join(dir, "mutant"))
        let isPipeline = seed.file == "pipeline.json"
        let mutantFile = Paths.join(Paths.join(dir, "mutant"), Paths.fileName(of: seed.file))
        write(mutant.bytes, to: mutantFile)
        if !isPipeline, let bytes = FileManager.default.contents(atPath: config) {
            _ = FileManager.default.createFile(atPath: Paths.join(dir, "pipeline.json"), contents: bytes)
        }
        let r = record.result
        let about = """
            family: \(record.family)
            mutant: \(record.index) of seed \(options.seed) (\(options.profile.rawValue) profile)
            file: \(record.file)
            mutation: \(record.kind.rawValue): \(record.mutation)
            verdict: \(record.verdict.rawValue): \(r.status), \(String(format: "%.2f", r.seconds)) s
            \(record.problems.map { "problem: " + $0 }.joined(separator: "\n"))
            """
        _ = FileManager.default.createFile(atPath: Paths.join(dir, "mutation.txt"), contents: Data(about.utf8))
        _ = FileManager.default.createFile(atPath: Paths.join(dir, "stdout.txt"), contents: Data(r.stdout.utf8))
        _ = FileManager.default.createFile(atPath: Paths.join(dir, "stderr.txt"), contents: Data(r.stderr.utf8))
        // The arguments with this worker's folders replaced by the script's.
        let configArgument = isPipeline ? "\"$here/mutant/pipeline.json\"" : "\"$here/pipeline.json\""
        var shown: [String] = []
        var i = 0
        while i < record.arguments.count {
            let a = record.arguments[i]
            switch a {
            case "--config": shown += [a, configArgument]
            case "--data": shown += [a, "\"$t/data\""]
            case "--out": shown += [a, "\"$t/out\""]
            case "--cache": shown += [a, "\"$t/cache\""]
            default:
                shown.append("'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'")
                i += 1
                continue
            }
            i += 2
        }
        var script = """
            #!/bin/sh
            # \(record.family) mutant \(record.index) of seed \(options.seed): \(record.mutation)
            # seen: \(record.verdict.rawValue), \(r.status)
            # FIGPIPE (default: the binary that was fuzzed) and FIGPIPE_ROOT (the repository) may be overridden.
            here=$(cd "$(dirname "$0")" && pwd)
            root=${FIGPIPE_ROOT:-'\(options.repositoryRoot)'}
            figpipe=${FIGPIPE:-'\(options.figpipe)'}
            t=$(mktemp -d)
            cp -R "$root/data" "$t/data"

            """
        if !isPipeline {
            script += "cp \"$here/mutant/\(Paths.fileName(of: seed.file))\" \"$t/data/\(seed.file)\"\n"
            for f in seed.leftOut { script += "rm -f \"$t/data/\(f)\"\n" }
        }
        script += """
            "$figpipe" \(shown.joined(separator: " "))
            status=$?
            echo "figpipe exit status $status (work folder $t)"

            """
        let scriptPath = Paths.join(dir, "repro.sh")
        _ = FileManager.default.createFile(
            atPath: scriptPath, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        return dir
    }
}
