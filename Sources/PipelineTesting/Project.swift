import FigpipeBasics
import Foundation
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// An in-process project for the tests of the pipeline engine and of the
// kinds built on it: a temporary folder with pipeline.json, data/, out/ and
// .figpipe/, run by the executor in this process.

/// Sets a file's modification time (and access time) to `seconds` since the epoch, plus `nanoseconds`.
public func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int = 0) {
    var times = [
        timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds),
    ]
    let rc = utimensat(AT_FDCWD, path, &times, 0)
    precondition(rc == 0, "utimensat failed on \(path)")
}

/// A stage declaration for a test pipeline.
public func stage(
    _ id: String, _ kind: String, params: [String: JSONValue] = [:], inputs: [String: String] = [:],
    lists: [String: [String]] = [:]
)
    -> JSONValue
{
    var o: [String: JSONValue] = ["id": .string(id), "kind": .string(kind)]
    if !params.isEmpty { o["params"] = .object(params) }
    var all = inputs.mapValues { JSONValue.string($0) }
    for (name, ids) in lists { all[name] = .array(ids.map { .string($0) }) }
    if !all.isEmpty { o["inputs"] = .object(all) }
    return .object(o)
}

/// A pipeline document with the usual roots (`data`, `out`).
public func pipelineDocument(_ stages: [JSONValue]) -> JSONValue {
    ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
}

/// Records a run's events.
public final class RecordingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _started: [String] = []
    private var _notes: [(String, String)] = []

    public init() {}

    public func stageStarted(_ id: String) { lock.withLock { _started.append(id) } }
    public func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {}
    public func note(_ id: String, _ message: String) { lock.withLock { _notes.append((id, message)) } }

    public var started: [String] { lock.withLock { _started } }
    public var notes: [(id: String, message: String)] { lock.withLock { _notes.map { (id: $0.0, message: $0.1) } } }
}

/// A temporary project folder (pipeline.json, data/, out/, .figpipe/) with the
/// test stage kinds, run in process.
public final class Project: @unchecked Sendable {
    public let dir = TemporaryDirectory("figpipe-project")
    public let log = InvocationLog()
    public var registry: StageRegistry

    public init(extraKinds: [StageKind] = []) {
        registry = StageRegistry(TestKinds.all(log: log)).merging(extraKinds)
    }

    public var root: String { dir.path }
    public var pipelinePath: String { dir.file("pipeline.json") }
    public var store: Store { Store(root: dir.file(".figpipe")) }

    public func writeData(_ relative: String, _ text: String) throws { try dir.write("data/" + relative, text) }
    public func output(_ relative: String) -> String? { dir.read("out/" + relative) }
    public func outputPath(_ relative: String) -> String { dir.file("out/" + relative) }
    public func dataPath(_ relative: String) -> String { dir.file("data/" + relative) }

    public func writePipeline(_ stages: [JSONValue]) throws {
        try dir.write("pipeline.json", pipelineDocument(stages).prettyString())
    }

    public func load() throws -> PipelineDefinition {
        try PipelineDefinition.load(path: pipelinePath, registry: registry)
    }

    /// One `figpipe run`, in process: prepares the store, runs, saves the stat cache.
    @discardableResult
    public func run(
        jobs: Int = 4, targets: Set<String>? = nil, force: Set<String> = [], observer: RecordingObserver = .init(),
        remote: (any SharedCache)? = nil
    ) throws -> RunSummary {
        let pipeline = try load()
        let store = Store(root: pipeline.cacheRoot)
        let lock = try store.lock(wait: true) { _ in }
        let statCache = StatCache(path: store.statCachePath)
        let executor = Executor(
            pipeline: pipeline, store: store, statCache: statCache,
            options: RunOptions(jobs: jobs, targets: targets, force: force, remote: remote), observer: observer)
        let summary = executor.run()
        try statCache.save()
        withExtendedLifetime(lock) {}
        return summary
    }

    public func status(force: Set<String> = []) throws -> [String: StageStatus] {
        let pipeline = try load()
        let store = Store(root: pipeline.cacheRoot)
        let list = pipeline.status(store: store, statCache: StatCache(path: store.statCachePath), force: force)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
    }

    /// The action entry of a stage's last recorded key.
    public func entry(of id: String) -> ActionEntry? {
        guard let record = store.record(forStage: id) else { return nil }
        return store.action(forKey: record.key)
    }

    public func objectNames() -> Set<String> { Set(store.objects().map(\.hash)) }
}

extension RunSummary {
    public func ids(where predicate: (StageOutcome) -> Bool) -> Set<String> {
        Set(outcomes.filter { predicate($0.value) }.keys)
    }
    public var ranIDs: Set<String> { ids { if case .ran = $0 { true } else { false } } }
    public var cachedIDs: Set<String> { ids { if case .cached = $0 { true } else { false } } }
    public var remoteIDs: Set<String> { ids { if case .remote = $0 { true } else { false } } }
    public var failedIDs: Set<String> { ids(where: \.isFailure) }

    public func restored(_ id: String) -> [String]? {
        if case .cached(let r)? = outcomes[id] { return r }
        return nil
    }
}
