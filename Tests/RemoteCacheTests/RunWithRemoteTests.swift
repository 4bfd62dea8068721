import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

@testable import RemoteCache

/// a.txt → a → up → fig (out/x.txt), and a 1 MiB render.
private func project(_ text: String = "hello") throws -> Project {
    let p = Project()
    try p.writeData("a.txt", text)
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("up", "test.upper", inputs: ["in": "a"]),
        stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "up"]),
        stage("big", "test.slow-render", params: ["path": "big.bin", "seconds": 0]),
    ])
    return p
}

@Suite struct RunsWithARemoteCache {
    @Test func aSecondMachineRunsNothingAndWritesTheSameBytes() async throws {
        let server = try TestServer()
        let warnings = Warnings()
        let ci = try project()
        let first = try await offPool { try ci.run(remote: testCache(server, upload: true, warnings: warnings)) }
        #expect(first.ranIDs == ["a", "up", "fig", "big"])
        #expect(first.usedRemote && first.line.hasPrefix("0 cached, 0 remote, 4 ran, 0 failed in "), "\(first.line)")
        #expect(server.files.keys.filter { $0.hasPrefix("/ac/") }.count == 4)

        let laptop = try project()
        let puts = server.requests.filter { $0.method == "PUT" }.count
        let second = try await offPool { try laptop.run(remote: testCache(server, upload: false, warnings: warnings)) }
        #expect(second.remoteIDs == ["a", "up", "fig", "big"], "\(second.outcomes)")
        #expect(second.line.hasPrefix("0 cached, 4 remote, 0 ran, 0 failed in "), "\(second.line)")
        #expect(laptop.log.total == 0)
        #expect(laptop.output("x.txt") == "HELLO")
        #expect(
            FileManager.default.contents(atPath: laptop.outputPath("big.bin"))
                == FileManager.default.contents(atPath: ci.outputPath("big.bin")))
        #expect(server.requests.filter { $0.method == "PUT" }.count == puts)
        // The verified hits are in the local store: the next run asks the server nothing.
        let asked = server.requests.count
        let third = try await offPool { try laptop.run(remote: testCache(server, upload: false, warnings: warnings)) }
        #expect(third.cachedIDs == ["a", "up", "fig", "big"])
        #expect(server.requests.count == asked)
        #expect(warnings.all.isEmpty)
    }

    /// A local hit is shared when the remote lacks it (a CI runner with a warm
    /// cache), and a forced stage's new result replaces the remote one.
    @Test func localHitsAreSharedWhenTheRemoteLacksThem() async throws {
        let server = try TestServer()
        let warnings = Warnings()
        let ci = try project()
        try await offPool { _ = try ci.run() }
        let shared = try await offPool { try ci.run(remote: testCache(server, upload: true, warnings: warnings)) }
        #expect(shared.cachedIDs.count == 4)
        #expect(server.files.keys.filter { $0.hasPrefix("/ac/") }.count == 4)
        #expect(warnings.all.isEmpty)
    }

    @Test func changedInputsMissAndAReadOnlyRunUploadsNothing() async throws {
        let server = try TestServer()
        let warnings = Warnings()
        let ci = try project()
        try await offPool { _ = try ci.run(remote: testCache(server, upload: true, warnings: warnings)) }
        let files = server.files
        let puts = server.requests.filter { $0.method == "PUT" }.count
        let laptop = try project("other")
        let run = try await offPool { try laptop.run(remote: testCache(server, upload: false, warnings: warnings)) }
        #expect(run.ranIDs == ["a", "up", "fig"])
        #expect(run.remoteIDs == ["big"])
        #expect(laptop.output("x.txt") == "OTHER")
        #expect(server.files == files)
        #expect(server.requests.filter { $0.method == "PUT" }.count == puts)
    }

    /// The server goes away mid-run: one warning, and the run finishes locally.
    @Test func anUnreachableRemoteNeverFailsARun() async throws {
        let server = try TestServer()
        let url = server.url
        server.stop()
        let warnings = Warnings()
        let laptop = try project()
        var settings = RemoteSettings(base: url)
        settings.backoff = 0.01
        settings.upload = true
        let cache = HTTPCache(settings: settings) { warnings.add($0) }
        let run = try await offPool { try laptop.run(jobs: 4, remote: cache) }
        #expect(run.ranIDs.count == 4 && run.failed == 0)
        #expect(warnings.all.count == 1, "\(warnings.all)")
        #expect(laptop.output("x.txt") == "HELLO")
    }
}
