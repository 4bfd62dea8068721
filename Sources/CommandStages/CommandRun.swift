import FigpipeBasics
import Foundation
import Pipeline

/// One run of a command stage, in the scratch folder the executor made:
///
///     <scratch>/logs/stdout, stderr     the program's logs (figpipe's)
///     <scratch>/run/                    the program's folder and working directory:
///         outputs/<path>                where {outputs.NAME} points
///         inputs/<NAME>.json            data artifacts of input stages
///         home/, tmp/                   HOME and TMPDIR
///
/// Under the sandbox the program may write only beneath `run/` (and `/dev`).
struct CommandRun {
    let context: StageContext
    let sandboxLauncher: String?

    /// The file in the scratch folder that notes the program's process group.
    static let groupFileName = "logs/group"

    /// How many lines of stderr a failure shows.
    static let stderrLinesShown = 20

    func run() throws -> StageOutput {
        guard let scratch = context.scratchDirectory else {
            throw StageError("no scratch folder (a bug in the executor)")
        }
        let params = context.parameters
        let folder = scratch + "/run"
        for dir in [
            scratch + "/logs", folder, folder + "/outputs", folder + "/inputs", folder + "/home", folder + "/tmp",
        ] {
            try FileIO.createDirectory(dir)
        }
        let outputs = CommandKind.outputs(params)
        for output in outputs { try FileIO.createDirectory(Paths.directory(of: outputPath(output.path, in: folder))) }

        let values = try inputValues(folder: folder)
        var arguments: [String] = []
        for (n, argument) in try params.strings("run").enumerated() {
            arguments += try expand(argument, field: "params.run[\(n)]", values: values, folder: folder, whole: true)
        }
        let cwdSetting = try params.string("cwd")
        let cwd =
            cwdSetting.isEmpty
            ? folder
            : Paths.absolute(
                try expand(cwdSetting, field: "params.cwd", values: values, folder: folder, whole: false).joined(),
                relativeTo: folder)

        let names = try params.strings("env")
        let outer = ProcessInfo.processInfo.environment
        let environment = ProgramEnvironment.forProgram(scratch: folder, passing: names, from: outer)
        let searchPath = ProgramEnvironment.searchPath(passing: names, from: outer)
        guard let program = arguments.first else { throw StageError("is empty", field: "params.run") }
        guard let executable = ProgramEnvironment.locate(program, searchPath: searchPath, base: context.roots.pipeline)
        else {
            let where_ = program.contains("/") ? "" : " on PATH (\(searchPath))"
            throw StageError("'\(program)' is not an executable\(where_)", field: "params.run[0]")
        }
        let sandbox = sandboxLauncher.map { Sandbox(launcher: $0, writable: [folder, "/dev"]) }
        let request = ProgramRequest(
            executable: executable, arguments: Array(arguments.dropFirst()), environment: environment,
            workingDirectory: cwd, stdout: scratch + "/logs/stdout", stderr: scratch + "/logs/stderr",
            timeout: try params.double("timeout"), grace: RunningPrograms.shared.grace, sandbox: sandbox,
            groupFile: scratch + "/" + Self.groupFileName)
        context.progress("running " + arguments.map(Self.quoted).joined(separator: " "))
        let end = try ProgramRunner.run(request)
        let logs = StageLogs(
            stdout: (try? FileIO.read(request.stdout)) ?? [], stderr: (try? FileIO.read(request.stderr)) ?? [])
        guard end == .exited(0) else {
            throw StageError(Self.failureMessage(end, logs: logs, sandboxed: sandbox != nil), logs: logs)
        }
        var files: [String: [UInt8]] = [:]
        for output in outputs {
            files[output.path] = try readOutput(output, in: folder, logs: logs)
        }
        noteUndeclaredFiles(in: folder, declared: Set(outputs.map { outputPath($0.path, in: folder) }))
        var result = StageOutput(files: files)
        result.logs = logs
        return result
    }

    /// Where the program writes output `path` (relative to the output root).
    func outputPath(_ path: String, in folder: String) -> String { Paths.join(folder + "/outputs", path) }

    /// What an input name stands for: the paths of its files, and whether
    /// it is a glob (which may stand for any number of them).
    struct InputValue {
        var paths: [String]
        var isGlob = false
    }

    /// What each input name stands for; a data artifact is written to
    /// `inputs/NAME.json` (or `.bin`) in the program's folder first.
    func inputValues(folder: String) throws -> [String: InputValue] {
        var out: [String: InputValue] = [:]
        for name in context.inputNames {
            if let open = name.firstIndex(of: "<") {
                let base = String(name[..<open])
                if out[base] == nil { out[base] = InputValue(paths: context.fileList(base).map(\.path), isGlob: true) }
            } else if let path = context.filePath(name) {
                out[name] = InputValue(paths: [path])
            } else if case let files = context.outputFiles(ofInput: name), !files.isEmpty {
                out[name] = InputValue(paths: files.keys.sorted().compactMap { files[$0] })
            } else if let artifact = context.artifact(name) {
                let path = "\(folder)/inputs/\(name).\(artifact.encoding == .json ? "json" : "bin")"
                try AtomicWriter.shared.write(artifact.bytes, to: path)
                out[name] = InputValue(paths: [path])
            }
        }
        return out
    }

