import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

/// a.txt → a → up → fig (x.txt); b.txt → b → fig2 (sub/y.txt) → cmd (a
/// program: cmd/out.txt and its logs); big (2 MiB); and `extra`.
private func writeProject(_ p: CLIProject, a: String = "hello", extra: [JSONValue] = []) throws {
    try p.writeData("a.txt", a)
    try p.writeData("b.txt", "bee")
    try p.writePipeline(
        [
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("up", "test.upper", inputs: ["in": "a"]),
            stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "up"]),
            stage("b", "test.source", inputs: ["file": "b.txt"]),
            stage("fig2", "test.render", params: ["path": "sub/y.txt"], inputs: ["in": "b"]),
            stage("big", "test.slow-render", params: ["path": "big.bin", "seconds": 0, "megabytes": 2]),
            stage(
                "cmd", "command",
                params: [
                    "run": [
                        "sh", "-c", #"tr a-z A-Z < "$0" > "$1"; echo converted"#, "{inputs.text}", "{outputs.out}",
                    ],
                    "outputs": ["out": "cmd/out.txt"], "tools": ["sh"],
                ], inputs: ["text": "fig2"]),
        ] + extra)
}

/// Every file under the project's output root, with its bytes.
private func outputs(_ p: CLIProject) -> [String: Data] {
    var out: [String: Data] = [:]
    for name in p.dir.files(under: "out") {
        out[name] = FileManager.default.contents(atPath: p.dir.file("out/" + name))
    }
    return out
}

/// The blobs a manifest names: (hash, size).
private func blobs(_ manifest: JSONValue) -> [(hash: String, size: Int)] {
    var digests = [manifest["artifact"]?["digest"], manifest["stdout_digest"], manifest["stderr_digest"]]
    digests += (manifest["output_files"]?.arrayValue ?? []).map { $0["digest"] }
    return digests.compactMap { d in
        guard let hash = d?["hash"]?.stringValue, let size = d?["size_bytes"]?.intValue else { return nil }
        return (hash, size)
    }
}

/// A CI machine: the project run with uploads to `nginx`.
private func uploadedByCI(_ nginx: Nginx, extra: [JSONValue] = []) async throws -> CLIProject {
    let ci = CLIProject()
    try writeProject(ci, extra: extra)
    let upload = try await ci.run("run", "--remote-cache", nginx.url, "--remote-upload")
    #expect(upload.exitCode == 0, "\(upload)")
    return ci
}

