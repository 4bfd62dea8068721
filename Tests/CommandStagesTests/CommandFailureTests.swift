import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

@testable import CommandStages

/// A stage that always succeeds, beside the failing one: it must finish.
private let bystander = command(
    "fine", run: ["sh", "-c", "echo ok > \"$0\"", "{outputs.o}"], outputs: ["o": "fine.txt"])

/// Runs `failing` beside `bystander`; checks that it failed, that nothing of
/// it landed and no scratch folder is left, and returns its message.
private func failure(
    _ failing: JSONValue, sandboxLauncher: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
) async throws -> (message: String, project: Project) {
    let p = commandProject(sandboxLauncher: sandboxLauncher)
    try p.writePipeline([failing, bystander])
    let summary = try await p.execute()
    #expect(summary.failedIDs == ["bad"], sourceLocation: sourceLocation)
    #expect(summary.ranIDs == ["fine"], sourceLocation: sourceLocation)
    #expect(p.dir.files(under: "out") == ["fine.txt"], sourceLocation: sourceLocation)
    #expect(p.leftoverTemporaries.isEmpty, sourceLocation: sourceLocation)
    #expect(p.store.failure(forStage: "bad") != nil, sourceLocation: sourceLocation)
    return (p.failure(summary, "bad") ?? "", p)
}

@Suite struct CommandFailures {
    @Test func aNonZeroExitShowsTheStatusAndTheLastTwentyLinesOfStderr() async throws {
        let script = "for i in $(seq 1 30); do echo line $i >&2; done; echo partial > \"$0\"; exit 3"
        let (message, p) = try await failure(
            command("bad", run: ["sh", "-c", script, "{outputs.o}"], outputs: ["o": "bad.txt"]))
        let lines = message.split(separator: "\n").map(String.init)
        #expect(lines[0] == "the program exited with status 3; the last 20 lines of stderr:")
        #expect(lines.dropFirst() == ArraySlice((11...30).map { "  line \($0)" }))
        // The failed run's logs are kept for `figpipe log`.
        let logs = try #require(p.store.lastLogs(ofStage: "bad"))
        #expect(logs.failed)
        #expect(String(decoding: logs.logs.stderr, as: UTF8.self).hasPrefix("line 1\nline 2\n"))
    }

    @Test func aTimeoutStopsTheProgram() async throws {
        let (message, _) = try await failure(
            command(
                "bad", run: ["sh", "-c", "echo started >&2; sleep 30; echo late > \"$0\"", "{outputs.o}"],
                outputs: ["o": "bad.txt"], extra: ["timeout": 0.5]))
        #expect(message == "the program ran past its timeout of 0.5 s and was stopped; stderr:\n  started")
    }

    @Test func aSignalFailsTheStage() async throws {
        let (message, _) = try await failure(
            command("bad", run: ["sh", "-c", "echo x > \"$0\"; kill -9 $$", "{outputs.o}"], outputs: ["o": "bad.txt"]))
        #expect(message == "the program was killed by signal 9 (SIGKILL) (stderr is empty)")
    }

