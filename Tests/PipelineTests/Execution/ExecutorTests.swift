import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// a.txt → a → ua ─┐
///                 ├→ cat → fig (out/fig/cat.txt)
/// b.txt → b → ub ─┘
private func diamond(_ p: Project, separator: String = "+", repeatCount: Int = 1) throws {
    try p.writeData("a.txt", "alpha")
    try p.writeData("b.txt", "beta")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("b", "test.source", inputs: ["file": "b.txt"]),
        stage("ua", "test.upper", inputs: ["in": "a"]),
        stage("ub", "test.upper", inputs: ["in": "b"]),
        stage(
            "cat", "test.concat", params: ["separator": .string(separator), "repeat": .int(repeatCount)],
            inputs: ["a": "ua", "b": "ub"]),
        stage("fig", "test.render", params: ["path": "fig/cat.txt"], inputs: ["in": "cat"]),
    ])
}

private let diamondIDs: Set<String> = ["a", "b", "ua", "ub", "cat", "fig"]

private func counts(_ p: Project, _ ids: [String]) -> [Int] { ids.map { p.log.count($0) } }

@Suite struct Incremental {
    @Test func firstRunRunsEverythingSecondRunNothing() throws {
        let p = Project()
        try diamond(p)
        let first = try p.run()
        #expect(first.ranIDs == diamondIDs)
        #expect(first.failed == 0)
        #expect(first.order == ["a", "b", "ua", "ub", "cat", "fig"])
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        #expect(p.log.total == 6)

        let second = try p.run()
        #expect(second.cachedIDs == diamondIDs)
        #expect(second.ran == 0)
        #expect(p.log.total == 6)
        #expect(second.restored("fig") == [])
        #expect(second.line.hasPrefix("6 cached, 0 ran, 0 failed in "))
    }

    @Test func onlyChangedStagesRerun() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        try p.writeData("b.txt", "gamma")
        let summary = try p.run()
        #expect(summary.ranIDs == ["b", "ub", "cat", "fig"])
        #expect(summary.cachedIDs == ["a", "ua"])
        #expect(counts(p, ["a", "ua", "b", "ub", "cat", "fig"]) == [1, 1, 2, 2, 2, 2])
        #expect(p.output("fig/cat.txt") == "ALPHA+GAMMA")

        // A parameter change reruns that stage and what reads it.
        try diamond(p, separator: "-")
        try p.writeData("b.txt", "gamma")
        let third = try p.run()
        #expect(third.ranIDs == ["cat", "fig"])
        #expect(p.output("fig/cat.txt") == "ALPHA-GAMMA")

