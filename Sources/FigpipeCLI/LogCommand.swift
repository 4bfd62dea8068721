import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline

extension Figpipe {
    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what a command stage's program wrote to stdout and stderr in its last run.",
            discussion: """
                The logs are kept with the stage's cached result, so a stage that came from the cache \
                shows the logs of the run that made it. After a failed run they are the failed run's. \
                Exits 1 when a stage has no logs (it runs no program, or has not run).
                """)

        @OptionGroup var pipelineOptions: PipelineOptions

        @Argument(help: ArgumentHelp("Stage ids or globs.", valueName: "stage"))
        var stages: [String]

        @Flag(name: .long, help: "Only stdout.")
        var stdout = false

        @Flag(name: .long, help: "Only stderr.")
        var stderr = false

        func validate() throws {
            guard !(stdout && stderr) else { throw ValidationError("--stdout and --stderr exclude each other") }
        }

        func run() throws {
            let pipeline = try pipelineOptions.load()
            let ids = try pipelineOptions.resolve(stages, in: pipeline, what: "stage")
            let store = Store(root: pipeline.cacheRoot)
            var missing: [String] = []
            let ordered = pipeline.stages.map(\.id).filter { ids.contains($0) }
            for id in ordered {
                guard let (logs, failed) = store.lastLogs(ofStage: id) else {
                    missing.append(id)
                    continue
                }
                let when = failed ? "its last run, which failed" : "the run its cached result came from"
                for (name, bytes) in [("stdout", logs.stdout), ("stderr", logs.stderr)]
                where !(stdout && name == "stderr") && !(stderr && name == "stdout") {
                    if ordered.count > 1 || !(stdout || stderr) {
                        Terminal.out("==> \(id): \(name) (\(when), \(bytes.count) bytes) <==")
                    }
                    var text = String(decoding: bytes, as: UTF8.self)
                    if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
                    Terminal.write(STDOUT_FILENO, text)
                }
            }
            for id in missing {
                let kind = pipeline[id]?.kind.name ?? ""
                Terminal.error(
                    "figpipe: stage '\(id)' has no logs: "
                        + (kind == "command" ? "it has not run yet" : "its kind (\(kind)) runs no program"))
            }
            if !missing.isEmpty { throw Exit.stageFailed }
        }
    }
}
