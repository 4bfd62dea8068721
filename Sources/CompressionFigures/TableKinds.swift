import Pipeline
import Tables

/// The compression family's loaded records as typed tables (`table`
/// artifacts), for declared figures and command stages: the benchmark
/// results one row per measured method, each atlas one row per line.
///
/// Columns are named after the JSON keys the notebook reads, in a fixed
/// order with fixed types (they do not depend on the data): `line` is
/// `int64`; string fields are `object` (null when the key is missing or
/// null); number fields are `float64` (NaN when missing or null; Python's
/// `NaN`/`Infinity` kept).
extension CompressionKinds {
    public static var tables: [StageKind] { [resultsTable, atlasTable] }

    /// `compression.results` → `table`: one row per entry of a record's
    /// `methods` that is an object (`isinstance(md, dict)`, as fig5 keeps
    /// them), in file order then the record's key order.
    public static let resultsTable = StageKind(
        name: "compression.results-table", version: 1,
        summary:
            "The benchmark results as a typed table, one row per (record, method object): line, _kind, model, tensor_name, input_bytes, method, ratio, decompress_MBps",
        inputs: [resultsInput], output: DataTable.artifactType
    ) { ctx in
        StageOutput(artifact: table(of: try results(ctx)).artifact)
    }

    /// An atlas → `table`: one row per line of the file (every row, whatever
    /// its dtype), with the fields the notebook reads from that atlas.
    public static let atlasTable = StageKind(
        name: "compression.atlas-table", version: 1,
        summary:
            "An atlas as a typed table, one row per line: bf16 (line, dtype, tensor_category, tensor_name, H_byte1, H_byte0, ceiling_ratio, R_marginal, ratio_ceiling_byte), Q4_K (line, tensor_name, ggml_type, H_nibble, H_byte) or layer (line, model, role, corr_pearson)",
        inputs: [
            .stage(
                "atlas",
                accepts: [AtlasBF16Table.artifactType, AtlasQ4KTable.artifactType, AtlasLayerTable.artifactType],
                help: "one atlas (compression.load-atlas-bf16, -q4k or -layer)")
        ],
        output: DataTable.artifactType
    ) { ctx in
        let artifact = try ctx.requiredArtifact("atlas")
        let out: DataTable
        switch artifact.type {
        case AtlasBF16Table.artifactType: out = table(of: try table(ctx, "atlas") { try AtlasBF16Table(decoding: $0) })
        case AtlasQ4KTable.artifactType: out = table(of: try table(ctx, "atlas") { try AtlasQ4KTable(decoding: $0) })
        default: out = table(of: try table(ctx, "atlas") { try AtlasLayerTable(decoding: $0) })
        }
        return StageOutput(artifact: out.artifact)
    }

    /// The results table's columns (see `resultsTable`).
    static func table(of results: ResultsTable) -> DataTable {
        var line: [Int64] = []
        var kind: [TableValue] = []
        var model: [TableValue] = []
        var tensorName: [TableValue] = []
        var inputBytes: [Double] = []
        var method: [TableValue] = []
        var ratio: [Double] = []
        var mbps: [Double] = []
        for record in results {
            guard let methods = record.methods else { continue }
            for entry in methods {
                guard case .object(let r, let d) = entry.value else { continue }
                line.append(Int64(record.line))
                kind.append(cell(record.kind))
                model.append(cell(record.model))
                tensorName.append(cell(record.tensorName))
                inputBytes.append(cell(record.inputBytes))
                method.append(.string(entry.name))
                ratio.append(cell(r))
                mbps.append(cell(d))
            }
        }
        return DataTable(columns: [
            Column(name: "line", values: .integers(line)),
            Column(name: "_kind", values: .objects(kind)),
            Column(name: "model", values: .objects(model)),
            Column(name: "tensor_name", values: .objects(tensorName)),
            Column(name: "input_bytes", values: .numbers(inputBytes)),
            Column(name: "method", values: .objects(method)),
            Column(name: "ratio", values: .numbers(ratio)),
            Column(name: "decompress_MBps", values: .numbers(mbps)),
        ])
    }

    /// The bf16 atlas's columns.
    static func table(of atlas: AtlasBF16Table) -> DataTable {
        DataTable(columns: [
            Column(name: "line", values: .integers(atlas.map { Int64($0.line) })),
            Column(name: "dtype", values: .objects(atlas.map { cell($0.dtype) })),
            Column(name: "tensor_category", values: .objects(atlas.map { cell($0.tensorCategory) })),
            Column(name: "tensor_name", values: .objects(atlas.map { cell($0.tensorName) })),
            Column(name: "H_byte1", values: .numbers(atlas.map { cell($0.hByte1) })),
            Column(name: "H_byte0", values: .numbers(atlas.map { cell($0.hByte0) })),
            Column(name: "ceiling_ratio", values: .numbers(atlas.map { cell($0.ceilingRatio) })),
            Column(name: "R_marginal", values: .numbers(atlas.map { cell($0.rMarginal) })),
            Column(name: "ratio_ceiling_byte", values: .numbers(atlas.map { cell($0.ratioCeilingByte) })),
        ])
    }

    /// The Q4_K atlas's columns.
    static func table(of atlas: AtlasQ4KTable) -> DataTable {
        DataTable(columns: [
            Column(name: "line", values: .integers(atlas.map { Int64($0.line) })),
            Column(name: "tensor_name", values: .objects(atlas.map { cell($0.tensorName) })),
            Column(name: "ggml_type", values: .objects(atlas.map { cell($0.ggmlType) })),
            Column(name: "H_nibble", values: .numbers(atlas.map { cell($0.hNibble) })),
            Column(name: "H_byte", values: .numbers(atlas.map { cell($0.hByte) })),
        ])
    }

    /// The layer atlas's columns.
    static func table(of atlas: AtlasLayerTable) -> DataTable {
        DataTable(columns: [
            Column(name: "line", values: .integers(atlas.map { Int64($0.line) })),
            Column(name: "model", values: .objects(atlas.map { cell($0.model) })),
            Column(name: "role", values: .objects(atlas.map { cell($0.role) })),
            Column(name: "corr_pearson", values: .numbers(atlas.map { cell($0.corrPearson) })),
        ])
    }

    /// A string field as an `object` cell: null when missing or null.
    static func cell(_ field: StringField) -> TableValue {
        field.value.map { .string($0) } ?? .null
    }

    /// A number field as a `float64` cell: NaN when missing or null.
    static func cell(_ field: NumberField) -> Double {
        field.value ?? .nan
    }
}
