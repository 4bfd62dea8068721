import Dispatch
import FigpipeBasics
import Foundation
import Subprocess
import SystemPackage

/// One program to run: what, where, with which environment, logs to which
/// files, for how long.
struct ProgramRequest: Sendable {
    /// An absolute path.
    var executable: String
    var arguments: [String]
    var environment: [String: String]
    var workingDirectory: String
    /// Files stdout and stderr go to.
    var stdout: String
    var stderr: String
    /// Seconds; 0 for none.
    var timeout: Double
    /// How long a program may take to end after SIGTERM before it is killed.
    var grace: Duration
    /// Where the program may write, when it runs sandboxed.
    var sandbox: Sandbox?
    /// Where to note the program's process group, so that a later run can
    /// stop it if figpipe is killed outright (`RunningPrograms.stopOrphans`).
    var groupFile: String? = nil
}

/// How a program ended.
enum ProgramEnd: Sendable, Equatable {
    case exited(Int32)
    case signaled(Int32)
    /// It ran past its timeout and was stopped.
    case timedOut(seconds: Double)
}

/// Runs programs with swift-subprocess, each in a process group of its own,
/// and stops them cleanly: on a timeout, and when figpipe is interrupted
/// (`stopAll`), the group gets SIGTERM, then SIGKILL after the grace period.
/// After the program ends, whatever it left running in its group is killed,
/// so nothing it started outlives the stage.
enum ProgramRunner {
    /// Runs `request` to its end, blocking the calling (Dispatch) thread. A
    /// program file that another process still holds open for writing (an
    /// editor saving it; a fork elsewhere in this process inheriting the
    /// descriptor for a moment) cannot be executed (ETXTBSY): that is tried
    /// again, up to five times.
    static func run(_ request: ProgramRequest) throws -> ProgramEnd {
        var attempt = 0
        while true {
            do {
                return try runOnce(request)
            } catch let e as SubprocessError where e.underlyingError?.rawValue == ETXTBSY && attempt < 5 {
                attempt += 1
                usleep(UInt32(20_000 * attempt))
            }
        }
    }

    private static func runOnce(_ request: ProgramRequest) throws -> ProgramEnd {
        let outcome = Locked<Result<ProgramEnd, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        // The caller blocks while the task runs on Swift's global executor:
        // callers must be on threads of their own (the executor's stage
        // queues), never on the global queues that executor uses.
        let task = Task {
            let result: Result<ProgramEnd, any Error>
            do {
                result = .success(try await runAsync(request))
            } catch {
                result = .failure(error)
            }
            outcome.withLock { $0 = result }
            done.signal()
            finished.signal()
        }
        guard let token = RunningPrograms.shared.add(task, finished: finished) else {
            task.cancel()
            done.wait()
            throw InterruptedError()
        }
        done.wait()
        RunningPrograms.shared.remove(token)
        guard let result = outcome.withLock({ $0 }) else { throw InterruptedError() }
        return try result.get()
    }

    private static func runAsync(_ request: ProgramRequest) async throws -> ProgramEnd {
        let out = try openLog(request.stdout)
        let err: FileDescriptor
        do {
            err = try openLog(request.stderr)
        } catch {
            try? out.close()
            throw error
        }
        let options = {
            var options = PlatformOptions()
            options.processGroupID = 0  // a new group, whose id is the program's pid
            options.teardownSequence = [
                .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: request.grace)
            ]
            return options
        }()
        let (executable, arguments) =
            request.sandbox?.wrap(request.executable, request.arguments)
            ?? (request.executable, request.arguments)
        let environment = Dictionary(
            uniqueKeysWithValues: request.environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
        let group = Locked<pid_t?>(nil)
        let timeout = request.timeout
        return try await withThrowingTaskGroup(of: ProgramEnd?.self) { tasks in
            tasks.addTask {
                let result = try await Subprocess.run(
                    .path(FilePath(executable)), arguments: Arguments(arguments),
                    environment: .custom(environment), workingDirectory: FilePath(request.workingDirectory),
                    platformOptions: options, input: .none,
                    output: .fileDescriptor(out, closeAfterSpawningProcess: true),
                    error: .fileDescriptor(err, closeAfterSpawningProcess: true)
                ) { execution in
                    let pid = execution.processIdentifier.value
                    group.withLock { $0 = pid }
                    if let file = request.groupFile, let start = ProcessStart.of(pid) {
                        try? AtomicWriter.shared.write(Array("\(pid) \(start)\n".utf8), to: file)
                    }
                }
                // Whatever the program left running in its group goes with it.
                if let pgid = group.withLock({ $0 }) { kill(-pgid, SIGKILL) }
                switch result.terminationStatus {
                case .exited(let code): return .exited(code)
                case .signaled(let signal): return .signaled(signal)
                }
            }
            if timeout > 0 {
                tasks.addTask {
                    try await Task.sleep(for: .seconds(timeout))
                    return nil
                }
            }
            guard let first = try await tasks.next() else { throw CancellationError() }
            tasks.cancelAll()
            if let end = first { return end }
            // The timeout came first: cancelling the run stops the program
            // (SIGTERM to its group, SIGKILL after the grace period).
            while let _ = try? await tasks.next() {}
            if let pgid = group.withLock({ $0 }) { kill(-pgid, SIGKILL) }
            return .timedOut(seconds: timeout)
        }
    }

