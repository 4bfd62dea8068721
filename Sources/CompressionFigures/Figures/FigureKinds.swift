import FigureModel
import FigureStages
import Numerics
import Pipeline

/// The compression family's figure stages: loaded tables in, a `figure`
/// artifact out (drawn by `figure.render`).
extension CompressionKinds {
    public static var figures: [StageKind] { [fig1, fig2, fig3, fig4, fig5] }

    static func table<T>(_ ctx: StageContext, _ input: String, _ decode: ([UInt8]) throws -> T) throws -> T {
        try ctx.decodedArtifact(input, noun: "table", decode)
    }

    static func results(_ ctx: StageContext) throws -> ResultsTable {
        try table(ctx, "results") { try ResultsTable(decoding: $0) }
    }
    static func bf16(_ ctx: StageContext) throws -> AtlasBF16Table {
        try table(ctx, "atlas_bf16") { try AtlasBF16Table(decoding: $0) }
    }
    static func q4k(_ ctx: StageContext) throws -> AtlasQ4KTable {
        try table(ctx, "atlas_q4k") { try AtlasQ4KTable(decoding: $0) }
    }
    static func layer(_ ctx: StageContext) throws -> AtlasLayerTable {
        try table(ctx, "atlas_layer") { try AtlasLayerTable(decoding: $0) }
    }

    static let resultsInput = InputSpec.stage(
        "results", accepts: [ResultsTable.artifactType], help: "the benchmark records (compression.load-results)")
    static let bf16Input = InputSpec.stage(
        "atlas_bf16", accepts: [AtlasBF16Table.artifactType], help: "the bf16 atlas (compression.load-atlas-bf16)")
    static let q4kInput = InputSpec.stage(
        "atlas_q4k", accepts: [AtlasQ4KTable.artifactType], help: "the Q4_K atlas (compression.load-atlas-q4k)")
    static let layerInput = InputSpec.stage(
        "atlas_layer", accepts: [AtlasLayerTable.artifactType], help: "the layer atlas (compression.load-atlas-layer)")

    static func figureKind(
        _ name: String, _ summary: String, inputs: [InputSpec],
        build: @escaping @Sendable (StageContext) throws -> Figure
    ) -> StageKind {
        StageKind(name: name, version: 1, summary: summary, inputs: inputs, output: Figure.artifactType) { ctx in
            StageOutput(artifact: try build(ctx).artifact())
        }
    }

    public static let fig1 = figureKind(
        "compression.fig1", "Figure 1: bf16 byte-marginal entropy per tensor, stacked, by category",
        inputs: [bf16Input]
    ) { try CompressionFigureBuilders.fig1(atlas: bf16($0)) }

    public static let fig2 = figureKind(
        "compression.fig2", "Figure 2: achieved ratio vs R_marginal, bf16 and Q4_K panels",
        inputs: [resultsInput, bf16Input, q4kInput]
    ) { try CompressionFigureBuilders.fig2(results: results($0), bf16: bf16($0), q4k: q4k($0)) }

    public static let fig3 = figureKind(
        "compression.fig3", "Figure 3: histogram of per-tensor Q4_K nibble entropy",
        inputs: [q4kInput]
    ) { ctx in
        try histogramFigure(input: "atlas_q4k", field: "H_nibble") { try CompressionFigureBuilders.fig3(q4k: q4k(ctx)) }
    }

    public static let fig4 = figureKind(
        "compression.fig4", "Figure 4: histogram of inter-layer Pearson correlations with the 95% CI band",
        inputs: [layerInput]
    ) { ctx in
        try histogramFigure(input: "atlas_layer", field: "corr_pearson") {
            try CompressionFigureBuilders.fig4(layer: layer(ctx))
        }
    }

    /// Figures 3 and 4: a null value or numpy's histogram error becomes a
    /// stage error naming the input.
    static func histogramFigure(input: String, field: String, _ build: () throws -> Figure) throws -> Figure {
        do {
            return try build()
        } catch let e as CompressionFigureBuilders.NullValueError {
            throw StageError("\(e)", field: "inputs.\(input)")
        } catch NumpyError.valueError(let message) {
            throw StageError(
                "the histogram of \(field) fails as numpy's would: \(message)", field: "inputs.\(input)")
        }
    }

    public static let fig5 = figureKind(
        "compression.fig5", "Figure 5: decompression throughput vs byte-weighted ratio, Pareto front",
        inputs: [resultsInput]
    ) { try CompressionFigureBuilders.fig5(results: results($0)) }
}
