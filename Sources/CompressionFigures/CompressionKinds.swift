import Pipeline

/// The compression family's stage kinds: the four loaders, each reading one
/// file input `file` into a `.binary` table artifact, the five figure
/// builders (`Figures/FigureKinds.swift`), and the loaded records as `table`
/// artifacts (`TableKinds.swift`).
public enum CompressionKinds {
    public static var all: [StageKind] { loaders + figures + tables }
    public static var loaders: [StageKind] { [loadResults, loadAtlasBF16, loadAtlasQ4K, loadAtlasLayer] }

    /// `results/results.jsonl.zst` → `compression.results` (`ResultsTable`).
    public static let loadResults = loader(
        name: "compression.load-results",
        summary: "Decode results/results.jsonl.zst (every zstd frame) into a results table",
        fileHelp: "the zstd-compressed benchmark records (results/results.jsonl.zst)",
        output: ResultsTable.artifactType
    ) { path, name, progress in
        try ResultsTable.load(path: path, displayName: name, progress: progress).encoded()
    }

    /// The bf16 byte-entropy atlas → `compression.atlas-bf16` (`AtlasBF16Table`).
    public static let loadAtlasBF16 = loader(
        name: "compression.load-atlas-bf16",
        summary: "Load the bf16 byte-entropy atlas (provenance/iter3_precommit/03_atlas/results.jsonl)",
        fileHelp: "the bf16 atlas, JSON lines",
        output: AtlasBF16Table.artifactType
    ) { path, name, _ in
        try AtlasBF16Table.load(path: path, displayName: name).encoded()
    }

    /// The Q4_K nibble atlas → `compression.atlas-q4k` (`AtlasQ4KTable`).
    public static let loadAtlasQ4K = loader(
        name: "compression.load-atlas-q4k",
        summary: "Load the Q4_K nibble atlas (provenance/iter5/precheck_q/atlas_train.jsonl)",
        fileHelp: "the Q4_K atlas, JSON lines",
        output: AtlasQ4KTable.artifactType
    ) { path, name, _ in
        try AtlasQ4KTable.load(path: path, displayName: name).encoded()
    }

    /// The inter-layer correlation atlas → `compression.atlas-layer` (`AtlasLayerTable`).
    public static let loadAtlasLayer = loader(
        name: "compression.load-atlas-layer",
        summary: "Load the inter-layer correlation atlas (provenance/iter5/precheck_l/atlas_train.jsonl)",
        fileHelp: "the layer atlas, JSON lines",
        output: AtlasLayerTable.artifactType
    ) { path, name, _ in
        try AtlasLayerTable.load(path: path, displayName: name).encoded()
    }

    /// A loader kind: one file input named `file`, no parameters, a binary
    /// artifact. Every error becomes a `StageError` whose message names the
    /// file (as displayed), and for content errors the line, column and field.
    private static func loader(
        name: String, summary: String, fileHelp: String, output: String,
        load:
            @escaping @Sendable (_ path: String, _ displayName: String, _ progress: @escaping (String) -> Void) throws
            -> [UInt8]
    ) -> StageKind {
        StageKind(
            name: name, version: 1, summary: summary, inputs: [.file("file", help: fileHelp)], output: output
        ) { ctx in
            let path = try ctx.requiredFilePath("file")
            let display = ctx.displayPath("file")
            do {
                let bytes = try load(path, display) { ctx.progress($0) }
                return StageOutput(artifact: Artifact(type: output, encoding: .binary, bytes: bytes))
            } catch let e as StageError {
                throw e
            } catch {
                throw StageError(String(describing: error))
            }
        }
    }
}
