import FigpipeBasics
import Foundation
import Pipeline

/// `kind: "command"`: any program as a cached stage.
///
///     {"id": "extra.speedup", "kind": "command",
///      "params": {"run": ["python3", "{inputs.script}", "{inputs.results}", "{outputs.table}"],
///                 "outputs": {"table": "extra/speedup.csv"},
///                 "env": ["PYTHONHASHSEED"], "tools": ["python3"], "timeout": 600},
///      "inputs": {"script": "{pipeline}/scripts/speedup.py",
///                 "results": "compression/results/results.jsonl.zst",
///                 "table": "entropy.table.delta_h_vs_eta_summary"}}
///
/// The program runs in a private scratch folder with a pinned environment;
/// its declared outputs are the stage's files, moved into the output root
/// only when it exits 0 and every one is a regular file.
public enum CommandKind {
    public static let name = "command"

    /// The kind. `sandboxLauncher` is a figpipe binary that runs programs
    /// under Landlock (`SandboxLauncher`); nil runs them unrestricted, as
    /// when the kernel has no Landlock.
    public static func kind(sandboxLauncher: String?) -> StageKind {
        var kind = StageKind(
            name: name, version: 1,
            summary:
                "Runs a program (a script, any command) as a cached stage: its declared outputs are the stage's files",
            parameters: parameters, inputs: [], output: filesArtifactType,
            outputFiles: { params in outputs(params).map(\.path) },
            run: { context in
                try CommandRun(context: context, sandboxLauncher: sandboxLauncher).run()
            })
        kind.openInputs = true
        kind.usesScratch = true
        kind.readsFilesOfInputs = true
        kind.slots = { params in (try? params.int("jobs")) ?? 1 }
        kind.environment = { params in try keyEnvironment(params) }
        kind.portableEnvironment = { environment in portable(environment) }
        kind.check = { stage, lookup in
            var files: [String: [String]] = [:]
            for id in stage.upstream { files[id] = lookup(id)?.outputFiles ?? [] }
            return CommandCheck(stage: stage, upstreamFiles: files).problems()
        }
        return kind
    }

    /// This binary, when the kernel offers Landlock and `FIGPIPE_SANDBOX`
    /// is not `0`: the launcher that sandboxes command stages' programs.
    public static func sandboxLauncher() -> String? {
        guard ProcessInfo.processInfo.environment["FIGPIPE_SANDBOX"] != "0", Sandbox.isAvailable,
            let exe = realpath("/proc/self/exe", nil)
        else { return nil }
        defer { free(exe) }
        return String(cString: exe)
    }

    static let parameters: [ParameterSpec] = [
        ParameterSpec(
            "run", .stringList,
            help:
                "the program and its arguments (no shell); {inputs.NAME}, {inputs.NAME.SUFFIX}, {outputs.NAME}, {data}, {out}, {pipeline} are replaced, {{ and }} are braces"
        ).nonEmpty(),
        ParameterSpec(
            "outputs", .stringMap,
            help: "the files the program writes, by name: paths under the output root ({outputs.NAME} in run)"
        ).nonEmpty().filePath(),
        ParameterSpec(
            "env", .stringList, default: [],
            help:
                "environment variables passed through from figpipe's environment (their values enter the key); all others are removed"
        ),
        ParameterSpec(
            "tools", .stringList, default: [],
            help:
                "programs whose identity enters the key: resolved path, SHA-256 of the executable, --version output"),
        ParameterSpec("timeout", .double, default: 3600, help: "seconds the program may run before it is stopped")
            .positive().notInKey(),
        ParameterSpec("jobs", .int, default: 1, help: "how many --jobs slots the program takes").range(min: 1)
            .notInKey(),
        ParameterSpec(
            "cwd", .string, default: "",
            help: "the working directory (placeholders allowed; default: the scratch folder)"),
    ]

    /// The declared outputs, sorted by name.
    static func outputs(_ params: Parameters) -> [(name: String, path: String)] {
        let members = params.values["outputs"]?.objectValue ?? [:]
        return members.keys.sorted().compactMap { name in members[name]?.stringValue.map { (name, $0) } }
    }

    /// The key environment as it holds on any machine, for the remote cache:
    /// a tool is its content hash and version, not the path it is installed
    /// at. The `env` variables' values stay: the stage declares that its
    /// result depends on them.
    static func portable(_ environment: [String: String]) -> [String: String] {
        var out = environment
        for (name, value) in environment where name.hasPrefix("tool.") { out[name] = ToolIdentity.portable(value) }
        return out
    }

    /// What enters the key besides parameters and inputs: `env.NAME` (the
    /// value, or `(unset)`) and `tool.NAME` (`ToolIdentity`).
    static func keyEnvironment(_ params: Parameters) throws -> [String: String] {
        let names = try params.strings("env")
        let tools = try params.strings("tools")
        let outer = ProcessInfo.processInfo.environment
        var out: [String: String] = [:]
        for name in names { out["env." + name] = outer[name] ?? "(unset)" }
        let searchPath = ProgramEnvironment.searchPath(passing: names, from: outer)
        var environment = ProgramEnvironment.passedThrough(names, from: outer)
        environment["PATH"] = searchPath
        for (n, tool) in tools.enumerated() {
            guard let located = ProgramEnvironment.locate(tool, searchPath: searchPath, base: "/") else {
                throw StageError("'\(tool)' is not an executable on PATH (\(searchPath))", field: "params.tools[\(n)]")
            }
            out["tool." + tool] = try ToolIdentity.of(
                located, environment: environment, grace: RunningPrograms.shared.grace)
        }
        return out
    }
}
