import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

@testable import CommandStages

/// A script that reads its first argument, writes it upper-cased to its
/// second, and says so on stdout and stderr.
private let upper = """
    #!/bin/sh
    echo "reading $1"
    echo "a note" >&2
    tr a-z A-Z < "$1" > "$2"
    """

private func upperStage(_ p: Project, extra: [String: JSONValue] = [:]) throws {
    try p.writeScript("scripts/upper.sh", upper)
    try p.writeData("words.txt", "hello")
    try p.writePipeline([
        command(
            "up", run: ["sh", "{inputs.script}", "{inputs.words}", "{outputs.text}"],
            outputs: ["text": "extra/upper.txt"],
            inputs: ["script": "{pipeline}/scripts/upper.sh", "words": "words.txt"], extra: extra)
    ])
}

@Suite struct CommandKey {
    @Test func firstRunRunsSecondIsCachedWithItsLogs() async throws {
        let p = commandProject()
        try upperStage(p)
        let first = try await p.execute()
        #expect(first.ranIDs == ["up"], "\(first.failures)")
        #expect(p.output("extra/upper.txt") == "HELLO")
        let second = try await p.execute()
        #expect(second.cachedIDs == ["up"])
        // The logs of the run that made the cached result.
        let logs = try #require(p.store.lastLogs(ofStage: "up"))
        #expect(!logs.failed)
        #expect(String(decoding: logs.logs.stdout, as: UTF8.self) == "reading \(p.dataPath("words.txt"))\n")
        #expect(String(decoding: logs.logs.stderr, as: UTF8.self) == "a note\n")
        #expect(p.leftoverTemporaries.isEmpty)
    }

    @Test func editingTheScriptReruns() async throws {
        let p = commandProject()
        try upperStage(p)
        try await p.execute()
        try p.writeScript("scripts/upper.sh", upper + "\necho more >> \"$2\"\n")
        #expect(
            try await p.statuses()["up"]?.reasons == [
                "input changed: \(Paths.display(p.dir.file("scripts/upper.sh"))) (sha256 \(String(Digest.sha256(Array(upper.utf8)).prefix(8))) → \(String(Digest.sha256(Array((upper + "\necho more >> \"$2\"\n").utf8)).prefix(8))))"
            ]
        )
        let again = try await p.execute()
        #expect(again.ranIDs == ["up"])
        #expect(p.output("extra/upper.txt") == "HELLOmore\n")
    }

    @Test func touchingWithoutAChangeDoesNotRerun() async throws {
        let p = commandProject()
        try upperStage(p)
        try await p.execute()
        let script = p.dir.file("scripts/upper.sh")
        setModificationTime(script, seconds: 2_000_000_000)
        setModificationTime(p.dataPath("words.txt"), seconds: 2_000_000_000)
        #expect(try await p.execute().cachedIDs == ["up"])
    }

    @Test func anEnvironmentValueEntersTheKey() async throws {
        let p = commandProject()
        let name = "FIGPIPE_TEST_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        try upperStage(p, extra: ["env": [.string(name)]])
        setenv(name, "one", 1)
        defer { unsetenv(name) }
        #expect(try await p.execute().ranIDs == ["up"])
        #expect(try await p.execute().cachedIDs == ["up"])
        setenv(name, "two", 1)
        #expect(try await p.statuses()["up"]?.reasons == ["environment changed: env.\(name) one → two"])
        #expect(try await p.execute().ranIDs == ["up"])
        unsetenv(name)
        #expect(try await p.statuses()["up"]?.reasons == ["environment changed: env.\(name) two → (unset)"])
    }

    @Test func aToolsBinaryEntersTheKey() async throws {
        let p = commandProject()
        try p.writeScript("bin/tool", "#!/bin/sh\necho 'tool 1.0'\n")
        let tool = p.dir.file("bin/tool")
        try upperStage(p, extra: ["tools": [.string(tool)]])
        #expect(try await p.execute().ranIDs == ["up"])
        #expect(try await p.execute().cachedIDs == ["up"])
        // A new build of the tool: a different file, and a different --version.
        try p.writeScript("bin/tool", "#!/bin/sh\necho 'tool 1.1'\n")
        let reasons = try #require(try await p.statuses()["up"]?.reasons)
        #expect(reasons.count == 1)
        #expect(reasons[0].hasPrefix("environment changed: tool.\(tool) path=\(tool) sha256="))
        #expect(reasons[0].contains("version=tool 1.0 → path=\(tool) sha256="))
        #expect(reasons[0].hasSuffix("version=tool 1.1"))
        #expect(try await p.execute().ranIDs == ["up"])
    }

    @Test func parametersThatCannotChangeTheResultStayOutOfTheKey() async throws {
        let p = commandProject()
        try upperStage(p)
        try await p.execute()
        try upperStage(p, extra: ["jobs": 2, "timeout": 30])
        #expect(try await p.execute().cachedIDs == ["up"])
        try upperStage(p, extra: ["run": ["sh", "{inputs.script}", "{inputs.words}", "{outputs.text}", "extra"]])
        #expect(try await p.execute().ranIDs == ["up"])
    }

    @Test func identicalOutputsCutOffTheStagesThatReadThem() async throws {
        let p = commandProject()
        try upperStage(p)
        func write(comment: String) throws {
            try p.writeScript("scripts/upper.sh", upper + "\n# \(comment)\n")
            try p.writePipeline([
                command(
                    "up", run: ["sh", "{inputs.script}", "{inputs.words}", "{outputs.text}"],
                    outputs: ["text": "extra/upper.txt"],
                    inputs: ["script": "{pipeline}/scripts/upper.sh", "words": "words.txt"]),
                command(
                    "twice", run: ["sh", "-c", "cat \"$0\" \"$0\" > \"$1\"", "{inputs.up}", "{outputs.out}"],
                    outputs: ["out": "extra/twice.txt"], inputs: ["up": "up"]),
            ])
        }
        try write(comment: "one")
        #expect(try await p.execute().ranIDs == ["up", "twice"])
        #expect(p.output("extra/twice.txt") == "HELLOHELLO")
        try write(comment: "two")
        let again = try await p.execute()
        #expect(again.ranIDs == ["up"])
        #expect(again.cachedIDs == ["twice"])
    }
}

