import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline
import Review

extension Figpipe {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare two output trees, or the outputs of two git revisions, figure by figure.",
            discussion: """
                BASE and HEAD are each an output folder or a git revision. A revision's outputs are made in a \
                temporary git worktree by `figpipe run`, sharing this pipeline's cache. Exit codes: 0 nothing \
                differs; 1 something differs; 2 a bad argument (a missing folder, an unknown revision) or a \
                revision whose pipeline could not run.
                """)

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("The output folder or git revision to compare from.", valueName: "base"))
        var base: String

        @Argument(help: ArgumentHelp("The output folder or git revision to compare to.", valueName: "head"))
        var head: String

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Write index.html, report.json and summary.md into this folder.", valueName: "dir"))
        var report: String?

        func run() throws {
            let project = ReviewProject(options: pipelineOptions)
            var sides: [ReviewSide] = []
            var workFolders: [RevisionOutputs] = []
            defer { for w in workFolders { w.remove() } }
            for (name, argument) in [("BASE", base), ("HEAD", head)] {
                do {
                    switch try project.classify(argument, name: name) {
                    case .tree(let root):
                        sides.append(
                            ReviewSide(
                                label: argument, commit: nil, root: root, records: project.records(forTree: root)))
                    case .revision(let commit):
                        let outputs = try project.make(commit: commit, label: argument)
                        workFolders.append(outputs)
                        sides.append(
                            ReviewSide(
                                label: argument, commit: commit, root: outputs.out,
                                records: StageRecords.read(Store(root: outputs.cache))))
                    }
                } catch let e as ReviewError {
                    Terminal.error("\(name) '\(argument)': \(e.description)")
                    throw Exit.invalid
                }
            }
            let comparison: Comparison
            do {
                comparison = try TreeComparison.compare(base: sides[0], head: sides[1])
                if let report { try Report.write(comparison, to: Paths.absolute(report)) }
            } catch {
                Terminal.error(String(describing: error))
                throw Exit.invalid
            }
            for f in comparison.changedFigures {
                let why = StageKeyDiff.causes(f.why).joined(separator: "; ")
                let pixels = f.pixels?.rms == nil ? Report.rmsText(f.pixels) : "RMS " + Report.rmsText(f.pixels)
                Terminal.out("changed  \(f.stem)   \(pixels)\(why.isEmpty ? "" : "   " + why)")
            }
            for t in comparison.changedTables {
                let why = StageKeyDiff.causes(t.why).joined(separator: "; ")
                Terminal.out("changed  \(t.path)   \(t.change.summary)\(why.isEmpty ? "" : "   " + why)")
            }
            for s in comparison.addedFigures + comparison.addedTables + comparison.addedFiles {
                Terminal.out("added    \(s)")
            }
            for s in comparison.removedFigures + comparison.removedTables + comparison.removedFiles {
                Terminal.out("removed  \(s)")
            }
            for s in comparison.changedFiles { Terminal.out("changed  \(s)") }
            Terminal.out(Report.countsLine(comparison))
            if let report { Terminal.out("report: \(Paths.display(Paths.absolute(report)))/index.html") }
            if comparison.differs { throw Exit.stageFailed }
        }
    }
}

/// A revision's outputs, made in a work folder under the cache.
struct RevisionOutputs {
    var folder: String
    var repository: String
    var tree: String { folder + "/tree" }
    var out: String { folder + "/out" }
    var cache: String { folder + "/cache" }

    func remove() {
        _ = try? Spawn.run("/usr/bin/env", ["git", "worktree", "remove", "--force", tree], in: repository)
        try? FileManager.default.removeItem(atPath: folder)
        // The parent (`review/` in the cache) goes when it is empty.
        _ = rmdir(Paths.directory(of: folder))
        _ = try? Spawn.run("/usr/bin/env", ["git", "worktree", "prune"], in: repository)
    }
}

/// What `figpipe diff` needs of the project it runs in: its pipeline (when it
/// loads), its cache, and its git repository.
struct ReviewProject {
    enum Side {
        case tree(String)
        case revision(String)
    }

    var configPath: String
    var pipeline: PipelineDefinition?
    var options: PipelineOptions

    init(options: PipelineOptions) {
        self.options = options
        configPath = Paths.absolute(options.config)
        pipeline = try? PipelineDefinition.load(
            path: options.config, registry: Figpipe.registry.current,
            overrides: RootOverrides(data: options.data, out: options.out, cache: options.cache), checkFiles: false)
    }

    var cacheRoot: String { pipeline?.cacheRoot ?? Paths.join(Paths.directory(of: configPath), ".figpipe") }

