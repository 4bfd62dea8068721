import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A program that could not be started.
public struct SpawnError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var code: Int32
    public var description: String { "cannot start \(path): \(String(cString: strerror(code)))" }
}

/// Starts programs the way a shell would, from threads that block signals:
/// the one `posix_spawn` of the project's tools (the fuzzer) and process-level tests.
public enum Spawn {
    /// Starts `executable` with stdin from /dev/null and stdout and stderr in
    /// the files `stdout` and `stderr`, in `directory` (or the current one),
    /// with this process's environment plus `environment`. The child gets an
    /// empty signal mask and default dispositions for SIGINT, SIGTERM, SIGHUP
    /// and SIGPIPE (Dispatch and test-runner threads block signals, and a
    /// spawned child inherits the mask). Returns its pid; the caller waits.
    public static func start(
        _ executable: String, _ arguments: [String], in directory: String? = nil, stdout: String, stderr: String,
        environment extra: [String: String] = [:]
    ) throws(SpawnError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let directory {
            let rc = directory.withCString { addChdir?(&actions, $0) } ?? ENOSYS
            guard rc == 0 else { throw SpawnError(path: executable, code: rc) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for s in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, s) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = [executable] + arguments
        let envp = ProcessInfo.processInfo.environment.merging(extra) { $1 }.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvp) }
        }
        guard rc == 0 else { throw SpawnError(path: executable, code: rc) }
        return pid
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (not in the Swift Glibc module).
private typealias AddChdir =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
private var addChdir: AddChdir? {
    dlsym(nil, "posix_spawn_file_actions_addchdir_np").map { unsafeBitCast($0, to: AddChdir.self) }
}

/// A NULL-terminated C array of C strings, valid inside `body`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
    pointers.append(nil)
    defer { for p in pointers { free(p) } }
    return body(pointers)
}

extension Spawn {
    /// What a finished program did: its exit status (128 + the signal when a
    /// signal ended it), and what it printed.
    public struct Finished: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `executable` to the end (see `start`), its output kept in
    /// temporary files that are removed afterwards.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]
    ) throws(SpawnError) -> Finished {
        let base = NSTemporaryDirectory() + "/figpipe-spawn-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let (out, err) = (base + ".out", base + ".err")
        defer {
            unlink(out)
            unlink(err)
        }
        let pid = try start(executable, arguments, in: directory, stdout: out, stderr: err, environment: environment)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        func text(_ path: String) -> String {
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        return Finished(status: code, stdout: text(out), stderr: text(err))
    }
}
