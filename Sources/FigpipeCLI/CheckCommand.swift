import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline
import RemoteCache

extension Figpipe {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check that the output files under the output root are what the pipeline makes from the current inputs.",
            discussion: """
                Brings the stages up to date (from the local cache, the remote cache, or by running them) \
                with their outputs in a scratch folder, and compares each declared output file with the one \
                under the output root, which is left as it is. Exits 0 when all are the same; exits 1 \
                listing each output that differs, is missing, or should not be there (its stage is \
                skipped), and each stage that failed. In CI, the files under the output root are the \
                committed ones: a pull request whose committed figures are stale fails.
                """)

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("Stage ids or globs to check (default: all).", valueName: "target"))
        var targets: [String] = []

        @OptionGroup var execution: ExecutionOptions

        @OptionGroup var remoteOptions: RemoteOptions

        func run() throws {
            let (pipeline, targetIDs, selected) = try pipelineOptions.select(targets)
            try pipelineOptions.requireInputs(of: selected, in: pipeline)
            let remote = try remoteOptions.settings(for: pipeline, upload: execution.remoteUpload)
            let store = Store(root: pipeline.cacheRoot)
            let session = try RunSession(pipeline: pipeline, selected: selected, store: store, execution: execution)
            let scratch: String
            do {
                scratch = try ScratchFolders.shared.make(in: store.temporaryDirectory)
            } catch {
                Terminal.error("\(error)")
                throw Exit.stageFailed
            }
            let fresh = pipeline.writingOutputs(to: scratch + "/out")
            let summary = session.execute(
                fresh, selected: selected, targets: targetIDs, forced: [], remote: remote, showsRestored: false)
            let differences = Self.differences(
                selected, summary: summary, committed: pipeline, fresh: fresh, statCache: session.statCache)
            ScratchFolders.shared.remove(scratch)
            session.statCache.forget(under: scratch)
            session.finish()
            let checked = selected.filter { !(summary.outcomes[$0.id]?.isFailure ?? true) }.flatMap(\.outputFiles).count
            if differences.isEmpty && summary.failed == 0 {
                if !execution.quiet {
                    Terminal.out(
                        "check: all \(checked) output files under \(Paths.display(pipeline.outputRoot)) are what the pipeline makes"
                    )
                }
                return
            }
            if !differences.isEmpty {
                Terminal.error(
                    "check: \(differences.count) of \(checked) output files under \(Paths.display(pipeline.outputRoot)) "
                        + "are not what the pipeline makes from the current inputs:")
                for line in differences { Terminal.error("  " + line) }
            }
            try reportFailures(summary)
            throw Exit.stageFailed
        }

        /// One line per output file of a stage that finished which is not what
        /// the stage made: `differs  figures/a.png`, `missing  figures/b.pdf`,
        /// `not made figures/c.json (its stage is skipped)`.
        static func differences(
            _ stages: [ResolvedStage], summary: RunSummary, committed: PipelineDefinition, fresh: PipelineDefinition,
            statCache: StatCache
        ) -> [String] {
            var out: [String] = []
            for stage in stages {
                guard let outcome = summary.outcomes[stage.id], !outcome.isFailure else { continue }
                for path in stage.outputFiles {
                    let shown = Paths.display(committed.outputPath(path))
                    let present = FileStat.of(committed.outputPath(path))?.isRegular == true
                    if outcome.isSkipped {
                        if present { out.append("not made \(shown) (its stage is skipped)") }
                        continue
                    }
                    guard present else {
                        out.append("missing  \(shown)")
                        continue
                    }
                    guard let made = try? Digest.sha256(fileAt: fresh.outputPath(path)),
                        statCache.fileMatches(committed.outputPath(path), hash: made)
                    else {
                        out.append("differs  \(shown)")
                        continue
                    }
                }
            }
            return out
        }
    }
}
