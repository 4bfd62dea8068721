import ArgumentParser
import CommandStages
import Dispatch
import FigpipeBasics
import Foundation
import Pipeline
import Serve

extension Figpipe {
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve the gallery on 127.0.0.1 and rerun what changed whenever an input is saved.",
            discussion: """
                Watches the pipeline file and the input files of the selected stages (default: all), reruns \
                the stages a change makes stale (and the gallery), and reloads the open pages. Changes that \
                arrive during a run are run next. Ctrl-C stops it.
                """)

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("Stage ids or globs to keep up to date (default: all).", valueName: "target"))
        var targets: [String] = []

        @Option(name: .long, help: ArgumentHelp("The port on 127.0.0.1 (0: any free port).", valueName: "n"))
        var port: Int = 8000

        @Option(name: [.short, .long], help: "How many stages may run at once (default: active processors).")
        var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(name: .long, help: "Poll the files instead of asking inotify.")
        var poll = false

        func validate() throws {
            guard (0...65535).contains(port) else {
                throw ValidationError("--port: \(port) is not a port number (0 to 65535)")
            }
            guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            var pipeline = try pipelineOptions.load()
            var selection = try select(in: pipeline)
            let server: LiveServer
            let bound: UInt16
            do {
                server = try LiveServer(root: pipeline.outputRoot, port: UInt16(port))
                bound = try waitFor { try await server.start() }
            } catch {
                Terminal.error("--port \(port): \(error)")
                throw Exit.invalid
            }
            Interrupts.install()
            Terminal.out("serving \(Paths.display(pipeline.outputRoot)) at http://127.0.0.1:\(bound)/ (Ctrl-C stops)")
            let changes = ChangeQueue()
            let watcher = FileWatcher(
                forcePolling: poll, notice: { Terminal.note($0) }, onChange: { changes.add($0) })
            watcher.watch(watchedFiles(pipeline, selection), ignoring: [pipeline.outputRoot, pipeline.cacheRoot])
            var changed: [String] = []
            while true {
                if changed.contains(pipeline.file) || changed.contains(Paths.absolute(pipelineOptions.config)) {
                    do {
                        pipeline = try PipelineDefinition.load(
                            path: pipelineOptions.config, registry: Figpipe.registry.current,
                            overrides: RootOverrides(
                                data: pipelineOptions.data, out: pipelineOptions.out, cache: pipelineOptions.cache),
                            checkFiles: false)
                        selection = try select(in: pipeline)
                    } catch {
                        // An invalid pipeline.json: say so on the page, keep the last good one, wait for the next save.
                        Terminal.error("\(error)")
                        server.send(event: "problem", data: JSONValue.string("\(error)").canonicalString())
                        changed = changes.next()
                        continue
                    }
                    watcher.watch(
                        watchedFiles(pipeline, selection), ignoring: [pipeline.outputRoot, pipeline.cacheRoot])
                }
                runOnce(pipeline, selection, server: server, changed: changed, started: .now())
                changed = changes.next()
            }
        }

        /// The stages to keep up to date: the targets' closure and the gallery's.
        func select(in pipeline: PipelineDefinition) throws -> Set<String> {
            guard !targets.isEmpty else { return Set(pipeline.stages.map(\.id)) }
            let galleries = pipeline.stages.filter { $0.kind.name == "figure.gallery" }.map(\.id)
            return try pipelineOptions.resolve(targets, in: pipeline, what: "target").union(galleries)
        }

        /// The pipeline file and every input file of the selected stages.
        func watchedFiles(_ pipeline: PipelineDefinition, _ selection: Set<String>) -> Set<String> {
            var files: Set<String> = [Paths.absolute(pipeline.file)]
            for stage in pipeline.closure(of: selection) {
                for input in stage.inputs {
                    if case .file(_, let absolute) = input.source { files.insert(absolute) }
                }
            }
            return files
        }

        /// One run of the selected stages; the pages hear which stages are
        /// running, then that the run finished (and reload).
        func runOnce(
            _ pipeline: PipelineDefinition, _ selection: Set<String>, server: LiveServer, changed: [String],
            started: DispatchTime
        ) {
            let stages = pipeline.closure(of: selection)
            let problems = pipeline.inputProblems(of: stages)
            guard problems.isEmpty else {
                let message = PipelineErrors(problems).description
                Terminal.error(message)
                server.send(event: "problem", data: JSONValue.string(message).canonicalString())
                return
            }
            let store = Store(root: pipeline.cacheRoot)
            guard let lock = try? takeLock(store, wait: true, quiet: true) else { return }
            ScratchFolders.sweep(folder: store.temporaryDirectory)
            let statCache = store.statCache()
            let observer = ServeObserver(server: server, stages: stages)
            let executor = Executor(
                pipeline: pipeline, store: store, statCache: statCache,
                options: RunOptions(jobs: jobs, targets: selection, force: []), observer: observer)
            let summary = executor.run()
            try? statCache.save()
            withExtendedLifetime(lock) {}
            let ran = summary.order.filter { if case .ran? = summary.outcomes[$0] { true } else { false } }
            let failed = summary.failures
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
            let trigger = changed.isEmpty ? "start" : changed.map { Paths.display($0) }.joined(separator: ", ")
            Terminal.out("\(trigger): \(summary.line) (\(String(format: "%.2f", seconds))s since the change)")
            for (id, message) in failed {
                Terminal.error("  failed \(id): \(message.split(separator: "\n").first ?? "")")
            }
            let data: JSONValue = [
                "ran": .array(ran.map { .string($0) }),
                "failed": .object(Dictionary(failed.map { ($0.id, JSONValue.string($0.message)) }) { a, _ in a }),
                "changed": .array(changed.map { .string(Paths.display($0)) }),
                "seconds": .double((seconds * 1000).rounded() / 1000),
            ]
            observer.finish()
            server.send(event: "reload", data: data.canonicalString())
        }
    }
}

