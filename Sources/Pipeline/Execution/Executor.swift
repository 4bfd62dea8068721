import Dispatch
import FigpipeBasics
import Foundation

/// How a run is to go.
public struct RunOptions: Sendable {
    /// How many stages may run at once.
    public var jobs: Int
    /// The stages to bring up to date (with everything they read); nil: all.
    public var targets: Set<String>?
    /// Stages to rerun even when the cache has their output.
    public var force: Set<String>
    /// A cache shared between machines, asked after the local store (and
    /// written to when it `uploads`); nil: the local store only.
    public var remote: (any SharedCache)?

    public init(
        jobs: Int = ProcessInfo.processInfo.activeProcessorCount, targets: Set<String>? = nil,
        force: Set<String> = [], remote: (any SharedCache)? = nil
    ) {
        self.jobs = max(1, jobs)
        self.targets = targets
        self.force = force
        self.remote = remote
    }
}

/// What happened to one stage in a run.
public enum StageOutcome: Sendable, Equatable {
    /// Found in the cache; `restored` lists output files put back from it.
    case cached(restored: [String])
    /// Found in the remote cache (`RunOptions.remote`), verified and copied
    /// into the local store; `seconds` is how long that took.
    case remote(seconds: Double, restored: [String])
    case ran(seconds: Double)
    /// The stage threw `StageSkipped` (now or, cached, in an earlier run with
    /// the same key), or needs the output of a stage that did. Not a failure.
    case skipped(StageSkip)
    /// The error, with the stage filled in; the reporter formats it.
    case failed(StageError)

    public var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }

    public var isSkipped: Bool {
        if case .skipped = self { return true }
        return false
    }
}

/// Receives a run's events, in completion order, one at a time.
public protocol RunObserver: Sendable {
    func stageStarted(_ id: String)
    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int)
    /// Progress notes from stages and the executor.
    func note(_ id: String, _ message: String)
}

/// The result of a run.
public struct RunSummary: Sendable {
    public var outcomes: [String: StageOutcome]
    /// Stage ids in pipeline order.
    public var order: [String]
    public var seconds: Double
    /// True when a remote cache was asked: the summary line then counts its hits.
    public var usedRemote = false

    public var cached: Int { outcomes.values.filter { if case .cached = $0 { true } else { false } }.count }
    public var remote: Int { outcomes.values.filter { if case .remote = $0 { true } else { false } }.count }
    public var ran: Int { outcomes.values.filter { if case .ran = $0 { true } else { false } }.count }
    public var failed: Int { outcomes.values.filter(\.isFailure).count }
    public var skipped: Int { outcomes.values.filter(\.isSkipped).count }

    /// Skipped stages in pipeline order, with why.
    public var skips: [(id: String, skip: StageSkip)] {
        order.compactMap { id in
            if case .skipped(let s)? = outcomes[id] { (id, s) } else { nil }
        }
    }

    /// Failed stages in pipeline order, with their errors.
    public var failures: [(id: String, message: String)] {
        order.compactMap { id in
            if case .failed(let e)? = outcomes[id] { (id, e.description) } else { nil }
        }
    }

    /// `41 cached, 2 ran, 0 failed in 0.31s`; with skips (only then)
    /// `37 cached, 2 ran, 4 skipped, 0 failed in 0.31s`; with a remote cache
    /// (only then) `3 cached, 38 remote, 2 ran, 0 failed in 0.31s`.
    public var line: String {
        let remotePart = usedRemote ? "\(remote) remote, " : ""
        let skippedPart = skipped == 0 ? "" : "\(skipped) skipped, "
        return
            "\(cached) cached, \(remotePart)\(ran) ran, \(skippedPart)\(failed) failed in \(String(format: "%.2f", seconds))s"
    }
}

/// Runs a pipeline's stages on Dispatch: a stage starts as soon as every stage
/// it reads has finished; at most `jobs` at once; a failure fails only the
/// stages that read it; a skip (`StageSkipped`) skips the stages that need its
/// output and drops it from the list inputs and optional inputs that read it.
public final class Executor: Sendable {
    let pipeline: PipelineDefinition
    let store: Store
    let statCache: StatCache
    let options: RunOptions
    let observer: RunObserver

