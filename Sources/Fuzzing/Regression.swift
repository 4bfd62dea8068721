import FigpipeBasics
import Foundation
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A known crashing input, kept as a recipe (`Tests/FuzzingTests/Fixtures/regressions/regressions.json`):
/// which file to change and how, what to run, and what figpipe must do instead
/// of crashing or hanging. Recipes rather than files: a 100,000-level nesting
/// is generated, and a FIFO or a folder can only be made at run time.
public struct Regression: Sendable, CustomStringConvertible {
    /// How the file is changed.
    public enum Edit: Sendable {
        /// The value of the `occurrence`-th member named `key` becomes `raw`
        /// (`\xHH` in `raw` stands for the byte HH).
        case replace(key: String, occurrence: Int, raw: String)
        /// The value of the `occurrence`-th member named `key` becomes `depth` nested arrays.
        case nest(key: String, occurrence: Int, depth: Int)
        /// `raw` is inserted after the first `after` (`\xHH` as above; `{nest}`
        /// stands for `depth` nested arrays).
        case insert(after: String, raw: String, depth: Int)
        /// The file becomes an empty folder.
        case directory
        /// The file becomes a FIFO (nothing ever writes to it).
        case fifo
    }

    public var name: String
    /// What the issue reported.
    public var issue: String
    /// Relative to the data root, or `pipeline.json`.
    public var file: String
    public var edit: Edit
    public var targets: [String]
    /// Acceptable exit codes.
    public var exitCodes: [Int32]
    /// Each group: stderr must contain one of its strings (ignoring case).
    /// `{offset}`, `{offset1}` and `{linecol}` stand for the bad byte's
    /// offset (0-based, 1-based) and its `line:column`; `{start}`, `{start1}`
    /// and `{startlinecol}` for those of the value it is in.
    public var mentions: [[String]]
    /// Stages that must still finish (ran or cached) although another failed.
    public var finishes: [String]

    public var description: String { name }

    public var editsPipeline: Bool { file == "pipeline.json" }

