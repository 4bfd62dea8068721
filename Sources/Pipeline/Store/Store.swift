import FigpipeBasics
import Foundation

/// The cache folder (`.figpipe/` by default):
///
///     objects/ab/cdef…   content-addressed blobs, named by the SHA-256 of their bytes
///     actions/<key>.json stage key → the hashes of the outputs it produced
///     stages/<id>.json   the last run of each stage id (for `status` explanations)
///     failures/<id>.json the error of a stage whose last run failed, and the key it had
///     stat-cache.json    size, mtime and inode of hashed files (input files, outputs)
///     tmp/               temporaries, renamed into place when complete
///     lock               held by the one run at a time
public struct Store: Sendable {
    public let root: String
    public var objectsDirectory: String { root + "/objects" }
    public var actionsDirectory: String { root + "/actions" }
    public var stagesDirectory: String { root + "/stages" }
    public var failuresDirectory: String { root + "/failures" }
    public var temporaryDirectory: String { root + "/tmp" }
    public var statCachePath: String { root + "/stat-cache.json" }
    public var lockPath: String { root + "/lock" }

    public init(root: String) { self.root = root }

    /// Creates the cache's folders. It removes nothing: temporaries may belong
    /// to a run that holds the lock (`lock(wait:onWait:)` sweeps them once it
    /// holds the lock itself).
    public func prepare() throws {
        for dir in [root, objectsDirectory, actionsDirectory, stagesDirectory, temporaryDirectory] {
            try FileIO.createDirectory(dir)
        }
    }

    /// Removes the temporaries a run killed outright (SIGKILL) left. Only
    /// while holding the lock: another run's temporaries are files it is
    /// still writing.
    public func sweepTemporaries() {
        AtomicWriter.sweep(folder: temporaryDirectory)
        // A StatCache made with `StatCache(path:)` stages its temporary beside
        // stat-cache.json, in the root.
        AtomicWriter.sweep(folder: root)
    }

    /// Makes the folders, takes the run lock (waiting for another run, telling
    /// `onWait` once, or with `wait == false` throwing `LockBusyError`), then
    /// sweeps what a killed run left: in this order, a run never removes the
    /// temporaries of a run that still holds the lock.
    public func lock(wait: Bool, onWait: (String) -> Void) throws -> FileLock {
        try prepare()
        let lock = try FileLock(path: lockPath, wait: wait, onWait: onWait)
        sweepTemporaries()
        return lock
    }

    /// The store's stat cache, writing its temporary in `tmp/` like every cache write.
    public func statCache() -> StatCache {
        StatCache(path: statCachePath, temporaryDirectory: temporaryDirectory)
    }

    // MARK: Objects

    public func objectPath(_ hash: String) -> String {
        let h = Array(hash)
        return "\(objectsDirectory)/\(String(h.prefix(2)))/\(String(h.dropFirst(2)))"
    }

