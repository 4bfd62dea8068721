import FigpipeBasics
/// Whether a stage is up to date, and if not, why: what `figpipe status` and
/// `figpipe run --dry-run` print.
public struct StageStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        /// The cache has the stage's output for its current key, and its files are in place.
        case upToDate = "up to date"
        /// Its output is cached but output files are missing or edited: they will be put back.
        case restore = "restore"
        /// The stage will run.
        case stale = "stale"
        /// The cache holds a skip for the stage's current key (`StageSkipped`),
        /// or the stage needs the output of such a stage: nothing to make.
        case skipped = "skipped"
        /// The stage's last run failed with the inputs and parameters it has
        /// now; the reason is its error. A run tries it again.
        case failed = "failed"
        /// Not in the local cache, but in the remote cache: a run downloads it.
        case remote = "remote"
    }

    public var id: String
    public var kind: String
    public var state: State
    /// Human-readable reasons, e.g. `params changed: n_boot 1000 → 2000`.
    public var reasons: [String]

    public var json: JSONValue {
        [
            "id": .string(id), "kind": .string(kind), "state": .string(state.rawValue),
            "reasons": .array(reasons.map { .string($0) }),
        ]
    }
}

extension PipelineDefinition {
    /// The status of `stages` (all by default), in pipeline order, without
    /// running anything. Input files are hashed where their stat changed.
    /// With a remote cache, a stage the local cache lacks is looked up there
    /// (its entry and the presence of its objects; nothing is downloaded).
    public func status(
        store: Store, statCache: StatCache, force: Set<String> = [], of stages: [ResolvedStage]? = nil,
        remote: (any SharedCache)? = nil
    ) -> [StageStatus] {
        var known: [String: String] = [:]  // up-to-date stage → artifact hash
        var skippedBy: [String: String] = [:]  // skipped stage → the origin of its skip
        var out: [StageStatus] = []
        for declared in stages ?? self.stages {
            let stage = declared.binding(skipped: Set(skippedBy.keys))
            let record = store.record(forStage: stage.id)
            if let origin = stage.requiredUpstream.sorted().lazy.compactMap({ skippedBy[$0] }).first {
                skippedBy[stage.id] = origin
                let reasons =
                    [StageSkip.upstreamMessage(origin)]
                    + earlierOutputs(of: stage, record: record, store: store, statCache: statCache).map {
                        "earlier output \(Paths.display(outputPath($0))) will be removed"
                    }
                out.append(StageStatus(id: stage.id, kind: stage.kind.name, state: .skipped, reasons: reasons))
                continue
            }
            var hashes: [String: String] = [:]
            var reasons: [String] = []
            var complete = true
            for input in stage.inputs {
                switch input.source {
                case .stage(let id):
                    if let h = known[id] {
                        hashes[input.name] = h
                    } else {
                        complete = false
                        reasons.append("input stage '\(id)' will run first")
                    }
                case .file(_, let absolute):
                    do {
                        hashes[input.name] = try StageKey.fileHash(of: input, at: absolute, statCache: statCache)
                    } catch let e as FileError where !e.isNotFound {
                        complete = false
                        reasons.append("input unreadable: \(e)")
                    } catch {
                        complete = false
                        reasons.append("input missing: \(Paths.display(absolute))")
                    }
                }
            }
            var environment: [String: String] = [:]
            do {
                environment = try StageKey.environment(of: stage)
            } catch {
                complete = false
                reasons.append("\(StageError.of(error, stage: stage.id))")
            }
            var state = StageStatus.State.stale
            let failure = store.failure(forStage: stage.id)
            if complete {
                let key = StageKey.compute(
                    kind: stage.kind, parameters: stage.parameters, inputHashes: hashes, environment: environment)
                if let failure, failure.key == key, !force.contains(stage.id) {
                    state = .failed
                    reasons = [failure.message]
                } else if let entry = store.action(forKey: key), entry.objectHashes.allSatisfy(store.contains) {
                    let fileProblems = outputProblems(entry, statCache: statCache)
                    if force.contains(stage.id) {
                        reasons.append("forced (--force)")
                    } else if let skip = entry.skip {
                        skippedBy[stage.id] = stage.id
                        state = .skipped
                        reasons =
                            [StageSkip.replay(skip.message, madeWith: skip.displayPaths, now: stage.fileDisplayPaths)]
                            + earlierOutputs(of: stage, record: record, store: store, statCache: statCache).map {
                                "earlier output \(Paths.display(outputPath($0))) will be removed"
                            }
                    } else {
                        known[stage.id] = entry.artifactHash
                        state = fileProblems.isEmpty ? .upToDate : .restore
                        reasons = fileProblems
                    }
                } else if let remote, !force.contains(stage.id),
                    let entry = remote.peek(
                        key: StageKey.remote(
                            kind: stage.kind, parameters: stage.parameters, inputHashes: hashes,
                            environment: environment)), entry.fits(stage)
                {
                    if let skip = entry.skip {
                        skippedBy[stage.id] = stage.id
                        state = .skipped
                        reasons = [
                            StageSkip.replay(skip.message, madeWith: skip.displayPaths, now: stage.fileDisplayPaths)
                        ]
                    } else {
                        known[stage.id] = entry.artifactHash
                        state = .remote
                        reasons = ["in the remote cache"]
                    }
                } else {
                    reasons += changes(stage, since: record, hashes: hashes, environment: environment)
                    if record?.key == key { reasons.append("its output is no longer in the cache") }
                }
            } else if let failure, failure.key.isEmpty, reasons.allSatisfy({ $0.hasPrefix("input unreadable") }) {
                // It failed before its key could be made (an input could not be read), and still would.
                state = .failed
                reasons = [failure.message]
            } else {
                reasons += changes(stage, since: record, hashes: hashes, environment: environment).filter {
                    !$0.hasPrefix("input changed: stage")
                }
            }
            if state == .stale && reasons.isEmpty { reasons.append("not in the cache") }
            out.append(StageStatus(id: stage.id, kind: stage.kind.name, state: state, reasons: reasons))
        }
        return out
    }

