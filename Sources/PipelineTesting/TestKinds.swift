import FigpipeBasics
import Foundation
import Pipeline

/// Counts stage invocations, in memory and optionally appended to a file (for
/// tests that run figpipe in another process).
public final class InvocationLog: Sendable {
    private let counts = Locked<[String: Int]>([:])
    private let file: String?

    public init(file: String? = nil) { self.file = file }

    public func record(_ stageID: String) {
        counts.withLock { counts in
            counts[stageID, default: 0] += 1
            if let file {
                let fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0o644)
                if fd >= 0 {
                    let line = Array((stageID + "\n").utf8)
                    _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
            }
        }
    }

    public func count(_ stageID: String) -> Int { counts.withLock { $0[stageID, default: 0] } }

    public var total: Int { counts.withLock { $0.values.reduce(0, +) } }

    public func reset() { counts.withLock { $0 = [:] } }

    /// Counts per stage id read back from a log file.
    public static func counts(inFile path: String) -> [String: Int] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [:] }
        var out: [String: Int] = [:]
        for line in text.split(separator: "\n") { out[String(line), default: 0] += 1 }
        return out
    }
}

/// Stage kinds for the pipeline's own tests: small, pure, and counting their
/// invocations. All pass text around as the artifact type `test.text`
/// (canonical JSON `{"text": …}`).
public enum TestKinds {
    public static let textType = "test.text"

    public static func text(_ a: Artifact?) throws -> String {
        guard let a else { return "" }
        guard let t = try a.json()["text"]?.stringValue else { throw StageError("not a test.text artifact") }
        return t
    }

    static func output(_ text: String) -> StageOutput {
        StageOutput(artifact: Artifact(type: textType, json: ["text": .string(text)]))
    }

    public static func all(log: InvocationLog) -> [StageKind] {
        [
            StageKind(
                name: "test.source", version: 1, summary: "Reads a file as text (plus a suffix).",
                parameters: [ParameterSpec("suffix", .string, default: "", help: "appended to the text")],
                inputs: [.file("file", help: "any text file")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                let bytes = try FileIO.read(try ctx.requiredFilePath("file"))
                return output(String(decoding: bytes, as: UTF8.self) + (try ctx.parameters.string("suffix")))
            },
            StageKind(
                name: "test.optional-file", version: 1, summary: "Reads a file if it exists.",
                inputs: [.file("file", optional: true, help: "an optional file")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                guard let path = ctx.filePath("file") else { return output("(absent)") }
                return output(String(decoding: try FileIO.read(path), as: UTF8.self))
            },
            StageKind(
                name: "test.skip", version: 1,
                summary: "Reads an optional file as text; skips itself (StageSkipped) when it is absent or empty.",
                inputs: [.file("file", optional: true, help: "the optional file the stage is gated on")],
                output: textType
            ) { ctx in
                log.record(ctx.stageID)
                guard let path = ctx.filePath("file") else {
                    throw StageSkipped("file not found at \(ctx.displayPath("file")) — skipping")
                }
                let bytes = try FileIO.read(path)
                if bytes.isEmpty { throw StageSkipped("file \(ctx.displayPath("file")) is empty — skipping") }
                return output(String(decoding: bytes, as: UTF8.self))
            },
            StageKind(
                name: "test.upper", version: 1, summary: "Upper-cases its input.",
                inputs: [.stage("in", accepts: [textType], help: "text")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                return output(try text(ctx.artifact("in")).uppercased())
            },
            StageKind(
                name: "test.length", version: 1, summary: "The length of its input, as text.",
                inputs: [.stage("in", accepts: [textType], help: "text")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                return output(String(try text(ctx.artifact("in")).count))
            },
            StageKind(
                name: "test.concat", version: 1, summary: "Joins two texts.",
                parameters: [
                    ParameterSpec("separator", .string, default: "+", help: "between a and b"),
                    ParameterSpec("repeat", .int, default: 1, help: "how many times to repeat a"),
                    ParameterSpec("scale", .double, default: 1.0, help: "unused number"),
                    ParameterSpec("tags", .stringList, default: [], help: "unused list"),
                ],
                inputs: [
                    .stage("a", accepts: [textType], help: "first"),
                    .stage("b", accepts: [textType], optional: true, help: "second"),
                ],
                output: textType
            ) { ctx in
                log.record(ctx.stageID)
                let a = String(repeating: try text(ctx.artifact("a")), count: max(0, try ctx.parameters.int("repeat")))
                return output(a + (try ctx.parameters.string("separator")) + (try text(ctx.artifact("b"))))
            },
            StageKind(
                name: "test.join-all", version: 1, summary: "Joins the texts of a list of stages, in order.",
                inputs: [.stages("parts", accepts: [textType], help: "the texts")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                return output(try ctx.artifactList("parts").map { try text($0) }.joined(separator: ","))
            },
            StageKind(
                name: "test.render", version: 1, summary: "Writes its input text to a file in the output root.",
                parameters: [ParameterSpec("path", .string, help: "the file, relative to the output root")],
                inputs: [.stage("in", accepts: [textType], help: "text")], output: filesArtifactType,
                outputFiles: { p in [(try? p.string("path")) ?? "out.txt"] }
            ) { ctx in
                log.record(ctx.stageID)
                return StageOutput(files: [try ctx.parameters.string("path"): Array(try text(ctx.artifact("in")).utf8)])
            },
            StageKind(
                name: "test.fail", version: 1, summary: "Always fails.",
                parameters: [ParameterSpec("message", .string, default: "deliberate failure", help: "the error")],
                inputs: [.stage("in", accepts: [textType], optional: true, help: "ignored")], output: textType
            ) { ctx in
                log.record(ctx.stageID)
                throw StageError(try ctx.parameters.string("message"))
            },
            StageKind(
                name: "test.slow-render", version: 1,
                summary: "Sleeps, then writes a file of the given size (for lock and interrupt tests).",
                parameters: [
                    ParameterSpec("path", .string, help: "the file, relative to the output root"),
                    ParameterSpec("seconds", .double, default: 1.0, help: "how long to sleep"),
                    ParameterSpec(
                        "until", .string, default: "",
                        help:
                            "if set, an absolute path: wait until that file exists (at most 120 s) instead of sleeping"),
                    ParameterSpec("megabytes", .int, default: 1, help: "the file's size"),
                ],
                inputs: [.stage("in", accepts: [textType], optional: true, help: "ignored")], output: filesArtifactType,
                outputFiles: { p in [(try? p.string("path")) ?? "slow.bin"] }
            ) { ctx in
                log.record(ctx.stageID)
                let gate = try ctx.parameters.string("until")
                if gate.isEmpty {
                    usleep(UInt32(max(0, try ctx.parameters.double("seconds")) * 1e6))
                } else {
                    // A gate the test opens, so the stage outlasts any scheduling delay in the test.
                    let deadline = Date().addingTimeInterval(120)
                    while !FileManager.default.fileExists(atPath: gate), Date() < deadline { usleep(5000) }
                }
                let n = max(0, try ctx.parameters.int("megabytes")) << 20
                var bytes = [UInt8](repeating: 0, count: n)
                for i in stride(from: 0, to: n, by: 4096) { bytes[i] = UInt8(truncatingIfNeeded: i >> 12) }
                return StageOutput(files: [try ctx.parameters.string("path"): bytes])
            },
        ]
    }
}