    @Test func aMissingOutputFailsTheStage() async throws {
        let (message, _) = try await failure(
            command(
                "bad", run: ["sh", "-c", "echo x > \"$0\"", "{outputs.one}"],
                outputs: ["one": "one.txt", "two": "two.txt"]))
        #expect(
            message
                == "params.outputs.two: the program exited 0 but did not write output 'two' (two.txt); it must write the path {outputs.two} stands for"
        )
    }

    @Test func anOutputThatIsADirectoryFailsTheStage() async throws {
        let (message, _) = try await failure(
            command("bad", run: ["mkdir", "-p", "{outputs.o}"], outputs: ["o": "made/here.txt"]))
        #expect(
            message
                == "params.outputs.o: the program wrote output 'o' (made/here.txt) as a directory, not a regular file")
    }

    @Test func aProgramThatIsNotThereFailsTheStage() async throws {
        let (message, _) = try await failure(command("bad", run: ["no-such-program-xyz"], outputs: ["o": "o.txt"]))
        #expect(
            message
                == "params.run[0]: 'no-such-program-xyz' is not an executable on PATH (/usr/local/bin:/usr/bin:/bin)")
    }

    @Test(.enabled(if: Sandbox.isAvailable && BuiltBinaries.figpipe != nil, "needs Landlock and the figpipe binary"))
    func aProgramThatWritesOutsideItsScratchFolderFails() async throws {
        let launcher = try #require(BuiltBinaries.figpipe)
        let p = commandProject(sandboxLauncher: launcher)
        let target = p.dir.file("escaped.txt")
        try p.writePipeline([
            command(
                "bad", run: ["sh", "-c", "echo x > \"$0\"; echo y > \"$1\"", "{outputs.o}", target],
                outputs: ["o": "bad.txt"]),
            bystander,
        ])
        let summary = try await p.execute()
        #expect(summary.failedIDs == ["bad"])
        #expect(summary.ranIDs == ["fine"])
        let message = p.failure(summary, "bad") ?? ""
        #expect(message.hasPrefix("the program exited with status 2; stderr:\n"))
        #expect(message.contains("Permission denied"))
        #expect(
            message.hasSuffix(
                "(a command may write only in its scratch folder: write outputs to {outputs.NAME}, temporaries to $TMPDIR)"
            ))
        #expect(p.dir.files(under: "out") == ["fine.txt"])
        #expect(!p.dir.exists("escaped.txt"))
        #expect(p.leftoverTemporaries.isEmpty)
        // The data root and the pipeline's folder are read-only to it too.
        try p.writeData("in.txt", "data")
        try p.writePipeline([
            command(
                "bad", run: ["sh", "-c", "echo x > \"$0\"; rm \"$1\"", "{outputs.o}", "{inputs.in}"],
                outputs: ["o": "bad.txt"], inputs: ["in": "in.txt"])
        ])
        #expect(try await p.execute().failedIDs == ["bad"])
        #expect(p.dir.read("data/in.txt") == "data")
    }
}

@Suite struct CommandSlots {
    /// Each stage records how many stages were running when it started, in
    /// a folder outside the project (these stages run unsandboxed).
    @Test func aHeavyStageRunsAlone() async throws {
        let p = commandProject()
        let marks = TemporaryDirectory("figpipe-slots")
        let script = """
            mkdir "$1/running.$0"; ls "$1" | grep -c running > "$1/seen.$0"; sleep 0.2; rmdir "$1/running.$0"; echo done > "$2"
            """
        var stages: [JSONValue] = []
        for (id, jobs) in [("light1", 1), ("light2", 1), ("heavy", 2), ("light3", 1), ("light4", 1)] {
            stages.append(
                command(
                    id, run: ["sh", "-c", script, id, marks.path, "{outputs.o}"], outputs: ["o": "\(id).txt"],
                    extra: ["jobs": .int(jobs)]))
        }
        try p.writePipeline(stages)
        let summary = try await p.execute(jobs: 2)
        #expect(summary.ranIDs.count == 5, "\(summary.failures)")
        func seen(_ id: String) -> Int? {
            marks.read("seen.\(id)").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        #expect(seen("heavy") == 1)
        for id in ["light1", "light2", "light3", "light4"] { #expect((1...2).contains(seen(id) ?? 0)) }
    }

    @Test func aStageThatAsksForMoreThanJobsTakesThemAll() async throws {
        let p = commandProject()
        try p.writePipeline([
            command(
                "big", run: ["sh", "-c", "echo x > \"$0\"", "{outputs.o}"], outputs: ["o": "big.txt"],
                extra: ["jobs": 64])
        ])
        #expect(try await p.execute(jobs: 2).ranIDs == ["big"])
    }
}
