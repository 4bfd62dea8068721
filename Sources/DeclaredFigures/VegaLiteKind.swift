import CairoBackend
import FigpipeBasics
import FigureModel
import FigureStages
import Pipeline
import Tables
import VegaLite

/// `figure.vega-lite`: a figure declared as a Vega-Lite spec (inline in
/// `params.spec`, or a `.vl.json` file given as the input `spec`), drawn
/// through figpipe's figure model. Its other inputs are tables, by the name
/// the spec's `{"data": {"name": …}}` uses: `table` artifacts (table.load,
/// the families' tables) or table files (CSV, JSON, JSON Lines) read as
/// `table.load` reads them.
///
///     {"id": "examples.loglog", "kind": "figure.vega-lite",
///      "inputs": {"runs": "tables.delphi-runs"},
///      "params": {"theme": "matplotlib", "spec": {
///          "data": {"name": "runs"}, "mark": "point",
///          "encoding": {"x": {"field": "C", "type": "quantitative", "scale": {"type": "log"}},
///                       "y": {"field": "loss", "type": "quantitative", "scale": {"type": "log"}}}}},
///      "render": {"path": "examples/loglog"}}
public enum DeclaredFigureKinds {
    public static let themes: [String: Theme] = ["matplotlib": .matplotlib, "seaborn-v0_8": .seaborn, "blog": .blog]

    public static let vegaLite: StageKind = {
        var kind = StageKind(
            name: "figure.vega-lite", version: 1,
            summary:
                "Draw a figure declared in Vega-Lite (inline params.spec, or a .vl.json file as the input 'spec'); other inputs are tables by the names the spec's data uses",
            parameters: [
                ParameterSpec(
                    "spec", .object, default: [:],
                    help: "the Vega-Lite spec (as Altair's chart.to_dict() writes it); {} to read the input 'spec'"),
                ParameterSpec(
                    "theme", .string, default: "matplotlib",
                    help: "the look: matplotlib's defaults, seaborn-v0_8, or the blog's palette"
                ).oneOf(["matplotlib", "seaborn-v0_8", "blog"]),
            ],
            inputs: [], output: Figure.artifactType
        ) { context in
            try run(context)
        }
        kind.openInputs = true
        kind.readsFilesOfInputs = true
        kind.check = { stage, _ in check(stage) }
        return kind
    }()

    public static let all = [vegaLite]

    /// The spec's structure, checked before anything runs (inline specs):
    /// every construct the subset does not support, at its JSON path.
    static func check(_ stage: ResolvedStage) -> [(field: String, message: String)] {
        let spec = stage.parameters.values["spec"] ?? [:]
        let hasFile = stage.inputs.contains { $0.name == "spec" }
        if spec == [:] {
            return hasFile ? [] : [("params.spec", "give the spec inline here, or a .vl.json file as the input 'spec'")]
        }
        if hasFile {
            return [("inputs.spec", "the spec is given twice: inline in params.spec and as the input 'spec'")]
        }
        let names = stage.inputs.map(\.name).filter { $0 != "spec" }
        var tables: [String: Dataset] = [:]
        for n in names { tables[n] = Dataset() }
        let theme = themes[(try? stage.parameters.string("theme")) ?? ""] ?? .matplotlib
        do {
            _ = try VegaLiteCompiler(tables: tables, theme: theme, checkOnly: true).compile(spec)
        } catch {
            return [(SpecError.join("params.spec", error.path), error.message)]
        }
        return []
    }

    static func run(_ context: StageContext) throws -> StageOutput {
        let params = context.parameters
        var spec = params.values["spec"] ?? [:]
        var specShown = "params.spec"
        if spec == [:] {
            guard let path = context.filePath("spec") else {
                throw StageError("give the spec inline or as a .vl.json file", field: "params.spec")
            }
            specShown = context.displayPath("spec")
            do {
                spec = try JSONValue(parsing: try FileIO.read(path))
            } catch let e as JSONSyntaxError {
                throw StageError("\(specShown): \(e)")
            }
        }
        var tables: [String: Dataset] = [:]
        for name in context.inputNames where name != "spec" {
            tables[name] = try table(context, name)
        }
        let theme = themes[try params.string("theme")] ?? .matplotlib
        let compiled: CompiledFigure
        do {
            compiled = try VegaLiteCompiler(tables: tables, theme: theme, measurer: CairoBackend.measurer).compile(spec)
        } catch {
            let at = SpecError.join(specShown == "params.spec" ? "params.spec" : "", error.path)
            throw StageError(
                specShown == "params.spec"
                    ? "\(at): \(error.message)" : "\(specShown): \(at.isEmpty ? "" : "\(at): ")\(error.message)")
        }
        let rows = compiled.views.map(\.data.count).reduce(0, +)
        context.progress("\(compiled.views.count) view\(compiled.views.count == 1 ? "" : "s"), \(rows) rows drawn")
        return StageOutput(artifact: try compiled.figure.artifact())
    }

    /// The input `name` as a dataset: a table artifact, or a table file.
    static func table(_ context: StageContext, _ name: String) throws -> Dataset {
        if let artifact = context.artifact(name) {
            guard artifact.type == DataTable.artifactType else {
                throw StageError(
                    "is a '\(artifact.type)' artifact; the spec's data must be tables (table.load, a family's table)",
                    field: "inputs.\(name)")
            }
            return Dataset(try DataTable(decoding: artifact.bytes))
        }
        let path: String
        let shown: String
        if let file = context.filePath(name) {
            path = file
            shown = context.displayPath(name)
        } else {
            let files = context.outputFiles(ofInput: name)
            guard files.count == 1, let (relative, file) = files.first else {
                throw StageError(
                    "the input writes \(files.count) files; read the one you want with a table.load stage (params.select)",
                    field: "inputs.\(name)")
            }
            path = file
            shown = relative
        }
        return Dataset(try TableKinds.read(path: path, shown: shown, format: nil))
    }
}

extension Dataset {
    /// A typed table as Vega's data: numbers (NaN, pandas' missing number,
    /// becomes null, as Altair writes it), strings, booleans and nulls.
    public init(_ table: DataTable) {
        self.init(count: table.rowCount)
        for column in table.columns {
            switch column.values {
            case .integers(let v): self[column.name] = .numbers(v.map { Double($0) })
            case .numbers(let v): self[column.name] = .numbers(v.map { $0.isNaN ? nil : $0 })
            case .booleans(let v): self[column.name] = .values(v.map { .boolean($0) })
            case .objects(let v):
                self[column.name] = Column(
                    v.map { cell -> FieldValue in
                        switch cell {
                        case .null: .null
                        case .number(let d): d.isNaN ? .null : .number(d)
                        case .string(let s): .string(s)
                        case .bool(let b): .boolean(b)
                        }
                    })
            }
        }
    }
}