@Suite struct CommandInputs {
    @Test func aGlobBecomesOneArgumentPerFileAndArtifactsBecomeJSON() async throws {
        let p = commandProject()
        try p.writeData("runs/b.txt", "B")
        try p.writeData("runs/a.txt", "A")
        try p.writeData("one.txt", "one")
        try p.writePipeline([
            stage("src", "test.source", inputs: ["file": "one.txt"]),
            command(
                "list",
                run: [
                    "sh", "-c",
                    "for f in \"$@\"; do basename \"$f\"; done > {outputs.names}; cat {inputs.src} >> {outputs.names}",
                    "sh", "{inputs.runs}",
                ],
                outputs: ["names": "names.txt"], inputs: ["runs": "runs/*.txt", "src": "src"]),
        ])
        let summary = try await p.execute()
        #expect(summary.failed == 0, "\(summary.failures)")
        // The test.source stage's artifact, as its canonical JSON.
        #expect(p.output("names.txt") == "a.txt\nb.txt\n{\"text\":\"one\"}")
    }

    @Test func aSuffixSelectsOneFileOfAStageThatWritesSeveral() async throws {
        let p = commandProject()
        try p.writePipeline([
            command(
                "two", run: ["sh", "-c", "echo png > \"$0\"; echo csv > \"$1\"", "{outputs.fig}", "{outputs.table}"],
                outputs: ["fig": "x/fig.png", "table": "x/table.csv"]),
            command(
                "pick", run: ["cp", "{inputs.two.csv}", "{outputs.copy}"], outputs: ["copy": "x/copy.csv"],
                inputs: ["two": "two"]),
        ])
        let summary = try await p.execute()
        #expect(summary.failed == 0, "\(summary.failures)")
        #expect(p.output("x/copy.csv") == "csv\n")
    }

    @Test func aProgramReadsTheFilesOfItsInputStageAsTheCacheHasThem() async throws {
        let p = commandProject()
        try p.writePipeline([
            command("one", run: ["sh", "-c", "echo first > \"$0\"", "{outputs.o}"], outputs: ["o": "one.txt"]),
            command(
                "two", run: ["cp", "{inputs.one}", "{outputs.o}"], outputs: ["o": "two.txt"], inputs: ["one": "one"]),
        ])
        try await p.execute()
        // Edited by hand: put back from the cache before `two` reads it.
        try p.dir.write("out/one.txt", "edited")
        let summary = try await p.execute(force: ["two"])
        #expect(summary.failed == 0)
        #expect(p.output("two.txt") == "first\n")
        #expect(p.output("one.txt") == "first\n")
    }
}

@Suite struct CommandOutputs {
    @Test func undeclaredFilesAreIgnoredWithANote() async throws {
        let p = commandProject()
        try p.writePipeline([
            command(
                "c",
                run: [
                    "sh", "-c", "echo a > \"$0\"; echo b > scratch.log; mkdir -p more; echo c > more/x", "{outputs.o}",
                ],
                outputs: ["o": "o.txt"])
        ])
        let observer = RecordingObserver()
        let summary = try await p.execute(observer: observer)
        #expect(summary.ranIDs == ["c"])
        #expect(p.dir.files(under: "out") == ["o.txt"])
        #expect(observer.notes.map(\.message).contains("ignored 2 undeclared files: more/x, scratch.log"))
    }

