import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// opt.txt (optional) → gate (test.skip) → up → fig (out/gate.txt)
///                                      ├→ cat.b (optional input) ← a
///                     [a, gate, up] → all (list input) → allfig (out/all.txt)
/// a.txt → a → okfig (out/a.txt)
private func gated(_ p: Project) throws {
    try p.writeData("a.txt", "a")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("gate", "test.skip", inputs: ["file": "opt.txt"]),
        stage("up", "test.upper", inputs: ["in": "gate"]),
        stage("fig", "test.render", params: ["path": "gate.txt"], inputs: ["in": "up"]),
        stage("cat", "test.concat", inputs: ["a": "a", "b": "gate"]),
        stage("all", "test.join-all", lists: ["parts": ["a", "gate", "up"]]),
        stage("allfig", "test.render", params: ["path": "all.txt"], inputs: ["in": "all"]),
        stage("okfig", "test.render", params: ["path": "a.txt"], inputs: ["in": "a"]),
    ])
}

private extension RunSummary {
    var skippedIDs: Set<String> { ids(where: \.isSkipped) }

    func skip(_ id: String) -> StageSkip? {
        if case .skipped(let s)? = outcomes[id] { return s }
        return nil
    }
}

@Suite struct SkippedStages {
    @Test(arguments: [1, 4])
    func aSkipSkipsWhatNeedsItAndEverythingElseFinishes(jobs: Int) throws {
        let p = Project()
        try gated(p)
        let summary = try p.run(jobs: jobs)
        #expect(summary.failed == 0)
        #expect(summary.skippedIDs == ["gate", "up", "fig"])
        #expect(summary.ranIDs == ["a", "cat", "all", "allfig", "okfig"])
        let gate = try #require(summary.skip("gate"))
        #expect(gate.message == "file not found at \(Paths.display(p.dataPath("opt.txt"))) — skipping")
        #expect(gate.origin == "gate" && !gate.cached && gate.removed.isEmpty)
        // Dependents name the stage whose skip they inherit, and never ran.
        #expect(summary.skip("up")?.message == "input stage 'gate' skipped")
        #expect(summary.skip("fig")?.message == "input stage 'gate' skipped")
        #expect(summary.skip("fig")?.origin == "gate")
        #expect(p.log.count("up") == 0 && p.log.count("fig") == 0)
        #expect(summary.skips.map(\.id) == ["gate", "up", "fig"])
        #expect(summary.line.hasPrefix("0 cached, 5 ran, 3 skipped, 0 failed in "))
        // Nothing is written for skipped stages; an optional input and a list leave them out.
        #expect(!p.dir.exists("out/gate.txt"))
        #expect(p.output("a.txt") == "a")
        #expect(p.output("all.txt") == "a")
        #expect(p.entry(of: "up") == nil && p.entry(of: "fig") == nil)
    }

    @Test func aSkipIsCachedUnderTheStageKey() throws {
        let p = Project()
        try gated(p)
        try p.run()
        let second = try p.run()
        #expect(second.skippedIDs == ["gate", "up", "fig"])
        #expect(second.cachedIDs == ["a", "cat", "all", "allfig", "okfig"])
        #expect(second.skip("gate")?.cached == true)
        #expect(second.skip("gate")?.message.hasPrefix("file not found at ") == true)
        #expect(p.log.count("gate") == 1)
        #expect(second.line.hasPrefix("5 cached, 0 ran, 3 skipped, 0 failed in "))
        // --force runs the stage again (and it skips again).
        let forced = try p.run(force: ["gate"])
        #expect(forced.skip("gate")?.cached == false)
        #expect(p.log.count("gate") == 2)
    }

    @Test func whenTheFileAppearsEverythingRunsAndWhenItGoesTheOutputsGoToo() throws {
        let p = Project()
        try gated(p)
        try p.run()
        try p.writeData("opt.txt", "hello")
        let present = try p.run()
        #expect(present.skipped == 0 && present.failed == 0)
        #expect(present.ranIDs == ["gate", "up", "fig", "cat", "all", "allfig"])
        #expect(p.output("gate.txt") == "HELLO")
        #expect(p.output("all.txt") == "a,hello,HELLO")
        #expect(present.line.hasPrefix("2 cached, 6 ran, 0 failed in "))

        // The optional cache is deleted: a fresh run would not write gate.txt, so it goes.
        try FileManager.default.removeItem(atPath: p.dataPath("opt.txt"))
        let gone = try p.run()
        #expect(gone.skippedIDs == ["gate", "up", "fig"])
        #expect(gone.skip("fig")?.removed == ["gate.txt"])
        #expect(!p.dir.exists("out/gate.txt"))
        // The list and the optional input are back to their first-run keys: cached.
        #expect(gone.cachedIDs == ["a", "cat", "all", "allfig", "okfig"])
        #expect(p.output("all.txt") == "a")

        // And back: the stages' earlier results come from the cache.
        try p.writeData("opt.txt", "hello")
        let back = try p.run()
        #expect(back.ran == 0 && back.skipped == 0)
        #expect(back.restored("fig") == ["gate.txt"])
        #expect(p.output("gate.txt") == "HELLO")
    }

    @Test func anOutputEditedByHandIsNotRemoved() throws {
        let p = Project()
        try gated(p)
        try p.writeData("opt.txt", "hello")
        try p.run()
        try p.dir.write("out/gate.txt", "mine now")
        try p.writeData("opt.txt", "")
        let summary = try p.run()
        #expect(summary.skip("gate")?.message == "file \(Paths.display(p.dataPath("opt.txt"))) is empty — skipping")
        #expect(summary.skip("fig")?.removed == [])
        #expect(p.output("gate.txt") == "mine now")
    }