    // The graph of the selected stages: fixed when the executor is made.
    private let selected: [ResolvedStage]
    private let position: [String: Int]
    private let children: [String: [String]]
    private let requiredUpstream: [String: Set<String>]
    /// Per position in `selected`: the scheduling rank (`rankByCostliestPath`).
    private let rank: [Int]
    /// Per position in `selected`: how many `--jobs` slots the stage takes.
    private let slots: [Int]
    private let group = DispatchGroup()

    /// What the scheduler tracks while the run goes. Observer events are sent
    /// under its lock, one at a time, in completion order.
    private struct Scheduler {
        var remaining: [String: Int] = [:]
        var blockedBy: [String: String] = [:]
        /// Stage → the skipped stage (the origin of the skip) whose output it needs.
        var skippedBy: [String: String] = [:]
        var ready: [Int] = []
        /// Slots taken by the running stages.
        var running = 0
        var finishedCount = 0
        var outcomes: [String: StageOutcome] = [:]
    }

    /// Results of finished stages, which the workers read. Taken after the
    /// scheduler's lock when both are needed, never the other way round.
    private struct Results {
        var entries: [String: ActionEntry] = [:]
        var rebuilt: Set<String> = []
        /// Artifacts this run produced or already verified, kept in memory for
        /// the stages of the run that still read them (`readersLeft`), so a large
        /// artifact read by many stages is not read back and re-hashed by each.
        var held: [String: (hash: String, bytes: [UInt8])] = [:]
        /// Per stage id: how many selected stages that read it have not finished.
        var readersLeft: [String: Int] = [:]
        /// Stages skipped so far: the inputs that read them are left out.
        var skippedIDs: Set<String> = []
        /// Stages failed so far that list inputs name (id → the error to show):
        /// they are left out of the list, and the kind sees them with
        /// `StageContext.failedMembers(_:)`.
        var failedListMembers: [String: String] = [:]
    }

    private let scheduler: Locked<Scheduler>
    private let results: Locked<Results>
    /// One gate per stage whose cached output is missing or corrupt, so it
    /// is rebuilt once when several readers find it so at the same time.
    private let rebuildGates = KeyedGates()
    /// Stages whose last run failed (read once): their failure record goes
    /// when they succeed, without a file-system call for every other stage.
    private let previouslyFailed: Set<String>

    public init(
        pipeline: PipelineDefinition, store: Store, statCache: StatCache, options: RunOptions, observer: RunObserver
    ) {
        self.pipeline = pipeline
        self.store = store
        self.statCache = statCache
        self.options = options
        self.observer = observer
        let selected = options.targets.map { pipeline.closure(of: $0) } ?? pipeline.stages
        var position: [String: Int] = [:]
        for (n, s) in selected.enumerated() { position[s.id] = n }
        var children: [String: [String]] = [:]
        var requiredUpstream: [String: Set<String>] = [:]
        var scheduler = Scheduler()
        var results = Results()
        for s in selected {
            let ups = Set(s.upstream).filter { position[$0] != nil }
            scheduler.remaining[s.id] = ups.count
            requiredUpstream[s.id] = s.requiredUpstream
            for u in ups {
                children[u, default: []].append(s.id)
                results.readersLeft[u, default: 0] += 1
            }
        }
        self.selected = selected
        self.position = position
        self.children = children
        self.requiredUpstream = requiredUpstream
        self.rank = Self.rankByCostliestPath(selected, position: position, children: children)
        let jobs = options.jobs
        self.slots = selected.map { min(jobs, max(1, $0.kind.slots($0.parameters))) }
        self.scheduler = Locked(scheduler)
        self.results = Locked(results)
        self.previouslyFailed = store.failedStageIDs()
    }

    /// Runs the selected stages and returns when all have finished.
    public func run() -> RunSummary {
        let start = DispatchTime.now()
        scheduler.withLock { s in
            s.ready = selected.indices.filter { s.remaining[selected[$0].id] == 0 }
            pump(&s)
        }
        group.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var final = scheduler.withLock { $0.outcomes }
        for id in results.withLock({ $0.rebuilt }) where final[id] != nil {
            switch final[id] {
            case .cached?, .remote?: final[id] = .ran(seconds: 0)
            default: break
            }
        }
        var summary = RunSummary(outcomes: final, order: selected.map(\.id), seconds: seconds)
        summary.usedRemote = options.remote != nil
        return summary
    }

