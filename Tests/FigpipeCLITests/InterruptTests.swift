import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the run is when the signal arrives.
enum Phase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Inside the slow stage's run function (sleeping).
    case runningStage
    /// Writing the large output's object into the cache (`.figpipe/tmp/…`).
    case writingObject
    /// Writing the large output file into the output root (`out/big/.big.bin…`).
    case writingOutput

    var testDescription: String { rawValue }
}

struct Kill: Sendable, CustomTestStringConvertible {
    var signal: Int32
    var phase: Phase
    var testDescription: String {
        let name = [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGKILL: "SIGKILL"][signal] ?? "\(signal)"
        return "\(name) while \(phase.rawValue)"
    }
}

private let megabytes = 128

/// The bytes `test.slow-render` writes for `megabytes`.
private let bigHash: String = {
    let n = megabytes << 20
    var bytes = [UInt8](repeating: 0, count: n)
    for i in stride(from: 0, to: n, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i >> 12) }
    return Digest.sha256(bytes)
}()

/// a → up → fig (small); up → slow (large, out/big/big.bin); up → late → late-fig.
/// With `--jobs 1`, fig finishes before slow starts and late starts after slow.
/// For `.runningStage`, slow waits for the file `gate` (created after the kill).
private func pipeline(_ p: CLIProject, phase: Phase, gate: String) throws {
    try p.writeData("a.txt", "hello")
    let params: [String: JSONValue] =
        phase == .runningStage
        ? ["path": "big/big.bin", "megabytes": .int(megabytes), "until": .string(gate)]
        : ["path": "big/big.bin", "megabytes": .int(megabytes), "seconds": 0]
    try p.writePipeline([
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("up", "test.upper", inputs: ["in": "a"]),
        stage("fig", "test.render", params: ["path": "small/up.txt"], inputs: ["in": "up"]),
        stage("slow", "test.slow-render", params: params, inputs: ["in": "up"]),
        stage("late", "test.upper", inputs: ["in": "up"]),
        stage("late-fig", "test.render", params: ["path": "late.txt"], inputs: ["in": "late"]),
    ])
}

/// Stage ids with an action entry in the cache (stages that finished).
private func finishedStages(_ p: CLIProject) -> Set<String> {
    var out = Set<String>()
    for name in p.dir.files(under: ".figpipe/actions") {
        if let text = p.dir.read(".figpipe/actions/" + name), let json = try? JSONValue(parsing: text),
            let id = json["stage"]?.stringValue
        {
            out.insert(id)
        }
    }
    return out
}

/// Checks what must hold after any interruption (and after any run).
private func checkNothingPartial(_ p: CLIProject, temporariesAllowed: Bool, _ when: String) throws {
    if !temporariesAllowed {
        #expect(p.dir.entries(under: "out", containing: AtomicWriter.marker) == [], "\(when)")
        #expect(p.dir.entries(under: ".figpipe", containing: AtomicWriter.marker) == [], "\(when)")
    }
    // No file under its final name with wrong content.
    if p.dir.exists("out/big/big.bin") {
        #expect(try Digest.sha256(fileAt: p.dir.file("out/big/big.bin")) == bigHash, "\(when): big.bin")
    }
    if let small = p.output("small/up.txt") { #expect(small == "HELLO", "\(when)") }
    if let late = p.output("late.txt") { #expect(late == "HELLO", "\(when)") }
    // Every object is named by the SHA-256 of its bytes.
    for rel in p.dir.files(under: ".figpipe/objects") where !rel.contains(AtomicWriter.marker) {
        let name = rel.replacingOccurrences(of: "/", with: "")
        #expect(try Digest.sha256(fileAt: p.dir.file(".figpipe/objects/" + rel)) == name, "\(when): object \(rel)")
    }
}

/// Runs are killed mid-stage and mid-write; nothing partial is left, and the
/// next run completes only what was left. Serialized: each writes large files.
@Suite(.serialized) struct Interrupts {
    static let cases: [Kill] = [SIGTERM, SIGINT, SIGKILL].flatMap { s in
        Phase.allCases.map { Kill(signal: s, phase: $0) }
    }

    @Test(arguments: cases)
    func killedRunRecovers(_ kill: Kill) async throws {
        let p = CLIProject()
        let gate = p.io.file("gate")
        try pipeline(p, phase: kill.phase, gate: gate)
        let child = try p.spawn(["run", "--jobs", "1"])

        // Wait for the moment, and strike from the polling thread the moment it comes.
        let objectTemporaryPrefix = "." + String(bigHash.dropFirst(2)) + AtomicWriter.marker
        let phase = kill.phase
        let struck = Flag()
        _ = await poll(
            {
                if child.hasExited { return true }
                switch phase {
                case .runningStage:
                    return p.counts["slow"] == 1
                case .writingObject:
                    return p.dir.files(under: ".figpipe/tmp").contains { $0.hasPrefix(objectTemporaryPrefix) }
                case .writingOutput:
                    return p.dir.files(under: "out/big").contains { $0.hasPrefix(".big.bin" + AtomicWriter.marker) }
                }
            },
            then: {
                if !child.hasExited {
                    child.send(kill.signal)
                    struck.set()
                }
            })
        try #require(struck.value, "the run ended before \(kill.phase): \(child.stderrSoFar)")
        let killed = try await child.finish()
        FileManager.default.createFile(atPath: gate, contents: Data())

        switch kill.signal {
        case SIGKILL:
            #expect(killed.signal == SIGKILL, "\(killed)")
        case SIGINT:
            #expect(killed.exitCode == 130, "\(killed)")
        default:
            #expect(killed.exitCode == 128 + kill.signal, "\(killed)")
        }
        if kill.signal != SIGKILL {
            #expect(killed.stderr.contains("interrupted; no partial file was kept"), "\(killed)")
        }
        // SIGKILL cannot clean up: its temporaries are swept by the next run.
        try checkNothingPartial(p, temporariesAllowed: kill.signal == SIGKILL, "after \(kill.testDescription)")
        #expect(p.output("small/up.txt") == "HELLO")
        #expect(p.counts["late"] == nil)
        let countsBefore = p.counts
        let finished = finishedStages(p)
        #expect(finished.isSuperset(of: ["a", "up", "fig"]))
        if kill.phase != .writingOutput { #expect(!finished.contains("slow")) }

        // The next run completes what was left, and only that.
        let next = try await p.run("run", "--jobs", "1")
        #expect(next.exitCode == 0, "\(next)")
        #expect(isSummaryLine(next.stdoutLines.last), "\(next)")
        try checkNothingPartial(p, temporariesAllowed: false, "after the next run")
        #expect(try Digest.sha256(fileAt: p.dir.file("out/big/big.bin")) == bigHash)
        #expect(p.output("late.txt") == "HELLO")
        let countsAfter = p.counts
        for id in ["a", "up", "fig", "slow", "late", "late-fig"] {
            let expected = countsBefore[id, default: 0] + (finished.contains(id) ? 0 : 1)
            #expect(countsAfter[id, default: 0] == expected, "\(id): \(countsBefore) → \(countsAfter)")
        }
        // And then everything is cached.
        let third = try await p.run("run")
        #expect(third.stdoutLines.last?.hasPrefix("6 cached, 0 ran, 0 failed") == true, "\(third)")
    }
}