        // Going back to earlier inputs finds everything in the cache.
        try diamond(p)
        let fourth = try p.run()
        #expect(fourth.ran == 0)
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        #expect(fourth.restored("fig") == ["fig/cat.txt"])
        #expect(counts(p, ["a", "ua", "b", "ub", "cat", "fig"]) == [1, 1, 2, 2, 3, 3])
    }

    @Test func equivalentParameterSpellingsShareTheCache() throws {
        let p = Project()
        try p.writeData("a.txt", "x")
        func write(scale: JSONValue) throws {
            try p.writePipeline([
                stage("a", "test.source", inputs: ["file": "a.txt"]),
                stage("c", "test.concat", params: ["scale": scale, "tags": []], inputs: ["a": "a"]),
            ])
        }
        try write(scale: 1)
        try p.run()
        try write(scale: 1.0)  // the default, written out, as a double
        #expect(try p.run().ran == 0)
        try write(scale: 2)
        #expect(try p.run().ranIDs == ["c"])
    }

    /// A stage that reruns and yields the same bytes does not rerun its dependents.
    @Test func earlyCutoff() throws {
        let p = Project()
        try p.writeData("a.txt", "hello")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("len", "test.length", inputs: ["in": "a"]),
            stage("up", "test.upper", inputs: ["in": "len"]),
            stage("fig", "test.render", params: ["path": "len.txt"], inputs: ["in": "up"]),
        ])
        try p.run()
        try p.writeData("a.txt", "world")  // another text of the same length
        let summary = try p.run()
        #expect(summary.ranIDs == ["a", "len"])
        #expect(summary.cachedIDs == ["up", "fig"])
        #expect(counts(p, ["a", "len", "up", "fig"]) == [2, 2, 1, 1])
        #expect(p.output("len.txt") == "5")
        // A --force rerun of an unchanged stage is cut off the same way.
        let forced = try p.run(force: ["a"])
        #expect(forced.ranIDs == ["a"])
        #expect(counts(p, ["a", "len", "up", "fig"]) == [3, 2, 1, 1])
    }

    @Test func forceRerunsEvenWhenCached() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let summary = try p.run(force: ["cat", "fig"])
        #expect(summary.ranIDs == ["cat", "fig"])
        #expect(counts(p, ["a", "ua", "cat", "fig"]) == [1, 1, 2, 2])
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
    }

    @Test func targetsRunOnlyWhatTheyRead() throws {
        let p = Project()
        try diamond(p)
        let summary = try p.run(targets: ["ua"])
        #expect(summary.ranIDs == ["a", "ua"])
        #expect(summary.order == ["a", "ua"])
        #expect(!p.dir.exists("out/fig/cat.txt"))
        #expect(try p.run().ranIDs == ["b", "ub", "cat", "fig"])
    }

    /// The stat cache persists between runs: an input whose size, mtime and
    /// inode are unchanged is not re-read (git's tradeoff, documented), and a
    /// changed mtime makes it re-hashed.
    @Test func statCacheCarriesOverBetweenRuns() throws {
        let p = Project()
        try diamond(p)
        let past = Int(Date().timeIntervalSince1970) - 3600
        setModificationTime(p.dataPath("a.txt"), seconds: past, nanoseconds: 5)
        try p.run()
        overwriteInPlace(p.dataPath("a.txt"), Array("omega".utf8))  // same size
        setModificationTime(p.dataPath("a.txt"), seconds: past, nanoseconds: 5)
        #expect(try p.run().ran == 0)
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        setModificationTime(p.dataPath("a.txt"), seconds: past, nanoseconds: 6)
        #expect(try p.run().ranIDs == ["a", "ua", "cat", "fig"])
        #expect(p.output("fig/cat.txt") == "OMEGA+BETA")
    }

    @Test func optionalFileAppearing() throws {
        let p = Project()
        try p.writePipeline([
            stage("o", "test.optional-file", inputs: ["file": "maybe.txt"]),
            stage("fig", "test.render", params: ["path": "o.txt"], inputs: ["in": "o"]),
        ])
        try p.run()
        #expect(p.output("o.txt") == "(absent)")
        #expect(try p.run().ran == 0)
        try p.writeData("maybe.txt", "here")
        #expect(try p.run().ranIDs == ["o", "fig"])
        #expect(p.output("o.txt") == "here")
    }
}

@Suite struct CacheIntegrity {
    /// A corrupt artifact object is found when a stage reads it, and its producer
    /// runs again: the reader gets the right bytes, never the junk.
    @Test(arguments: ["junk", "ALPHA junk that is longer than the artifact"])
    func corruptArtifactIsRebuiltOnRead(_ junk: String) throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let ua = try #require(p.entry(of: "ua"))
        overwriteInPlace(p.store.objectPath(ua.artifactHash), Array(junk.utf8))
        // cat must read ua's artifact again: change its parameter.
        try diamond(p, separator: "/")
        let observer = RecordingObserver()
        let summary = try p.run(observer: observer)
        #expect(p.output("fig/cat.txt") == "ALPHA/BETA")
        #expect(summary.ranIDs == ["ua", "cat", "fig"])
        #expect(counts(p, ["a", "ua", "ub", "cat", "fig"]) == [1, 2, 1, 2, 2])
        #expect(observer.notes.contains { $0.id == "ua" && $0.message.contains("corrupt") })
        #expect(p.store.get(ua.artifactHash) != nil)
        #expect(summary.failed == 0)
    }

    /// An output file's object that is corrupt cannot restore the file: the
    /// stage runs again and the file gets the right bytes.
    @Test(arguments: ["x", "alpha+beta"])  // other bytes of another size, and of the same size
    func corruptOutputObjectIsRebuilt(_ junk: String) throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let fig = try #require(p.entry(of: "fig"))
        let fileHash = try #require(fig.files["fig/cat.txt"])
        overwriteInPlace(p.store.objectPath(fileHash), Array(junk.utf8))
        try FileManager.default.removeItem(atPath: p.outputPath("fig/cat.txt"))
        let summary = try p.run()
        #expect(summary.ranIDs == ["fig"])
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        #expect(p.store.get(fileHash) == Array("ALPHA+BETA".utf8))
        #expect(counts(p, ["cat", "fig"]) == [1, 2])
    }

    @Test func missingObjectIsACacheMiss() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let cat = try #require(p.entry(of: "cat"))
        try FileManager.default.removeItem(atPath: p.store.objectPath(cat.artifactHash))
        let summary = try p.run()
        #expect(summary.ranIDs == ["cat"])  // and its bytes are the same, so fig is cut off
        #expect(p.store.get(cat.artifactHash) != nil)
        #expect(counts(p, ["ua", "cat", "fig"]) == [1, 2, 1])
    }

    /// Every object in the store is named by the SHA-256 of its bytes.
    @Test func everyObjectIsNamedByItsHash() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let objects = p.store.objects()
        #expect(objects.count == 7)  // 5 text artifacts, fig's manifest, fig's file
        for (hash, _) in objects {
            let bytes = try FileIO.read(p.store.objectPath(hash))
            #expect(Digest.sha256(bytes) == hash)
        }
        #expect(p.dir.files(under: ".figpipe").allSatisfy { !$0.contains(AtomicWriter.marker) })
    }
}