    /// For each selected stage, the summed `cost` of its kind and of the costliest
    /// chain of stages that read it, transitively.
    private static func rankByCostliestPath(
        _ selected: [ResolvedStage], position: [String: Int], children: [String: [String]]
    ) -> [Int] {
        var memo: [String: Int] = [:]
        func rankOf(_ id: String, _ depth: Int) -> Int {
            if let r = memo[id] { return r }
            guard depth < selected.count, let n = position[id] else { return 0 }
            let below = (children[id] ?? []).map { rankOf($0, depth + 1) }.max() ?? 0
            let r = selected[n].kind.cost + below
            memo[id] = r
            return r
        }
        return selected.map { rankOf($0.id, 0) }
    }

    /// Under the scheduler's lock: starts ready stages while slots are free:
    /// those on the costliest path first, then in pipeline order. A stage that
    /// takes several slots waits at the head until they are free, and the
    /// stages behind it wait with it, so it is never passed over for good.
    private func pump(_ s: inout Scheduler) {
        s.ready.sort { a, b in rank[a] != rank[b] ? rank[a] > rank[b] : a < b }
        while let next = s.ready.first {
            let stage = selected[next]
            let blocked = s.blockedBy[stage.id] != nil || s.skippedBy[stage.id] != nil
            if !blocked && s.running + slots[next] > options.jobs { break }
            s.ready.removeFirst()
            if let cause = s.blockedBy[stage.id] {
                finish(
                    stage.id, .failed(StageError("not run: input stage '\(cause)' failed", stage: stage.id)),
                    entry: nil, &s)
                continue
            }
            if let origin = s.skippedBy[stage.id] {
                let removed = removeEarlierOutputs(stage, record: store.record(forStage: stage.id))
                let skip = StageSkip(
                    message: StageSkip.upstreamMessage(origin), origin: origin, cached: false, removed: removed)
                finish(stage.id, .skipped(skip), entry: nil, &s)
                continue
            }
            let taken = slots[next]
            s.running += taken
            group.enter()
            observer.stageStarted(stage.id)
            // A queue of its own per stage: it targets Dispatch's overcommit
            // pool, which starts a thread at once. The global queues' threads
            // are the ones Swift's tasks run on; a stage that blocks (one
            // waiting for a program) must not hold one of those.
            DispatchQueue(label: "figpipe.stage").async {
                let (outcome, entry) = self.process(stage)
                self.scheduler.withLock { s in
                    s.running -= taken
                    self.finish(stage.id, outcome, entry: entry, &s)
                    self.pump(&s)
                }
                self.group.leave()
            }
        }
    }

    /// Under the scheduler's lock: records the outcome and readies the stages that read it.
    private func finish(_ id: String, _ outcome: StageOutcome, entry: ActionEntry?, _ s: inout Scheduler) {
        s.outcomes[id] = outcome
        var listMessage: String?
        if case .failed(let error) = outcome {
            let origin = s.blockedBy[id]
            let shown = origin.flatMap { o in s.outcomes[o].map { (o, $0) } }.map { o, originOutcome in
                if case .failed(let e) = originOutcome { "input stage '\(o)' failed: \(e)" } else { "\(error)" }
            }
            listMessage = shown ?? error.description
        }
        let upstream = position[id].map { Set(selected[$0].upstream) } ?? []
        results.withLock { r in
            if let entry, entry.skip == nil { r.entries[id] = entry }
            if outcome.isSkipped { r.skippedIDs.insert(id) }
            if let listMessage { r.failedListMembers[id] = listMessage }
            Self.release(readersOf: upstream, &r)
        }
        s.finishedCount += 1
        observer.stageFinished(id, outcome: outcome, finished: s.finishedCount, total: selected.count)
        for child in children[id] ?? [] {
            if outcome.isFailure, s.blockedBy[child] == nil,
                !(position[child].map { selected[$0].readsOnlyThroughLists(id) } ?? false)
            {
                s.blockedBy[child] = s.blockedBy[id] ?? id
            }
            if case .skipped(let skip) = outcome, requiredUpstream[child]?.contains(id) == true,
                s.skippedBy[child] == nil
            {
                s.skippedBy[child] = skip.origin
            }
            s.remaining[child, default: 1] -= 1
            if s.remaining[child] == 0, let n = position[child] { s.ready.append(n) }
        }
    }

