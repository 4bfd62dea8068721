import ArgumentParser
import CommandStages
import CompressionFigures
import DeclaredFigures
import DelphiFigures
import EntropyFigures
import FigpipeBasics
import FigureStages
import Foundation
import Pipeline
import Tables

/// The `figpipe` command. Its executables are thin: `figpipe` runs it with the
/// standard stage kinds, `figpipe-testbed` adds the test-only kinds first.
public struct Figpipe: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "figpipe",
        abstract: "Regenerate figures from cached experiment results, rebuilding only what changed.",
        discussion: """
            Exit codes: 0 success; 1 a stage failed; 2 pipeline.json, the command line or a selected \
            stage's input file is invalid; 3 another run holds the cache lock (--no-wait); 130 interrupted \
            (SIGINT); 143 stopped (SIGTERM); 129 hung up (SIGHUP).
            """,
        version: FigpipeVersion.current,
        subcommands: [
            Run.self, Status.self, Check.self, Log.self, List.self, Graph.self, Clean.self, GC.self, Schema.self,
            Diff.self, Serve.self,
        ],
        defaultSubcommand: Run.self)

    public init() {}

    /// The stage kinds this binary knows (replaceable before `main()` runs).
    public static let registry = RegistryBox(
        StageRegistry(
            CompressionKinds.all + DelphiKinds.all + EntropyKinds.all + FigureStageKinds.all + TableKinds.all
                + DeclaredFigureKinds.all + [
                    CommandKind.kind(sandboxLauncher: CommandKind.sandboxLauncher())
                ]))
}

/// A lock-protected registry, so an executable can add kinds before running.
public final class RegistryBox: Sendable {
    private let registry: Locked<StageRegistry>

    init(_ value: StageRegistry) { registry = Locked(value) }

    public var current: StageRegistry { registry.value }

    public func add(_ kinds: [StageKind]) { registry.withLock { $0 = $0.merging(kinds) } }
}

/// Exit codes, as the command's help lists them.
enum Exit {
    static let stageFailed = ExitCode(1)
    static let invalid = ExitCode(2)
    static let lockBusy = ExitCode(3)
    static let interrupted: Int32 = 130
}

/// Where the pipeline and its roots are; shared by every subcommand.
struct PipelineOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The pipeline file.", valueName: "file"))
    var config = "pipeline.json"

    @Option(name: .long, help: ArgumentHelp("Override the data root.", valueName: "dir"))
    var data: String?

    @Option(name: .long, help: ArgumentHelp("Override the output root.", valueName: "dir"))
    var out: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Override the cache folder (default .figpipe beside the pipeline file).", valueName: "dir"))
    var cache: String?

    /// Loads and validates the pipeline; on any problem prints one line each and exits 2.
    /// Input files are not checked here: a command checks those of the stages
    /// it selects (`requireInputs`), so a missing folder of one family does not
    /// stop a run of another.
    func load() throws -> PipelineDefinition {
        do {
            return try PipelineDefinition.load(
                path: config, registry: Figpipe.registry.current,
                overrides: RootOverrides(data: data, out: out, cache: cache), checkFiles: false)
        } catch {
            Terminal.error(error.description)
            throw Exit.invalid
        }
    }

    /// Exits 2, with one line per problem, when an input file of `stages` is
    /// missing or not a regular file.
    func requireInputs(of stages: [ResolvedStage], in pipeline: PipelineDefinition) throws {
        let problems = pipeline.inputProblems(of: stages)
        guard problems.isEmpty else {
            Terminal.error(PipelineErrors(problems).description)
            throw Exit.invalid
        }
    }

    /// The pipeline, the ids `targets` name (nil when none is given: all),
    /// and the stages they select with everything those read.
    func select(_ targets: [String]) throws -> (
        pipeline: PipelineDefinition, ids: Set<String>?, stages: [ResolvedStage]
    ) {
        let pipeline = try load()
        let ids = targets.isEmpty ? nil : try resolve(targets, in: pipeline, what: "target")
        return (pipeline, ids, ids.map { pipeline.closure(of: $0) } ?? pipeline.stages)
    }

    /// Stage ids for target patterns; an unmatched pattern exits 2.
    func resolve(_ patterns: [String], in pipeline: PipelineDefinition, what: String) throws -> Set<String> {
        var ids = Set<String>()
        for p in patterns {
            let m = pipeline.match(p)
            if m.isEmpty {
                Terminal.error("\(pipeline.file): \(what) '\(p)' matches no stage (see `figpipe list`)")
                throw Exit.invalid
            }
            ids.formUnion(m)
        }
        return ids
    }
}

/// Takes the cache lock for commands that write the cache.
func takeLock(_ store: Store, wait: Bool, quiet: Bool) throws -> FileLock {
    do {
        return try store.lock(wait: wait) { message in
            if !quiet { Terminal.note(message) }
        }
    } catch let e as LockBusyError {
        Terminal.error(e.description)
        throw Exit.lockBusy
    } catch {
        Terminal.error(String(describing: error))
        throw Exit.invalid
    }
}
