import FigpipeBasics
import Pipeline

/// `table.load`: a CSV, JSON or JSON Lines file (each optionally `.zst`) as
/// a typed table (`DataTable`), for declared figures and any stage that
/// reads tables.
public enum TableKinds {
    public static let load: StageKind = {
        var kind = loadKind
        kind.readsFilesOfInputs = true
        return kind
    }()

    private static let loadKind = StageKind(
        name: "table.load", version: 1,
        summary: "Read a CSV, JSON (records) or JSON Lines file, optionally zstd-compressed, as a typed table",
        parameters: [
            ParameterSpec(
                "format", .string, default: "auto",
                help:
                    "csv, json or jsonl; auto: from the file name (.csv, .json, .jsonl/.ndjson, each with optional .zst)"
            ).oneOf(["auto"] + TableFormat.allCases.map(\.rawValue)),
            ParameterSpec(
                "path", .string, default: "",
                help: "JSON: the key holding the array of records (dotted for nested objects); empty: the top level"),
            ParameterSpec(
                "columns", .stringMap, default: [:],
                help: "column types instead of pandas' inference: integer, number, boolean or string"
            ).oneOf(ColumnType.allCases.map(\.rawValue)).anyKeys(),
            ParameterSpec(
                "select", .string, default: "",
                help: "when `file` is a stage that writes several files: the suffix of the one to read (e.g. csv)"),
        ],
        inputs: [
            .fileOrStage(
                "file", accepts: [filesArtifactType],
                help: "the table file under the data root, or a stage that writes it (a command stage's CSV)")
        ],
        output: DataTable.artifactType
    ) { context in
        let params = context.parameters
        let (path, shown) = try tableFile(context)
        var declared: [String: ColumnType] = [:]
        for (name, value) in params.values["columns"]?.objectValue ?? [:] {
            if let type = value.stringValue.flatMap(ColumnType.init(rawValue:)) { declared[name] = type }
        }
        let table = try read(
            path: path, shown: shown, format: TableFormat(rawValue: try params.string("format")),
            recordsPath: try params.string("path"), declared: declared)
        for name in declared.keys.sorted() where table[name] == nil {
            throw StageError(
                "no column '\(name)' in \(shown) (it has \(table.columns.map(\.name).joined(separator: ", ")))",
                field: "params.columns.\(name)")
        }
        context.progress("\(table.rowCount) rows, \(table.columns.count) columns")
        return StageOutput(artifact: table.artifact)
    }

    /// The file to read: the file input, or the one file (or the one ending
    /// in `.SELECT`) that the input stage wrote.
    static func tableFile(_ context: StageContext) throws -> (path: String, shown: String) {
        if let path = context.filePath("file") { return (path, context.displayPath("file")) }
        let files = context.outputFiles(ofInput: "file")
        let suffix = try context.parameters.string("select")
        let chosen = StageContext.files(files.keys.sorted(), endingIn: suffix)
        guard chosen.count == 1, let relative = chosen.first, let path = files[relative] else {
            let listing = files.keys.sorted().joined(separator: ", ")
            throw StageError(
                suffix.isEmpty
                    ? "the input stage writes \(files.count) files (\(listing)); choose one with params.select (its suffix)"
                    : "the input stage writes \(chosen.count) files ending in .\(suffix) (\(listing))",
                field: suffix.isEmpty ? "inputs.file" : "params.select")
        }
        return (path, relative)
    }

    /// Reads a table file: `format` or the one its name says (else an error
    /// naming params.format), zstd-decompressed when it is compressed.
    /// Errors are `StageError`s naming `shown`, the file as users know it.
    public static func read(
        path: String, shown: String, format chosen: TableFormat?, recordsPath: String = "",
        declared: [String: ColumnType] = [:]
    ) throws -> DataTable {
        let named = TableFormat.of(fileName: Paths.fileName(of: path))
        let format: TableFormat
        if let chosen {
            format = chosen
        } else if let named {
            format = named.format
        } else {
            throw StageError(
                "cannot tell the format of \(shown) from its name; set params.format (csv, json or jsonl)",
                field: "params.format")
        }
        var bytes = try FileIO.read(path)
        if named?.compressed == true || Zstd.isCompressed(bytes) {
            do {
                bytes = try Zstd.decompress(bytes)
            } catch {
                throw StageError("\(shown): \(error)", field: "inputs.file")
            }
        }
        do {
            return try TableReader(shown: shown, declared: declared).read(
                bytes, format: format, recordsPath: recordsPath)
        } catch let e as TableError {
            throw StageError(e.description)
        }
    }

    public static let all = [load]
}
