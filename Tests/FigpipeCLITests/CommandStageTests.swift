import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The pids of the processes whose command line contains `marker`.
private func processes(containing marker: String) -> [pid_t] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name -> pid_t? in
        guard let pid = pid_t(name), pid != getpid(),
            let bytes = FileManager.default.contents(atPath: "/proc/\(name)/cmdline")
        else { return nil }
        return String(decoding: bytes.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker) ? pid : nil
    }
}

private func command(_ id: String, run: [String], outputs: [String: String], extra: [String: JSONValue] = [:])
    -> JSONValue
{
    var params: [String: JSONValue] = [
        "run": .array(run.map { .string($0) }), "outputs": .object(outputs.mapValues { .string($0) }),
    ]
    params.merge(extra) { _, new in new }
    return stage(id, "command", params: params)
}

@Suite struct CommandStagesOnTheCommandLine {
    @Test func logShowsWhatTheProgramWroteAlsoWhenCached() async throws {
        let p = CLIProject()
        try p.writePipeline([
            command(
                "hello", run: ["sh", "-c", "echo to stdout; echo to stderr >&2; echo x > \"$0\"", "{outputs.o}"],
                outputs: ["o": "hello.txt"])
        ])
        let first = try await p.run("run")
        #expect(first.exitCode == 0, "\(first)")
        let second = try await p.run("run")
        #expect(second.stdoutLines.first?.contains("cached hello") == true, "\(second)")
        let log = try await p.run("log", "hello")
        #expect(log.exitCode == 0, "\(log)")
        #expect(
            log.stdoutLines == [
                "==> hello: stdout (the run its cached result came from, 10 bytes) <==", "to stdout",
                "==> hello: stderr (the run its cached result came from, 10 bytes) <==", "to stderr",
            ])
        let onlyErr = try await p.run("log", "--stderr", "hello")
        #expect(onlyErr.stdout == "to stderr\n")
        // A failed run's logs replace them; a stage that runs no program has none.
        try p.writePipeline([
            command("hello", run: ["sh", "-c", "echo broke >&2; exit 4"], outputs: ["o": "hello.txt"]),
            stage("src", "test.source", inputs: ["file": "a.txt"]),
        ])
        try p.writeData("a.txt", "a")
        let failed = try await p.run("run")
        #expect(failed.exitCode == 1)
        #expect(failed.stderr.contains("hello: the program exited with status 4; stderr:\n      broke"), "\(failed)")
        let failedLog = try await p.run("log", "--stderr", "hello")
        #expect(failedLog.stdout == "broke\n")
        let none = try await p.run("log", "src")
        #expect(none.exitCode == 1)
        #expect(none.stderr.contains("stage 'src' has no logs: its kind (test.source) runs no program"))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptStopsAProgramThatIgnoresSIGTERM(_ signal: Int32) async throws {
        let p = CLIProject()
        let marker = "figpipe-ignores-term-\(getpid())-\(signal)-\(UInt32.random(in: 0...UInt32.max))"
        // sh ignores SIGTERM and SIGINT, and so do the sh and the sleep it
        // starts (ignored signals stay ignored); both shells carry the marker.
        try p.writePipeline([
            command(
                "stubborn",
                run: [
                    "sh", "-c", "trap '' TERM INT; echo partial > \"$0\"; sh -c 'sleep 300; : \(marker)'",
                    "{outputs.o}",
                ],
                outputs: ["o": "stubborn.txt"])
        ])
        let child = try p.spawn(["run", "--grace", "0.5"])
        #expect(await poll { processes(containing: marker).count == 2 }, "the program did not start")
        child.send(signal)
        let outcome = try await child.finish(timeout: 60)
        #expect(outcome.exitCode == (signal == SIGINT ? 130 : 143), "\(outcome)")
        #expect(await poll(timeout: 10) { processes(containing: marker).isEmpty }, "the program outlived figpipe")
        #expect(p.dir.files(under: "out").isEmpty)
        #expect(p.dir.files(under: ".figpipe/tmp").isEmpty)
        // The next run runs it again (and, told to, stops it at its timeout).
        try p.writePipeline([
            command(
                "stubborn", run: ["sh", "-c", "echo done > \"$0\"", "{outputs.o}"], outputs: ["o": "stubborn.txt"])
        ])
        let next = try await p.run("run")
        #expect(next.exitCode == 0, "\(next)")
        #expect(p.output("stubborn.txt") == "done\n")
    }

    @Test func afterAKillNineTheNextRunCleansUpAndRunsTheStageAgain() async throws {
        let p = CLIProject()
        let marker = "figpipe-kill-nine-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try p.writePipeline([
            command(
                "slow", run: ["sh", "-c", "echo partial > \"$0\"; sleep 300 # \(marker)", "{outputs.o}"],
                outputs: ["o": "slow.txt"])
        ])
        let child = try p.spawn(["run"])
        #expect(await poll { !processes(containing: marker).isEmpty }, "the program did not start")
        child.send(SIGKILL)
        _ = try await child.finish(timeout: 30)
        #expect(p.dir.files(under: "out").isEmpty)
        try p.writePipeline([
            command("slow", run: ["sh", "-c", "echo whole > \"$0\"", "{outputs.o}"], outputs: ["o": "slow.txt"])
        ])
        let next = try await p.run("run")
        #expect(next.exitCode == 0, "\(next)")
        #expect(p.output("slow.txt") == "whole\n")
        #expect(p.dir.files(under: ".figpipe/tmp").isEmpty)
        // The program the killed run started does not outlive the next run.
        #expect(
            await poll(timeout: 10) { processes(containing: marker).isEmpty }, "the orphaned program is still running")
    }
}

