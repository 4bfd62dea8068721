import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `figpipe-testbed` binary (figpipe with the test-only kinds), built next
/// to the test bundle by `swift build --build-tests` / `swift test`.
enum Testbed {
    static let searched: [String] = {
        var dirs: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(Paths.directory(of: exe))
        }
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        dirs.append(Bundle.main.bundlePath)
        return dirs
    }()

    static let path: String? = searched.map { $0 + "/figpipe-testbed" }.first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func require() throws -> String {
        try #require(
            path,
            """
            figpipe-testbed was not found next to the test bundle (looked in \(searched.joined(separator: ", "))). \
            Build it first: `swift build --build-tests` (or `swift build --product figpipe-testbed`), then run the tests.
            """)
    }
}

/// What a finished figpipe process did.
struct Outcome: CustomStringConvertible {
    /// The exit code, or nil when a signal ended the process.
    var exitCode: Int32?
    var signal: Int32?
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    var description: String {
        "exit \(exitCode.map(String.init) ?? "-") signal \(signal.map(String.init) ?? "-")\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

/// True for the summary line every run ends with: `N cached, N ran, N failed in X.XXs`, or
/// `N cached, N ran, N skipped, N failed in X.XXs` when stages were skipped, with
/// `N remote, ` after the cached count when a remote cache is configured.
func isSummaryLine(_ line: String?) -> Bool {
    guard let line else { return false }
    return line.wholeMatch(of: #/\d+ cached, (\d+ remote, )?\d+ ran, (\d+ skipped, )?\d+ failed in \d+\.\d\ds/#) != nil
}

/// A running figpipe process; its output goes to files, read when asked.
final class Child: @unchecked Sendable {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private let lock = NSLock()
    private var status: Int32?

    init(pid: pid_t, stdoutPath: String, stderrPath: String) {
        self.pid = pid
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    var stderrSoFar: String {
        FileManager.default.contents(atPath: stderrPath).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    /// True once the process has exited (reaped without blocking).
    var hasExited: Bool {
        lock.withLock {
            if status != nil { return true }
            var s: Int32 = 0
            if waitpid(pid, &s, WNOHANG) == pid { status = s }
            return status != nil
        }
    }

    func send(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to end (polling, so no test thread is blocked).
    func finish(timeout: Double = 120) async throws -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        while !hasExited {
            if Date() > deadline {
                send(SIGKILL)
                _ = waitUntil(timeout: 10) { self.hasExited }
                Issue.record("figpipe (pid \(pid)) did not finish within \(timeout)s; killed")
                break
            }
            try await Task.sleep(nanoseconds: 2_000_000)
        }
        let s = lock.withLock { status } ?? 0
        let read = { (path: String) in
            FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG by hand (macros are not imported).
        let signaled = (s & 0x7F) != 0
        return Outcome(
            exitCode: signaled ? nil : (s >> 8) & 0xFF, signal: signaled ? s & 0x7F : nil,
            stdout: read(stdoutPath), stderr: read(stderrPath))
    }
}

/// Polls `condition` every 2 ms until it holds (true) or `timeout` passes (false).
func waitUntil(timeout: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        usleep(2000)
    }
    return true
}

/// A flag one thread sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var isSet = false
    func set() { lock.withLock { isSet = true } }
    var value: Bool { lock.withLock { isSet } }
}

/// Async polling, for waits inside tests. The condition is checked (and, once it
/// holds, `action` run) on a thread of its own: the tests' cooperative pool can be
/// busy with other suites for seconds at a time, and a moment such as "the run is
/// writing its object" must not be missed because no pool thread was free.
func poll(
    timeout: Double = 60, _ condition: @escaping @Sendable () -> Bool, then action: (@Sendable () -> Void)? = nil
) async -> Bool {
    await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
        let thread = Thread {
            let held = waitUntil(timeout: timeout, condition)
            if held { action?() }
            continuation.resume(returning: held)
        }
        thread.start()
    }
}

/// A project folder for figpipe-testbed: pipeline.json, data/, out/, .figpipe/,
/// and the invocation log the test kinds append to (FIGPIPE_TEST_LOG).
final class CLIProject: @unchecked Sendable {
    let dir = TemporaryDirectory("figpipe-cli-project")
    let io = TemporaryDirectory("figpipe-cli-io")
    private let lock = NSLock()
    private var spawned = 0

    var logPath: String { io.file("invocations.log") }

    func writeData(_ relative: String, _ text: String) throws { try dir.write("data/" + relative, text) }

    func writePipeline(_ stages: [JSONValue]) throws {
        let doc: JSONValue = ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
        try dir.write("pipeline.json", doc.prettyString())
    }

    /// Invocations per stage id so far, from the log.
    var counts: [String: Int] { InvocationLog.counts(inFile: logPath) }

    func output(_ relative: String) -> String? { dir.read("out/" + relative) }

    /// Starts `figpipe-testbed ARGS` in the project folder, with `environment` added to this process's.
    func spawn(_ arguments: [String], environment: [String: String] = [:]) throws -> Child {
        let exe = try Testbed.require()
        let n = lock.withLock {
            spawned += 1
            return spawned
        }
        let out = io.file("stdout-\(n)")
        let err = io.file("stderr-\(n)")
        let pid = try Spawn.start(
            exe, arguments, in: dir.path, stdout: out, stderr: err,
            environment: environment.merging(["FIGPIPE_TEST_LOG": logPath]) { $1 })
        return Child(pid: pid, stdoutPath: out, stderrPath: err)
    }

    /// Runs `figpipe-testbed ARGS` to the end.
    func run(_ arguments: String...) async throws -> Outcome {
        try await spawn(arguments).finish()
    }

    func run(arguments: [String], environment: [String: String] = [:]) async throws -> Outcome {
        try await spawn(arguments, environment: environment).finish()
    }
}

/// A stage declaration for a test pipeline.
func stage(_ id: String, _ kind: String, params: [String: JSONValue] = [:], inputs: [String: String] = [:])
    -> JSONValue
{
    var o: [String: JSONValue] = ["id": .string(id), "kind": .string(kind)]
    if !params.isEmpty { o["params"] = .object(params) }
    if !inputs.isEmpty { o["inputs"] = .object(inputs.mapValues { .string($0) }) }
    return .object(o)
}