    // MARK: One stage

    /// Brings one stage up to date: from the cache when its key is there (putting
    /// back missing or edited output files), else by running it. Its inputs are
    /// bound leaving out the skipped stages that list and optional inputs name.
    func process(_ declared: ResolvedStage) -> (StageOutcome, ActionEntry?) {
        let (skipped, failedMembers) = results.withLock { ($0.skippedIDs, $0.failedListMembers) }
        let stage = declared.binding(skipped: skipped, failed: Set(failedMembers.keys))
        let failures = declared.listFailures(failedMembers, pipeline: pipeline)
        var key: String?
        do {
            let hashes = try inputHashes(stage).merging(ListFailure.keyHashes(failures)) { a, _ in a }
            let environment = try StageKey.environment(of: stage)
            let stageKey = StageKey.compute(
                kind: stage.kind, parameters: stage.parameters, inputHashes: hashes, environment: environment)
            key = stageKey
            let outcome = try bringUpToDate(
                stage, key: stageKey, hashes: hashes, environment: environment, failures: failures)
            if previouslyFailed.contains(stage.id) { store.removeFailure(forStage: stage.id) }
            return outcome
        } catch let e as InterruptedError {
            return (.failed(StageError(e.description, stage: stage.id)), nil)
        } catch {
            let failure = StageError.of(error, stage: stage.id)
            // Kept for `status` (under the key it failed with); the next run tries again.
            let logs = failure.logs.flatMap { try? store.putLogs($0) }
            try? store.putFailure(
                FailureRecord(key: key ?? "", message: failure.description, logs: logs), forStage: stage.id)
            return (.failed(failure), nil)
        }
    }

    /// `process` once the key is known: from the local cache, else from the
    /// remote cache, else by running the stage (and then sharing the result
    /// when the remote cache takes uploads).
    private func bringUpToDate(
        _ stage: ResolvedStage, key: String, hashes: [String: String], environment: [String: String],
        failures: [ListFailure]
    ) throws -> (StageOutcome, ActionEntry?) {
        let forced = options.force.contains(stage.id)
        // The errors of a list input's failed members are this machine's: such a result is not shared.
        let remoteKey =
            options.remote != nil && failures.isEmpty
            ? StageKey.remote(
                kind: stage.kind, parameters: stage.parameters, inputHashes: hashes, environment: environment) : nil
        if !forced, let entry = store.action(forKey: key), entry.objectHashes.allSatisfy(store.contains) {
            if let replayed = try replay(stage, entry, key: key, hashes: hashes, environment: environment) {
                share(entry, remoteKey: remoteKey, onlyIfAbsent: true)
                return (replayed.skip.map { .skipped($0) } ?? .cached(restored: replayed.restored), entry)
            }
            observer.note(stage.id, "an output's object in the cache is corrupt; running the stage again")
        }
        if !forced, let remoteKey {
            let start = DispatchTime.now()
            if var entry = fetchShared(stage, remoteKey: remoteKey) {
                entry.stage = stage.id
                try store.putAction(entry, key: key)
                if let replayed = try replay(stage, entry, key: key, hashes: hashes, environment: environment) {
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                    return (
                        replayed.skip.map { .skipped($0) } ?? .remote(seconds: seconds, restored: replayed.restored),
                        entry
                    )
                }
            }
        }
        let previous = store.record(forStage: stage.id)
        let (entry, seconds) = try execute(stage, hashes: hashes, environment: environment, failures: failures)
        share(entry, remoteKey: remoteKey, onlyIfAbsent: false)
        if let skip = entry.skip {
            let removed = removeEarlierOutputs(stage, record: previous)
            return (
                .skipped(StageSkip(message: skip.message, origin: stage.id, cached: false, removed: removed)), entry
            )
        }
        return (.ran(seconds: seconds), entry)
    }

