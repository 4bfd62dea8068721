import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Sets a file's modification time (and access time) to `seconds` since the epoch, plus `nanoseconds`.
func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int = 0) {
    var times = [
        timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds),
    ]
    let rc = utimensat(AT_FDCWD, path, &times, 0)
    precondition(rc == 0, "utimensat failed on \(path)")
}

/// Overwrites a file's bytes in place (same inode).
func overwriteInPlace(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_TRUNC)
    precondition(fd >= 0, "cannot open \(path)")
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    close(fd)
}

/// A stage declaration for a test pipeline.
func stage(
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
func pipelineDocument(_ stages: [JSONValue]) -> JSONValue {
    ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
}

/// Records a run's events.
final class RecordingObserver: RunObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var _started: [String] = []
    private var _notes: [(String, String)] = []

    func stageStarted(_ id: String) { lock.withLock { _started.append(id) } }
    func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {}
    func note(_ id: String, _ message: String) { lock.withLock { _notes.append((id, message)) } }

    var started: [String] { lock.withLock { _started } }
    var notes: [(id: String, message: String)] { lock.withLock { _notes.map { (id: $0.0, message: $0.1) } } }
}

/// A temporary project folder (pipeline.json, data/, out/, .figpipe/) with the
/// test stage kinds, run in process.
final class Project: @unchecked Sendable {
    let dir = TemporaryDirectory("figpipe-project")
    let log = InvocationLog()
    var registry: StageRegistry

    init(extraKinds: [StageKind] = []) {
        registry = StageRegistry(TestKinds.all(log: log)).merging(extraKinds)
    }

    var root: String { dir.path }
    var pipelinePath: String { dir.file("pipeline.json") }
    var store: Store { Store(root: dir.file(".figpipe")) }

    func writeData(_ relative: String, _ text: String) throws { try dir.write("data/" + relative, text) }
    func output(_ relative: String) -> String? { dir.read("out/" + relative) }
    func outputPath(_ relative: String) -> String { dir.file("out/" + relative) }
    func dataPath(_ relative: String) -> String { dir.file("data/" + relative) }

    func writePipeline(_ stages: [JSONValue]) throws {
        try dir.write("pipeline.json", pipelineDocument(stages).prettyString())
    }

    func load() throws -> PipelineDefinition {
        try PipelineDefinition.load(path: pipelinePath, registry: registry)
    }

    /// One `figpipe run`, in process: prepares the store, runs, saves the stat cache.
    @discardableResult
    func run(
        jobs: Int = 4, targets: Set<String>? = nil, force: Set<String> = [], observer: RecordingObserver = .init()
    ) throws -> RunSummary {
        let pipeline = try load()
        let store = Store(root: pipeline.cacheRoot)
        try store.prepare()
        let lock = try FileLock(path: store.lockPath, wait: true) { _ in }
        let statCache = StatCache(path: store.statCachePath)
        let executor = Executor(
            pipeline: pipeline, store: store, statCache: statCache,
            options: RunOptions(jobs: jobs, targets: targets, force: force), observer: observer)
        let summary = executor.run()
        try statCache.save()
        withExtendedLifetime(lock) {}
        return summary
    }

    func status(force: Set<String> = []) throws -> [String: StageStatus] {
        let pipeline = try load()
        let store = Store(root: pipeline.cacheRoot)
        let list = pipeline.status(store: store, statCache: StatCache(path: store.statCachePath), force: force)
        return Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
    }

    /// The action entry of a stage's last recorded key.
    func entry(of id: String) -> ActionEntry? {
        guard let record = store.record(forStage: id) else { return nil }
        return store.action(forKey: record.key)
    }

    func objectNames() -> Set<String> { Set(store.objects().map(\.hash)) }
}

extension RunSummary {
    func ids(where predicate: (StageOutcome) -> Bool) -> Set<String> {
        Set(outcomes.filter { predicate($0.value) }.keys)
    }
    var ranIDs: Set<String> { ids { if case .ran = $0 { true } else { false } } }
    var cachedIDs: Set<String> { ids { if case .cached = $0 { true } else { false } } }
    var failedIDs: Set<String> { ids(where: \.isFailure) }

    func restored(_ id: String) -> [String]? {
        if case .cached(let r)? = outcomes[id] { return r }
        return nil
    }
}
