import FigpipeBasics

/// figpipe's version, as `figpipe --version` prints it and remote cache
/// entries record it.
public enum FigpipeVersion {
    public static let current = "0.1.0"
}

/// What a shared cache holds under a key.
public enum SharedLookup: Sendable, Equatable {
    /// The result, with every object it names verified and put into the local store.
    case hit(ActionEntry)
    /// No usable result: none stored, one that names a missing object, or the
    /// cache cannot be reached (it warns once and is not asked again).
    case miss
    /// A result that cannot be used, and why: an object that does not hash
    /// to its name, one the cache does not have, an entry that does not
    /// read. The stage runs instead.
    case unusable(String)
}

/// A cache that machines share, asked after the local store: the executor
/// looks a stage's remote key up there (`StageKey.remote`) before running it,
/// and stores what it ran there when `uploads` is on. The `RemoteCache`
/// module implements it over HTTP (Bazel's remote cache protocol).
///
/// An implementation never throws and never fails a run: a cache it cannot
/// reach is a miss.
public protocol SharedCache: Sendable {
    /// True when results are stored in the shared cache (`--remote-upload`);
    /// otherwise it is only read.
    var uploads: Bool { get }

    /// The result under `key`: its objects downloaded, each verified against
    /// its hash and put into `store` before the entry is returned.
    func fetch(key: String, into store: Store) -> SharedLookup

    /// The result under `key`, when every object it names is there, without
    /// downloading the objects or writing anything (for `status`).
    func peek(key: String) -> ActionEntry?

    /// Stores a result: first its objects (read from `store`), then the
    /// entry, so no reader sees an entry whose objects are missing. With
    /// `onlyIfAbsent`, nothing happens when the cache has an entry under
    /// `key` already.
    func upload(_ entry: ActionEntry, key: String, from store: Store, onlyIfAbsent: Bool)
}

extension ActionEntry {
    /// True when this entry, from a shared cache, is a result a stage of
    /// `stage`'s kind and parameters can have made: its artifact type, and
    /// exactly the stage's declared output files (so an entry from elsewhere
    /// never writes outside them).
    public func fits(_ stage: ResolvedStage) -> Bool {
        if skip != nil { return files.isEmpty }
        return artifactType == stage.kind.output && Set(files.keys) == Set(stage.outputFiles)
            && objectHashes.allSatisfy(Digest.isValid)
    }

    /// Every object the entry names, its logs' too.
    public var allObjectHashes: [String] { objectHashes + (logs?.hashes ?? []) }
}
