import FigpipeBasics
import Foundation

/// What `figpipe gc` removed.
public struct GarbageReport: Sendable, Equatable {
    public var actions = 0
    public var records = 0
    public var objects = 0
    public var bytes: Int64 = 0
}

extension Store {
    /// Keeps what the stages of `pipeline` last produced (their records, the
    /// action entries of their current keys, the objects those name) and
    /// removes every other action entry, record and object.
    public func collectGarbage(for pipeline: PipelineDefinition) -> GarbageReport {
        var report = GarbageReport()
        var liveKeys = Set<String>()
        for stage in pipeline.stages {
            if let record = record(forStage: stage.id) { liveKeys.insert(record.key) }
        }
        let recordNames = (try? FileManager.default.contentsOfDirectory(atPath: stagesDirectory)) ?? []
        for name in recordNames where name.hasSuffix(".json") && pipeline[String(name.dropLast(5))] == nil {
            removeRecord(forStage: String(name.dropLast(5)))
            report.records += 1
        }
        var liveObjects = Set<String>()
        for id in failedStageIDs() where pipeline[id] != nil {
            liveObjects.formUnion(failure(forStage: id)?.logs?.hashes ?? [])
        }
        for key in actionKeys() {
            if liveKeys.contains(key), let entry = action(forKey: key) {
                liveObjects.formUnion(entry.objectHashes + (entry.logs?.hashes ?? []))
            } else {
                removeAction(key)
                report.actions += 1
            }
        }
        for (hash, size) in objects() where !liveObjects.contains(hash) {
            removeObject(hash)
            report.objects += 1
            report.bytes += size
        }
        return report
    }

    /// Removes everything in the cache folder but the lock file.
    public func removeAll() throws {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where name != "lock" {
            do {
                try fm.removeItem(atPath: root + "/" + name)
            } catch {
                throw FileError(path: root + "/" + name, operation: "remove", errno: EACCES)
            }
        }
    }
}
