import Dispatch
import FigpipeBasics
import Foundation
import Pipeline

/// What a run exchanged with the remote cache.
public struct RemoteTraffic: Sendable, Equatable {
    public var requests = 0
    public var hits = 0
    public var misses = 0
    public var bytesDownloaded = 0
    public var bytesUploaded = 0
    public var blobsUploaded = 0
    public var entriesUploaded = 0

    /// `remote cache: 40 hits, 2 misses; 3.1 MB down, 0 B up (0 blobs, 0 entries) in 86 requests`.
    public var line: String {
        "remote cache: \(hits) hit\(hits == 1 ? "" : "s"), \(misses) miss\(misses == 1 ? "" : "es"); "
            + "\(Self.size(bytesDownloaded)) down, \(Self.size(bytesUploaded)) up "
            + "(\(blobsUploaded) blob\(blobsUploaded == 1 ? "" : "s"), \(entriesUploaded) entr\(entriesUploaded == 1 ? "y" : "ies")) "
            + "in \(requests) request\(requests == 1 ? "" : "s")"
    }

    static func size(_ bytes: Int) -> String {
        bytes < 1000
            ? "\(bytes) B"
            : bytes < 1_000_000
                ? String(format: "%.1f kB", Double(bytes) / 1e3)
                : String(format: "%.1f MB", Double(bytes) / 1e6)
    }
}

/// A remote cache that speaks Bazel's HTTP remote cache protocol: `GET`,
/// `HEAD` and `PUT` of `<base>/ac/<key>` (a stage's `ActionManifest`) and
/// `<base>/cas/<sha256>` (the bytes of an object). bazel-remote, nginx's
/// WebDAV module, Apache and a GCS bucket serve it.
///
/// It never fails a run: a request that fails for a reason that may pass (no
/// connection, a timeout, a truncated body, a 5xx status, 408, 429) is tried
/// `attempts` times with a doubling pause; when it still fails, the cache
/// warns once and is not asked again in this run. A 401 or 403 does the same
/// at once. Every downloaded blob is hashed before it is used.
public final class HTTPCache: SharedCache {
    public let settings: RemoteSettings
    public var uploads: Bool { settings.upload }
    private let transport: HTTPTransport
    private let warn: @Sendable (String) -> Void

    private struct State {
        /// Why the cache is no longer asked, once it is not.
        var unreachable: String?
        /// Why uploads stopped (an upload refused with 401/403).
        var uploadsRefused = false
        /// Warnings given, by kind, so each is given once.
        var warned: Set<String> = []
        /// Objects found corrupt on the server: uploaded again whatever `HEAD` says.
        var corrupt: Set<String> = []
        var traffic = RemoteTraffic()
    }

    private let state = Locked(State())

    /// `warn` receives each warning (once per kind, at most a few per run).
    public init(settings: RemoteSettings, warn: @escaping @Sendable (String) -> Void) {
        self.settings = settings
        self.transport = HTTPTransport(timeout: settings.timeout)
        self.warn = warn
    }

    public var traffic: RemoteTraffic { state.withLock { $0.traffic } }

    // MARK: SharedCache

    public func fetch(key: String, into store: Store) -> SharedLookup {
        guard case .ok(let bytes) = call("GET", "ac/\(key)") else { return miss() }
        let manifest: ActionManifest
        do {
            manifest = try ActionManifest(decoding: bytes, key: key)
        } catch {
            return unusable("its entry ac/\(key.prefix(12))… is unusable: \(error)")
        }
        for (hash, size) in manifest.blobs where !store.verify(hash) {
            switch call("GET", "cas/\(hash)") {
            case .ok(let blob):
                let actual = Digest.sha256(blob)
                guard actual == hash, blob.count == size else {
                    state.withLock { _ = $0.corrupt.insert(hash) }
                    return unusable(
                        "cas/\(hash.prefix(12))… is corrupt: its \(blob.count) bytes hash to \(actual.prefix(12))…")
                }
                guard (try? store.put(blob)) != nil else { return miss() }
            case .notFound:
                return unusable("its entry names cas/\(hash.prefix(12))…, which the remote cache does not have")
            case .refused, .unreachable:
                return miss()
            }
        }
        state.withLock { $0.traffic.hits += 1 }
        return .hit(manifest.entry)
    }

    public func peek(key: String) -> ActionEntry? {
        guard case .ok(let bytes) = call("GET", "ac/\(key)"),
            let manifest = try? ActionManifest(decoding: bytes, key: key)
        else { return nil }
        for (hash, _) in manifest.blobs {
            guard case .ok = call("HEAD", "cas/\(hash)") else { return nil }
        }
        return manifest.entry
    }

