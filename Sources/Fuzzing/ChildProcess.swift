import FigpipeBasics
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

/// Runs a program to its end or to a time limit, with stdin from /dev/null and
/// stdout and stderr in files (`Spawn.start`, which the process-level tests
/// use too): the wait status tells a signal from an exit code
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
        let start = Date()
        let pid = try Spawn.start(
            executable, arguments, in: directory, stdout: stdoutPath, stderr: stderrPath, environment: extra)

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
