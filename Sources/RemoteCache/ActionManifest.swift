import FigpipeBasics
import Foundation
import Pipeline

/// A stage's result as the remote cache keeps it under `ac/<key>`: JSON in
/// the spirit of Bazel's `ActionResult`. Every object it names is a blob
/// under `cas/<sha256>`, with its size.
///
///     {"format": "figpipe-action-result", "format_version": 1,
///      "figpipe_version": "0.1.0",
///      "stage_key": "<the remote key: ac/<this>>",
///      "stage": "compression.fig1.render",
///      "artifact": {"type": "files", "encoding": "json",
///                   "digest": {"hash": "<sha256>", "size_bytes": 184}},
///      "output_files": [{"path": "compression/fig1.png",
///                        "digest": {"hash": "<sha256>", "size_bytes": 48213}}],
///      "stdout_digest": {…}, "stderr_digest": {…},   (command stages)
///      "execution_seconds": 0.41}
///
/// A stage that skipped itself has `"skipped": {"message": …, "display":
/// {input: path}}` instead of the artifact, and no output files.
public struct ActionManifest: Sendable, Equatable {
    public static let format = "figpipe-action-result"
    public static let formatVersion = 1

    /// The remote key the manifest is stored under.
    public var key: String
    public var entry: ActionEntry
    /// The size of every object the entry names, by hash.
    public var sizes: [String: Int]
    public var figpipeVersion = FigpipeVersion.current

    public init(key: String, entry: ActionEntry, sizes: [String: Int]) {
        self.key = key
        self.entry = entry
        self.sizes = sizes
    }

    /// Every blob the manifest names, each once, with its size.
    public var blobs: [(hash: String, size: Int)] {
        var seen = Set<String>()
        return entry.allObjectHashes.compactMap { hash in
            guard seen.insert(hash).inserted else { return nil }
            return (hash, sizes[hash] ?? 0)
        }
    }

    public var json: JSONValue {
        func digest(_ hash: String) -> JSONValue { ["hash": .string(hash), "size_bytes": .int(sizes[hash] ?? 0)] }
        var out: JSONValue = [
            "format": .string(Self.format), "format_version": .int(Self.formatVersion),
            "figpipe_version": .string(figpipeVersion), "stage_key": .string(key), "stage": .string(entry.stage),
            "execution_seconds": .double(entry.seconds),
        ]
        if let skip = entry.skip {
            out["skipped"] = [
                "message": .string(skip.message), "display": .object(skip.displayPaths.mapValues { .string($0) }),
            ]
            out["output_files"] = []
            return out
        }
        out["artifact"] = [
            "type": .string(entry.artifactType), "encoding": .string(entry.encoding.rawValue),
            "digest": digest(entry.artifactHash),
        ]
        out["output_files"] = .array(
            entry.files.keys.sorted().compactMap { path in
                entry.files[path].map { ["path": .string(path), "digest": digest($0)] }
            })
        if let logs = entry.logs {
            out["stdout_digest"] = digest(logs.stdout)
            out["stderr_digest"] = digest(logs.stderr)
        }
        return out
    }

    public var bytes: [UInt8] { Array(json.prettyString().utf8) }

    /// A manifest read back; `key` is the key it was asked for, which it must
    /// name. Throws a `ManifestError` saying what is wrong.
    public init(decoding bytes: [UInt8], key: String) throws(ManifestError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw ManifestError("not JSON (\(error.message))")
        }
        guard json["format"]?.stringValue == Self.format else { throw ManifestError("not a \(Self.format)") }
        guard json["format_version"]?.intValue == Self.formatVersion else {
            throw ManifestError(
                "format_version \(json["format_version"].map(\.description) ?? "(none)"), this figpipe reads \(Self.formatVersion)"
            )
        }
        guard json["stage_key"]?.stringValue == key else { throw ManifestError("stage_key is not \(key)") }
        var sizes: [String: Int] = [:]
        func digest(_ value: JSONValue?, _ field: String) throws(ManifestError) -> String {
            guard let hash = value?["hash"]?.stringValue, Digest.isValid(hash) else {
                throw ManifestError("\(field).hash is not a SHA-256")
            }
            guard let size = value?["size_bytes"]?.intValue, size >= 0 else {
                throw ManifestError("\(field).size_bytes is not a size")
            }
            if let known = sizes[hash], known != size { throw ManifestError("\(field): two sizes for \(hash)") }
            sizes[hash] = size
            return hash
        }
        let stage = json["stage"]?.stringValue ?? ""
        let seconds = json["execution_seconds"]?.numberValue ?? 0
        if let skipped = json["skipped"] {
            guard let message = skipped["message"]?.stringValue else { throw ManifestError("skipped.message missing") }
            let display = skipped["display"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
            self.init(
                key: key,
                entry: ActionEntry(
                    skip: ActionEntry.Skip(message: message, displayPaths: display), stage: stage, seconds: seconds),
                sizes: [:])
        } else {
            guard let artifact = json["artifact"], let type = artifact["type"]?.stringValue,
                let encoding = artifact["encoding"]?.stringValue.flatMap(ArtifactEncoding.init(rawValue:))
            else { throw ManifestError("artifact.type or artifact.encoding missing") }
            let artifactHash = try digest(artifact["digest"], "artifact.digest")
            var files: [String: String] = [:]
            for (n, file) in (json["output_files"]?.arrayValue ?? []).enumerated() {
                guard let path = file["path"]?.stringValue, files[path] == nil else {
                    throw ManifestError("output_files[\(n)].path missing or repeated")
                }
                files[path] = try digest(file["digest"], "output_files[\(n)].digest")
            }
            var entry = ActionEntry(
                artifactHash: artifactHash, artifactType: type, encoding: encoding, files: files, stage: stage,
                seconds: seconds)
            if json["stdout_digest"] != nil || json["stderr_digest"] != nil {
                entry.logs = LogReferences(
                    stdout: try digest(json["stdout_digest"], "stdout_digest"),
                    stderr: try digest(json["stderr_digest"], "stderr_digest"))
            }
            self.init(key: key, entry: entry, sizes: sizes)
        }
        figpipeVersion = json["figpipe_version"]?.stringValue ?? ""
    }
}

/// A remote cache entry figpipe cannot use, and why.
public struct ManifestError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