    /// A cached result brought into place: a skip replayed (earlier outputs
    /// removed, the message with today's paths), or the output files put back
    /// where they are missing or edited; the stage's record written either way.
    /// Nil when an object the files need is missing or corrupt.
    private func replay(
        _ stage: ResolvedStage, _ entry: ActionEntry, key: String, hashes: [String: String],
        environment: [String: String]
    ) throws -> (skip: StageSkip?, restored: [String])? {
        if let skip = entry.skip {
            let removed = removeEarlierOutputs(stage, record: store.record(forStage: stage.id))
            try writeRecord(stage, key: key, hashes: hashes, environment: environment)
            let message = StageSkip.replay(skip.message, madeWith: skip.displayPaths, now: stage.fileDisplayPaths)
            return (StageSkip(message: message, origin: stage.id, cached: true, removed: removed), [])
        }
        guard let restored = try restoreOutputs(stage, entry) else { return nil }
        try writeRecord(stage, key: key, hashes: hashes, environment: environment)
        return (nil, restored)
    }

    /// The stage's result from the remote cache, its objects verified and in
    /// the local store; nil on a miss. A corrupt or unfitting entry is a miss
    /// too, and says so.
    private func fetchShared(_ stage: ResolvedStage, remoteKey: String) -> ActionEntry? {
        guard let remote = options.remote else { return nil }
        switch remote.fetch(key: remoteKey, into: store) {
        case .hit(let entry) where entry.fits(stage):
            return entry
        case .hit:
            observer.note(stage.id, "the remote cache's entry does not name the stage's outputs; running the stage")
        case .unusable(let why):
            observer.note(stage.id, "the remote cache's copy is unusable: \(why); running the stage")
        case .miss:
            break
        }
        return nil
    }

    /// Stores a result in the remote cache when it takes uploads (`remoteKey`
    /// is nil when there is none, or the result is not to be shared).
    private func share(_ entry: ActionEntry, remoteKey: String?, onlyIfAbsent: Bool) {
        guard let remoteKey, let remote = options.remote, remote.uploads else { return }
        remote.upload(entry, key: remoteKey, from: store, onlyIfAbsent: onlyIfAbsent)
    }

    /// The hash of every input: artifacts of finished stages, files via the stat cache.
    func inputHashes(_ stage: ResolvedStage) throws -> [String: String] {
        var out: [String: String] = [:]
        for input in stage.inputs {
            switch input.source {
            case .stage(let id):
                guard let e = results.withLock({ $0.entries[id] }) else {
                    throw StageError("input stage '\(id)' has no output")
                }
                out[input.name] = e.artifactHash
            case .file(_, let absolute):
                do {
                    out[input.name] = try StageKey.fileHash(of: input, at: absolute, statCache: statCache)
                } catch {
                    throw StageError(String(describing: error), field: "inputs.\(input.name)")
                }
            }
        }
        return out
    }

    /// Puts back output files that are missing or differ from the cache's;
    /// nil when an object needed for that is missing or corrupt.
    func restoreOutputs(_ stage: ResolvedStage, _ entry: ActionEntry) throws -> [String]? {
        var restored: [String] = []
        for path in entry.files.keys.sorted() {
            guard let hash = entry.files[path] else { continue }
            let absolute = pipeline.outputPath(path)
            if statCache.fileMatches(absolute, hash: hash) { continue }
            guard let bytes = store.get(hash) else { return nil }
            try AtomicWriter.shared.write(bytes, to: absolute)
            statCache.remember(absolute, hash: hash)
            restored.append(path)
        }
        return restored
    }

    /// Removes the output files an earlier run of `stage` wrote and that are
    /// unchanged since (see `Pipeline.earlierOutputs`): a skipped stage leaves
    /// the output root as a fresh run would. Returns their paths.
    func removeEarlierOutputs(_ stage: ResolvedStage, record: StageRecord?) -> [String] {
        var removed: [String] = []
        for path in pipeline.earlierOutputs(of: stage, record: record, store: store, statCache: statCache) {
            if unlink(pipeline.outputPath(path)) == 0 { removed.append(path) }
        }
        return removed
    }

