import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a child process ended.
public struct ChildResult: Sendable {
    /// The exit code, or nil when a signal ended it (or it was killed for the time limit).
    public var exitCode: Int32?
    public var signal: Int32?
    /// True when it outlived the time limit and was killed (SIGKILL).
    public var timedOut: Bool
    public var seconds: Double
    /// CPU time (user + system) the child used.
    public var cpuSeconds: Double = 0
    public var stdout: String
    public var stderr: String

    /// `exit 1`, `signal 4 (SIGILL)`, `killed after 20 s`.
    public var status: String {
        if timedOut { return "killed after the time limit (\(String(format: "%.1f", seconds)) s)" }
        if let signal { return "signal \(signal) (\(signalName(signal)))" }
        return "exit \(exitCode.map(String.init) ?? "?")"
    }
}

public struct SpawnError: Error, CustomStringConvertible {
    public var path: String
    public var code: Int32
    public var description: String { "cannot start \(path): \(String(cString: strerror(code)))" }
}

/// Runs a program to its end or to a time limit, with stdin from /dev/null and
/// stdout and stderr in files. `posix_spawn` directly, as the repository's
/// process-level tests do (`Tests/FigpipeCLITests/Support/Testbed.swift`): the
/// child gets an empty signal mask and default dispositions (the test runner's
/// threads block signals), the wait status tells a signal from an exit code
/// (SIGILL of a trap, SIGSEGV of a stack overflow), and a child over its time
/// limit is killed with SIGKILL. Blocks the calling thread: call it from a
/// thread of its own, never from the cooperative pool.
public enum ChildProcess {
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil, outputPrefix: String,
        timeLimit: Double, environment extra: [String: String] = [:]
    ) throws -> ChildResult {
        let stdoutPath = outputPrefix + ".stdout"
        let stderrPath = outputPrefix + ".stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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
        let start = Date()
        let rc = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in posix_spawn(&pid, executable, &actions, &attributes, cArgv, cEnvp) }
        }
        guard rc == 0 else { throw SpawnError(path: executable, code: rc) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        var pause: useconds_t = 500
        while true {
            let r = wait4(pid, &status, WNOHANG, &usage)
            if r == pid { break }
            if r < 0 && errno != EINTR { break }
            if Date().timeIntervalSince(start) > timeLimit {
                timedOut = true
                kill(pid, SIGKILL)
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(pause)
            pause = min(pause * 2, 10_000)
        }
        let seconds = Date().timeIntervalSince(start)
        // WIFEXITED / WEXITSTATUS / WTERMSIG by hand (the macros are not imported).
        let signaled = (status & 0x7F) != 0
        return ChildResult(
            exitCode: signaled ? nil : (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
            timedOut: timedOut, seconds: seconds,
            cpuSeconds: Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6,
            stdout: readText(stdoutPath), stderr: readText(stderrPath))
    }

    static func readText(_ path: String) -> String {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// SIGILL, SIGSEGV, … for a signal number.
public func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGILL: "SIGILL"
    case SIGTRAP: "SIGTRAP"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGFPE: "SIGFPE"
    case SIGKILL: "SIGKILL"
    case SIGSEGV: "SIGSEGV"
    case SIGPIPE: "SIGPIPE"
    case SIGTERM: "SIGTERM"
    default: "signal \(signal)"
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