    /// Stores `bytes` (once: an object that exists is not rewritten) and returns its hash.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> String {
        let hash = Digest.sha256(bytes)
        let path = objectPath(hash)
        if let st = FileStat.of(path), st.size == Int64(bytes.count) { return hash }
        try AtomicWriter.shared.write(bytes, to: path, temporaryDirectory: temporaryDirectory)
        return hash
    }

    /// True when the object is present and its bytes hash to its name (read
    /// in chunks, never whole); a corrupt object is deleted.
    public func verify(_ hash: String) -> Bool {
        guard contains(hash) else { return false }
        guard (try? Digest.sha256(fileAt: objectPath(hash))) == hash else {
            unlink(objectPath(hash))
            return false
        }
        return true
    }

    /// True when an object of that hash is present (not verified).
    public func contains(_ hash: String) -> Bool {
        Digest.isValid(hash) && FileStat.of(objectPath(hash))?.isRegular == true
    }

    /// The object's bytes, re-hashed: a missing or corrupt object returns nil
    /// (a cache miss), and a corrupt one is deleted.
    public func get(_ hash: String) -> [UInt8]? {
        guard Digest.isValid(hash), let bytes = try? FileIO.readIfExists(objectPath(hash)) else { return nil }
        guard Digest.sha256(bytes) == hash else {
            unlink(objectPath(hash))
            return nil
        }
        return bytes
    }

    // MARK: Actions and stage records

    public func action(forKey key: String) -> ActionEntry? {
        guard let bytes = try? FileIO.readIfExists("\(actionsDirectory)/\(key).json"),
            let json = try? JSONValue(parsing: bytes)
        else { return nil }
        return ActionEntry(json: json)
    }

    public func putAction(_ entry: ActionEntry, key: String) throws {
        try AtomicWriter.shared.write(
            Array(entry.json.prettyString().utf8), to: "\(actionsDirectory)/\(key).json",
            temporaryDirectory: temporaryDirectory)
    }

    public func record(forStage id: String) -> StageRecord? {
        guard let bytes = try? FileIO.readIfExists("\(stagesDirectory)/\(id).json"),
            let json = try? JSONValue(parsing: bytes)
        else { return nil }
        return StageRecord(json: json)
    }

    public func putRecord(_ record: StageRecord) throws {
        try AtomicWriter.shared.write(
            Array(record.json.prettyString().utf8), to: "\(stagesDirectory)/\(record.id).json",
            temporaryDirectory: temporaryDirectory)
    }

    public func removeRecord(forStage id: String) { unlink("\(stagesDirectory)/\(id).json") }

    /// The failure of the stage's last run, if it failed (`failures/<id>.json`).
    public func failure(forStage id: String) -> FailureRecord? {
        guard let bytes = try? FileIO.readIfExists("\(failuresDirectory)/\(id).json"),
            let json = try? JSONValue(parsing: bytes), let key = json["key"]?.stringValue,
            let message = json["message"]?.stringValue
        else { return nil }
        return FailureRecord(key: key, message: message, logs: LogReferences(json: json["logs"]))
    }

    public func putFailure(_ failure: FailureRecord, forStage id: String) throws {
        try FileIO.createDirectory(failuresDirectory)
        var json: JSONValue = ["key": .string(failure.key), "message": .string(failure.message)]
        if let logs = failure.logs { json["logs"] = logs.json }
        try AtomicWriter.shared.write(
            Array(json.prettyString().utf8), to: "\(failuresDirectory)/\(id).json",
            temporaryDirectory: temporaryDirectory)
    }

    public func removeFailure(forStage id: String) { unlink("\(failuresDirectory)/\(id).json") }

    /// The ids of the stages with a failure record (one listing of `failures/`).
    public func failedStageIDs() -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: failuresDirectory)) ?? []
        return Set(names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) })
    }

    /// Keys of every action entry.
    public func actionKeys() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: actionsDirectory)) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }
    }

    /// Every object hash in the store, with its size.
    public func objects() -> [(hash: String, size: Int64)] {
        var out: [(String, Int64)] = []
        let fm = FileManager.default
        for prefix in (try? fm.contentsOfDirectory(atPath: objectsDirectory)) ?? [] where prefix.count == 2 {
            for rest in (try? fm.contentsOfDirectory(atPath: "\(objectsDirectory)/\(prefix)")) ?? [] {
                let hash = prefix + rest
                guard Digest.isValid(hash) else { continue }
                out.append((hash, FileStat.of(objectPath(hash))?.size ?? 0))
            }
        }
        return out
    }

    public func removeAction(_ key: String) { unlink("\(actionsDirectory)/\(key).json") }
    public func removeObject(_ hash: String) { unlink(objectPath(hash)) }

    // MARK: Logs

    /// Stores a program's logs as two objects.
    public func putLogs(_ logs: StageLogs) throws -> LogReferences {
        LogReferences(stdout: try put(logs.stdout), stderr: try put(logs.stderr))
    }

    /// The logs the references name; nil when an object is gone (`figpipe gc`, `clean`).
    public func logs(_ references: LogReferences) -> StageLogs? {
        guard let out = get(references.stdout), let err = get(references.stderr) else { return nil }
        return StageLogs(stdout: out, stderr: err)
    }
}

/// Where a program's stdout and stderr are in the store (object hashes).
public struct LogReferences: Sendable, Equatable {
    public var stdout: String
    public var stderr: String

    public init(stdout: String, stderr: String) {
        self.stdout = stdout
        self.stderr = stderr
    }

    init?(json: JSONValue?) {
        guard let out = json?["stdout"]?.stringValue, let err = json?["stderr"]?.stringValue else { return nil }
        self.init(stdout: out, stderr: err)
    }

    var json: JSONValue { ["stdout": .string(stdout), "stderr": .string(stderr)] }
    var hashes: [String] { [stdout, stderr] }
}

/// What one stage key produced: the artifact and, for render stages, the
/// files written to the output root (path → object hash); or, for a stage
/// that skipped itself (`StageSkipped`), the skip.
public struct ActionEntry: Sendable, Equatable {
    /// A cached skip: the message, and the display paths of the stage's file
    /// inputs when it was made (so a replay can show the current ones).
    public struct Skip: Sendable, Equatable {
        public var message: String
        public var displayPaths: [String: String]

        public init(message: String, displayPaths: [String: String]) {
            self.message = message
            self.displayPaths = displayPaths
        }
    }

    public var artifactHash: String
    public var artifactType: String
    public var encoding: ArtifactEncoding
    public var files: [String: String]
    public var stage: String
    public var seconds: Double
    /// Set when the key's result is a skip; the artifact fields are then empty.
    public var skip: Skip?
    /// The logs of the program the stage ran (command stages).
    public var logs: LogReferences? = nil

    public init(
        artifactHash: String, artifactType: String, encoding: ArtifactEncoding, files: [String: String], stage: String,
        seconds: Double
    ) {
        self.artifactHash = artifactHash
        self.artifactType = artifactType
        self.encoding = encoding
        self.files = files
        self.stage = stage
        self.seconds = seconds
        self.skip = nil
    }