    /// Runs the stage's function on its inputs and stores what it produced (or
    /// its skip, when it throws `StageSkipped`).
    func execute(
        _ stage: ResolvedStage, hashes given: [String: String], environment: [String: String] = [:],
        failures: [ListFailure] = []
    ) throws -> (ActionEntry, Double) {
        var hashes = given
        var artifacts: [String: Artifact] = [:]
        var artifactHashes: [String: String] = [:]
        var files: [String: String] = [:]
        var display: [String: String] = [:]
        var upstreamFiles: [String: [String: String]] = [:]
        for input in stage.inputs {
            switch input.source {
            case .stage(let id):
                let artifact = try loadArtifact(of: id)
                artifacts[input.name] = artifact.artifact
                artifactHashes[input.name] = artifact.hash
                hashes[input.name] = artifact.hash
                if stage.kind.readsFilesOfInputs { upstreamFiles[input.name] = try filesInPlace(of: id) }
            case .file(_, let absolute):
                // An absent optional file keeps its display path, for messages such as "not found at …".
                display[input.name] = Paths.display(absolute)
                if hashes[input.name] != StageKey.absentFile { files[input.name] = absolute }
            }
        }
        let key = StageKey.compute(
            kind: stage.kind, parameters: stage.parameters, inputHashes: hashes, environment: environment)
        let id = stage.id
        let observer = self.observer
        var context = StageContext(
            stageID: id, parameters: stage.parameters, artifacts: artifacts, artifactHashes: artifactHashes,
            files: files, filesForDisplay: display, failedMembers: failures,
            progress: { observer.note(id, $0) })
        context.roots = pipeline.roots
        context.upstreamFiles = upstreamFiles
        let scratch = stage.kind.usesScratch ? try ScratchFolders.shared.make(in: store.temporaryDirectory) : nil
        defer { if let scratch { ScratchFolders.shared.remove(scratch) } }
        context.scratchDirectory = scratch
        let start = DispatchTime.now()
        let output: StageOutput
        do {
            output = try stage.kind.run(context)
        } catch let skipped as StageSkipped {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let entry = ActionEntry(
                skip: ActionEntry.Skip(message: skipped.message, displayPaths: display), stage: stage.id,
                seconds: seconds)
            try store.putAction(entry, key: key)
            try writeRecord(stage, key: key, hashes: hashes, environment: environment)
            return (entry, seconds)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9

        var fileHashes: [String: String] = [:]
        let artifact: Artifact
        if stage.kind.isRender {
            let produced = Set(output.files.keys)
            let declared = Set(stage.outputFiles)
            guard produced == declared else {
                throw StageError(
                    "kind \(stage.kind.name) wrote \(produced.sorted()) but declared \(declared.sorted()) (a bug in the kind)"
                )
            }
            for path in stage.outputFiles {
                guard let bytes = output.files[path] else { continue }
                fileHashes[path] = try store.put(bytes)
            }
            artifact = Artifact(type: filesArtifactType, json: ["files": .object(fileHashes.mapValues { .string($0) })])
        } else {
            guard let a = output.artifact, a.type == stage.kind.output, output.files.isEmpty else {
                throw StageError(
                    "kind \(stage.kind.name) must return one artifact of type \(stage.kind.output) (a bug in the kind)")
            }
            artifact = a
        }
        let artifactHash = try store.put(artifact.bytes)
        hold(stage.id, hash: artifactHash, bytes: artifact.bytes)
        var entry = ActionEntry(
            artifactHash: artifactHash, artifactType: artifact.type, encoding: artifact.encoding, files: fileHashes,
            stage: stage.id, seconds: seconds)
        entry.logs = try output.logs.map(store.putLogs)
        try store.putAction(entry, key: key)
        for path in stage.outputFiles {
            guard let bytes = output.files[path], let hash = fileHashes[path] else { continue }
            let absolute = pipeline.outputPath(path)
            try AtomicWriter.shared.write(bytes, to: absolute)
            statCache.remember(absolute, hash: hash)
        }
        try writeRecord(stage, key: key, hashes: hashes, environment: environment)
        return (entry, seconds)
    }

    /// The files finished stage `id` wrote (relative → absolute path), put
    /// back first where they are missing or were edited since, so a program
    /// reading them by path reads what the key says.
    func filesInPlace(of id: String) throws -> [String: String] {
        guard let entry = results.withLock({ $0.entries[id] }), !entry.files.isEmpty, let producer = pipeline[id] else {
            return [:]
        }
        guard try restoreOutputs(producer, entry) != nil else {
            throw StageError("the files of input stage '\(id)' are not in the cache; rerun it with --force")
        }
        var out: [String: String] = [:]
        for path in entry.files.keys { out[path] = pipeline.outputPath(path) }
        return out
    }

    /// Keeps `bytes` (the artifact of stage `id`, of hash `hash`) in memory while
    /// stages of this run that read it are still to finish.
    func hold(_ id: String, hash: String, bytes: [UInt8]) {
        results.withLock { r in
            if r.readersLeft[id, default: 0] > 0 { r.held[id] = (hash, bytes) }
        }
    }

    /// When a stage finished (whatever its outcome): one reader fewer for each
    /// stage it reads; an artifact nobody is left to read is let go.
    private static func release(readersOf ids: Set<String>, _ r: inout Results) {
        for u in ids where r.readersLeft[u] != nil {
            r.readersLeft[u, default: 0] -= 1
            if r.readersLeft[u, default: 0] <= 0 { r.held[u] = nil }
        }
    }

    /// The output artifact of a finished stage: from memory when this run holds
    /// it, else read from the cache and re-hashed; when the object is missing or
    /// corrupt, the producing stage runs again (once, even when several readers
    /// find it so at the same time).
    func loadArtifact(of id: String) throws -> (artifact: Artifact, hash: String) {
        let (entry, inMemory) = try results.withLock { r throws -> (ActionEntry, [UInt8]?) in
            guard let e = r.entries[id] else { throw StageError("input stage '\(id)' has no output") }
            let h = r.held[id].flatMap { $0.hash == e.artifactHash ? $0.bytes : nil }
            return (e, h)
        }
        if let bytes = inMemory {
            return (Artifact(type: entry.artifactType, encoding: entry.encoding, bytes: bytes), entry.artifactHash)
        }
        if let bytes = store.get(entry.artifactHash) {
            hold(id, hash: entry.artifactHash, bytes: bytes)
            return (Artifact(type: entry.artifactType, encoding: entry.encoding, bytes: bytes), entry.artifactHash)
        }
        return try rebuildGates.withGate(id) { () throws -> (artifact: Artifact, hash: String) in
            if let current = results.withLock({ $0.entries[id] }), let bytes = store.get(current.artifactHash) {
                return (
                    Artifact(type: current.artifactType, encoding: current.encoding, bytes: bytes),
                    current.artifactHash
                )
            }
            guard let declared = pipeline[id] else { throw StageError("unknown stage '\(id)'") }
            let producer = declared.binding(skipped: results.withLock { $0.skippedIDs })
            observer.note(id, "its cached output is missing or corrupt; running it again")
            let (newEntry, _) = try execute(
                producer, hashes: try inputHashes(producer), environment: try StageKey.environment(of: producer))
            guard newEntry.skip == nil else { throw StageError("input stage '\(id)' skipped when run again") }
            results.withLock { r in
                r.entries[id] = newEntry
                r.rebuilt.insert(id)
            }
            guard let bytes = store.get(newEntry.artifactHash) else {
                throw StageError("the output of stage '\(id)' cannot be read back from the cache")
            }
            return (
                Artifact(type: newEntry.artifactType, encoding: newEntry.encoding, bytes: bytes), newEntry.artifactHash
            )
        }
    }

    func writeRecord(_ stage: ResolvedStage, key: String, hashes: [String: String], environment: [String: String])
        throws
    {
        if let old = store.record(forStage: stage.id), old.key == key { return }
        var inputs: [String: StageRecord.Input] = [:]
        for input in stage.inputs {
            inputs[input.name] = StageRecord.Input(
                source: StageKey.sourceLabel(input.source), hash: hashes[input.name] ?? "")
        }
        try store.putRecord(
            StageRecord(
                id: stage.id, key: key, kind: stage.kind.name, version: stage.kind.version,
                parameters: stage.parameters.values, inputs: inputs, environment: environment))
    }
}
