import Foundation

/// Another run holds the cache lock and `--no-wait` was given.
public struct LockBusyError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var holder: String
    public var description: String {
        "another figpipe run (\(holder)) holds the cache lock \(Paths.display(path)); not waiting (--no-wait)"
    }
}

/// An exclusive `flock` on the cache's lock file, held for a whole run and
/// released by the kernel when the process ends, however it ends.
public final class FileLock: Sendable {
    private let fd: Int32
    public let path: String

    /// Takes the lock; when another run holds it, either waits (telling the user
    /// once through `onWait`) or, with `wait == false`, throws `LockBusyError`.
    public init(path: String, wait: Bool, onWait: (String) -> Void) throws {
        self.path = path
        // The descriptor is stored only once the lock is held: a class whose
        // initializer throws after storing every property is deinitialized,
        // and a second close there could close a descriptor another thread
        // has since been given (its lock, say).
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, operation: "open the lock file", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = FileLock.holder(fd: fd)
            guard wait else {
                close(fd)
                throw LockBusyError(path: path, holder: holder)
            }
            onWait("waiting for another figpipe run (\(holder)) to finish: lock \(Paths.display(path))")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(fd)
                    throw FileError(path: path, operation: "lock", errno: code)
                }
            }
        }
        let me = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = me.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        self.fd = fd
    }

    private static func holder(fd: Int32) -> String {
        var buf = [UInt8](repeating: 0, count: 64)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 64, 0) }
        let text =
            n > 0 ? String(decoding: buf.prefix(n), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "unknown pid" : text
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
