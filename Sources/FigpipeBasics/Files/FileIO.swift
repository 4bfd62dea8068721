#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation

/// A failed file-system call, with the path and the system's reason.
public struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var operation: String
    public var code: Int32
    /// Why, when it is not the system's message for `code` (e.g. "not a regular file (a FIFO)").
    public var reason: String?

    public init(path: String, operation: String, errno code: Int32, reason: String? = nil) {
        self.path = path
        self.operation = operation
        self.code = code
        self.reason = reason
    }

    public var description: String {
        "\(Paths.display(path)): cannot \(operation): \(reason ?? String(cString: strerror(code)))"
    }

    public var isNotFound: Bool { code == ENOENT }
}

/// What `stat` says of a file, as a stat cache compares it.
public struct FileStat: Sendable, Equatable {
    public var size: Int64
    public var mtimeNanoseconds: Int64
    public var inode: UInt64
    public var isRegular: Bool

    public init(size: Int64, mtimeNanoseconds: Int64, inode: UInt64, isRegular: Bool) {
        self.size = size
        self.mtimeNanoseconds = mtimeNanoseconds
        self.inode = inode
        self.isRegular = isRegular
    }

    public static func of(_ path: String) -> FileStat? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
            let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return FileStat(
            size: Int64(st.st_size), mtimeNanoseconds: mtime, inode: UInt64(st.st_ino),
            isRegular: (st.st_mode & S_IFMT) == S_IFREG)
    }
}

extension FileStat {
    /// What a file that is not a regular file is, for messages: "a directory", "a FIFO", …
    public static func kindName(mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFLNK: "a symbolic link"
        default: "not a regular file"
        }
    }
}

public enum FileIO {
    /// Opens an input file for reading, and only a regular file (after
    /// symbolic links): a directory, FIFO, socket or device is an error naming
    /// `display` and what it is. The open itself never blocks (a FIFO without a
    /// writer would otherwise hang the run). Returns the descriptor, which the
    /// caller closes, and the file's size.
    public static func openRegularFile(_ path: String, display: String? = nil) throws -> (fd: Int32, size: Int) {
        let name = display ?? path
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileError(path: name, operation: "open", errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            close(fd)
            throw FileError(path: name, operation: "stat", errno: code)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileError(
                path: name, operation: "read", errno: EINVAL,
                reason: "not a regular file (\(FileStat.kindName(mode: st.st_mode)))")
        }
        // Reads of a regular file never block; clear the flag all the same.
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return (fd, Int(st.st_size))
    }

    /// The whole file, or nil when it does not exist.
    public static func readIfExists(_ path: String) throws -> [UInt8]? {
        do {
            return try read(path)
        } catch let e as FileError where e.isNotFound {
            return nil
        }
    }

    /// The whole file, which must be a regular file (`openRegularFile`).
    public static func read(_ path: String) throws -> [UInt8] {
        let (fd, size) = try openRegularFile(path)
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: size)
        var filled = 0
        var probe = [UInt8](repeating: 0, count: 4096)
        while true {
            // Once the stat size is read, probe for EOF (or growth) with a small
            // buffer instead of doubling `out`: no 2x peak memory, and no
            // element-by-element append (minutes for large files in debug builds).
            let n =
                filled < out.count
                ? out.withUnsafeMutableBytes { buf in
                    Glibc.read(fd, buf.baseAddress.map { $0 + filled }, buf.count - filled)
                }
                : probe.withUnsafeMutableBytes { buf in Glibc.read(fd, buf.baseAddress, buf.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "read", errno: errno)
            }
            if n == 0 { break }
            if filled == out.count { out.append(contentsOf: probe[0..<n]) }
            filled += n
        }
        if filled < out.count { out.removeSubrange(filled...) }
        return out
    }

    public static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: path, operation: "create the folder", errno: EACCES)
        }
    }

    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String) throws {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buf in
                write(fd, buf.baseAddress.map { $0 + written }, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError(path: path, operation: "write", errno: errno)
            }
            written += n
        }
    }
}

/// Writes files atomically (a temporary name in the same folder, then a
/// rename) and removes the temporaries it has open when the process is
/// interrupted, so no partial file is ever left under its final name, and no
/// temporary survives Ctrl-C or `kill`.
public final class AtomicWriter: Sendable {
    public static let shared = AtomicWriter()

    /// Every temporary's name ends with this (before a unique suffix), so a run
    /// can sweep what a `kill -9` left behind.
    public static let marker = ".figpipe-tmp-"

    private struct State {
        /// Temporaries being written.
        var open: Set<String> = []
        var interrupted = false
        var counter = 0
    }

    private let state = Locked(State())

    /// Writes `bytes` to `path` atomically, creating folders if needed. The
    /// temporary goes in `temporaryDirectory` (which must be on the same file
    /// system) or else beside `path`.
    public func write(_ bytes: [UInt8], to path: String, temporaryDirectory: String? = nil) throws {
        let dir = Paths.directory(of: path)
        let tmpDir = temporaryDirectory ?? dir
        // The temporary is created while holding the lock, so an interrupt
        // either sees it registered (and removes it) or comes before it exists.
        let (tmp, fd, createError): (String, Int32, Int32) = try state.withLock { s throws -> (String, Int32, Int32) in
            if s.interrupted { throw InterruptedError() }
            s.counter += 1
            let t = "\(tmpDir)/.\(Paths.fileName(of: path))\(AtomicWriter.marker)\(getpid())-\(s.counter)"
            s.open.insert(t)
            var fd = Glibc.open(t, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 && errno == ENOENT {
                try? FileIO.createDirectory(tmpDir)
                fd = Glibc.open(t, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            }
            return (t, fd, fd < 0 ? errno : 0)
        }
        guard fd >= 0 else {
            state.withLock { _ = $0.open.remove(tmp) }
            throw FileError(path: path, operation: "create", errno: createError)
        }
        do {
            try FileIO.writeAll(fd: fd, bytes, path: path)
            close(fd)
        } catch {
            close(fd)
            state.withLock { s in
                unlink(tmp)
                _ = s.open.remove(tmp)
            }
            throw error
        }
        try state.withLock { s throws in
            defer { s.open.remove(tmp) }
            if s.interrupted {
                unlink(tmp)
                throw InterruptedError()
            }
            var renamed = rename(tmp, path) == 0
            if !renamed && errno == ENOENT {
                try? FileIO.createDirectory(dir)
                renamed = rename(tmp, path) == 0
            }
            guard renamed else {
                let code = errno
                unlink(tmp)
                throw FileError(path: path, operation: "rename into place", errno: code)
            }
        }
    }

    /// Called from the interrupt handler: removes every open temporary. A
    /// rename happens under the same lock and checks `interrupted` first, so
    /// none happens after this returns; later writes throw `InterruptedError`.
    public func interruptAndRemoveTemporaries() {
        state.withLock { s in
            s.interrupted = true
            for t in s.open { unlink(t) }
            s.open.removeAll()
        }
    }

    /// Removes temporaries left in `folder` by a process that was killed
    /// outright (SIGKILL); call while holding the cache lock.
    public static func sweep(folder: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(".") && name.contains(marker) {
            unlink(folder + "/" + name)
        }
    }
}

/// The run was interrupted; nothing more is written.
public struct InterruptedError: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