@Suite struct OutputRestore {
    @Test func deletedOutputIsRestoredWithoutRerunning() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        try FileManager.default.removeItem(atPath: p.outputPath("fig/cat.txt"))
        let summary = try p.run()
        #expect(summary.restored("fig") == ["fig/cat.txt"])
        #expect(summary.ran == 0)
        #expect(p.log.total == 6)
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
    }

    @Test func deletedOutputFolderIsRestored() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        try FileManager.default.removeItem(atPath: p.dir.file("out"))
        let summary = try p.run()
        #expect(summary.restored("fig") == ["fig/cat.txt"])
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        #expect(p.log.total == 6)
    }

    @Test(arguments: ["edited by hand", "ALPHA-BETA", ""])
    func editedOutputIsRestoredWithoutRerunning(_ edit: String) throws {
        let p = Project()
        try diamond(p)
        try p.run()
        overwriteInPlace(p.outputPath("fig/cat.txt"), Array(edit.utf8))
        let summary = try p.run()
        #expect(summary.restored("fig") == ["fig/cat.txt"])
        #expect(p.log.total == 6)
        #expect(p.output("fig/cat.txt") == "ALPHA+BETA")
        #expect(try p.run().restored("fig") == [])
    }
}

@Suite struct KeepGoing {
    /// a → bad (fails) → after → fig1;  a → ok → fig2;  c (independent)
    @Test(arguments: [1, 4])
    func aFailureFailsOnlyItsDependents(jobs: Int) throws {
        let p = Project()
        try p.writeData("a.txt", "a")
        try p.writeData("c.txt", "c")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("bad", "test.fail", params: ["message": "it broke\nsecond line"], inputs: ["in": "a"]),
            stage("after", "test.upper", inputs: ["in": "bad"]),
            stage("fig1", "test.render", params: ["path": "1.txt"], inputs: ["in": "after"]),
            stage("ok", "test.upper", inputs: ["in": "a"]),
            stage("fig2", "test.render", params: ["path": "2.txt"], inputs: ["in": "ok"]),
            stage("c", "test.source", inputs: ["file": "c.txt"]),
            stage("bad2", "test.fail", inputs: ["in": "c"]),
        ])
        let summary = try p.run(jobs: jobs)
        #expect(summary.failedIDs == ["bad", "after", "fig1", "bad2"])
        #expect(summary.ranIDs == ["a", "ok", "fig2", "c"])
        #expect(summary.failures.map(\.id) == ["bad", "after", "fig1", "bad2"])
        #expect(
            summary.failures.map(\.message) == [
                "it broke\nsecond line", "not run: input stage 'bad' failed", "not run: input stage 'bad' failed",
                "deliberate failure",
            ])
        #expect(summary.line.hasPrefix("0 cached, 4 ran, 4 failed in "))
        #expect(p.output("2.txt") == "A")
        #expect(!p.dir.exists("out/1.txt"))
        #expect(counts(p, ["after", "fig1"]) == [0, 0])
        // Failures are not cached: the next run tries again, the rest is cached.
        let again = try p.run(jobs: jobs)
        #expect(again.cachedIDs == ["a", "ok", "fig2", "c"])
        #expect(again.failedIDs == ["bad", "after", "fig1", "bad2"])
        #expect(counts(p, ["bad", "bad2", "ok"]) == [2, 2, 1])
    }
}

