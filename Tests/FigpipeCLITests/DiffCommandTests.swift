import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

/// `figpipe diff`: exit codes, bad arguments, and two git revisions made in
/// temporary worktrees, with the stage-key reasons in the report.
@Suite struct DiffCommandTests {
    func git(_ project: CLIProject, _ arguments: String...) throws {
        let done = try Spawn.run(
            "/usr/bin/env",
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]
                + arguments,
            in: project.dir.path)
        #expect(done.status == 0, "git \(arguments): \(done.stderr)")
    }

    func pipeline(_ project: CLIProject, suffix: String) throws {
        try project.writePipeline([
            stage("source", "test.source", params: ["suffix": .string(suffix)], inputs: ["file": "a.csv"]),
            stage("table", "test.render", params: ["path": "t/table.csv"], inputs: ["in": "source"]),
        ])
    }

    @Test func badArgumentsExitTwoNamingTheArgument() async throws {
        let project = CLIProject()
        try project.dir.write("a/x.txt", "1")
        try project.dir.write("file.txt", "1")
        let missing = try await project.run("diff", "no-such-tree", "a")
        #expect(missing.exitCode == 2, "\(missing)")
        #expect(missing.stderr.contains("BASE 'no-such-tree': no such folder, and not a git revision"), "\(missing)")
        let file = try await project.run("diff", "a", "file.txt")
        #expect(file.exitCode == 2, "\(file)")
        #expect(file.stderr.contains("HEAD 'file.txt': not a folder"), "\(file)")
    }

    @Test func treesExitZeroWhenSameAndOneWhenDifferent() async throws {
        let project = CLIProject()
        try project.dir.write("a/t.csv", "x,y\n1,2\n")
        try project.dir.write("b/t.csv", "x,y\n1,2\n")
        let same = try await project.run("diff", "a", "b")
        #expect(same.exitCode == 0, "\(same)")
        #expect(
            same.stdoutLines.last
                == "0 figures changed, 0 added, 0 removed, 0 unchanged; 0 tables changed, 0 added, 0 removed, 1 unchanged"
        )
        try project.dir.write("b/t.csv", "x,y\n1,2.5\n")
        let differs = try await project.run("diff", "a", "b")
        #expect(differs.exitCode == 1, "\(differs)")
        #expect(differs.stdoutLines.first == "changed  t.csv   1 cell changed")
    }

    @Test func revisionsAreMadeInWorktreesAndExplainedByStageKeys() async throws {
        let project = CLIProject()
        try project.writeData("a.csv", "x,y\n1,2\n")
        try project.dir.write(".gitignore", "out/\n.figpipe/\n")
        try pipeline(project, suffix: "")
        try git(project, "init", "-q")
        try git(project, "add", ".")
        try git(project, "commit", "-q", "-m", "one")
        try pipeline(project, suffix: "3,4\n")
        try git(project, "commit", "-q", "-am", "two")
        let outcome = try await project.run("diff", "HEAD~1", "HEAD", "--report", "review")
        #expect(outcome.exitCode == 1, "\(outcome)")
        let report = try JSONValue(parsing: try #require(project.dir.read("review/report.json")))
        let table = try #require(report["tables"]?["changed"]?.arrayValue?.first)
        #expect(table["path"] == "t/table.csv")
        #expect(table["rows"] == [1, 2])
        let why = try #require(table["why"]?.arrayValue)
        #expect(why.map { $0["stage"] } == ["table", "source"])
        #expect(
            why.first?["reasons"]?.arrayValue?.first?.stringValue?.hasPrefix("input changed: stage 'source' output")
                == true)
        #expect(why.last?["reasons"] == ["params changed: suffix \"\" → \"3,4\\n\""])
        #expect(report["base"]?["commit"]?.stringValue?.count == 40)
        // The worktrees are gone, and the project's own stage records were not touched.
        let worktrees = try Spawn.run("/usr/bin/env", ["git", "worktree", "list"], in: project.dir.path)
        #expect(worktrees.stdout.split(separator: "\n").count == 1, "\(worktrees.stdout)")
        #expect(!project.dir.exists(".figpipe/stages/source.json"))
        // Nothing differs between a revision and itself.
        let same = try await project.run("diff", "HEAD", "HEAD")
        #expect(same.exitCode == 0, "\(same)")
    }
}
