import ArgumentParser
import FigpipeBasics
import Foundation
import Pipeline

extension Figpipe {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the pipeline's stages, or with --kinds the stage kinds this figpipe knows.")

        @OptionGroup var pipelineOptions: PipelineOptions

        @Flag(name: .long, help: "List the registered stage kinds with their parameters and inputs.")
        var kinds = false

        @Flag(
            name: .long,
            help: "Also show where each stage is written: the template it expands, or the stage whose settings add it.")
        var origin = false

        func run() throws {
            if kinds {
                let registry = Figpipe.registry.current
                for name in registry.sortedNames {
                    guard let k = registry[name] else { continue }
                    Terminal.out("\(name)  v\(k.version)  → \(k.output)")
                    Terminal.out("    \(k.summary)")
                    if k.openInputs {
                        Terminal.out(
                            "    inputs: any names; each a stage id, a file or glob under the data root, or {pipeline}/path"
                        )
                    }
                    for i in k.inputs {
                        let source: String
                        switch i.source {
                        case .file: source = "file"
                        case .stage(let a): source = a.joined(separator: "|")
                        case .stages(let a): source = "[" + a.joined(separator: "|") + "]"
                        case .fileGlob: source = "file glob"
                        case .fileOrStage(let a): source = "file or " + a.joined(separator: "|")
                        }
                        Terminal.out("    input \(i.name) (\(source)\(i.isOptional ? ", optional" : "")): \(i.help)")
                    }
                    for p in k.parameters {
                        let d = p.defaultValue.map { " = \($0)" } ?? " (required)"
                        let rules = p.constraints.summary.map { " [\($0)]" } ?? ""
                        Terminal.out("    param \(p.name): \(p.type.rawValue)\(d)\(rules): \(p.help)")
                    }
                }
                return
            }
            let pipeline = try pipelineOptions.load()
            let width = pipeline.stages.map(\.id.count).max() ?? 0
            for s in pipeline.stages {
                let inputs = s.inputs.map { input -> String in
                    switch input.source {
                    case .file(let rel, _): return "\(input.name)=\(rel)"
                    case .stage(let id): return "\(input.name)=@\(id)"
                    }
                }
                let outs = s.outputFiles.isEmpty ? "" : "  → " + s.outputFiles.joined(separator: ", ")
                let from = origin ? s.origin.map { "  (from \($0))" } ?? "" : ""
                Terminal.out(
                    "\(s.id.padding(toLength: width, withPad: " ", startingAt: 0))  \(s.kind.name)  \(inputs.joined(separator: " "))\(outs)\(from)"
                )
            }
        }
    }

    struct Graph: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the stage graph in Graphviz DOT (e.g. figpipe graph | dot -Tsvg > graph.svg).")

        @OptionGroup var pipelineOptions: PipelineOptions

        func run() throws {
            let pipeline = try pipelineOptions.load()
            Terminal.write(STDOUT_FILENO, dot(pipeline))
        }

        func dot(_ pipeline: PipelineDefinition) -> String {
            func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            var lines = ["digraph figpipe {", "  rankdir=LR;", "  node [shape=box, fontname=\"DejaVu Sans\"];"]
            var files = Set<String>()
            for s in pipeline.stages {
                lines.append(
                    "  \(q(s.id)) [label=\(q(s.id + "\\n" + s.kind.name))\(s.kind.isRender ? ", style=bold" : "")];")
                for input in s.inputs {
                    switch input.source {
                    case .file(let rel, _):
                        if files.insert(rel).inserted { lines.append("  \(q("data/" + rel)) [shape=note];") }
                        lines.append("  \(q("data/" + rel)) -> \(q(s.id)) [label=\(q(input.name))];")
                    case .stage(let id):
                        lines.append("  \(q(id)) -> \(q(s.id)) [label=\(q(input.name))];")
                    }
                }
            }
            lines.append("}")
            return lines.joined(separator: "\n") + "\n"
        }
    }

    struct Clean: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the files the pipeline writes to the output root, and the cache.")

        @OptionGroup var pipelineOptions: PipelineOptions

        @Flag(name: .long, help: "Remove only the output files; keep the cache.")
        var keepCache = false

        @Flag(name: .long, help: "Fail at once instead of waiting for another run.")
        var noWait = false

        func run() throws {
            let pipeline = try pipelineOptions.load()
            let store = Store(root: pipeline.cacheRoot)
            let lock = try takeLock(store, wait: !noWait, quiet: false)
            var removed = 0
            for stage in pipeline.stages {
                for path in stage.outputFiles where unlink(pipeline.outputPath(path)) == 0 { removed += 1 }
            }
            if !keepCache {
                do {
                    try store.removeAll()
                } catch {
                    Terminal.error(String(describing: error))
                    throw Exit.stageFailed
                }
            }
            withExtendedLifetime(lock) {}
            Terminal.out(
                "removed \(removed) output file\(removed == 1 ? "" : "s")"
                    + (keepCache ? "" : " and the cache \(Paths.display(store.root))"))
        }
    }

    struct GC: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove cache objects and entries the pipeline's current stages no longer use.")

        @OptionGroup var pipelineOptions: PipelineOptions

        @Flag(name: .long, help: "Fail at once instead of waiting for another run.")
        var noWait = false

        func run() throws {
            let pipeline = try pipelineOptions.load()
            let store = Store(root: pipeline.cacheRoot)
            let lock = try takeLock(store, wait: !noWait, quiet: false)
            let r = store.collectGarbage(for: pipeline)
            withExtendedLifetime(lock) {}
            let mb = String(format: "%.1f", Double(r.bytes) / 1e6)
            Terminal.out(
                "removed \(r.objects) objects (\(mb) MB), \(r.actions) cache entries, \(r.records) stage records")
        }
    }

    struct Schema: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the JSON Schema of pipeline.json for the stage kinds this figpipe knows.")

        func run() throws {
            Terminal.write(STDOUT_FILENO, PipelineSchema.generate(for: Figpipe.registry.current).prettyString())
        }
    }
}