    /// The recipes of a manifest file.
    public static func load(_ path: String) throws -> [Regression] {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CampaignError("cannot read \(path)")
        }
        let json = try JSONValue(parsing: Array(bytes))
        return try (json["regressions"]?.arrayValue ?? []).map { try Regression(json: $0, in: path) }
    }

    init(json: JSONValue, in path: String) throws {
        func string(_ key: String) throws -> String {
            guard let s = json[key]?.stringValue else { throw CampaignError("\(path): a regression lacks '\(key)'") }
            return s
        }
        name = try string("name")
        issue = try string("issue")
        file = try string("file")
        let e = json["edit"] ?? .null
        let occurrence = e["occurrence"]?.intValue ?? 0
        if let key = e["replace"]?.stringValue, let raw = e["with"]?.stringValue {
            edit = .replace(key: key, occurrence: occurrence, raw: raw)
        } else if let key = e["nest"]?.stringValue, let depth = e["depth"]?.intValue {
            edit = .nest(key: key, occurrence: occurrence, depth: depth)
        } else if let after = e["insertAfter"]?.stringValue, let raw = e["insert"]?.stringValue {
            edit = .insert(after: after, raw: raw, depth: e["depth"]?.intValue ?? 0)
        } else if e["directory"]?.boolValue == true {
            edit = .directory
        } else if e["fifo"]?.boolValue == true {
            edit = .fifo
        } else {
            throw CampaignError("\(path): regression \(name): unknown edit \(e)")
        }
        targets = (json["targets"]?.arrayValue ?? []).compactMap(\.stringValue)
        exitCodes = (json["exit"]?.arrayValue ?? []).compactMap { $0.intValue.map { Int32($0) } }
        mentions = (json["mentions"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).compactMap(\.stringValue) }
        finishes = (json["finishes"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// `original` with the edit applied, the offset of the first changed byte
    /// (the value or text put in), and of the bad byte in it (its first non-ASCII byte, else the same).
    public func apply(to original: [UInt8]) throws -> (bytes: [UInt8], start: Int, offset: Int) {
        switch edit {
        case .replace(let key, let occurrence, let raw):
            let span = try value(of: key, occurrence, in: original)
            var bytes = original
            let with = Self.bytes(raw)
            bytes.replaceSubrange(span, with: with)
            // Point at the first byte that is not plain ASCII when there is one (the bad byte).
            let bad = with.firstIndex { $0 >= 0x80 } ?? 0
            return (bytes, span.lowerBound, span.lowerBound + bad)
        case .nest(let key, let occurrence, let depth):
            let span = try value(of: key, occurrence, in: original)
            var bytes = original
            bytes.replaceSubrange(
                span,
                with: Array(repeating: UInt8(ascii: "["), count: depth)
                    + Array(repeating: UInt8(ascii: "]"), count: depth))
            return (bytes, span.lowerBound, span.lowerBound)
        case .insert(let after, let raw, let depth):
            let needle = Array(after.utf8)
            guard let at = Self.find(needle, in: original) else {
                throw CampaignError("regression \(name): '\(after)' not found in \(file)")
            }
            var bytes = original
            let nest = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let with = Self.bytes(raw.replacingOccurrences(of: "{nest}", with: nest))
            bytes.insert(contentsOf: with, at: at + needle.count)
            let bad = with.firstIndex { $0 >= 0x80 } ?? 0
            return (bytes, at + needle.count, at + needle.count + bad)
        case .directory, .fifo:
            return (original, 0, 0)
        }
    }

    private func value(of key: String, _ occurrence: Int, in bytes: [UInt8]) throws -> Range<Int> {
        let spans = JSONSpans.scan(bytes, lines: Family.isJSONLines(file)).filter { !$0.isKey && $0.key == key }
            .sorted { $0.range.lowerBound < $1.range.lowerBound }
        guard occurrence < spans.count else {
            throw CampaignError("regression \(name): \(file) has no member '\(key)' #\(occurrence)")
        }
        return spans[occurrence].range
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if Array(bytes[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    /// UTF-8 of `text`, with `\xHH` turned into the byte HH.
    static func bytes(_ text: String) -> [UInt8] {
        let u = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < u.count {
            if u[i] == UInt8(ascii: "\\"), i + 3 < u.count, u[i + 1] == UInt8(ascii: "x"),
                let b = UInt8(String(decoding: u[(i + 2)..<min(i + 4, u.count)], as: UTF8.self), radix: 16)
            {
                out.append(b)
                i += 4
            } else {
                out.append(u[i])
                i += 1
            }
        }
        return out
    }

    /// Whether `text` contains `word`; a number (or `line:column`) only where
    /// no digit touches it, so `17` is not found in `170`.
    public static func mentions(_ text: String, _ word: String) -> Bool {
        guard !word.isEmpty, word.allSatisfy({ $0.isNumber || $0 == ":" }) else { return text.contains(word) }
        var rest = text[...]
        while let r = rest.range(of: word) {
            let before = r.lowerBound == text.startIndex ? nil : text[text.index(before: r.lowerBound)]
            let after = r.upperBound == text.endIndex ? nil : text[r.upperBound]
            if before?.isNumber != true && after?.isNumber != true { return true }
            rest = text[r.upperBound...]
        }
        return false
    }

    /// `line:column` (1-based) of a byte offset.
    static func lineColumn(_ offset: Int, in bytes: [UInt8]) -> String {
        var line = 1
        var start = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == UInt8(ascii: "\n") {
            line += 1
            start = i + 1
        }
        return "\(line):\(offset - start + 1)"
    }
}

/// What running a regression did, and what was wrong with it.
public struct RegressionOutcome: Sendable {
    public var result: ChildResult
    public var arguments: [String]
    /// Empty when figpipe behaved as intended.
    public var problems: [String]
}

extension Regression {
    /// Makes a project (links to `data/`, the edited file a real copy, or a
    /// folder or FIFO), runs figpipe on it in a child process, and checks the
    /// intended behaviour.
    public func run(repositoryRoot: String, figpipe: String, workDirectory: String, timeLimit: Double = 20) throws
        -> RegressionOutcome
    {
        let dir = Paths.join(workDirectory, name)
        try? FileManager.default.removeItem(atPath: dir)
        let data = Paths.join(dir, "data")
        let out = Paths.join(dir, "out")
        let cache = Paths.join(dir, "cache")
        try FileIO.createDirectory(out)
        let original = Paths.join(repositoryRoot, "data")
        for file in Judge.files(under: original) {
            let relative = String(file.dropFirst(original.count + 1))
            let at = Paths.join(data, relative)
            try FileIO.createDirectory(Paths.directory(of: at))
            try FileManager.default.createSymbolicLink(atPath: at, withDestinationPath: file)
        }
        var config = Paths.join(repositoryRoot, "pipeline.json")
        let target = editsPipeline ? Paths.join(dir, "pipeline.json") : Paths.join(data, file)
        let source = editsPipeline ? config : Paths.join(original, file)
        unlink(target)
        var placeholders: [String: String] = [:]
        switch edit {
        case .directory:
            try FileIO.createDirectory(target)
        case .fifo:
            guard mkfifo(target, 0o644) == 0 else {
                throw CampaignError("mkfifo \(target): \(String(cString: strerror(errno)))")
            }
        default:
            guard let bytes = FileManager.default.contents(atPath: source).map(Array.init) else {
                throw CampaignError("cannot read \(source)")
            }
            let (edited, start, offset) = try apply(to: bytes)
            guard FileManager.default.createFile(atPath: target, contents: Data(edited)) else {
                throw CampaignError("cannot write \(target)")
            }
            placeholders = [
                "{offset}": "\(offset)", "{offset1}": "\(offset + 1)",
                "{linecol}": Self.lineColumn(offset, in: edited), "{start}": "\(start)", "{start1}": "\(start + 1)",
                "{startlinecol}": Self.lineColumn(start, in: edited),
            ]
        }
        if editsPipeline { config = target }
        let arguments = ["run", "--config", config, "--data", data, "--out", out, "--cache", cache] + targets
        let result = try ChildProcess.run(
            figpipe, arguments, outputPrefix: Paths.join(dir, "figpipe"), timeLimit: timeLimit,
            environment: ["SWIFT_BACKTRACE": "enable=no"])

        var problems: [String] = []
        if result.timedOut {
            problems.append("hang: still running after \(Int(timeLimit)) s (killed)")
        } else if let signal = result.signal {
            problems.append("crash: \(signalName(signal))")
        } else if let code = result.exitCode, !exitCodes.contains(code) {
            problems.append("exit \(code), expected \(exitCodes.map(String.init).joined(separator: " or "))")
        }
        let stderr = result.stderr.lowercased()
        for group in mentions {
            let options = group.map { option in
                placeholders.reduce(option) { $0.replacingOccurrences(of: $1.key, with: $1.value) }
            }
            if !options.contains(where: { Self.mentions(stderr, $0.lowercased()) }) {
                problems.append("the message does not mention \(options.joined(separator: " or "))")
            }
        }
        for id in finishes {
            let finished = result.stdout.split(separator: "\n").contains { line in
                line.contains(" ran    \(id) ") || line.hasSuffix(" ran    \(id)") || line.hasSuffix(" cached \(id)")
                    || line.contains(" cached \(id) ")
            }
            if !finished { problems.append("stage \(id) did not finish") }
        }
        if exitCodes == [2] {
            let written = Judge.files(under: out)
            if !written.isEmpty {
                problems.append("exit 2 must run nothing, but \(written.count) output file(s) were written")
            }
        }
        for t in Judge.temporaries(outputRoot: out, cacheRoot: cache) { problems.append("temporary left: \(t)") }
        return RegressionOutcome(result: result, arguments: arguments, problems: problems)
    }
}

/// Finds the figpipe binary built next to the running test bundle or executable
/// (`.build/debug`), or the one named by `FIGPIPE_FUZZ_BINARY`.
public enum FigpipeBinary {
    public static func locate(name: String = "figpipe") -> String? {
        if let path = ProcessInfo.processInfo.environment["FIGPIPE_FUZZ_BINARY"] { return path }
        var dirs: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            dirs.append(Paths.directory(of: exe))
        }
        dirs.append(Bundle.main.bundleURL.deletingLastPathComponent().path)
        dirs.append(Bundle.main.bundlePath)
        return dirs.map { $0 + "/" + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
