import FigpipeBasics
import Foundation
import Pipeline

/// What the cache of one side knows about how its output files were made:
/// each file's stage, and each stage's last key record.
public struct StageRecords: Sendable {
    public var records: [String: StageRecord]
    /// Output path (relative to the output root) → the stage that wrote it.
    public var writers: [String: String]

    public init(records: [String: StageRecord], writers: [String: String]) {
        self.records = records
        self.writers = writers
    }

    /// Reads the records of `store` (its `stages/` folder) and the files
    /// each record's cached result put in the output root.
    public static func read(_ store: Store) -> StageRecords {
        var records: [String: StageRecord] = [:]
        var writers: [String: String] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.stagesDirectory)) ?? []
        for name in names.sorted() where name.hasSuffix(".json") {
            let id = String(name.dropLast(".json".count))
            guard let record = store.record(forStage: id) else { continue }
            records[id] = record
            for path in store.action(forKey: record.key)?.files.keys.sorted() ?? [] { writers[path] = id }
        }
        return StageRecords(records: records, writers: writers)
    }
}

/// Why one stage's key differs between the two sides.
public struct StageKeyChange: Sendable, Equatable {
    public var stage: String
    /// As `figpipe status` says it: `params changed: n_boot 1000 → 2000`.
    public var reasons: [String]

    public var json: JSONValue { ["stage": .string(stage), "reasons": .array(reasons.map { .string($0) })] }
}

public enum StageKeyDiff {
    /// Why the output at `path` differs: the reasons of the stage that wrote it
    /// and, through every input stage whose output changed, of the stages
    /// upstream, so a figure changed by a fit's parameter names that
    /// parameter. Empty when either side has no stage records, or neither knows the file's stage.
    public static func why(_ path: String, base: StageRecords, head: StageRecords) -> [StageKeyChange] {
        guard !base.records.isEmpty, !head.records.isEmpty, let id = head.writers[path] ?? base.writers[path] else {
            return []
        }
        var out: [StageKeyChange] = []
        var seen = Set<String>()
        var queue = [id]
        while let stage = queue.first {
            queue.removeFirst()
            guard seen.insert(stage).inserted, let new = head.records[stage] else { continue }
            guard let old = base.records[stage] else {
                out.append(StageKeyChange(stage: stage, reasons: ["new stage"]))
                continue
            }
            if old.key == new.key {
                if stage == id { out.append(StageKeyChange(stage: stage, reasons: ["stage key unchanged"])) }
                continue
            }
            out.append(StageKeyChange(stage: stage, reasons: new.changes(since: old)))
            for name in new.inputs.keys.sorted() {
                guard let input = new.inputs[name], input.source.hasPrefix("stage:"),
                    old.inputs[name]?.source == input.source, old.inputs[name]?.hash != input.hash
                else { continue }
                queue.append(String(input.source.dropFirst("stage:".count)))
            }
        }
        return out
    }

    /// The reasons that are causes, not consequences: those other than an
    /// input stage's changed output (whose own reasons are listed too), each
    /// as `stage: reason`. All of them when nothing else is left.
    public static func causes(_ why: [StageKeyChange]) -> [String] {
        let all = why.flatMap { w in w.reasons.map { (w.stage, $0) } }
        let causes = all.filter { !$0.1.hasPrefix("input changed: stage '") }
        return (causes.isEmpty ? all : causes).map { "\($0.0): \($0.1)" }
    }
}