@Suite struct Determinism {
    private func wide(_ p: Project) throws {
        var stages: [JSONValue] = []
        for n in 0..<8 {
            try p.writeData("in/\(n).txt", "text number \(n) " + String(repeating: "\(n)", count: n * 10))
            stages.append(
                stage("s\(n)", "test.source", params: ["suffix": .string("#\(n)")], inputs: ["file": "in/\(n).txt"]))
            stages.append(stage("u\(n)", "test.upper", inputs: ["in": "s\(n)"]))
            stages.append(stage("l\(n)", "test.length", inputs: ["in": "u\(n)"]))
            stages.append(
                stage(
                    "r\(n)", "test.render", params: ["path": .string("figs/\(n % 3)/u\(n).txt")],
                    inputs: ["in": "u\(n)"]))
        }
        for n in 0..<7 {
            stages.append(
                stage(
                    "c\(n)", "test.concat", params: ["repeat": .int(n % 3 + 1)],
                    inputs: ["a": "u\(n)", "b": "l\(n + 1)"]))
            stages.append(
                stage("rc\(n)", "test.render", params: ["path": .string("cat/\(n).txt")], inputs: ["in": "c\(n)"]))
        }
        try p.writePipeline(stages)
    }

    /// `--jobs 1` and `--jobs 4` write the same bytes and the same cache objects.
    @Test func jobsOneAndFourGiveIdenticalBytes() throws {
        let one = Project()
        let four = Project()
        try wide(one)
        try wide(four)
        let s1 = try one.run(jobs: 1)
        let s4 = try four.run(jobs: 4)
        #expect(s1.failed == 0 && s4.failed == 0)
        #expect(s1.ran == s4.ran)
        let files = one.dir.files(under: "out")
        #expect(files.count == 15)
        #expect(files == four.dir.files(under: "out"))
        for f in files {
            #expect(try FileIO.read(one.outputPath(f)) == FileIO.read(four.outputPath(f)), "\(f)")
        }
        #expect(one.objectNames() == four.objectNames())
        #expect(Set(one.store.actionKeys()) == Set(four.store.actionKeys()))
        for id in s1.order {
            #expect(one.store.record(forStage: id) == four.store.record(forStage: id), "\(id)")
        }
    }
}

@Suite struct StatusReasons {
    @Test func neverRun() throws {
        let p = Project()
        try diamond(p)
        let s = try p.status()
        #expect(s["a"]?.state == .stale)
        #expect(s["a"]?.reasons == ["never run"])
        #expect(s["ua"]?.reasons == ["input stage 'a' will run first", "never run"])
        #expect(s["fig"]?.kind == "test.render")
        // status runs nothing and writes nothing.
        #expect(p.log.total == 0)
        #expect(!p.dir.exists(".figpipe"))
    }

    @Test func upToDate() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        for (_, s) in try p.status() {
            #expect(s.state == .upToDate)
            #expect(s.reasons == [])
        }
        #expect(try p.status()["a"]?.json == ["id": "a", "kind": "test.source", "state": "up to date", "reasons": []])
    }

    @Test func paramsChanged() throws {
        let p = Project()
        try diamond(p, repeatCount: 1)
        try p.run()
        try diamond(p, separator: "&", repeatCount: 2)
        let s = try p.status()
        #expect(s["cat"]?.state == .stale)
        #expect(s["cat"]?.reasons == ["params changed: repeat 1 → 2", #"params changed: separator "+" → "&""#])
        #expect(s["fig"]?.reasons == ["input stage 'cat' will run first"])
        #expect(s["a"]?.state == .upToDate)
    }

    @Test func inputChanged() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        try p.writeData("a.txt", "changed")
        let s = try p.status()
        let hashes = "sha256 \(Digest.sha256(Array("alpha".utf8)).prefix(8)) → \(Digest.sha256(Array("changed".utf8)).prefix(8))"
        #expect(s["a"]?.reasons == ["input changed: \(Paths.display(p.dataPath("a.txt"))) (\(hashes))"])
        #expect(s["ua"]?.reasons == ["input stage 'a' will run first"])
        #expect(s["b"]?.state == .upToDate)
        // After a run that rebuilt ua with new bytes, the record says which input changed.
        try p.run()
        #expect(try p.status().values.allSatisfy { $0.state == .upToDate })
    }

    @Test func inputStageOutputChanged() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        // Rebuild a with new bytes but only up to a (ua keeps its old record).
        try p.writeData("a.txt", "new")
        try p.run(targets: ["a"])
        let s = try p.status()
        let reasons = try #require(s["ua"]?.reasons)
        #expect(reasons.count == 1)
        #expect(reasons.first?.hasPrefix("input changed: stage 'a' output (sha256 ") == true)
    }

    @Test func kindVersionChanged() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        var upper = try #require(p.registry["test.upper"])
        upper.version = 2
        p.registry.register(upper)
        let s = try p.status()
        #expect(s["ua"]?.reasons == ["kind version changed: 1 → 2"])
        #expect(s["ub"]?.reasons == ["kind version changed: 1 → 2"])
        #expect(s["a"]?.state == .upToDate)
        let summary = try p.run()
        #expect(summary.ranIDs == ["ua", "ub"])  // same bytes: cat and fig are cut off
    }

    @Test func outputMissingAndModified() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        try FileManager.default.removeItem(atPath: p.outputPath("fig/cat.txt"))
        var s = try p.status()
        #expect(s["fig"]?.state == .restore)
        #expect(s["fig"]?.reasons == ["output missing: \(Paths.display(p.outputPath("fig/cat.txt")))"])
        try p.dir.write("out/fig/cat.txt", "edited")
        s = try p.status()
        #expect(s["fig"]?.state == .restore)
        #expect(s["fig"]?.reasons == ["output modified: \(Paths.display(p.outputPath("fig/cat.txt")))"])
    }

    @Test func forcedAndNoLongerCached() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        #expect(try p.status(force: ["cat"])["cat"]?.reasons == ["forced (--force)"])
        let record = try #require(p.store.record(forStage: "cat"))
        p.store.removeAction(record.key)
        let s = try p.status()
        #expect(s["cat"]?.state == .stale)
        #expect(s["cat"]?.reasons == ["its output is no longer in the cache"])
    }
}

