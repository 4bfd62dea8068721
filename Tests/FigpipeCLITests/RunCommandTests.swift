import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

/// a.txt → a → up → fig (out/x.txt)
/// The first 8 hex digits of the SHA-256 of `text`, as status shows them.
private func short(_ text: String) -> String { String(Digest.sha256(Array(text.utf8)).prefix(8)) }

private func chain(_ p: CLIProject) throws {
    try p.writeData("a.txt", "hello")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("up", "test.upper", inputs: ["in": "a"]),
        stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "up"]),
    ])
}

@Suite struct RunCommand {
    @Test func runsThenCachesWithTheSummaryLine() async throws {
        let p = CLIProject()
        try chain(p)
        let first = try await p.run("run")
        #expect(first.exitCode == 0, "\(first)")
        #expect(isSummaryLine(first.stdoutLines.last), "\(first)")
        #expect(first.stdoutLines.last?.hasPrefix("0 cached, 3 ran, 0 failed in ") == true)
        #expect(first.stdoutLines.dropLast().allSatisfy { $0.contains(" ran ") })
        #expect(first.stderr == "")
        #expect(p.output("x.txt") == "HELLO")
        #expect(p.counts == ["a": 1, "up": 1, "fig": 1])

        let second = try await p.run("run")
        #expect(second.exitCode == 0)
        #expect(isSummaryLine(second.stdoutLines.last))
        #expect(second.stdoutLines.last?.hasPrefix("3 cached, 0 ran, 0 failed in ") == true)
        #expect(second.stdoutLines.contains("[3/3] cached fig"))
        #expect(p.counts == ["a": 1, "up": 1, "fig": 1])

        // Only what changed reruns; the restored output is reported.
        try p.writeData("a.txt", "world")
        let third = try await p.run("run", "--jobs", "1")
        #expect(third.stdoutLines.last?.hasPrefix("0 cached, 3 ran, 0 failed in ") == true)
        try FileManager.default.removeItem(atPath: p.dir.file("out/x.txt"))
        let fourth = try await p.run("run")
        #expect(fourth.stdout.contains("restored x.txt"))
        #expect(fourth.stdoutLines.last?.hasPrefix("3 cached, 0 ran, 0 failed in ") == true)
        #expect(p.output("x.txt") == "WORLD")
        #expect(p.counts == ["a": 2, "up": 2, "fig": 2])
    }

    @Test func quietPrintsNothingOnSuccessAndVerboseSaysWhy() async throws {
        let p = CLIProject()
        try chain(p)
        let quiet = try await p.run("run", "--quiet")
        #expect(quiet.exitCode == 0)
        #expect(quiet.stdout == "")
        try p.writeData("a.txt", "again")
        let verbose = try await p.run("run", "--verbose")
        #expect(verbose.stdout.contains("(input changed: data/a.txt (sha256 "), "\(verbose)")
        #expect(isSummaryLine(verbose.stdoutLines.last))
    }

