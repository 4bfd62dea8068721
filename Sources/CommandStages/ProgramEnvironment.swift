import FigpipeBasics
import Foundation
import Pipeline

/// The environment a command stage's program sees: only the variables the
/// stage lists in `env` (read from figpipe's own environment), over fixed
/// values of `PATH`, `HOME`, `LANG`, `TZ`, `SOURCE_DATE_EPOCH` and `TMPDIR`.
public enum ProgramEnvironment {
    /// `PATH` unless the stage lists `PATH` in `env`.
    public static let path = "/usr/local/bin:/usr/bin:/bin"
    public static let lang = "C.UTF-8"
    public static let timeZone = "UTC"
    /// 1970-01-01T00:00:00Z: tools that stamp dates into files (matplotlib's
    /// PDF and SVG writers among them) write this one.
    public static let sourceDateEpoch = "0"

    /// The fixed variables; `HOME` and `TMPDIR` are empty folders in the
    /// stage's scratch folder, made fresh for each run.
    static func fixed(scratch: String) -> [String: String] {
        [
            "PATH": path, "LANG": lang, "TZ": timeZone, "SOURCE_DATE_EPOCH": sourceDateEpoch,
            "HOME": scratch + "/home", "TMPDIR": scratch + "/tmp",
        ]
    }

    /// The variables of `names` that figpipe's environment has.
    static func passedThrough(_ names: [String], from environment: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        for name in names { if let value = environment[name] { out[name] = value } }
        return out
    }

    /// The program's whole environment.
    static func forProgram(scratch: String, passing names: [String], from environment: [String: String]) -> [String:
        String]
    {
        fixed(scratch: scratch).merging(passedThrough(names, from: environment)) { _, passed in passed }
    }

    /// The `PATH` programs and tools are looked up on.
    static func searchPath(passing names: [String], from environment: [String: String]) -> String {
        names.contains("PATH") ? environment["PATH"] ?? path : path
    }

    /// A valid variable name: a letter or `_`, then letters, digits or `_`.
    static func isValidName(_ name: String) -> Bool {
        let letters = ("a"..."z") as ClosedRange<Unicode.Scalar>
        let capitals = ("A"..."Z") as ClosedRange<Unicode.Scalar>
        func isLetter(_ c: Unicode.Scalar) -> Bool { letters.contains(c) || capitals.contains(c) || c == "_" }
        guard let first = name.unicodeScalars.first, isLetter(first) else { return false }
        return name.unicodeScalars.allSatisfy { isLetter($0) || ("0"..."9").contains($0) }
    }

    /// `name` found on `searchPath` (a name with a `/` is a path, relative to
    /// `base`): its absolute path, or nil.
    static func locate(_ name: String, searchPath: String, base: String) -> String? {
        if name.contains("/") {
            let path = Paths.absolute(name, relativeTo: base)
            return access(path, X_OK) == 0 && FileStat.of(path)?.isRegular == true ? path : nil
        }
        for dir in searchPath.split(separator: ":") where dir.hasPrefix("/") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0, FileStat.of(candidate)?.isRegular == true { return candidate }
        }
        return nil
    }
}

/// What identifies a program for the cache key: where it resolves, the
/// SHA-256 of the file it resolves to, and what `--version` prints. Worked
/// out once per file state (path, size, modification time, inode) a process.
enum ToolIdentity {
    private static let known = Locked([String: String]())

    /// `path=/usr/bin/python3.11 sha256=… version=Python 3.11.2`.
    static func of(_ located: String, environment: [String: String], grace: Duration) throws -> String {
        // The file the name resolves to, through every symbolic link
        // (python3 → python3.11): a new interpreter is a new file.
        let target =
            realpath(located, nil).map { p in
                defer { free(p) }
                return String(cString: p)
            } ?? located
        let stat = FileStat.of(target)
        let memo =
            "\(target)\n\(stat.map { "\($0.size) \($0.mtimeNanoseconds) \($0.inode)" } ?? "-")\n\(environment["PATH"] ?? "")"
        if let cached = known.withLock({ $0[memo] }) { return cached }
        let hash = Digest.sha256(try FileIO.read(target))
        let version = Self.version(of: located, environment: environment, grace: grace)
        let identity = "path=\(target) sha256=\(hash) version=\(version)"
        known.withLock { $0[memo] = identity }
        return identity
    }

    /// An identity without the path: `sha256=… version=Python 3.11.2`.
    static func portable(_ identity: String) -> String {
        guard identity.hasPrefix("path="), let hash = identity.range(of: " sha256=") else { return identity }
        return String(identity[identity.index(after: hash.lowerBound)...])
    }

    /// What `program --version` prints (stdout, else stderr), trimmed to its
    /// first 200 characters; `(none)` when it fails or prints nothing in 10 s.
    static func version(of program: String, environment: [String: String], grace: Duration) -> String {
        let temporary =
            FileManager.default.temporaryDirectory.path + "/figpipe-version-\(getpid())-\(UUID().uuidString)"
        guard mkdir(temporary, 0o700) == 0 else { return "(none)" }
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        let request = ProgramRequest(
            executable: program, arguments: ["--version"], environment: environment, workingDirectory: temporary,
            stdout: temporary + "/out", stderr: temporary + "/err", timeout: 10, grace: grace, sandbox: nil)
        guard case .exited(0)? = try? ProgramRunner.run(request) else { return "(none)" }
        for path in [request.stdout, request.stderr] {
            let text = String(decoding: (try? FileIO.read(path)) ?? [], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty {
                return String(text.replacingOccurrences(of: "\n", with: " ").prefix(200))
            }
        }
        return "(none)"
    }
}