    /// `string` with its placeholders replaced; a whole-argument glob
    /// placeholder becomes one argument per file.
    func expand(_ string: String, field: String, values: [String: InputValue], folder: String, whole: Bool) throws
        -> [String]
    {
        let template: Template
        do {
            template = try Template(parsing: string)
        } catch {
            throw StageError(error.description, field: field)
        }
        if whole, template.isSinglePlaceholder, case .input(let name, let suffix)? = template.placeholders.first {
            return try selected(name, suffix: suffix, values: values, field: field, allowMany: true)
        }
        return [
            try template.expanded { p in
                switch p {
                case .data: return context.roots.data
                case .out: return context.roots.output
                case .pipeline: return context.roots.pipeline
                case .output(let name):
                    guard let path = CommandKind.outputs(context.parameters).first(where: { $0.name == name })?.path
                    else {
                        throw StageError("\(p.spelled) names no output", field: field)
                    }
                    return outputPath(path, in: folder)
                case .input(let name, let suffix):
                    return try selected(name, suffix: suffix, values: values, field: field, allowMany: false)[0]
                }
            }
        ]
    }

    /// The files `{inputs.NAME.SUFFIX}` stands for: a glob's, as a whole
    /// argument, may be any number; anything else must be exactly one.
    private func selected(_ name: String, suffix: String?, values: [String: InputValue], field: String, allowMany: Bool)
        throws -> [String]
    {
        let value = values[name] ?? InputValue(paths: [])
        let chosen = StageContext.files(value.paths, endingIn: suffix)
        if allowMany && value.isGlob { return chosen }
        guard chosen.count == 1 else {
            let spelled = Template.Placeholder.input(name: name, suffix: suffix).spelled
            throw StageError("\(spelled) stands for \(chosen.count) files, expected one", field: field)
        }
        return chosen
    }

    /// A declared output after the program exited 0: a regular file, read.
    func readOutput(_ output: (name: String, path: String), in folder: String, logs: StageLogs) throws -> [UInt8] {
        let path = outputPath(output.path, in: folder)
        var st = stat()
        let shown = "output '\(output.name)' (\(output.path))"
        guard lstat(path, &st) == 0 else {
            throw StageError(
                "the program exited 0 but did not write \(shown); it must write the path {outputs.\(output.name)} stands for",
                field: "params.outputs.\(output.name)", logs: logs)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            let what = (st.st_mode & S_IFMT) == S_IFLNK ? "a symbolic link" : FileStat.kindName(mode: st.st_mode)
            throw StageError(
                "the program wrote \(shown) as \(what), not a regular file", field: "params.outputs.\(output.name)",
                logs: logs)
        }
        return try FileIO.read(path)
    }

    /// Notes (`--verbose`) the files the program wrote that no output declares.
    func noteUndeclaredFiles(in folder: String, declared: Set<String>) {
        var undeclared: [String] = []
        let skipped: Set<String> = ["home", "tmp", "inputs"].reduce(into: []) { $0.insert(folder + "/" + $1) }
        func walk(_ dir: String) {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
                let path = dir + "/" + name
                if skipped.contains(path) || declared.contains(path) { continue }
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    walk(path)
                } else {
                    undeclared.append(String(path.dropFirst(folder.count + 1)))
                }
            }
        }
        walk(folder)
        if !undeclared.isEmpty {
            let shown = undeclared.prefix(10).joined(separator: ", ") + (undeclared.count > 10 ? ", …" : "")
            context.progress("ignored \(undeclared.count) undeclared file\(undeclared.count == 1 ? "" : "s"): \(shown)")
        }
    }

    /// `exited with status 3` (or the signal, or the timeout), then the last
    /// lines of stderr.
    static func failureMessage(_ end: ProgramEnd, logs: StageLogs, sandboxed: Bool) -> String {
        var message: String
        switch end {
        case .exited(let code): message = "the program exited with status \(code)"
        case .signaled(let signal): message = "the program was killed by signal \(signal) (\(signalName(signal)))"
        case .timedOut(let seconds):
            let shown = Int(exactly: seconds).map(String.init) ?? JSONValue.format(seconds)
            message = "the program ran past its timeout of \(shown) s and was stopped"
        }
        let text = String(decoding: logs.stderr, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        if lines.isEmpty {
            message += " (stderr is empty)"
        } else {
            let shown = lines.suffix(stderrLinesShown)
            message += lines.count > shown.count ? "; the last \(shown.count) lines of stderr:" : "; stderr:"
            for line in shown { message += "\n  " + line }
        }
        if sandboxed && (text.contains("Permission denied") || text.contains("Read-only file system")) {
            message +=
                "\n(a command may write only in its scratch folder: write outputs to {outputs.NAME}, temporaries to $TMPDIR)"
        }
        return message
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGILL: "SIGILL", SIGABRT: "SIGABRT",
            SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGPIPE: "SIGPIPE", SIGALRM: "SIGALRM",
            SIGTERM: "SIGTERM", SIGBUS: "SIGBUS", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
        ]
        return names[signal] ?? "signal \(signal)"
    }

    /// An argument as a shell would need it, for the progress note.
    static func quoted(_ s: String) -> String {
        s.allSatisfy({ $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }) && !s.isEmpty
            ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