    /// Output files that are missing or differ from the cached ones.
    func outputProblems(_ entry: ActionEntry, statCache: StatCache) -> [String] {
        var problems: [String] = []
        for path in entry.files.keys.sorted() {
            let absolute = outputPath(path)
            guard FileStat.of(absolute)?.isRegular == true else {
                problems.append("output missing: \(Paths.display(absolute))")
                continue
            }
            if let cached = entry.files[path], !statCache.fileMatches(absolute, hash: cached) {
                problems.append("output modified: \(Paths.display(absolute))")
            }
        }
        return problems
    }

    /// `2cf24dba → 486ea462`: the first 8 hex digits of the content hashes
    /// before and after (`absent` for an optional file that was not there).
    static func shortHashes(_ old: String?, _ new: String) -> String {
        func short(_ h: String?) -> String {
            guard let h, !h.isEmpty else { return "(none)" }
            return h == StageKey.absentFile ? "absent" : String(h.prefix(8))
        }
        return "sha256 \(short(old)) → \(short(new))"
    }

    /// What differs between the stage now and its last recorded run.
    func changes(
        _ stage: ResolvedStage, since record: StageRecord?, hashes: [String: String], environment: [String: String]
    ) -> [String] {
        guard let record else { return ["never run"] }
        var inputs: [String: StageRecord.Input] = [:]
        var shown: [String: String] = [:]  // source label → how status shows it
        for input in stage.inputs {
            let label = StageKey.sourceLabel(input.source)
            inputs[input.name] = StageRecord.Input(source: label, hash: hashes[input.name] ?? "")
            if case .file(_, let absolute) = input.source { shown[label] = Paths.display(absolute) }
        }
        let now = StageRecord(
            id: stage.id, key: "", kind: stage.kind.name, version: stage.kind.version,
            parameters: stage.parameters.values, inputs: inputs, environment: environment)
        return now.changes(since: record) { shown[$0] }
    }
}

extension StageRecord {
    /// What differs between `old` and this record, as `figpipe status` says
    /// it: kind or version, params (`n_boot 1000 → 2000`), inputs (a file's
    /// content hashes, or what an input now is), environment. An input whose
    /// hash is empty here is not known yet and is not compared. `display`
    /// names a file input's source label (`file:<path>`) for people; by
    /// default the path after `file:`.
    public func changes(since old: StageRecord, display: (String) -> String? = { _ in nil }) -> [String] {
        var reasons: [String] = []
        if old.kind != kind {
            reasons.append("kind changed: \(old.kind) → \(kind)")
        } else if old.version != version {
            reasons.append("kind version changed: \(old.version) → \(version)")
        }
        for name in Set(parameters.keys).union(old.parameters.keys).sorted()
        where parameters[name] != old.parameters[name] {
            let before = old.parameters[name].map(\.description) ?? "(none)"
            let after = parameters[name].map(\.description) ?? "(none)"
            reasons.append("params changed: \(name) \(before) → \(after)")
        }
        for name in inputs.keys.sorted() {
            guard let input = inputs[name] else { continue }
            let previous = old.inputs[name]
            let isStage = input.source.hasPrefix("stage:")
            let what =
                isStage
                ? "stage '\(input.source.dropFirst("stage:".count))'"
                : display(input.source) ?? String(input.source.dropFirst("file:".count))
            if previous?.source != input.source {
                reasons.append("input changed: inputs.\(name) is now \(what)")
            } else if !input.hash.isEmpty, input.hash != previous?.hash {
                let hashes = PipelineDefinition.shortHashes(previous?.hash, input.hash)
                reasons.append("input changed: \(what)\(isStage ? " output" : "") (\(hashes))")
            }
        }
        for name in old.inputs.keys.sorted() where inputs[name] == nil {
            reasons.append("input removed: inputs.\(name)")
        }
        for name in Set(environment.keys).union(old.environment.keys).sorted()
        where environment[name] != old.environment[name] {
            let before = old.environment[name] ?? "(none)"
            reasons.append("environment changed: \(name) \(before) → \(environment[name] ?? "(none)")")
        }
        return reasons
    }
}