    @Test func theProgramSeesOnlyThePinnedEnvironment() async throws {
        let p = commandProject()
        let name = "FIGPIPE_TEST_HIDDEN_\(getpid())"
        setenv(name, "secret", 1)
        defer { unsetenv(name) }
        try p.writePipeline([
            command("c", run: ["sh", "-c", "env | sort > \"$0\"", "{outputs.o}"], outputs: ["o": "env.txt"])
        ])
        #expect(try await p.execute().ranIDs == ["c"])
        let lines = (p.output("env.txt") ?? "").split(separator: "\n").map(String.init)
        // sh adds PWD (and may add SHLVL and _) itself.
        let shells: Set<String> = ["PWD", "SHLVL", "_"]
        let names: [String] = lines.compactMap { line in line.split(separator: "=").first.map(String.init) }
            .filter { !shells.contains($0) }
        #expect(names == ["HOME", "LANG", "PATH", "SOURCE_DATE_EPOCH", "TMPDIR", "TZ"])
        let env = p.output("env.txt") ?? ""
        #expect(env.contains("PATH=/usr/local/bin:/usr/bin:/bin\n"))
        #expect(env.contains("SOURCE_DATE_EPOCH=0\n") && env.contains("TZ=UTC\n") && env.contains("LANG=C.UTF-8\n"))
        #expect(!env.contains("secret"))
    }
}

@Suite struct CommandPlaces {
    @Test func rootsAndTheWorkingDirectory() async throws {
        let p = commandProject()
        let script = "echo \"$0|$1|$2|$(pwd)\" > \"$3\""
        try p.writePipeline([
            command(
                "here", run: ["sh", "-c", script, "{data}", "{out}", "{pipeline}", "{outputs.o}"],
                outputs: ["o": "here.txt"], extra: ["cwd": "{pipeline}/sub"]),
            command(
                "scratch", run: ["sh", "-c", "pwd > \"$0\"", "{outputs.o}"], outputs: ["o": "scratch.txt"]),
        ])
        try p.dir.write("sub/.keep", "")
        #expect(try await p.execute().failed == 0)
        let root = p.dir.path
        #expect(p.output("here.txt") == "\(root)/data|\(root)/out|\(root)|\(root)/sub\n")
        // By default the program works in its scratch folder (gone once the stage ends).
        let scratch = try #require(p.output("scratch.txt"))
        #expect(scratch.hasPrefix(p.store.temporaryDirectory + "/scratch-") && scratch.hasSuffix("/run\n"))
    }
}

@Suite struct CommandValidation {
    private func problems(_ stages: [JSONValue]) throws -> String {
        let p = commandProject()
        try p.writeData("f.txt", "x")
        try p.writePipeline(stages)
        do {
            _ = try p.load()
            return ""
        } catch {
            return String(describing: error)
        }
    }

    @Test func placeholdersMustNameWhatTheStageHas() async throws {
        let text = try problems([
            command(
                "c", run: ["cat", "{inputs.nope}", "{outputs.missing}", "{weird}"], outputs: ["o": "o.txt"],
                inputs: ["f": "f.txt"])
        ])
        #expect(text.contains("stage 'c': params.run[1]: {inputs.nope} names no input (inputs: f)"))
        #expect(text.contains("params.run[2]: {outputs.missing} names no output (outputs: o)"))
        #expect(text.contains("params.run[3]: unknown placeholder '{weird}'"))
    }

    @Test func aStageWithSeveralFilesNeedsASuffix() async throws {
        let text = try problems([
            command("two", run: ["true"], outputs: ["fig": "x/fig.png", "dump": "x/fig.dump.json"]),
            command("a", run: ["cat", "{inputs.two}"], outputs: ["o": "a.txt"], inputs: ["two": "two"]),
            command("b", run: ["cat", "{inputs.two.svg}"], outputs: ["o": "b.txt"], inputs: ["two": "two"]),
        ])
        #expect(
            text.contains(
                "stage 'a': params.run[1]: {inputs.two}: stage 'two' writes 2 files (x/fig.dump.json, x/fig.png); select one by its suffix, e.g. {inputs.two.dump.json}"
            ))
        #expect(text.contains("stage 'b': params.run[1]: {inputs.two.svg}: stage 'two' writes no file ending in .svg"))
    }

    @Test func namesAndValuesAreChecked() async throws {
        let text = try problems([
            stage(
                "c", "command",
                params: [
                    "run": [], "outputs": ["bad.name": "o.txt", "leaves": "../o.txt"], "env": ["A-B"],
                    "tools": ["bin/x"], "jobs": 0,
                ], inputs: ["1x": "f.txt", "self": "c"])
        ])
        #expect(text.contains("params.run: expected at least one element, got []"))
        #expect(text.contains("params.outputs.bad.name: not a valid name"))
        #expect(text.contains("params.jobs: expected a value ≥ 1, got 0"))
        #expect(text.contains("inputs.1x: not a valid input name"))
        #expect(text.contains("inputs.self: a stage cannot read its own output"))
    }

    @Test func aGlobIsAWholeArgument() async throws {
        let text = try problems([
            command("c", run: ["cat", "--files={inputs.all}"], outputs: ["o": "o.txt"], inputs: ["all": "*.txt"])
        ])
        #expect(text.contains("{inputs.all} is a glob of several files: use it as a whole argument"))
    }
}