/// Runs `body` on Swift's executor and waits for it on this thread.
func waitFor<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = Locked<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task {
        let r: Result<T, any Error>
        do { r = .success(try await body()) } catch { r = .failure(error) }
        result.withLock { $0 = r }
        done.signal()
    }
    done.wait()
    guard let r = result.withLock({ $0 }) else { throw ServeError("no result") }
    return try r.get()
}

/// Changed paths, gathered while a run goes on and taken all at once after it.
final class ChangeQueue: Sendable {
    private let paths = Locked<Set<String>>([])
    private let signal = DispatchSemaphore(value: 0)

    func add(_ changed: [String]) {
        paths.withLock { $0.formUnion(changed) }
        signal.signal()
    }

    /// Waits for a change; returns every path changed since the last call.
    func next() -> [String] {
        while true {
            signal.wait()
            let taken = paths.withLock { pending in
                defer { pending = [] }
                return pending.sorted()
            }
            if !taken.isEmpty { return taken }
        }
    }
}

/// Tells the pages which stages are running (and the figures they draw).
final class ServeObserver: RunObserver, Sendable {
    let server: LiveServer
    let stems: [String: [String]]
    let total: Int
    private let state = Locked<(running: [String], finished: Int)>(([], 0))

    init(server: LiveServer, stages: [ResolvedStage]) {
        self.server = server
        total = stages.count
        var stems: [String: [String]] = [:]
        for stage in stages {
            stems[stage.id] = stage.outputFiles.compactMap { path in
                [".dump.json", ".png", ".svg", ".pdf", ".json"].first { path.hasSuffix($0) }.map {
                    String(path.dropLast($0.count))
                }
            }
        }
        self.stems = stems
    }

    func stageStarted(_ id: String) {
        let snapshot = state.withLock {
            $0.running.append(id)
            return $0
        }
        publish(snapshot)
    }

    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {
        let snapshot = state.withLock {
            $0.running.removeAll { $0 == id }
            $0.finished = finished
            return $0
        }
        publish(snapshot)
    }

    func note(_ id: String, _ message: String) {}

    func finish() { publish(([], total)) }

    private func publish(_ s: (running: [String], finished: Int)) {
        let running = s.running.sorted()
        let data: JSONValue = [
            "running": .array(running.map { .string($0) }),
            "stems": .array(Array(Set(running.flatMap { stems[$0] ?? [] })).sorted().map { .string($0) }),
            "finished": .int(s.finished), "total": .int(total),
        ]
        server.send(event: "running", data: data.canonicalString())
    }
}
