import FigpipeBasics
import Foundation

/// Why a stage was skipped in a run (see `StageSkipped`).
public struct StageSkip: Sendable, Equatable {
    /// The stage's own `StageSkipped` message, or `input stage 'X' skipped`
    /// for a stage that needs the output of a skipped stage.
    public var message: String
    /// The stage whose own skip caused this one (the stage itself when it
    /// skipped on its own; the first skipped stage up the graph otherwise).
    public var origin: String
    /// True when the skip came from the cache: the run function did not run.
    public var cached: Bool
    /// Output files of an earlier run of the stage, removed from the output
    /// root (relative to it), because a fresh run would not make them.
    public var removed: [String]

    public init(message: String, origin: String, cached: Bool, removed: [String] = []) {
        self.message = message
        self.origin = origin
        self.cached = cached
        self.removed = removed
    }

    /// The message of a stage skipped because `origin` was.
    static func upstreamMessage(_ origin: String) -> String { "input stage '\(origin)' skipped" }

    /// A cached skip message with the file paths it was made with replaced by
    /// the current ones: the key leaves the roots out (an absent optional file
    /// hashes the same under any data root), the message should not.
    static func replay(_ message: String, madeWith old: [String: String], now: [String: String]) -> String {
        var out = message
        for name in old.keys.sorted() {
            guard let before = old[name], let after = now[name], before != after, !before.isEmpty else { continue }
            out = out.replacingOccurrences(of: before, with: after)
        }
        return out
    }
}

extension ResolvedStage {
    /// The ids of the stages whose output this stage cannot do without: its
    /// required single stage inputs. When one of them is skipped, so is this
    /// stage; a skipped list member or optional stage input is just left out.
    var requiredUpstream: Set<String> {
        Set(
            inputs.compactMap { input in
                guard input.list == nil, !input.isOptional, case .stage(let id) = input.source else { return nil }
                return id
            })
    }

    /// The stage as it reads its inputs when the stages in `skipped` were
    /// skipped: list inputs bind only their members that were not skipped
    /// (renumbered from 0, in pipeline order), and an optional stage input
    /// whose stage was skipped is left out. With nothing skipped, the stage
    /// itself (so its key is what it always was).
    ///
    /// List inputs also leave out the members in `failed` (stages that failed
    /// in this run; see `listFailures`).
    func binding(skipped: Set<String>, failed: Set<String> = []) -> ResolvedStage {
        func dropped(_ input: ResolvedInput) -> Bool {
            guard case .stage(let id) = input.source else { return false }
            return skipped.contains(id) && (input.list != nil || input.isOptional)
                || failed.contains(id) && input.list != nil
        }
        guard inputs.contains(where: dropped) else { return self }
        var bound: [ResolvedInput] = []
        var next: [String: Int] = [:]
        for input in inputs {
            if dropped(input) { continue }
            var copy = input
            if let list = input.list {
                copy.name = InputSpec.listElementName(list, next[list, default: 0])
                next[list, default: 0] += 1
            }
            bound.append(copy)
        }
        return ResolvedStage(
            id: id, kind: kind, parameters: parameters, inputs: bound.sorted { $0.name < $1.name },
            outputFiles: outputFiles, description: description, origin: origin)
    }

    /// True when every input of this stage that reads `id` is a list input:
    /// a failure of `id` then leaves it out of the list instead of failing this stage.
    func readsOnlyThroughLists(_ id: String) -> Bool {
        inputs.allSatisfy { input in
            if case .stage(let u) = input.source, u == id { input.list != nil } else { true }
        }
    }

    /// The members of this stage's list inputs that failed (`failed`: id →
    /// the error shown), in the list's order.
    func listFailures(_ failed: [String: String], pipeline: PipelineDefinition) -> [ListFailure] {
        guard !failed.isEmpty else { return [] }
        return inputs.compactMap { input in
            guard let list = input.list, case .stage(let id) = input.source, let message = failed[id] else {
                return nil
            }
            return ListFailure(list: list, stage: id, message: message, outputFiles: pipeline[id]?.outputFiles ?? [])
        }.sorted { (pipeline.index[$0.stage] ?? 0) < (pipeline.index[$1.stage] ?? 0) }
    }

    /// The display path of every file input, present or not (what the run
    /// function's `displayPath` shows).
    var fileDisplayPaths: [String: String] {
        var out: [String: String] = [:]
        for input in inputs {
            if case .file(_, let absolute) = input.source { out[input.name] = Paths.display(absolute) }
        }
        return out
    }
}

extension PipelineDefinition {
    /// The declared output files of `stage` that are still in the output root
    /// exactly as figpipe last wrote them there (the files of the action entry
    /// of the stage's last record). A file edited by hand, or one whose cache
    /// entry is gone, is not figpipe's to remove and is not listed.
    func earlierOutputs(of stage: ResolvedStage, record: StageRecord?, store: Store, statCache: StatCache) -> [String] {
        guard !stage.outputFiles.isEmpty, let record, let entry = store.action(forKey: record.key) else { return [] }
        return stage.outputFiles.sorted().filter { path in
            guard let hash = entry.files[path] else { return false }
            return statCache.fileMatches(outputPath(path), hash: hash)
        }
    }
}