    @Test func aFailedStageExitsOneAndListsEachFailure() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("bad", "test.fail", params: ["message": "it broke"], inputs: ["in": "a"]),
            stage("after", "test.upper", inputs: ["in": "bad"]),
            stage("ok", "test.upper", inputs: ["in": "a"]),
            stage("fig", "test.render", params: ["path": "ok.txt"], inputs: ["in": "ok"]),
            stage("bad2", "test.fail"),
        ])
        let r = try await p.run("run", "--jobs", "2")
        #expect(r.exitCode == 1, "\(r)")
        #expect(isSummaryLine(r.stdoutLines.last), "\(r)")
        #expect(r.stdoutLines.last?.hasPrefix("0 cached, 3 ran, 3 failed in ") == true)
        let tail = Array(r.stderrLines.suffix(4))
        #expect(
            tail == [
                "3 stages failed:",
                "  bad: it broke",
                "  after: not run: input stage 'bad' failed",
                "  bad2: deliberate failure",
            ], "\(r)")
        #expect(r.stderrLines.contains { $0.contains("FAILED bad ") })
        #expect(p.output("ok.txt") == "A")
        #expect(p.counts["after"] == nil)
    }

    @Test func dryRunListsAndRunsNothing() async throws {
        let p = CLIProject()
        try chain(p)
        let dry = try await p.run("run", "--dry-run")
        #expect(dry.exitCode == 0, "\(dry)")
        #expect(
            dry.stdoutLines == [
                "run     a     never run",
                "run     up    input stage 'a' will run first; never run",
                "run     fig   input stage 'up' will run first; never run",
                "dry run: 0 cached, 0 to restore, 3 would run",
            ])
        #expect(p.counts.isEmpty)
        #expect(!p.dir.exists("out"))
        #expect(!p.dir.exists(".figpipe"))

        _ = try await p.run("run")
        try FileManager.default.removeItem(atPath: p.dir.file("out/x.txt"))
        try p.writeData("a.txt", "changed")
        let again = try await p.run("run", "--dry-run", "--force", "up")
        #expect(
            again.stdoutLines == [
                "run     a     input changed: data/a.txt (sha256 \(short("hello")) → \(short("changed")))",
                "run     up    input stage 'a' will run first",
                "run     fig   input stage 'up' will run first",
                "dry run: 0 cached, 0 to restore, 3 would run",
            ], "\(again)")
        try p.writeData("a.txt", "hello")
        let restore = try await p.run("run", "--dry-run", "--force", "up")
        #expect(
            restore.stdoutLines == [
                "cached  a",
                "run     up    forced (--force)",
                "run     fig   input stage 'up' will run first",
                "dry run: 1 cached, 0 to restore, 2 would run",
            ], "\(restore)")
        let plain = try await p.run("run", "--dry-run")
        #expect(plain.stdoutLines.contains("restore fig   output missing: out/x.txt"), "\(plain)")
        #expect(p.counts == ["a": 1, "up": 1, "fig": 1])
        #expect(!p.dir.exists("out/x.txt"))
    }

    @Test func targetsAndGlobs() async throws {
        let p = CLIProject()
        try chain(p)
        let r = try await p.run("run", "u*")
        #expect(r.exitCode == 0)
        #expect(r.stdoutLines.last?.hasPrefix("0 cached, 2 ran, 0 failed") == true, "\(r)")
        #expect(p.counts == ["a": 1, "up": 1])
        #expect(!p.dir.exists("out/x.txt"))
    }

    @Test(arguments: [
        (["run", "nope"], "pipeline.json: target 'nope' matches no stage (see `figpipe list`)"),
        (["run", "a", "zz*"], "pipeline.json: target 'zz*' matches no stage (see `figpipe list`)"),
        (["run", "--force", "nope"], "pipeline.json: --force 'nope' matches no stage (see `figpipe list`)"),
        (["status", "nope"], "pipeline.json: target 'nope' matches no stage (see `figpipe list`)"),
    ])
    func unknownTargetExitsTwo(_ arguments: [String], _ message: String) async throws {
        let p = CLIProject()
        try chain(p)
        let r = try await p.run(arguments: arguments)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderrLines == [message])
        #expect(p.counts.isEmpty)
    }

    @Test(arguments: [
        ["run", "--jobs", "0"], ["run", "--bogus"], ["run", "--quiet", "--verbose"], ["frobnicate", "x"],
    ])
    func invalidCommandLineExitsTwo(_ arguments: [String]) async throws {
        let p = CLIProject()
        try chain(p)
        let r = try await p.run(arguments: arguments)
        #expect(r.exitCode == 2, "\(r)")
        #expect(!r.stderr.isEmpty)
        #expect(p.counts.isEmpty)
    }

    @Test func jobsOneAndFourWriteTheSameBytes() async throws {
        let one = CLIProject()
        let four = CLIProject()
        for p in [one, four] {
            var stages: [JSONValue] = []
            for n in 0..<6 {
                try p.writeData("\(n).txt", String(repeating: "line \(n)\n", count: n + 1))
                stages.append(stage("s\(n)", "test.source", inputs: ["file": "\(n).txt"]))
                stages.append(stage("u\(n)", "test.upper", inputs: ["in": "s\(n)"]))
                stages.append(
                    stage(
                        "c\(n)", "test.concat", params: ["repeat": .int(n)], inputs: ["a": "u\(n)", "b": "s\(5 - n)"]))
                stages.append(
                    stage(
                        "r\(n)", "test.render", params: ["path": .string("d\(n % 2)/\(n).txt")], inputs: ["in": "c\(n)"]
                    ))
            }
            try p.writePipeline(stages)
        }
        let r1 = try await one.run("run", "--jobs", "1")
        let r4 = try await four.run("run", "--jobs", "4")
        #expect(r1.exitCode == 0 && r4.exitCode == 0)
        let files = one.dir.files(under: "out")
        #expect(files.count == 6)
        #expect(files == four.dir.files(under: "out"))
        for f in files { #expect(one.output(f) == four.output(f)) }
        #expect(one.dir.files(under: ".figpipe/objects") == four.dir.files(under: ".figpipe/objects"))
    }
}