@Suite struct ScriptsAsStagesExample {
    /// examples/scripts-as-stages, reached from this file.
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/scripts-as-stages").standardizedFileURL.path

    /// Runs the example (python3 with numpy and matplotlib, as .ci/run installs
    /// them) into a temporary output root and cache.
    @Test func theExampleRunsAndItsScriptsFigureLandsInTheGallery() async throws {
        let p = CLIProject()
        let config = [
            "--config", Self.example + "/pipeline.json", "--out", p.dir.file("out"), "--cache", p.dir.file("cache"),
        ]
        let first = try await p.run(arguments: ["run"] + config)
        #expect(first.exitCode == 0, "\(first)")
        let png = try #require(FileManager.default.contents(atPath: p.dir.file("out/extra/delta_h_scaling.png")))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let fit = try JSONValue(parsing: Array(try #require(p.output("extra/delta_h_scaling.json")).utf8))
        // ΔH is close to linear in η on the sample data: the fitted exponent is near 1.
        let slope = try #require(fit["slope"]?.numberValue)
        #expect(slope > 0.9 && slope < 1.1)
        #expect(p.output("extra/delta_h_scaling.txt") == "slope \(fit["slope"]?.description ?? "")\n")
        let gallery = try #require(p.output("index.html"))
        #expect(gallery.contains("extra/delta_h_scaling.png"))
        #expect(gallery.contains("entropy/delta_h_vs_eta_aggregate.png"))
        // Everything is cached the second time, and the script's log is kept.
        let second = try await p.run(arguments: ["run"] + config)
        #expect(second.stdoutLines.last?.hasPrefix("7 cached, 0 ran, 0 failed") == true, "\(second)")
        let log = try await p.run(arguments: ["log", "--stdout", "extra.delta_h_scaling"] + config)
        #expect(log.stdout.hasPrefix("9 step sizes; |ΔH| ∝ η^"), "\(log)")
        // The same inputs give the same bytes: a forced rerun writes the same figure.
        let forced = try await p.run(arguments: ["run", "--force", "extra.delta_h_scaling"] + config)
        #expect(forced.exitCode == 0, "\(forced)")
        #expect(FileManager.default.contents(atPath: p.dir.file("out/extra/delta_h_scaling.png")) == png)
    }
}
