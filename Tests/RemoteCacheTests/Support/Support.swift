import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
@testable import RemoteCache

/// Runs blocking work (HTTP requests, a whole run) on a thread of its own,
/// not on the tests' task pool, which other suites may keep busy.
func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Collects the warnings a cache gives.
final class Warnings: Sendable {
    private let lines = Locked<[String]>([])
    var all: [String] { lines.value }
    func add(_ line: String) { lines.withLock { $0.append(line) } }
}

/// A cache on `server` with short timeouts and pauses, as the tests want them.
func testCache(
    _ server: TestServer, upload: Bool = true, timeout: Double = 5, attempts: Int = 3, warnings: Warnings
) -> HTTPCache {
    var settings = RemoteSettings(base: server.url)
    settings.timeout = timeout
    settings.attempts = attempts
    settings.backoff = 0.01
    settings.upload = upload
    return HTTPCache(settings: settings) { warnings.add($0) }
}

/// A store in a temporary folder holding one result: an artifact, an output
/// file, and a program's (empty) stderr and 2 MiB stdout, which the remote
/// cache must carry whatever their size.
struct StoredResult {
    let dir = TemporaryDirectory("figpipe-remote")
    let store: Store
    let entry: ActionEntry
    let key = Digest.sha256(Array("a stage key".utf8))
    let objects: [String: [UInt8]]

    init() throws {
        store = Store(root: dir.file("cache"))
        try store.prepare()
        let artifact = Array(#"{"text":"hello"}"#.utf8)
        let file = Array("the output file".utf8)
        var big = [UInt8](repeating: 0, count: 2 << 20)
        for i in stride(from: 0, to: big.count, by: 997) { big[i] = UInt8(truncatingIfNeeded: i) }
        var entry = ActionEntry(
            artifactHash: try store.put(artifact), artifactType: "files", encoding: .json,
            files: ["out/a.txt": try store.put(file)], stage: "a", seconds: 0.5)
        entry.logs = LogReferences(stdout: try store.put(big), stderr: try store.put([]))
        self.entry = entry
        var objects: [String: [UInt8]] = [:]
        for bytes in [artifact, file, big, []] { objects[Digest.sha256(bytes)] = bytes }
        self.objects = objects
    }
}

/// What most of the cache's tests start from: a fresh server, a stored
/// result, and a cache on the server that takes uploads.
struct Scene {
    let server: TestServer
    let result: StoredResult
    let warnings = Warnings()
    let cache: HTTPCache

    init(_ behaviour: TestServer.Behaviour = .init(), timeout: Double = 5, attempts: Int = 3) throws {
        server = try TestServer(behaviour)
        result = try StoredResult()
        cache = testCache(server, timeout: timeout, attempts: attempts, warnings: warnings)
    }

    /// Another machine's cache on the same server (read-only unless `upload`).
    func reader(upload: Bool = false, attempts: Int = 3) -> HTTPCache {
        testCache(server, upload: upload, attempts: attempts, warnings: warnings)
    }

    /// `by` (the scene's cache by default) uploads the result.
    func upload(by other: HTTPCache? = nil, onlyIfAbsent: Bool = false) async throws {
        let (cache, result) = (other ?? self.cache, self.result)
        try await offPool {
            cache.upload(result.entry, key: result.key, from: result.store, onlyIfAbsent: onlyIfAbsent)
        }
    }

    /// `by` looks the result's key up, storing into `store`.
    func fetch(by other: HTTPCache? = nil, into store: Store) async throws -> SharedLookup {
        let (cache, key) = (other ?? self.cache, result.key)
        return try await offPool { cache.fetch(key: key, into: store) }
    }

    /// A new empty store in the result's folder.
    func emptyStore(_ name: String) throws -> Store {
        let store = Store(root: result.dir.file(name))
        try store.prepare()
        return store
    }
}