@Suite struct GarbageCollection {
    @Test func gcRemovesWhatOldParametersMadeAndKeepsTheRest() throws {
        let p = Project()
        try diamond(p, repeatCount: 1)
        try p.run()
        let oldCat = try #require(p.entry(of: "cat"))
        let oldFig = try #require(p.entry(of: "fig"))
        let oldCatKey = try #require(p.store.record(forStage: "cat")).key
        try diamond(p, repeatCount: 2)
        try p.run()
        #expect(p.output("fig/cat.txt") == "ALPHAALPHA+BETA")
        let liveBefore = Set(diamondIDs.compactMap { p.entry(of: $0) }.flatMap(\.objectHashes))
        #expect(p.objectNames().isSuperset(of: [oldCat.artifactHash] + oldFig.objectHashes))

        // A record of a stage no longer in the pipeline goes too.
        try p.store.putRecord(
            StageRecord(id: "gone", key: oldCatKey, kind: "test.upper", version: 1, parameters: [:], inputs: [:]))
        let report = p.store.collectGarbage(for: try p.load())
        #expect(report.objects == 3)  // old cat artifact, old fig manifest, old fig file
        #expect(report.actions == 2)
        #expect(report.records == 1)
        #expect(report.bytes > 0)
        #expect(p.objectNames() == liveBefore)
        #expect(!p.store.contains(oldCat.artifactHash))
        #expect(oldFig.objectHashes.allSatisfy { !p.store.contains($0) })
        #expect(p.store.action(forKey: oldCatKey) == nil)
        #expect(p.store.record(forStage: "gone") == nil)

        let total = p.log.total
        let next = try p.run()
        #expect(next.cachedIDs == diamondIDs)
        #expect(p.log.total == total)
        #expect(p.output("fig/cat.txt") == "ALPHAALPHA+BETA")
        // Going back to the old parameter must run again.
        try diamond(p, repeatCount: 1)
        #expect(try p.run().ranIDs == ["cat", "fig"])
    }

    @Test func gcOnACurrentCacheRemovesNothing() throws {
        let p = Project()
        try diamond(p)
        try p.run()
        let before = p.objectNames()
        let report = p.store.collectGarbage(for: try p.load())
        #expect([report.objects, report.actions, report.records] == [0, 0, 0] as [Int])
        #expect(p.objectNames() == before)
    }
}

@Suite struct ListInputRuns {
    @Test func aListInputSeesItsStagesInOrderAndRerunsWhenOneChanges() throws {
        let p = Project()
        try p.writeData("a.txt", "alpha")
        try p.writeData("b.txt", "beta")
        try p.writePipeline([
            stage("src.a", "test.source", inputs: ["file": "a.txt"]),
            stage("src.b", "test.source", inputs: ["file": "b.txt"]),
            stage("all", "test.join-all", lists: ["parts": ["src.*"]]),
            stage("fig", "test.render", params: ["path": "all.txt"], inputs: ["in": "all"]),
        ])
        let first = try p.run()
        #expect(first.ranIDs == ["src.a", "src.b", "all", "fig"])
        #expect(p.output("all.txt") == "alpha,beta")
        try p.writeData("b.txt", "gamma")
        let second = try p.run()
        #expect(second.ranIDs == ["src.b", "all", "fig"])
        #expect(p.output("all.txt") == "alpha,gamma")
    }
}