    func git(_ arguments: [String], in directory: String? = nil) throws -> Spawn.Finished {
        do {
            return try Spawn.run(
                "/usr/bin/env", ["git"] + arguments, in: directory ?? Paths.directory(of: configPath))
        } catch {
            throw ReviewError("cannot run git: \(error)")
        }
    }

    /// A folder is an output tree; anything else must name a commit.
    func classify(_ argument: String, name: String) throws -> Side {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw ReviewError("not a folder (give an output folder or a git revision)")
            }
            return .tree(Paths.absolute(argument))
        }
        guard !argument.isEmpty, !argument.hasPrefix("-") else { throw ReviewError("not a folder or a git revision") }
        let found = try git(["rev-parse", "--verify", "--quiet", argument + "^{commit}"])
        guard found.status == 0 else {
            throw ReviewError(
                "no such folder, and not a git revision of the repository at \(Paths.display(Paths.directory(of: configPath)))"
            )
        }
        return .revision(found.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The stage records of the cache, when `root` is this pipeline's output root.
    func records(forTree root: String) -> StageRecords {
        guard let pipeline, Paths.absolute(pipeline.outputRoot) == root else {
            return StageRecords(records: [:], writers: [:])
        }
        return StageRecords.read(Store(root: pipeline.cacheRoot))
    }

    /// Checks out `commit` in a temporary worktree and runs its pipeline into a
    /// folder of its own. The run's cache shares this project's objects and
    /// actions (so what is cached is not made again) but keeps its own stage
    /// records, so `figpipe status` here is not disturbed. The revision's
    /// figpipe is this binary when its `Sources/` and `Package.swift` are
    /// those of the working tree, else it is built in the worktree.
    func make(commit: String, label: String) throws -> RevisionOutputs {
        let top = try git(["rev-parse", "--show-toplevel"])
        guard top.status == 0 else { throw ReviewError("not inside a git repository") }
        let repository = top.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let store = Store(root: cacheRoot)
        do { try store.prepare() } catch { throw ReviewError("cannot prepare the cache \(cacheRoot): \(error)") }
        let outputs = RevisionOutputs(
            folder: Paths.join(cacheRoot, "review/\(commit)-\(getpid())"), repository: repository)
        outputs.remove()
        do {
            try FileIO.createDirectory(outputs.cache)
            for shared in ["objects", "actions"] {
                try FileManager.default.createSymbolicLink(
                    atPath: Paths.join(outputs.cache, shared), withDestinationPath: Paths.join(store.root, shared))
            }
        } catch {
            throw ReviewError("cannot make the work folder \(outputs.folder): \(error)")
        }
        let added = try git(["worktree", "add", "--detach", outputs.tree, commit], in: repository)
        guard added.status == 0 else {
            outputs.remove()
            throw ReviewError(
                "git worktree add failed: \(added.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        do {
            let binary = try figpipeBinary(for: commit, outputs: outputs, repository: repository)
            let relativeConfig = String(configPath.dropFirst(repository.count)).trimmingPrefix("/")
            Terminal.note("making the outputs of \(label) (\(commit.prefix(10)))")
            let run = try Spawn.run(
                binary,
                [
                    "run", "--quiet", "--config", Paths.join(outputs.tree, String(relativeConfig)), "--out",
                    outputs.out,
                    "--cache", outputs.cache,
                ],
                in: outputs.tree)
            switch run.status {
            case 0: break
            case 1:
                Terminal.note(
                    "some stages of \(label) failed; their outputs are missing from the comparison:\n\(run.stderr)")
            default:
                throw ReviewError("its pipeline could not run (exit \(run.status)):\n\(run.stderr)\(run.stdout)")
            }
            return outputs
        } catch {
            outputs.remove()
            throw error
        }
    }

    func figpipeBinary(for commit: String, outputs: RevisionOutputs, repository: String) throws -> String {
        let own =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let same = try git(["diff", "--quiet", commit, "--", "Sources", "Package.swift"], in: repository)
        if same.status == 0 { return own }
        Terminal.note("building the figpipe of \(commit.prefix(10)) (its Sources differ from the working tree's)")
        let scratch = Paths.join(repository, ".build-review")
        let built: Spawn.Finished
        do {
            built = try Spawn.run(
                "/usr/bin/env", ["swift", "build", "--product", "figpipe", "--scratch-path", scratch], in: outputs.tree)
        } catch {
            throw ReviewError("cannot run swift build: \(error)")
        }
        guard built.status == 0 else {
            throw ReviewError("its figpipe does not build:\n\(built.stderr)\(built.stdout)")
        }
        return Paths.join(scratch, "debug/figpipe")
    }
}