    /// The entry of a key whose stage skipped itself.
    public init(skip: Skip, stage: String, seconds: Double) {
        self.init(artifactHash: "", artifactType: "", encoding: .json, files: [:], stage: stage, seconds: seconds)
        self.skip = skip
    }

    var json: JSONValue {
        if let skip {
            return [
                "skipped": [
                    "message": .string(skip.message), "display": .object(skip.displayPaths.mapValues { .string($0) }),
                ],
                "stage": .string(stage),
                "seconds": .double(seconds),
            ]
        }
        var out: JSONValue = [
            "artifact": [
                "hash": .string(artifactHash), "type": .string(artifactType), "encoding": .string(encoding.rawValue),
            ],
            "files": .object(files.mapValues { .string($0) }),
            "stage": .string(stage),
            "seconds": .double(seconds),
        ]
        if let logs { out["logs"] = logs.json }
        return out
    }

    init?(json: JSONValue) {
        if let skipped = json["skipped"] {
            guard let message = skipped["message"]?.stringValue else { return nil }
            self.init(
                skip: Skip(
                    message: message,
                    displayPaths: skipped["display"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]),
                stage: json["stage"]?.stringValue ?? "", seconds: json["seconds"]?.numberValue ?? 0)
            return
        }
        guard let a = json["artifact"], let hash = a["hash"]?.stringValue, let type = a["type"]?.stringValue,
            let enc = a["encoding"]?.stringValue.flatMap(ArtifactEncoding.init(rawValue:)),
            let files = json["files"]?.objectValue
        else { return nil }
        self.init(
            artifactHash: hash, artifactType: type, encoding: enc, files: files.compactMapValues(\.stringValue),
            stage: json["stage"]?.stringValue ?? "", seconds: json["seconds"]?.numberValue ?? 0)
        self.logs = LogReferences(json: json["logs"])
    }

    /// Every object the entry needs (none for a skip).
    public var objectHashes: [String] {
        skip != nil ? [] : [artifactHash] + files.keys.sorted().compactMap { files[$0] }
    }
}

/// A stage whose last run failed: the key it failed under (empty when its
/// inputs could not even be hashed) and the error. `status` shows the stage
/// as failed while its key is unchanged; a run always tries it again.
public struct FailureRecord: Sendable, Equatable {
    public var key: String
    public var message: String
    /// The logs of the program the failed stage ran.
    public var logs: LogReferences?

    public init(key: String, message: String, logs: LogReferences? = nil) {
        self.key = key
        self.message = message
        self.logs = logs
    }
}

/// The last time a stage id was brought up to date: what went into its key,
/// so `status` can say what changed.
public struct StageRecord: Sendable, Equatable {
    public struct Input: Sendable, Equatable {
        /// `file:<path relative to the data root>` or `stage:<id>`.
        public var source: String
        public var hash: String

        public init(source: String, hash: String) {
            self.source = source
            self.hash = hash
        }
    }

    public var id: String
    public var key: String
    public var kind: String
    public var version: Int
    public var parameters: [String: JSONValue]
    public var inputs: [String: Input]
    /// What else entered the key (`StageKind.environment`).
    public var environment: [String: String]

    public init(
        id: String, key: String, kind: String, version: Int, parameters: [String: JSONValue], inputs: [String: Input],
        environment: [String: String] = [:]
    ) {
        self.id = id
        self.key = key
        self.kind = kind
        self.version = version
        self.parameters = parameters
        self.inputs = inputs
        self.environment = environment
    }

    var json: JSONValue {
        var out: JSONValue = [
            "id": .string(id), "key": .string(key), "kind": .string(kind), "version": .int(version),
            "params": .object(parameters),
            "inputs": .object(inputs.mapValues { ["source": .string($0.source), "hash": .string($0.hash)] }),
        ]
        if !environment.isEmpty { out["environment"] = .object(environment.mapValues { .string($0) }) }
        return out
    }

    init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let key = json["key"]?.stringValue,
            let kind = json["kind"]?.stringValue, let version = json["version"]?.intValue,
            let params = json["params"]?.objectValue, let inputs = json["inputs"]?.objectValue
        else { return nil }
        self.id = id
        self.key = key
        self.kind = kind
        self.version = version
        self.parameters = params
        var parsed: [String: Input] = [:]
        for (name, v) in inputs {
            guard let s = v["source"]?.stringValue, let h = v["hash"]?.stringValue else { return nil }
            parsed[name] = Input(source: s, hash: h)
        }
        self.inputs = parsed
        self.environment = json["environment"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
    }
}

extension Store {
    /// The logs of the program stage `id` ran last: those of its failure when
    /// its last run failed, else those kept with its cached result (also when
    /// that result came from the cache). Nil when it ran no program, never
    /// ran, or the objects are gone.
    public func lastLogs(ofStage id: String) -> (logs: StageLogs, failed: Bool)? {
        if let references = failure(forStage: id)?.logs, let logs = logs(references) { return (logs, true) }
        if let key = record(forStage: id)?.key, let references = action(forKey: key)?.logs,
            let logs = logs(references)
        {
            return (logs, false)
        }
        return nil
    }
}