/// The nginx integration tests: Debian's nginx, started by each test, is the
/// remote cache of `figpipe-testbed` runs in fresh project folders (each one
/// a machine of its own). Serialized: each starts a server and a dozen runs,
/// and the other suites' timing-sensitive tests share the machine.
@Suite(.serialized, .enabled(if: Nginx.executable != nil, Comment(rawValue: Nginx.missing)))
struct RemoteCacheOnNginx {
    @Test func aCIRunUploadsAndASecondMachineRunsNothing() async throws {
        let nginx = try Nginx()
        let ci = CLIProject()
        try writeProject(ci)
        let upload = try await ci.run("run", "--remote-cache", nginx.url, "--remote-upload")
        #expect(upload.exitCode == 0, "\(upload)")
        #expect(upload.stdoutLines.last?.hasPrefix("0 cached, 0 remote, 7 ran, 0 failed in ") == true, "\(upload)")
        #expect(upload.stderr == "")

        // Seven entries, each naming blobs that are on the server and were put there before it.
        let files = nginx.files
        let entries = files.keys.filter { $0.hasPrefix("ac/") }.sorted()
        #expect(entries.count == 7, "\(files.keys.sorted())")
        let log = nginx.requests
        for name in entries {
            let manifest = try JSONValue(parsing: Array(try #require(files[name])))
            #expect(manifest["format"] == "figpipe-action-result")
            #expect(manifest["stage_key"]?.stringValue == String(name.dropFirst(3)))
            #expect(manifest["figpipe_version"]?.stringValue?.isEmpty == false)
            let entryPut = try #require(log.firstIndex { $0.method == "PUT" && $0.uri == "/" + name })
            for (hash, size) in blobs(manifest) {
                #expect(files["cas/" + hash]?.count == size)
                let blobPut = try #require(log.firstIndex { $0.method == "PUT" && $0.uri == "/cas/" + hash })
                #expect(blobPut < entryPut, "cas/\(hash) after \(name)")
            }
        }
        #expect(log.filter { $0.method == "PUT" }.allSatisfy { $0.status == 201 || $0.status == 204 })

        // A second machine: a fresh folder and cache, the same inputs.
        let laptop = CLIProject()
        try writeProject(laptop)
        let before = nginx.requests.count
        let download = try await laptop.run("run", "--remote-cache", nginx.url)
        #expect(download.exitCode == 0, "\(download)")
        #expect(download.stdoutLines.last?.hasPrefix("0 cached, 7 remote, 0 ran, 0 failed in ") == true, "\(download)")
        #expect(isSummaryLine(download.stdoutLines.last))
        for line in download.stdoutLines.dropLast() {
            #expect(line.wholeMatch(of: #/\[\d/7\] remote  \S+ +\d+\.\d\ds/#) != nil, "\(line)")
        }
        #expect(laptop.counts.isEmpty)
        #expect(outputs(laptop) == outputs(ci))
        #expect(outputs(laptop).count == 4)
        #expect(nginx.requests.dropFirst(before).allSatisfy { $0.method == "GET" })
        let logs = try await laptop.run("log", "cmd", "--stdout")
        #expect(logs.stdout == "converted\n", "\(logs)")

        // Its next run is all local.
        let asked = nginx.requests.count
        let again = try await laptop.run("run", "--remote-cache", nginx.url)
        #expect(again.stdoutLines.last?.hasPrefix("7 cached, 0 remote, 0 ran, 0 failed in ") == true, "\(again)")
        #expect(nginx.requests.count == asked)

        // A third machine asks `status`: everything is in the remote cache, nothing is downloaded.
        let third = CLIProject()
        try writeProject(third)
        let status = try await third.run("status", "--remote-cache", nginx.url)
        #expect(status.exitCode == 0, "\(status)")
        #expect(status.stdoutLines.last == "0 up to date, 7 remote, 0 stale", "\(status)")
        #expect(status.stdoutLines.first == "remote     a      in the remote cache", "\(status)")
        #expect(third.dir.files(under: ".figpipe").allSatisfy { !$0.hasPrefix("objects/") })
        let dry = try await third.run("run", "--dry-run", "--remote-cache", nginx.url)
        #expect(
            dry.stdoutLines.last == "dry run: 0 cached, 0 to restore, 7 from the remote cache, 0 would run", "\(dry)")
    }

    @Test func aReadOnlyRunWritesNothingToTheServer() async throws {
        let nginx = try Nginx()
        _ = try await uploadedByCI(nginx)
        let stored = nginx.files
        let before = nginx.requests.count
        let laptop = CLIProject()
        try writeProject(laptop, a: "changed")
        let run = try await laptop.run("run", "--remote-cache", nginx.url)
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdoutLines.last?.hasPrefix("0 cached, 4 remote, 3 ran, 0 failed in ") == true, "\(run)")
        #expect(laptop.counts == ["a": 1, "up": 1, "fig": 1])
        #expect(laptop.output("x.txt") == "CHANGED")
        #expect(nginx.files == stored)
        #expect(nginx.requests.dropFirst(before).allSatisfy { $0.method == "GET" || $0.method == "HEAD" })
    }

