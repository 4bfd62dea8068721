import CommandStages
import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// A project whose pipeline has the command kind (unsandboxed unless a
/// launcher is given) beside the test kinds.
func commandProject(sandboxLauncher: String? = nil) -> Project {
    Project(extraKinds: [CommandKind.kind(sandboxLauncher: sandboxLauncher)])
}

/// A command stage declaration.
func command(
    _ id: String, run: [String], outputs: [String: String], inputs: [String: String] = [:],
    extra: [String: JSONValue] = [:]
) -> JSONValue {
    var params: [String: JSONValue] = [
        "run": .array(run.map { .string($0) }), "outputs": .object(outputs.mapValues { .string($0) }),
    ]
    params.merge(extra) { _, new in new }
    return stage(id, "command", params: params, inputs: inputs)
}

extension Project {
    /// `run`, on a Dispatch thread: the executor blocks the calling thread,
    /// and the tasks that supervise programs need the cooperative pool that
    /// the tests run on, so a test must not block one of its threads.
    func execute(jobs: Int = 4, force: Set<String> = [], observer: RecordingObserver = .init()) async throws
        -> RunSummary
    {
        try await offThePool { try self.run(jobs: jobs, force: force, observer: observer) }
    }

    /// `status`, on a Dispatch thread (it runs tools' `--version`).
    func statuses() async throws -> [String: StageStatus] {
        try await offThePool { try self.status() }
    }

    /// Writes an executable file under the project (a script a stage runs).
    func writeScript(_ relative: String, _ text: String) throws {
        try dir.write(relative, text)
        chmod(dir.file(relative), 0o755)
    }

    /// The error message of a failed stage in `summary`.
    func failure(_ summary: RunSummary, _ id: String) -> String? {
        if case .failed(let e)? = summary.outcomes[id] { return e.description }
        return nil
    }

    /// What is left in the cache's temporary folder (scratch folders, temporaries).
    var leftoverTemporaries: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store.temporaryDirectory)) ?? []).sorted()
    }
}

/// The `figpipe` binary built beside the test bundle (the sandbox launcher).
enum BuiltBinaries {
    static var figpipe: String? {
        var dirs: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(Paths.directory(of: exe))
        }
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        return dirs.map { $0 + "/figpipe" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// `body` on a thread of Dispatch's overcommit pool (a serial queue's), awaited.
func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue(label: "figpipe.tests.off-the-pool").async { continuation.resume(with: Result { try body() }) }
    }
}
