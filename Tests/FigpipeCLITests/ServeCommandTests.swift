import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `figpipe serve` as a process: its bad ports, and a rerun after a save.
@Suite struct ServeCommandTests {
    @Test func aPortOutOfRangeIsAnInvalidCommandLine() async throws {
        let project = CLIProject()
        try project.writePipeline([])
        let outcome = try await project.run("serve", "--port", "70000")
        #expect(outcome.exitCode == 2, "\(outcome)")
        #expect(outcome.stderr.contains("--port: 70000 is not a port number (0 to 65535)"), "\(outcome)")
    }

    @Test func aTakenPortIsNamed() async throws {
        let project = CLIProject()
        try project.writePipeline([])
        // Hold a port on 127.0.0.1.
        let held = try #require(LoopbackSocket())
        try #require(listen(held.fd, 1) == 0)
        let port = held.port
        let outcome = try await project.run("serve", "--port", "\(port)")
        #expect(outcome.exitCode == 2, "\(outcome)")
        #expect(outcome.stderr.contains("--port \(port): cannot listen on 127.0.0.1"), "\(outcome)")
        withExtendedLifetime(held) {}
    }

    @Test func aSavedInputIsRunAgain() async throws {
        let project = CLIProject()
        try project.writeData("a.txt", "one")
        try project.writePipeline([
            stage("source", "test.source", inputs: ["file": "a.txt"]),
            stage("render", "test.render", params: ["path": "a.out"], inputs: ["in": "source"]),
        ])
        let child = try project.spawn(["serve", "--port", "0"])
        defer {
            child.send(SIGINT)
            _ = waitUntil(timeout: 10) { child.hasExited }
        }
        let stdout = child.stdoutPath
        let read = { @Sendable in
            FileManager.default.contents(atPath: stdout).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
        #expect(await poll(timeout: 60) { read().contains("start: 0 cached, 2 ran") }, "\(read())\(child.stderrSoFar)")
        #expect(project.output("a.out") == "one")
        try project.writeData("a.txt", "two")
        #expect(await poll(timeout: 60) { read().contains("a.txt: 0 cached, 2 ran") }, "\(read())\(child.stderrSoFar)")
        #expect(project.output("a.out") == "two")
        #expect(read().hasPrefix("serving out at http://127.0.0.1:"))
    }
}