    public func upload(_ entry: ActionEntry, key: String, from store: Store, onlyIfAbsent: Bool) {
        guard uploads, !state.withLock({ $0.uploadsRefused }) else { return }
        if onlyIfAbsent, case .ok = call("HEAD", "ac/\(key)") { return }
        var manifest = ActionManifest(key: key, entry: entry, sizes: [:])
        for hash in Set(entry.allObjectHashes).sorted() {
            // An object the local store has lost (or holds corrupt): the entry is not shared.
            guard let bytes = store.get(hash) else { return }
            manifest.sizes[hash] = bytes.count
            let known = state.withLock { !$0.corrupt.contains(hash) }
            if known, case .ok = call("HEAD", "cas/\(hash)") { continue }
            // Never an entry whose objects did not all arrive.
            guard case .ok = call("PUT", "cas/\(hash)", body: bytes) else { return }
            state.withLock {
                $0.traffic.blobsUploaded += 1
                $0.corrupt.remove(hash)
            }
        }
        if case .ok = call("PUT", "ac/\(key)", body: manifest.bytes) {
            state.withLock { $0.traffic.entriesUploaded += 1 }
        }
    }

    // MARK: Requests

    enum Reply {
        case ok([UInt8])
        case notFound
        case refused(Int)
        case unreachable
    }

    /// One request to `<base>/<path>`, retried while the failure may pass.
    func call(_ method: String, _ path: String, body: [UInt8]? = nil) -> Reply {
        let url = "\(settings.base)/\(path)"
        for attempt in 0..<max(1, settings.attempts) {
            if state.withLock({ $0.unreachable != nil }) { return .unreachable }
            if attempt > 0 { usleep(UInt32(min(settings.backoff * Double(1 << (attempt - 1)), 30) * 1e6)) }
            let result = transport.send(method, url, headers: settings.headers, body: body)
            state.withLock { s in
                s.traffic.requests += 1
                s.traffic.bytesUploaded += body?.count ?? 0
                if case .success(let answer) = result { s.traffic.bytesDownloaded += answer.body.count }
            }
            let why: String
            switch result {
            case .failure(let error):
                why = error.description
            case .success(let answer):
                switch answer.status {
                case 200..<300: return .ok(answer.body)
                case 404: return .notFound
                case 401, 403:
                    return refused(method, path, answer.status, stopsEverything: method != "PUT")
                case 408, 429, 500..<600:
                    why = "HTTP \(answer.status)"
                default:
                    return refused(method, path, answer.status, stopsEverything: false)
                }
            }
            if attempt == max(1, settings.attempts) - 1 {
                giveUp("\(method) \(url): \(why), \(settings.attempts) tries")
            }
        }
        return .unreachable
    }

    /// A 4xx answer: a warning once per status and method. A 401 or 403
    /// stops uploads (PUT) or the whole cache.
    private func refused(_ method: String, _ path: String, _ status: Int, stopsEverything: Bool) -> Reply {
        let url = "\(settings.base)/\(path)"
        if status == 401 || status == 403 {
            if stopsEverything {
                giveUp("\(method) \(url): HTTP \(status) (check --remote-header, the URL's user or ~/.netrc)")
                return .refused(status)
            }
            state.withLock { $0.uploadsRefused = true }
        }
        var hint = ""
        if method == "PUT" && (status == 401 || status == 403) { hint = "; no more uploads in this run" }
        // bazel-remote checks that an ac/ entry is a protobuf ActionResult unless told not to.
        if method == "PUT" && status == 400 && path.hasPrefix("ac/") {
            hint = "; bazel-remote takes figpipe's entries with --disable_http_ac_validation"
        }
        warnOnce("\(method) \(status)", "warning: the remote cache refused \(method) \(url) (HTTP \(status))\(hint)")
        return .refused(status)
    }

    private func giveUp(_ why: String) {
        let first = state.withLock { s -> Bool in
            guard s.unreachable == nil else { return false }
            s.unreachable = why
            return true
        }
        if first {
            warnOnce(
                "unreachable",
                "warning: remote cache \(settings.base) unavailable (\(why)); this run goes on with the local cache only"
            )
        }
    }

    private func warnOnce(_ kind: String, _ message: String) {
        if state.withLock({ $0.warned.insert(kind).inserted }) { warn(message) }
    }

    private func miss() -> SharedLookup {
        state.withLock { $0.traffic.misses += 1 }
        return .miss
    }

    private func unusable(_ why: String) -> SharedLookup {
        state.withLock { $0.traffic.misses += 1 }
        return .unusable(why)
    }
}
