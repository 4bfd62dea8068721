import Foundation
import Testing

@testable import Fuzzing

/// The harness itself: a crash, a hang and a stray output file are failures.
@Suite struct Verdicts {
    func result(exit: Int32? = nil, signal: Int32? = nil, timedOut: Bool = false, stderr: String = "")
        -> ChildResult
    {
        ChildResult(exitCode: exit, signal: signal, timedOut: timedOut, seconds: 0, stdout: "", stderr: stderr)
    }

    @Test func exitCodesAndSignals() {
        #expect(Judge.verdict(of: result(exit: 0), problems: []) == .success)
        #expect(Judge.verdict(of: result(exit: 1, stderr: "x: bad"), problems: []) == .cleanError)
        #expect(Judge.verdict(of: result(exit: 2, stderr: "x: bad"), problems: []) == .cleanError)
        #expect(Judge.verdict(of: result(exit: 1), problems: []) == .silentError)
        #expect(Judge.verdict(of: result(exit: 134), problems: []) == .crash)
        #expect(Judge.verdict(of: result(exit: 3, stderr: "locked"), problems: []) == .crash)
        #expect(Judge.verdict(of: result(signal: SIGILL), problems: []) == .crash)
        #expect(Judge.verdict(of: result(signal: SIGKILL, timedOut: true), problems: []) == .hang)
        #expect(Judge.verdict(of: result(exit: 0), problems: ["temporary left"]) == .partialOutput)
    }

    @Test func temporariesAndUnrecordedOutputsArePartial() throws {
        let dir = scratchDirectory("figpipe-verdict")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"
        let cache = dir + "/cache"
        try FileManager.default.createDirectory(atPath: out + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: cache + "/tmp", withIntermediateDirectories: true)
        #expect(
            Judge.outputProblems(
                exitCode: 0, outputRoot: out, cacheRoot: cache, pipeline: nil, selected: [],
                invalidMeansNothingWritten: true
            ).isEmpty)
        _ = FileManager.default.createFile(atPath: cache + "/tmp/.x.json.figpipe-tmp-1-1", contents: Data())
        _ = FileManager.default.createFile(atPath: out + "/a/fig.png", contents: Data("half".utf8))
        let problems = Judge.outputProblems(
            exitCode: 2, outputRoot: out, cacheRoot: cache, pipeline: nil, selected: [],
            invalidMeansNothingWritten: true)
        #expect(problems.contains { $0.hasPrefix("temporary left") })
        #expect(problems.contains { $0.contains("is not a cached object") })
        #expect(problems.contains { $0.hasPrefix("exit 2") })
    }

    /// A campaign against stand-ins for figpipe: one that crashes and one that
    /// hangs. Every mutant must fail, so the fuzz test can fail.
    @Test func aCrashingOrHangingFigpipeFailsEveryMutant() async throws {
        let dir = scratchDirectory("figpipe-fake")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, body) in [("crasher", "kill -SEGV $$"), ("sleeper", "case \"$*\" in *atlas*) sleep 3 ;; esac")] {
            let script = dir + "/" + name
            _ = FileManager.default.createFile(
                atPath: script, contents: Data("#!/bin/sh\n\(body)\n".utf8), attributes: [.posixPermissions: 0o755])
            var options = CampaignOptions(repositoryRoot: repositoryRoot, figpipe: script, workDirectory: dir + "/w")
            options.mutantsPerFamily = 3
            options.families = Family.all.filter { $0.name == "compression.atlas-layer" }
            options.timeLimit = 1
            let chosen = options
            let report = try await onThread { try Campaign.run(chosen) }
            let expected: Verdict = name == "crasher" ? .crash : .hang
            #expect(report.records.count == 3)
            #expect(report.records.allSatisfy { $0.verdict == expected }, "\(report.table)")
            #expect(report.failures.count == 3)
        }
    }
}
