import FigpipeBasics
import Foundation
import Pipeline

/// How a mutant's run ended, as the fuzzer judges it.
public enum Verdict: String, Sendable, CaseIterable {
    /// Exit 0.
    case success
    /// Exit 1 (a stage failed) or 2 (invalid pipeline or command line), with a message.
    case cleanError = "clean error"
    /// Ended by a signal, or an exit code other than 0, 1 and 2.
    case crash
    /// Still running at the time limit (killed).
    case hang
    /// A temporary or an undeclared, unrecorded or partly written file left in
    /// the output root or the cache.
    case partialOutput = "partial output"
    /// Exit 1 or 2 without a word on stderr.
    case silentError = "silent error"

    public var passes: Bool { self == .success || self == .cleanError }
}

/// The checks of one finished run.
enum Judge {
    static func verdict(of result: ChildResult, problems: [String]) -> Verdict {
        if result.timedOut { return .hang }
        guard let code = result.exitCode, [0, 1, 2].contains(code) else { return .crash }
        if !problems.isEmpty { return .partialOutput }
        if code != 0 && result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .silentError
        }
        return code == 0 ? .success : .cleanError
    }

    /// Temporaries (`*.figpipe-tmp-*`) anywhere under the output root, and in
    /// the cache's folders where figpipe stages its writes (`tmp/` and the root:
    /// every cache write goes through one of them).
    static func temporaries(outputRoot: String, cacheRoot: String) -> [String] {
        var found: [String] = []
        if let e = FileManager.default.enumerator(atPath: outputRoot) {
            while let name = e.nextObject() as? String {
                if Paths.fileName(of: name).contains(AtomicWriter.marker) { found.append(Paths.join(outputRoot, name)) }
            }
        }
        for dir in [cacheRoot, Paths.join(cacheRoot, "tmp")] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            where name.contains(AtomicWriter.marker) {
                found.append(Paths.join(dir, name))
            }
        }
        return found
    }

    /// Every regular file under `root`, as absolute paths, sorted.
    static func files(under root: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [String] = []
        while let name = e.nextObject() as? String {
            let path = Paths.join(root, name)
            if FileStat.of(path)?.isRegular == true { out.append(path) }
        }
        return out.sorted()
    }

    /// Problems that make a run's output partial. `pipeline` (a data family's,
    /// loaded in this process from a trusted config) adds the status checks:
    /// no output of a finished stage missing or edited, nothing in the output
    /// root but the files of stages that are up to date, and after exit 0
    /// every selected stage up to date or skipped.
    static func outputProblems(
        exitCode: Int32?, outputRoot: String, cacheRoot: String, pipeline: PipelineDefinition?, selected: Set<String>,
        invalidMeansNothingWritten: Bool
    ) -> [String] {
        var problems: [String] = []
        for t in temporaries(outputRoot: outputRoot, cacheRoot: cacheRoot) { problems.append("temporary left: \(t)") }
        let written = files(under: outputRoot)
        if invalidMeansNothingWritten && exitCode == 2 && !written.isEmpty {
            problems.append("exit 2 (nothing should run) but the output root has \(written.count) file(s)")
        }
        let store = Store(root: cacheRoot)
        for file in written {
            guard let hash = try? Digest.sha256(fileAt: file) else { continue }
            if !store.contains(hash) { problems.append("output \(file) is not a cached object (partly written?)") }
        }
        guard let pipeline else { return problems }
        let statuses = pipeline.status(store: store, statCache: store.statCache(), of: pipeline.closure(of: selected))
        var allowed = Set<String>()
        for s in statuses {
            switch s.state {
            case .restore:
                problems.append("\(s.id): \(s.reasons.joined(separator: "; "))")
            case .stale where exitCode == 0 && selected.contains(s.id):
                problems.append(
                    "\(s.id): exit 0 but the stage is not up to date (\(s.reasons.joined(separator: "; ")))")
            case .upToDate:
                if let stage = pipeline[s.id] {
                    for f in stage.outputFiles { allowed.insert(pipeline.outputPath(f)) }
                }
            default: break
            }
        }
        for file in written where !allowed.contains(file) {
            problems.append("output \(file) belongs to no up-to-date stage")
        }
        return problems
    }
}