@Suite struct ValidationErrors {
    @Test func oneLinePerErrorAndExitTwo() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("k", "test.nope"),
            stage("c", "test.concat", params: ["repeat": "x", "bogus": 1], inputs: ["a": "ghost"]),
            stage("a", "test.upper", inputs: ["in": "a"]),
            stage("m", "test.source", inputs: ["file": "missing.txt"]),
        ])
        for command in [["run"], ["status"], ["status", "--json"], ["list"], ["run", "--dry-run"]] {
            let r = try await p.run(arguments: command)
            #expect(r.exitCode == 2, "\(command): \(r)")
            #expect(r.stdout == "")
            let lines = r.stderrLines
            #expect(lines.count == 6, "\(command): \(r)")
            #expect(lines.contains("pipeline.json: stage 'a': id: duplicate id (stages[0] and stages[3])"))
            #expect(lines.contains { $0.hasPrefix("pipeline.json: stage 'k': kind: unknown kind 'test.nope'") })
            #expect(
                lines.contains(
                    "pipeline.json: stage 'c': params.bogus: unknown parameter of kind 'test.concat' (it takes: separator, repeat, scale, tags)"
                ))
            #expect(lines.contains(#"pipeline.json: stage 'c': params.repeat: expected an integer, got string "x""#))
            #expect(lines.contains("pipeline.json: stage 'c': inputs.a: unknown stage 'ghost'"))
            #expect(lines.contains("pipeline.json: stage 'm': inputs.file: no such file: data/missing.txt"))
        }
        #expect(p.counts.isEmpty)
        #expect(!p.dir.exists(".figpipe"))
    }

    @Test func cycleIsPrinted() async throws {
        let p = CLIProject()
        try p.writePipeline([
            stage("a", "test.upper", inputs: ["in": "c"]),
            stage("b", "test.upper", inputs: ["in": "a"]),
            stage("c", "test.upper", inputs: ["in": "b"]),
        ])
        let r = try await p.run("run")
        #expect(r.exitCode == 2)
        #expect(r.stderrLines.count == 1, "\(r)")
        let line = r.stderrLines.first ?? ""
        #expect(
            line.wholeMatch(of: #/pipeline\.json: stage '[abc]': inputs\.in: cycle: ([abc]) → [abc] → [abc] → \1/#)
                != nil, "\(line)")
        #expect(line.hasSuffix("a → b → c → a") || line.hasSuffix("b → c → a → b") || line.hasSuffix("c → a → b → c"))
    }

    @Test func invalidJSONAndMissingFile() async throws {
        let p = CLIProject()
        try p.dir.write("pipeline.json", "{\"version\": 1,\n  \"stages\": [}\n")
        let r = try await p.run("run")
        #expect(r.exitCode == 2)
        #expect(r.stderrLines == ["pipeline.json: invalid JSON at line 2, column 14: expected a value, found '}'"])
        let missing = try await p.run("run", "--config", "other.json")
        #expect(missing.exitCode == 2)
        #expect(missing.stderrLines == ["other.json: no such file"])
    }
}
