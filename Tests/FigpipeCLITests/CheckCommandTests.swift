import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

/// a.txt → a → up → fig (x.txt); b.txt → b → fig2 (sub/y.txt); an optional
/// file → maybe (skipped while absent) → fig3 (z.txt).
private func writeProject(_ p: CLIProject) throws {
    try p.writeData("a.txt", "hello")
    try p.writeData("b.txt", "bee")
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("up", "test.upper", inputs: ["in": "a"]),
        stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "up"]),
        stage("b", "test.source", inputs: ["file": "b.txt"]),
        stage("fig2", "test.render", params: ["path": "sub/y.txt"], inputs: ["in": "b"]),
        stage("maybe", "test.skip", inputs: ["file": "optional.txt"]),
        stage("fig3", "test.render", params: ["path": "z.txt"], inputs: ["in": "maybe"]),
    ])
}

@Suite struct CheckCommand {
    @Test func committedOutputsThatMatchExitZero() async throws {
        let p = CLIProject()
        try writeProject(p)
        #expect(try await p.run("run").exitCode == 0)
        let check = try await p.run("check")
        #expect(check.exitCode == 0, "\(check)")
        #expect(check.stdoutLines.last == "check: all 3 output files under out are what the pipeline makes", "\(check)")
        #expect(check.stdoutLines.contains { $0.hasPrefix("5 cached, 0 ran, 2 skipped, 0 failed in ") }, "\(check)")
        // The comparison left no scratch folder, and the stat cache knows only the project's files.
        #expect(p.dir.files(under: ".figpipe/tmp").isEmpty)
        let statCache = p.dir.read(".figpipe/stat-cache.json") ?? ""
        #expect(!statCache.contains("/tmp/scratch-") && !statCache.contains(".figpipe/tmp"), "\(statCache)")
    }

    @Test func editedMissingAndStaleOutputsAreListedAndLeftAlone() async throws {
        let p = CLIProject()
        try writeProject(p)
        #expect(try await p.run("run").exitCode == 0)
        try p.dir.write("out/x.txt", "edited by hand")
        try FileManager.default.removeItem(atPath: p.dir.file("out/sub/y.txt"))
        try p.dir.write("out/z.txt", "a figure the pipeline no longer makes")
        let check = try await p.run("check")
        #expect(check.exitCode == 1, "\(check)")
        #expect(
            check.stderrLines == [
                "check: 3 of 3 output files under out are not what the pipeline makes from the current inputs:",
                "  differs  out/x.txt",
                "  missing  out/sub/y.txt",
                "  not made out/z.txt (its stage is skipped)",
            ], "\(check)")
        #expect(p.output("x.txt") == "edited by hand")
        #expect(!p.dir.exists("out/sub/y.txt"))

        // New inputs: the committed outputs are stale.
        try FileManager.default.removeItem(atPath: p.dir.file("out/z.txt"))
        #expect(try await p.run("run").exitCode == 0)
        try p.writeData("b.txt", "new data")
        let stale = try await p.run("check", "--quiet")
        #expect(stale.exitCode == 1)
        #expect(stale.stdout == "")
        #expect(stale.stderrLines.last == "  differs  out/sub/y.txt", "\(stale)")
        #expect(p.output("sub/y.txt") == "bee")
    }

    @Test func aFailedStageFailsTheCheck() async throws {
        let p = CLIProject()
        try writeProject(p)
        #expect(try await p.run("run").exitCode == 0)
        try FileManager.default.removeItem(atPath: p.dir.file("pipeline.json"))
        try p.writeData("a.txt", "hello")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("bad", "test.fail", inputs: ["in": "a"]),
        ])
        let check = try await p.run("check")
        #expect(check.exitCode == 1, "\(check)")
        #expect(check.stderrLines.suffix(2) == ["1 stage failed:", "  bad: deliberate failure"], "\(check)")
    }
}

@Suite struct RemoteCacheFlags {
    @Test(arguments: [
        (
            ["run", "--remote-cache", "ftp://cache.example"],
            "--remote-cache: expected an http:// or https:// URL, got 'ftp://cache.example'"
        ),
        (["status", "--remote-cache", "http://"], "--remote-cache: 'http://' names no host"),
        (
            ["check", "--remote-cache", "http://127.0.0.1:9", "--remote-header", "Bearer abc"],
            "--remote-header: expected 'Name: value' (a header name, a colon, its value), got no colon"
        ),
        (
            ["run", "--remote-upload"],
            "--remote-upload: no remote cache to upload to (give --remote-cache URL, FIGPIPE_REMOTE_CACHE or remote_cache in pipeline.json)"
        ),
    ])
    func badSettingsExitTwoNamingTheFlag(_ arguments: [String], _ message: String) async throws {
        let p = CLIProject()
        try writeProject(p)
        let r = try await p.run(arguments: arguments)
        #expect(r.exitCode == 2, "\(r)")
        #expect(r.stderrLines == [message], "\(r)")
        #expect(p.counts.isEmpty)
    }

    @Test func theVariableAndTheFileAreNamedToo() async throws {
        let p = CLIProject()
        try writeProject(p)
        let variable = try await p.run(arguments: ["run"], environment: ["FIGPIPE_REMOTE_CACHE": "cache.example"])
        #expect(variable.exitCode == 2)
        #expect(
            variable.stderrLines == ["FIGPIPE_REMOTE_CACHE: expected an http:// or https:// URL, got 'cache.example'"])
        // '' turns the remote cache off, whatever the variable says.
        let off = try await p.run(arguments: ["run", "--remote-cache", ""], environment: ["FIGPIPE_REMOTE_CACHE": "x"])
        #expect(off.exitCode == 0, "\(off)")
        #expect(off.stdoutLines.last?.hasPrefix("0 cached, 5 ran, 2 skipped, 0 failed in ") == true, "\(off)")

        var doc = try JSONValue(parsing: try #require(p.dir.read("pipeline.json")))
        doc["remote_cache"] = "gopher://cache.example"
        try p.dir.write("pipeline.json", doc.prettyString())
        let field = try await p.run("status")
        #expect(field.exitCode == 2)
        #expect(
            field.stderrLines == [
                "pipeline.json: remote_cache: expected an http:// or https:// URL, got 'gopher://cache.example'"
            ])
        doc["remote_cache"] = 8080
        try p.dir.write("pipeline.json", doc.prettyString())
        let typed = try await p.run("run")
        #expect(typed.exitCode == 2)
        #expect(
            typed.stderrLines == [
                "pipeline.json: remote_cache: expected a string (an http:// or https:// URL), got integer"
            ], "\(typed)")
    }

    /// Nothing listens at the URL: one warning, and the run does its work here.
    @Test func anUnreachableRemoteCacheWarnsOnceAndTheRunSucceeds() async throws {
        let p = CLIProject()
        try writeProject(p)
        let port = try Nginx.freePort()
        let r = try await p.run("run", "--jobs", "4", "--remote-cache", "http://127.0.0.1:\(port)", "--remote-upload")
        #expect(r.exitCode == 0, "\(r)")
        #expect(r.stdoutLines.last?.hasPrefix("0 cached, 0 remote, 5 ran, 2 skipped, 0 failed in ") == true, "\(r)")
        #expect(r.stderrLines.count == 1, "\(r)")
        #expect(r.stderrLines.first?.hasPrefix("warning: remote cache http://127.0.0.1:\(port) unavailable (") == true)
        #expect(r.stderr.contains("connection refused, 3 tries); this run goes on with the local cache only"), "\(r)")
        #expect(p.output("x.txt") == "HELLO")
    }
}
