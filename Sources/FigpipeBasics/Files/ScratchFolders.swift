import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Private folders for programs a run starts (command stages): made empty,
/// removed when the stage ends, and removed on an interrupt, so none
/// survives Ctrl-C or `kill`; a run sweeps what a `kill -9` left.
public final class ScratchFolders: Sendable {
    public static let shared = ScratchFolders()

    /// Every scratch folder's name starts with this.
    public static let prefix = "scratch-"

    private struct State {
        var open: Set<String> = []
        var interrupted = false
        var counter = 0
    }

    private let state = Locked(State())

    /// A new empty folder (mode 0700) in `parent`.
    public func make(in parent: String) throws -> String {
        try state.withLock { s throws -> String in
            if s.interrupted { throw InterruptedError() }
            s.counter += 1
            let path = "\(parent)/\(Self.prefix)\(getpid())-\(s.counter)"
            Self.removeTree(path)
            try FileIO.createDirectory(parent)
            guard mkdir(path, 0o700) == 0 else { throw FileError(path: path, operation: "create", errno: errno) }
            s.open.insert(path)
            return path
        }
    }

    /// Removes a folder `make` returned, with everything in it. Under the
    /// lock, so an interrupt never races a removal under way.
    public func remove(_ path: String) {
        state.withLock { s in
            guard s.open.remove(path) != nil else { return }
            Self.removeTree(path)
        }
    }

    /// Called from the interrupt handler once the programs are stopped:
    /// removes every open scratch folder; later `make` calls throw.
    public func interruptAndRemoveAll() {
        state.withLock { s in
            s.interrupted = true
            for path in s.open { Self.removeTree(path) }
            s.open.removeAll()
        }
    }

    /// Removes the scratch folders in `parent` that a run killed outright
    /// left; call while holding the cache lock, so none is in use.
    public static func sweep(folder parent: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) { removeTree(parent + "/" + name) }
    }

    /// Removes `path` and what is in it, as far as it can (what cannot be
    /// removed is left; a later sweep tries again), making folders writable
    /// where a program left them read-only; symbolic links are removed, not followed.
    static func removeTree(_ path: String) {
        var st = stat()
        guard lstat(path, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            chmod(path, 0o700)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
                removeTree(path + "/" + name)
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
