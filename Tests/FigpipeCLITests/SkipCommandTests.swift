import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

/// a.txt → a → fig (out/a.txt);  opt.txt (optional, absent) → gate → up → gatefig (out/gate.txt)
private func gated(_ p: CLIProject) throws {
    try p.writeData("a.txt", "hello")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("fig", "test.render", params: ["path": "a.txt"], inputs: ["in": "a"]),
        stage("gate", "test.skip", inputs: ["file": "opt.txt"]),
        stage("up", "test.upper", inputs: ["in": "gate"]),
        stage("gatefig", "test.render", params: ["path": "gate.txt"], inputs: ["in": "up"]),
    ])
}

@Suite struct SkippedRun {
    @Test func aSkipExitsZeroWithItsLinesAndTheSkippedCount() async throws {
        let p = CLIProject()
        try gated(p)
        let first = try await p.run("run", "--jobs", "1")
        #expect(first.exitCode == 0, "\(first)")
        #expect(first.stderr == "", "\(first)")
        #expect(isSummaryLine(first.stdoutLines.last), "\(first)")
        #expect(first.stdoutLines.last?.hasPrefix("0 cached, 2 ran, 3 skipped, 0 failed in ") == true)
        #expect(
            Array(first.stdoutLines.dropFirst(2).dropLast()) == [
                "[3/5] skipped gate      file not found at data/opt.txt — skipping",
                "[4/5] skipped up        input stage 'gate' skipped",
                "[5/5] skipped gatefig   input stage 'gate' skipped",
            ], "\(first)")
        #expect(p.output("a.txt") == "hello")
        #expect(p.output("gate.txt") == nil)
        #expect(p.counts == ["a": 1, "fig": 1, "gate": 1])

        // The skip is cached: the second run says so and runs nothing.
        let second = try await p.run("run", "--jobs", "1")
        #expect(second.exitCode == 0)
        #expect(
            second.stdoutLines.contains("[3/5] skipped gate      (cached) file not found at data/opt.txt — skipping"))
        #expect(second.stdoutLines.last?.hasPrefix("2 cached, 0 ran, 3 skipped, 0 failed in ") == true)
        #expect(p.counts == ["a": 1, "fig": 1, "gate": 1])

        // --quiet prints nothing: a skip is not a failure.
        let quiet = try await p.run("run", "--quiet")
        #expect(quiet.exitCode == 0 && quiet.stdout == "" && quiet.stderr == "")
    }

    @Test func theOptionalFileComingAndGoingWritesAndRemovesTheFigure() async throws {
        let p = CLIProject()
        try gated(p)
        try p.writeData("opt.txt", "there")
        let present = try await p.run("run")
        #expect(present.exitCode == 0)
        #expect(present.stdoutLines.last?.hasPrefix("0 cached, 5 ran, 0 failed in ") == true)
        #expect(p.output("gate.txt") == "THERE")
        try FileManager.default.removeItem(atPath: p.dir.file("data/opt.txt"))
        let gone = try await p.run("run", "--jobs", "1")
        #expect(gone.exitCode == 0, "\(gone)")
        #expect(
            gone.stdoutLines.contains("[5/5] skipped gatefig   input stage 'gate' skipped; removed gate.txt"), "\(gone)"
        )
        #expect(p.output("gate.txt") == nil)
    }

    @Test func aSkipBesideAFailureStillExitsOne() async throws {
        let p = CLIProject()
        try gated(p)
        try p.writePipeline([
            stage("gate", "test.skip", inputs: ["file": "opt.txt"]),
            stage("bad", "test.fail", params: ["message": "it broke"]),
        ])
        let r = try await p.run("run")
        #expect(r.exitCode == 1)
        #expect(r.stdoutLines.last?.hasPrefix("0 cached, 0 ran, 1 skipped, 1 failed in ") == true)
        #expect(isSummaryLine(r.stdoutLines.last))
        #expect(Array(r.stderrLines.suffix(2)) == ["1 stage failed:", "  bad: it broke"])
    }

    @Test func statusAndDryRunShowSkips() async throws {
        let p = CLIProject()
        try gated(p)
        _ = try await p.run("run")
        let status = try await p.run("status")
        #expect(status.exitCode == 0)
        #expect(
            status.stdoutLines.contains("skipped    gate      file not found at data/opt.txt — skipping"), "\(status)")
        #expect(status.stdoutLines.contains("skipped    gatefig   input stage 'gate' skipped"), "\(status)")
        #expect(status.stdoutLines.last == "2 up to date, 3 skipped, 0 stale")
        let json = try await p.run("status", "--json")
        let doc = try JSONValue(parsing: Array(json.stdout.utf8))
        let states = (doc.arrayValue ?? []).compactMap { $0["state"]?.stringValue }
        #expect(states == ["up to date", "up to date", "skipped", "skipped", "skipped"])
        let dry = try await p.run("run", "--dry-run")
        #expect(dry.stdoutLines.contains("skip    gate      file not found at data/opt.txt — skipping"), "\(dry)")
        #expect(dry.stdoutLines.last == "dry run: 2 cached, 0 to restore, 3 skipped, 0 would run")
    }
}
