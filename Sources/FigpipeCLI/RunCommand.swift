import ArgumentParser
import CommandStages
import FigpipeBasics
import Foundation
import Pipeline
import RemoteCache

extension Figpipe {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bring stages up to date (default: all), running only what changed.",
            discussion: """
                Targets are stage ids or shell globs such as 'fig.compression.*'; the stages they read \
                run first. A failed stage fails only the stages that read it: everything else finishes, \
                and the run exits 1 listing each failure. A skipped stage (an optional input it \
                gates on is missing, empty or lacks a column) is not a failure: the stages that need \
                it are skipped too, its earlier outputs are removed, and the run exits 0.
                """)

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("Stage ids or globs to bring up to date (default: all).", valueName: "target"))
        var targets: [String] = []

        @Flag(name: .long, help: "List what would run and why; run nothing.")
        var dryRun = false

        @Option(
            name: .long,
            help: ArgumentHelp("Rerun this stage (id or glob) even if cached; repeatable.", valueName: "id"))
        var force: [String] = []

        @OptionGroup var execution: ExecutionOptions

        @OptionGroup var remoteOptions: RemoteOptions

        func run() throws {
            let (pipeline, targetIDs, selected) = try pipelineOptions.select(targets)
            let forced = try pipelineOptions.resolve(force, in: pipeline, what: "--force")
            try pipelineOptions.requireInputs(of: selected, in: pipeline)
            let remote = try remoteOptions.settings(for: pipeline, upload: execution.remoteUpload)
            let store = Store(root: pipeline.cacheRoot)

            if dryRun {
                let statCache = store.statCache()
                let cache = remote.map { settings in HTTPCache(settings: settings) { Terminal.error($0) } }
                let statuses = pipeline.status(
                    store: store, statCache: statCache, force: forced, of: selected, remote: cache)
                printStatuses(statuses) {
                    switch $0 {
                    case .upToDate: "cached "
                    case .restore: "restore"
                    case .skipped: "skip   "
                    case .remote: "remote "
                    case .stale, .failed: "run    "
                    }
                }
                var counts: [StageStatus.State: Int] = [:]
                for s in statuses { counts[s.state == .failed ? .stale : s.state, default: 0] += 1 }
                let skipped = counts[.skipped, default: 0]
                Terminal.out(
                    "dry run: \(counts[.upToDate, default: 0]) cached, \(counts[.restore, default: 0]) to restore, "
                        + (remote == nil ? "" : "\(counts[.remote, default: 0]) from the remote cache, ")
                        + (skipped == 0 ? "" : "\(skipped) skipped, ") + "\(counts[.stale, default: 0]) would run")
                return
            }

            let session = try RunSession(pipeline: pipeline, selected: selected, store: store, execution: execution)
            let summary = session.execute(
                pipeline, selected: selected, targets: targetIDs, forced: forced, remote: remote)
            session.finish()
            try reportFailures(summary)
        }
    }
}

/// How `run` and `check` run stages.
struct ExecutionOptions: ParsableArguments {
    @Option(name: [.short, .long], help: "How many stages may run at once (default: active processors).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Fail at once (exit 3) instead of waiting when another run holds the cache lock.")
    var noWait = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds a command stage's program gets to end after SIGTERM (on a timeout or an interrupt) before SIGKILL.",
            valueName: "seconds"))
    var grace: Double = 5

    @Flag(name: [.short, .long], help: "Print only failures.")
    var quiet = false

    @Flag(name: [.short, .long], help: "Also print why each stage ran, and progress notes from stages.")
    var verbose = false

    @Flag(
        name: .long,
        help: "Store what the stages make in the remote cache (for CI); without it the remote cache is only read.")
    var remoteUpload = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard grace >= 0 && grace <= 3600 else {
            throw ValidationError("--grace must be between 0 and 3600 seconds")
        }
        guard !(quiet && verbose) else { throw ValidationError("--quiet and --verbose exclude each other") }
    }

    var level: Reporter.Level { quiet ? .quiet : verbose ? .verbose : .normal }
}

/// A run of stages, as `run` and `check` make one: the cache lock held, what
/// a run killed outright left swept, and the interrupt handler installed.
final class RunSession {
    let store: Store
    let statCache: StatCache
    let execution: ExecutionOptions
    private let lock: FileLock

    init(pipeline: PipelineDefinition, selected: [ResolvedStage], store: Store, execution: ExecutionOptions) throws {
        self.store = store
        self.execution = execution
        let grace = execution.grace
        lock = try takeLock(store, wait: !execution.noWait, quiet: execution.quiet)
        // What a run killed outright left (the lock is ours now): the
        // programs it started, then their scratch folders.
        RunningPrograms.stopOrphans(inScratchFoldersOf: store.temporaryDirectory)
        ScratchFolders.sweep(folder: store.temporaryDirectory)
        RunningPrograms.shared.grace = .milliseconds(Int(grace * 1000))
        Interrupts.install()
        for stage in selected {
            for path in stage.outputFiles {
                AtomicWriter.sweep(folder: Paths.directory(of: pipeline.outputPath(path)))
            }
        }
        statCache = store.statCache()
    }

    /// Brings `selected` up to date, printing a line per stage and the
    /// summary line (with `--verbose`, the remote cache's traffic before it).
    func execute(
        _ pipeline: PipelineDefinition, selected: [ResolvedStage], targets: Set<String>?, forced: Set<String>,
        remote settings: RemoteSettings?, showsRestored: Bool = true
    ) -> RunSummary {
        let level = execution.level
        var reasons: [String: [String]] = [:]
        if level == .verbose {
            for s in pipeline.status(store: store, statCache: statCache, force: forced, of: selected) {
                reasons[s.id] = s.reasons
            }
        }
        let reporter = Reporter(
            level: level, ids: selected.map(\.id), reasons: reasons, showsRestored: showsRestored)
        let remote = settings.map { settings in HTTPCache(settings: settings) { reporter.warning($0) } }
        let executor = Executor(
            pipeline: pipeline, store: store, statCache: statCache,
            options: RunOptions(jobs: execution.jobs, targets: targets, force: forced, remote: remote),
            observer: reporter)
        let summary = executor.run()
        reporter.done()
        if level == .verbose, let remote { Terminal.out(remote.traffic.line) }
        if level != .quiet { Terminal.out(summary.line) }
        return summary
    }

    /// Saves the stat cache and lets the lock go.
    func finish() {
        do {
            try statCache.save()
        } catch {
            Terminal.note("could not save the stat cache: \(error)")
        }
        withExtendedLifetime(lock) {}
    }
}

/// Lists each failed stage with its error and exits 1, when any failed.
func reportFailures(_ summary: RunSummary) throws {
    let failures = summary.failures
    guard !failures.isEmpty else { return }
    Terminal.error("\(failures.count) stage\(failures.count == 1 ? "" : "s") failed:")
    for (id, message) in failures {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
        Terminal.error("  \(id): \(lines.first.map(String.init) ?? "")")
        for line in lines.dropFirst() { Terminal.error("    \(line)") }
    }
    throw Exit.stageFailed
}
