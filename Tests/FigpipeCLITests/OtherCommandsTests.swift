import FigpipeBasics
import FigpipeCLI
import Foundation
import Pipeline
import PipelineTesting
import Testing

private func chain(_ p: CLIProject, suffix: String = "") throws {
    try p.writeData("a.txt", "hello")
    try p.writePipeline([
        stage(
            "a", "test.source", params: suffix.isEmpty ? [:] : ["suffix": .string(suffix)], inputs: ["file": "a.txt"]),
        stage("up", "test.upper", inputs: ["in": "a"]),
        stage("fig", "test.render", params: ["path": "figs/x.txt"], inputs: ["in": "up"]),
    ])
}

@Suite struct StatusCommand {
    @Test func textAndJSON() async throws {
        let p = CLIProject()
        try chain(p)
        let before = try await p.run("status")
        #expect(before.exitCode == 0)
        #expect(
            before.stdoutLines == [
                "stale      a     never run",
                "stale      up    input stage 'a' will run first; never run",
                "stale      fig   input stage 'up' will run first; never run",
                "0 up to date, 3 stale",
            ], "\(before)")
        #expect(p.counts.isEmpty)

        _ = try await p.run("run")
        let json = try await p.run("status", "--json")
        #expect(json.exitCode == 0)
        let parsed = try JSONValue(parsing: json.stdout)
        #expect(
            parsed == [
                ["id": "a", "kind": "test.source", "state": "up to date", "reasons": []],
                ["id": "up", "kind": "test.upper", "state": "up to date", "reasons": []],
                ["id": "fig", "kind": "test.render", "state": "up to date", "reasons": []],
            ])

        try chain(p, suffix: "!")
        try FileManager.default.removeItem(atPath: p.dir.file("out/figs/x.txt"))
        let changed = try JSONValue(parsing: try await p.run("status", "--json").stdout)
        let byID = Dictionary(
            uniqueKeysWithValues: (changed.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0) })
        #expect(byID["a"]?["state"] == "stale")
        #expect(byID["a"]?["reasons"] == [#"params changed: suffix "" → "!""#])
        #expect(byID["up"]?["reasons"] == ["input stage 'a' will run first"])

        try chain(p)
        let restore = try JSONValue(parsing: try await p.run("status", "--json", "fig").stdout)
        #expect(
            restore.arrayValue?.last == [
                "id": "fig", "kind": "test.render", "state": "restore", "reasons": ["output missing: out/figs/x.txt"],
            ])
        #expect(restore.arrayValue?.count == 3)  // fig and what it reads
        try p.writeData("a.txt", "other")
        let text = try await p.run("status", "a")
        let hashes = "sha256 \(Digest.sha256(Array("hello".utf8)).prefix(8)) → \(Digest.sha256(Array("other".utf8)).prefix(8))"
        #expect(
            text.stdoutLines == ["stale      a   input changed: data/a.txt (\(hashes))", "0 up to date, 1 stale"], "\(text)")
        #expect(p.counts == ["a": 1, "up": 1, "fig": 1])
    }
}