    @Test func aListWhoseMembersAllSkipBindsNothing() throws {
        let p = Project()
        try p.writePipeline([
            stage("g1", "test.skip", inputs: ["file": "x.txt"]),
            stage("g2", "test.skip", inputs: ["file": "y.txt"]),
            stage("all", "test.join-all", lists: ["parts": ["g*"]]),
            stage("fig", "test.render", params: ["path": "all.txt"], inputs: ["in": "all"]),
        ])
        let summary = try p.run()
        #expect(summary.skippedIDs == ["g1", "g2"])
        #expect(summary.ranIDs == ["all", "fig"])
        #expect(p.output("all.txt") == "")
        try p.writeData("y.txt", "why")
        let second = try p.run()
        #expect(second.ranIDs == ["g2", "all", "fig"])
        #expect(p.output("all.txt") == "why")
    }

    @Test func aFailureStillWinsOverASkip() throws {
        let p = Project()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("gate", "test.skip", inputs: ["file": "opt.txt"]),
            stage("bad", "test.fail", inputs: ["in": "a"]),
            stage("both", "test.concat", inputs: ["a": "gate", "b": "bad"]),
        ])
        let summary = try p.run(jobs: 1)
        #expect(summary.failedIDs == ["bad", "both"])
        #expect(summary.skippedIDs == ["gate"])
        #expect(summary.line.hasPrefix("0 cached, 1 ran, 1 skipped, 2 failed in "))
    }

    @Test func aCachedSkipNamesTheCurrentDataRoot() throws {
        let p = Project()
        try gated(p)
        try p.run()
        var doc = pipelineDocument([stage("gate", "test.skip", inputs: ["file": "opt.txt"])])
        doc = .object((doc.objectValue ?? [:]).merging(["data": "other"]) { $1 })
        try p.dir.write("pipeline.json", doc.prettyString())
        let summary = try p.run()
        let skip = try #require(summary.skip("gate"))
        #expect(skip.cached)
        #expect(skip.message == "file not found at \(Paths.display(p.dir.file("other/opt.txt"))) — skipping")
    }

    /// `--jobs 1` and `--jobs 4` skip the same stages and write the same bytes and cache.
    @Test func jobsOneAndFourAgree() throws {
        let one = Project()
        let four = Project()
        try gated(one)
        try gated(four)
        let s1 = try one.run(jobs: 1)
        let s4 = try four.run(jobs: 4)
        #expect(s1.outcomes.mapValues(\.isSkipped) == s4.outcomes.mapValues(\.isSkipped))
        #expect(
            s1.skips.map { $0.skip.message.replacingOccurrences(of: one.root, with: "ROOT") }
                == s4.skips.map { $0.skip.message.replacingOccurrences(of: four.root, with: "ROOT") })
        #expect(one.dir.files(under: "out") == four.dir.files(under: "out"))
        for f in one.dir.files(under: "out") {
            #expect(try FileIO.read(one.outputPath(f)) == FileIO.read(four.outputPath(f)), "\(f)")
        }
        #expect(one.objectNames() == four.objectNames())
        #expect(Set(one.store.actionKeys()) == Set(four.store.actionKeys()))
        for id in s1.order {
            #expect(one.store.record(forStage: id) == four.store.record(forStage: id), "\(id)")
        }
    }
}

@Suite struct SkippedStatus {
    @Test func statusReportsCachedSkipsAndTheirDependents() throws {
        let p = Project()
        try gated(p)
        let before = try p.status()
        #expect(before["gate"]?.state == .stale)
        #expect(before["up"]?.state == .stale)
        try p.run()
        let after = try p.status()
        #expect(after["gate"]?.state == .skipped)
        #expect(after["gate"]?.reasons == ["file not found at \(Paths.display(p.dataPath("opt.txt"))) — skipping"])
        #expect(after["up"]?.state == .skipped)
        #expect(after["fig"]?.reasons == ["input stage 'gate' skipped"])
        for id in ["a", "cat", "all", "allfig", "okfig"] { #expect(after[id]?.state == .upToDate, "\(id)") }
        #expect(after["gate"]?.json["state"]?.stringValue == "skipped")
    }

    @Test func statusSaysWhichEarlierOutputsARunWouldRemove() throws {
        let p = Project()
        try gated(p)
        try p.run()
        try p.writeData("opt.txt", "hello")
        try p.run()
        try FileManager.default.removeItem(atPath: p.dataPath("opt.txt"))
        // The first run cached the skip for the absent file: status knows without running.
        let status = try p.status()
        #expect(status["gate"]?.state == .skipped)
        #expect(status["fig"]?.state == .skipped)
        #expect(
            status["fig"]?.reasons == [
                "input stage 'gate' skipped",
                "earlier output \(Paths.display(p.outputPath("gate.txt"))) will be removed",
            ])
        try p.run()
        #expect(!p.dir.exists("out/gate.txt"))
        #expect(try p.status()["fig"]?.reasons == ["input stage 'gate' skipped"])
    }
}

@Suite struct SkipEntries {
    @Test func aSkipEntryRoundTripsAndNeedsNoObjects() throws {
        let p = Project()
        try gated(p)
        try p.run()
        let entry = try #require(p.entry(of: "gate"))
        #expect(entry.skip?.message.hasPrefix("file not found at ") == true)
        #expect(entry.skip?.displayPaths == ["file": Paths.display(p.dataPath("opt.txt"))])
        #expect(entry.objectHashes == [])
        // gc keeps the live skip entry.
        let report = p.store.collectGarbage(for: try p.load())
        #expect(report.actions == 0)
        #expect(p.entry(of: "gate")?.skip != nil)
    }
}