    /// A blob damaged on the server is found by its hash: the stage runs on
    /// this machine, and (uploading) this machine puts the right bytes back.
    @Test func aCorruptedBlobIsDetectedAndRebuiltLocally() async throws {
        let nginx = try Nginx()
        _ = try await uploadedByCI(nginx)
        let blob = nginx.store + "/cas/" + Digest.sha256(Array("HELLO".utf8))
        #expect(FileManager.default.contents(atPath: blob) == Data("HELLO".utf8))
        try Data("JELLO".utf8).write(to: URL(fileURLWithPath: blob))

        let laptop = CLIProject()
        try writeProject(laptop)
        let run = try await laptop.run("run", "--remote-cache", nginx.url, "--remote-upload")
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdoutLines.last?.hasPrefix("0 cached, 6 remote, 1 ran, 0 failed in ") == true, "\(run)")
        #expect(laptop.counts == ["fig": 1])
        #expect(laptop.output("x.txt") == "HELLO")
        #expect(run.stderr.contains("fig: the remote cache's copy is unusable: cas/"), "\(run)")
        #expect(run.stderr.contains("is corrupt"), "\(run)")
        #expect(FileManager.default.contents(atPath: blob) == Data("HELLO".utf8))
        #expect(laptop.dir.files(under: ".figpipe").allSatisfy { !$0.contains(AtomicWriter.marker) })
    }

    /// The server stops while a stage runs: one warning, and the stages after
    /// it run here; the run succeeds.
    @Test func theServerStopsMidRun() async throws {
        let nginx = try Nginx()
        func write(_ p: CLIProject, gate: String) throws {
            try p.writeData("a.txt", "hello")
            try p.writeData("b.txt", "bee")
            try p.writePipeline([
                stage("b", "test.source", inputs: ["file": "b.txt"]),
                stage("gate", "test.slow-render", params: ["path": "gate.bin", "seconds": 0, "until": .string(gate)]),
                stage("a", "test.source", inputs: ["file": "a.txt"]),
                stage("up", "test.upper", inputs: ["in": "a"]),
                stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "up"]),
            ])
        }
        let ci = CLIProject()
        try write(ci, gate: "")
        #expect(try await ci.run("run", "--remote-cache", nginx.url, "--remote-upload").exitCode == 0)

        // The gate differs (a miss): it runs here, and waits for the test.
        let laptop = CLIProject()
        let gate = laptop.io.file("open")
        try write(laptop, gate: gate)
        let child = try laptop.spawn(["run", "--jobs", "1", "--remote-cache", nginx.url])
        let started = await poll { laptop.counts["gate"] == 1 }
        #expect(started)
        nginx.stop()
        FileManager.default.createFile(atPath: gate, contents: Data())
        let run = try await child.finish()
        #expect(run.exitCode == 0, "\(run)")
        #expect(run.stdoutLines.last?.hasPrefix("0 cached, 1 remote, 4 ran, 0 failed in ") == true, "\(run)")
        #expect(run.stdoutLines.first?.hasPrefix("[1/5] remote  b ") == true, "\(run)")
        #expect(run.stderrLines.filter { $0.contains("unavailable") }.count == 1, "\(run)")
        #expect(run.stderr.contains("this run goes on with the local cache only"), "\(run)")
        #expect(laptop.output("x.txt") == "HELLO")
    }

    /// Four jobs at once, uploading and downloading: the same bytes as one
    /// job without any remote cache.
    @Test func fourJobsUploadAndDownloadTheSameBytes() async throws {
        let nginx = try Nginx()
        let extra = (0..<8).map { n in
            stage("copy\(n)", "test.render", params: ["path": .string("copies/\(n).txt")], inputs: ["in": "up"])
        }
        let ci = CLIProject()
        try writeProject(ci, extra: extra)
        let upload = try await ci.run("run", "--jobs", "4", "--remote-cache", nginx.url, "--remote-upload")
        #expect(upload.exitCode == 0, "\(upload)")
        #expect(upload.stdoutLines.last?.hasPrefix("0 cached, 0 remote, 15 ran, 0 failed in ") == true, "\(upload)")
        #expect(nginx.files.keys.filter { $0.hasPrefix("ac/") }.count == 15)

        let laptop = CLIProject()
        try writeProject(laptop, extra: extra)
        let download = try await laptop.run("run", "--jobs", "4", "--remote-cache", nginx.url)
        #expect(download.stdoutLines.last?.hasPrefix("0 cached, 15 remote, 0 ran, 0 failed in ") == true, "\(download)")
        #expect(laptop.counts.isEmpty)

        let alone = CLIProject()
        try writeProject(alone, extra: extra)
        #expect(try await alone.run("run", "--jobs", "1").exitCode == 0)
        #expect(outputs(laptop) == outputs(ci))
        #expect(outputs(alone) == outputs(ci))
        #expect(outputs(ci).count == 12)
    }

    /// `figpipe check` on a machine with the committed outputs and an empty
    /// cache: everything from the remote cache, nothing run, exit 0.
    @Test func checkUsesTheRemoteCache() async throws {
        let nginx = try Nginx()
        let ci = CLIProject()
        try writeProject(ci)
        // Nothing committed yet: the check fails, and its results are shared all the same.
        let first = try await ci.run("check", "--remote-cache", nginx.url, "--remote-upload")
        #expect(first.exitCode == 1, "\(first)")
        #expect(first.stderrLines.filter { $0.hasPrefix("  missing  out/") }.count == 4, "\(first)")
        #expect(nginx.files.keys.filter { $0.hasPrefix("ac/") }.count == 7)
        #expect(try await ci.run("run").exitCode == 0)
        let pr = CLIProject()
        try writeProject(pr)
        for (name, bytes) in outputs(ci) { try pr.dir.write("out/" + name, Array(bytes)) }
        let check = try await pr.run("check", "--remote-cache", nginx.url)
        #expect(check.exitCode == 0, "\(check)")
        #expect(check.stdoutLines.contains { $0.hasPrefix("0 cached, 7 remote, 0 ran, 0 failed in ") }, "\(check)")
        #expect(check.stdoutLines.last == "check: all 4 output files under out are what the pipeline makes", "\(check)")
        #expect(pr.counts.isEmpty)
    }
}