@Suite struct OtherCommands {
    @Test func listAndKinds() async throws {
        let p = CLIProject()
        try chain(p)
        let list = try await p.run("list")
        #expect(
            list.stdoutLines == [
                "a    test.source  file=a.txt",
                "up   test.upper  in=@a",
                "fig  test.render  in=@up  → figs/x.txt",
            ], "\(list)")
        let kinds = try await p.run("list", "--kinds")
        #expect(kinds.stdout.contains("test.concat  v1  → test.text"))
        #expect(kinds.stdout.contains("    param repeat: int = 1: how many times to repeat a"))
        #expect(kinds.stdout.contains("    input b (test.text, optional): second"))
        #expect(kinds.stdout.contains("    param path: string (required): the file, relative to the output root"))
    }

    /// `list --origin` names the template each expanded stage comes from.
    @Test func listOrigin() async throws {
        let p = CLIProject()
        try p.writeData("a.txt", "a")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            ["foreach": ["x", "y"], "id": "up.${item}", "kind": "test.upper", "inputs": ["in": "a"]],
        ])
        let plain = try await p.run("list")
        #expect(
            plain.stdoutLines == [
                "a     test.source  file=a.txt", "up.x  test.upper  in=@a", "up.y  test.upper  in=@a",
            ])
        let origin = try await p.run("list", "--origin")
        #expect(
            origin.stdoutLines == [
                "a     test.source  file=a.txt", "up.x  test.upper  in=@a  (from up.${item})",
                "up.y  test.upper  in=@a  (from up.${item})",
            ], "\(origin)")
    }

    @Test func graph() async throws {
        let p = CLIProject()
        try chain(p)
        let r = try await p.run("graph")
        #expect(r.exitCode == 0)
        #expect(r.stdoutLines.first == "digraph figpipe {")
        #expect(r.stdoutLines.last == "}")
        #expect(r.stdoutLines.contains(#"  "data/a.txt" -> "a" [label="file"];"#))
        #expect(r.stdoutLines.contains(#"  "a" -> "up" [label="in"];"#))
        #expect(r.stdoutLines.contains(#"  "fig" [label="fig\ntest.render", style=bold];"#))
    }

    @Test func gcRemovesOldObjectsAndTheNextRunIsCached() async throws {
        let p = CLIProject()
        try chain(p)
        _ = try await p.run("run")
        let firstObjects = Set(p.dir.files(under: ".figpipe/objects"))
        try chain(p, suffix: "!")
        _ = try await p.run("run")
        #expect(p.output("figs/x.txt") == "HELLO!")
        let gc = try await p.run("gc")
        #expect(gc.exitCode == 0)
        // a, up, fig (manifest and file) each made one object for the old suffix.
        #expect(gc.stdoutLines.first?.hasPrefix("removed 4 objects (") == true, "\(gc)")
        #expect(gc.stdoutLines.first?.hasSuffix(", 3 cache entries, 0 stage records") == true, "\(gc)")
        let after = Set(p.dir.files(under: ".figpipe/objects"))
        #expect(after.isDisjoint(with: firstObjects))
        #expect(after.count == 4)
        let run = try await p.run("run")
        #expect(run.stdoutLines.last?.hasPrefix("3 cached, 0 ran, 0 failed") == true)
        #expect(p.counts == ["a": 2, "up": 2, "fig": 2])
    }

    @Test func cleanRemovesOutputsAndCache() async throws {
        let p = CLIProject()
        try chain(p)
        try p.dir.write("out/unrelated.txt", "not the pipeline's")
        _ = try await p.run("run")
        let keep = try await p.run("clean", "--keep-cache")
        #expect(keep.stdoutLines == ["removed 1 output file"])
        #expect(!p.dir.exists("out/figs/x.txt"))
        #expect(p.dir.exists("out/unrelated.txt"))
        #expect(!p.dir.files(under: ".figpipe/objects").isEmpty)
        _ = try await p.run("run")
        #expect(p.counts == ["a": 1, "up": 1, "fig": 1])  // restored from the cache
        let clean = try await p.run("clean")
        #expect(clean.stdoutLines == ["removed 1 output file and the cache .figpipe"])
        #expect(p.dir.files(under: ".figpipe").allSatisfy { $0 == "lock" })
        _ = try await p.run("run")
        #expect(p.counts == ["a": 2, "up": 2, "fig": 2])
    }

    /// `figpipe schema` prints what `PipelineSchema.generate` makes for the
    /// registered kinds (here, the real ones plus the test kinds).
    @Test func schemaCommand() async throws {
        let p = CLIProject()
        let r = try await p.run("schema")
        #expect(r.exitCode == 0)
        let printed = try JSONValue(parsing: r.stdout)
        let expected = PipelineSchema.generate(
            for: Figpipe.registry.current.merging(TestKinds.all(log: InvocationLog())))
        #expect(printed == expected)
        #expect(r.stdout == expected.prettyString())
    }
}