    private static func openLog(_ path: String) throws -> FileDescriptor {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError(path: path, operation: "create", errno: errno) }
        return FileDescriptor(rawValue: fd)
    }
}

/// When a process started, in clock ticks since boot (`/proc/PID/stat`,
/// field 22): with the pid, it names one process for good.
enum ProcessStart {
    static func of(_ pid: pid_t) -> UInt64? {
        // /proc files report a size of 0: read to the end.
        let fd = open("/proc/\(pid)/stat", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes += buffer[0..<n]
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        // After the command name: field 3 (state) onwards; the start time is field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}

/// The programs running now, so an interrupt can stop them all before
/// figpipe exits.
public final class RunningPrograms: Sendable {
    public static let shared = RunningPrograms()

    private struct State {
        var tasks: [Int: (task: Task<Void, Never>, finished: DispatchSemaphore)] = [:]
        var next = 0
        var stopping = false
        var grace: Duration = .seconds(5)
    }

    private let state = Locked(State())

    /// How long a program gets to end after SIGTERM (a timeout, an
    /// interrupt) before SIGKILL; `figpipe run --grace`.
    public var grace: Duration {
        get { state.withLock { $0.grace } }
        set { state.withLock { $0.grace = newValue } }
    }

    /// Registers a running program's task; nil once `stopAll` has begun.
    func add(_ task: Task<Void, Never>, finished: DispatchSemaphore) -> Int? {
        state.withLock { s in
            guard !s.stopping else { return nil }
            s.next += 1
            s.tasks[s.next] = (task, finished)
            return s.next
        }
    }

    func remove(_ token: Int) { _ = state.withLock { $0.tasks.removeValue(forKey: token) } }

    /// Kills the process groups that programs of a run killed outright (kill
    /// -9) left running: each scratch folder in `folder` notes its program's
    /// group and start time, and a group is killed only while its leader is
    /// that same process. Call holding the cache lock, before sweeping the
    /// scratch folders.
    public static func stopOrphans(inScratchFoldersOf folder: String) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let stale = names.filter { $0.hasPrefix(ScratchFolders.prefix) }.map { folder + "/" + $0 }
        guard !stale.isEmpty else { return }
        // A program whose run was killed before it noted the group: found by
        // its working directory, inside a stale scratch folder.
        for pid in processes(workingIn: stale) where pid != getpid() {
            let group = getpgid(pid)
            if group > 1 && group != getpgrp() { kill(-group, SIGKILL) } else { kill(pid, SIGKILL) }
        }
        for scratch in stale {
            guard let bytes = try? FileIO.readIfExists("\(scratch)/\(CommandRun.groupFileName)"),
                case let fields = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isWhitespace),
                fields.count == 2, let pid = pid_t(fields[0]), pid > 1, let start = UInt64(fields[1]),
                ProcessStart.of(pid) == start
            else { continue }
            kill(-pid, SIGKILL)
        }
    }

    /// The processes whose working directory is one of `folders` or inside one.
    static func processes(workingIn folders: [String]) -> [pid_t] {
        let real = folders.map { f in
            realpath(f, nil).map { p in
                defer { free(p) }; return String(cString: p)
            } ?? f
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> pid_t? in
            guard let pid = pid_t(name),
                let cwd = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(name)/cwd")
            else { return nil }
            return real.contains { cwd == $0 || cwd.hasPrefix($0 + "/") } ? pid : nil
        }
    }

    /// Called from the interrupt handler: stops every running program (SIGTERM
    /// to its group, SIGKILL after the grace period) and returns once all have
    /// ended, or after the grace period and five seconds more.
    public func stopAll() {
        let (running, grace) = state.withLock { s in
            s.stopping = true
            return (Array(s.tasks.values), s.grace)
        }
        for r in running { r.task.cancel() }
        let seconds = Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18
        let deadline = DispatchTime.now() + seconds + 5
        for r in running { _ = r.finished.wait(timeout: deadline) }
    }
}
