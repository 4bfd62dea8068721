import FigpipeBasics
import Foundation

/// Remembers the hash of a file with its size, mtime and inode, as git's index
/// does: a file is re-hashed only when one of them changed. Thread-safe.
public final class StatCache: Sendable {
    struct Entry: Equatable {
        var stat: FileStat
        var hash: String
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var dirty = false
    }

    private let path: String
    private let temporaryDirectory: String?
    private let state = Locked(State())
    /// One gate per file, so two stages reading one file hash it once.
    private let fileGates = KeyedGates()

    /// - Parameter temporaryDirectory: where `save()` stages its temporary
    ///   (same file system); nil: beside `path`.
    public init(path: String, temporaryDirectory: String? = nil) {
        self.path = path
        self.temporaryDirectory = temporaryDirectory
        guard let bytes = try? FileIO.readIfExists(path), let json = try? JSONValue(parsing: bytes),
            let files = json["files"]?.objectValue
        else { return }
        var entries: [String: Entry] = [:]
        defer { state.withLock { [entries] in $0.entries = entries } }
        for (p, v) in files {
            guard let a = v.arrayValue, a.count == 4, let size = a[0].intValue, let mtime = a[1].intValue,
                let inode = a[2].intValue, let hash = a[3].stringValue
            else { continue }
            entries[p] = Entry(
                stat: FileStat(
                    size: Int64(size), mtimeNanoseconds: Int64(mtime), inode: UInt64(bitPattern: Int64(inode)),
                    isRegular: true), hash: hash)
        }
    }

    /// The file's SHA-256, from the cache when its stat is unchanged. Files whose
    /// mtime is within the last two seconds are hashed but not remembered by
    /// stat alone on the next run either (a write in the same tick could be missed).
    public func hash(ofFile file: String) throws -> String {
        return try fileGates.withGate(file) { () throws -> String in
            guard let st = FileStat.of(file) else { throw FileError(path: file, operation: "stat", errno: ENOENT) }
            if let e = state.withLock({ $0.entries[file] }), e.stat == st { return e.hash }
            let hash = try Digest.sha256(fileAt: file)
            remember(file, stat: st, hash: hash)
            return hash
        }
    }

    /// The hash remembered for `file` if its stat still matches, else nil.
    public func cachedHash(ofFile file: String) -> String? {
        guard let st = FileStat.of(file) else { return nil }
        return state.withLock { $0.entries[file].flatMap { $0.stat == st ? $0.hash : nil } }
    }

    /// True when `file` exists and holds the bytes of `hash`: from the cache
    /// when its stat is unchanged, else by hashing it (and remembering a match).
    public func fileMatches(_ file: String, hash: String) -> Bool {
        if cachedHash(ofFile: file) == hash { return true }
        guard FileStat.of(file)?.isRegular == true, (try? Digest.sha256(fileAt: file)) == hash else { return false }
        remember(file, hash: hash)
        return true
    }

    /// Records the hash of a file figpipe just wrote.
    public func remember(_ file: String, hash: String) {
        guard let st = FileStat.of(file) else { return }
        remember(file, stat: st, hash: hash)
    }

    private func remember(_ file: String, stat st: FileStat, hash: String) {
        // A file modified in the current second could change again without its
        // mtime moving (coarse clocks): remember it with an impossible stat so
        // it is re-hashed next time.
        let now = Int64(Date().timeIntervalSince1970 * 1e9)
        var stored = st
        if now - st.mtimeNanoseconds < 2_000_000_000 { stored.size = -1 }
        state.withLock { s in
            if s.entries[file] != Entry(stat: stored, hash: hash) {
                s.entries[file] = Entry(stat: stored, hash: hash)
                s.dirty = true
            }
        }
    }

    /// Drops what it knows of the files under `folder` (a scratch folder about to go).
    public func forget(under folder: String) {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        state.withLock { s in
            let gone = s.entries.keys.filter { $0.hasPrefix(prefix) }
            for path in gone { s.entries[path] = nil }
            if !gone.isEmpty { s.dirty = true }
        }
    }

    public func save() throws {
        let snapshot: [String: Entry]? = state.withLock { s in
            guard s.dirty else { return nil }
            s.dirty = false
            return s.entries
        }
        guard let snapshot else { return }
        var files: [String: JSONValue] = [:]
        for (p, e) in snapshot {
            files[p] = [
                .int(Int(e.stat.size)), .int(Int(e.stat.mtimeNanoseconds)), .int(Int(Int64(bitPattern: e.stat.inode))),
                .string(e.hash),
            ]
        }
        try AtomicWriter.shared.write(
            JSONValue.object(["version": 1, "files": .object(files)]).canonicalBytes(), to: path,
            temporaryDirectory: temporaryDirectory)
    }
}
