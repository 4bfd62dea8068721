import FigpipeBasics
import FigureModel
import FigureStages
import Foundation
import Numerics
import Pipeline

/// The ΔH family's stage kinds: the results loader, the shared err_rel draws
/// and ΔH_true fits (artifacts of their own, read by the figures and tables
/// that show them), one kind per figure of the three notebooks (a `figure` artifact, drawn by `figure.render`) and
/// one per table (written as `<path>.csv`, as `DataFrame.to_csv(index=False)`).
/// Parameters default to the notebooks' example arguments.
public enum EntropyKinds {
    /// The loader, the shared intermediate artifacts (draws and fits), the figures and the tables.
    public static var all: [StageKind] {
        [loadRuns, runsTable, errRelComparison, errRelSubsets, deltaHTrueFits] + figures + tables
    }

    public static var figures: [StageKind] {
        [
            deltaHTrueVsEta, deltaHTrueAggregate, deltaHTrueLinearOverlay, errRelDistribution, deltaHVsEtaGrid,
            deltaHVsEtaAggregate, normalizedAbsError, contributionHistograms, clipSweep, truncationRatio,
            errRelCompare, errRelHistograms,
        ]
    }

    public static var tables: [StageKind] {
        [
            deltaHTrueVsEtaFitStats, deltaHTrueAggregateFitStats, deltaHTrueLinearFitStats, errRelDistributionSummary,
            deltaHVsEtaSummary, postSummary, standardErrors, agreement, batchTruncation, truncation, clipping,
            filteredEstimates, referenceTrueTotals, errRelCompareSummary, errRelSamples, errRelSummary,
        ]
    }

    // MARK: Loader

    /// `entropy.load-runs`: every `run_*/results.json` a glob matches, parsed
    /// once (in parallel) into an `entropy.runs` binary artifact.
    public static let loadRuns: StageKind = {
        var kind = loadRunsKind
        kind.cost = 3  // parses megabytes of JSON: everything waits on it
        return kind
    }()

    static let loadRunsKind = StageKind(
        name: "entropy.load-runs", version: 1,
        summary: "Parse run_*/results.json (sorted) into the ΔH runs table: the fields the notebooks read",
        inputs: [
            .fileGlob(
                "files",
                help: "the runs' results, e.g. entropy/E_2048/run_*/results.json (sorted; folder name = run id)")
        ],
        output: EntropyRunSet.artifactType
    ) { ctx in
        let files = ctx.fileList("files")
        guard let first = files.first else {
            throw StageError("no results.json file matches", field: "inputs.files")
        }
        // The folder the runs are in (E_2048), for messages.
        let parts = first.relative.split(separator: "/")
        let folder = parts.count >= 3 ? parts[..<(parts.count - 2)].joined(separator: "/") : first.relative
        ctx.progress("parsing \(files.count) results.json files of \(folder)")
        do {
            let set = try EntropyRunLoader.load(files: files, folder: folder)
            return StageOutput(
                artifact: Artifact(type: EntropyRunSet.artifactType, encoding: .binary, bytes: set.encoded()))
        } catch {
            throw StageError(String(describing: error))
        }
    }

    // MARK: Helpers

    /// Runs tables decoded in this process, by artifact hash: a dozen stages read each.
    static let decodedRuns = DecodedArtifacts<EntropyRunSet>(capacity: 8)

    static func runs(_ ctx: StageContext, _ input: String) throws -> EntropyRunSet {
        try ctx.decodedArtifact(input, noun: "table") { bytes in
            try decodedRuns.value(forHash: ctx.artifactHash(input)) { try EntropyRunSet(decoding: bytes) }
        }
    }

    static func runsInput(_ name: String, _ help: String) -> InputSpec {
        .stage(name, accepts: [EntropyRunSet.artifactType], help: help)
    }

    static let runs512 = runsInput("runs", "the E=512 runs (runs_512)")
    static let runsLin = runsInput("runs", "the lin-trend E=2048 runs (runs_2048_lin)")
    static let runs2048 = runsInput("runs", "the E=2048 runs (runs_2048; the post-correction notebook's runs_data)")
    static let e2048 = runsInput("e2048", "the E=2048 runs (runs_2048)")
    static let e256 = runsInput("e256", "the E=256 runs (runs_256)")

    static func runParam(_ help: String = "the run id (folder name)") -> ParameterSpec {
        ParameterSpec("run", .string, default: "run_01", help: help)
    }
    static func etaParam(_ d: Double, _ help: String = "the learning rate (an eta of the data)") -> ParameterSpec {
        ParameterSpec("eta", .double, default: .double(d), help: help)
    }
    static let binsParam = ParameterSpec("bins", .int, default: 60, help: "histogram bins").range(
        min: 1, max: maxBins)

    /// Bounds of the count parameters (array lengths and loop counts): the
    /// validator rejects values past them before anything runs.
    static let maxBins: Double = 100_000
    static let maxDraws: Double = 10_000_000

    /// A numpy seed (≥ 0, checked by the validator).
    static func seedParam(_ d: Int, _ help: String) -> ParameterSpec {
        ParameterSpec("seed", .int, default: .int(d), help: help).range(min: 0)
    }

    /// A count of draws or sequences, 1 … `maxDraws`.
    static func countParam(_ name: String, _ d: Int, _ help: String) -> ParameterSpec {
        ParameterSpec(name, .int, default: .int(d), help: help).range(min: 1, max: maxDraws)
    }

    /// A quantile, 0 … 1 (numpy's `quantile` raises outside it), or a list of them.
    static func quantileParam(_ name: String, _ type: ParameterType, _ d: JSONValue, _ help: String) -> ParameterSpec {
        ParameterSpec(name, type, default: d, help: help).range(min: 0, max: 1)
    }

    static func seed(_ p: Parameters) throws -> UInt64 { UInt64(clamping: try p.int("seed")) }

    static func figureKind(
        _ name: String, _ summary: String, version: Int = 1, cost: Int = 0, parameters: [ParameterSpec] = [],
        inputs: [InputSpec], build: @escaping @Sendable (StageContext) throws -> Figure
    ) -> StageKind {
        var kind = StageKind(
            name: name, version: version, summary: summary, parameters: parameters, inputs: inputs,
            output: Figure.artifactType
        ) { ctx in
            // Every default style resolved (cycle colors, widths, sizes) in the artifact itself:
            // the dump resolves them the same way, and the Cairo back end then draws
            // them as the dump describes (it does not cycle colors on its own).
            StageOutput(artifact: try build(ctx).resolvingDefaults().artifact())
        }
        kind.cost = cost
        return kind
    }

    /// A table kind: computes a `DataTable` and writes `<path>.csv`.
    static func tableKind(
        _ name: String, _ summary: String, path defaultPath: String, parameters: [ParameterSpec] = [],
        inputs: [InputSpec], build: @escaping @Sendable (StageContext) throws -> DataTable
    ) -> StageKind {
        let pathSpec = ParameterSpec(
            "path", .string, default: .string(defaultPath),
            help: "output path without the .csv extension, relative to the output root"
        ).filePath()
        return StageKind(
            name: name, version: 1, summary: summary, parameters: parameters + [pathSpec], inputs: inputs,
            output: filesArtifactType,
            outputFiles: { p in [((try? p.string("path")) ?? defaultPath) + ".csv"] }
        ) { ctx in
            let path = try ctx.parameters.string("path")
            let table = try build(ctx)
            return StageOutput(files: [path + ".csv": Array(table.csv().utf8)])
        }
    }

    // MARK: readme_figures_helper

    /// `entropy.delta-h-true-fits`: every run's log-log and linear ΔH_true fit (README cells 8–10).
    public static let deltaHTrueFits = StageKind(
        name: "entropy.delta-h-true-fits", version: 1,
        summary: "README: each run's |ΔH_true| power-law and linear fits against eta, with their points",
        inputs: [runsLin], output: DeltaHTrueFits.artifactType
    ) { ctx in StageOutput(artifact: try DeltaHTrueFits.compute(runs(ctx, "runs")).artifact()) }

    static let fitsInput = InputSpec.stage(
        "fits", accepts: [DeltaHTrueFits.artifactType], help: "the lin-trend runs' fits (entropy.delta-h-true-fits)")

    static func fits(_ ctx: StageContext) throws -> DeltaHTrueFits {
        try DeltaHTrueFits(artifact: try ctx.requiredArtifact("fits"))
    }

    public static let deltaHTrueVsEta = figureKind(
        "entropy.delta-h-true-vs-eta", "README: |ΔH_true| vs eta of one lin-trend run, log-log, power-law fit and R²",
        parameters: [runParam()], inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.deltaHTrueVsEta(fits(ctx), run: ctx.parameters.string("run")) }

    public static let deltaHTrueVsEtaFitStats = tableKind(
        "entropy.delta-h-true-vs-eta-fit-stats", "README: the fit plot_delta_h_true_vs_eta returns (one row)",
        path: "entropy/tables/delta_h_true_vs_eta_run01_fit_stats", parameters: [runParam()], inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.fitStatsTable(fits(ctx), run: ctx.parameters.string("run")) }

    public static let deltaHTrueAggregate = figureKind(
        "entropy.delta-h-true-aggregate", "README: every lin-trend run's |ΔH_true| and log-log fit",
        inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.deltaHTrueAggregate(fits(ctx)) }

    public static let deltaHTrueAggregateFitStats = tableKind(
        "entropy.delta-h-true-aggregate-fit-stats", "README: per-run log-log slope, intercept, R²",
        path: "entropy/tables/delta_h_true_vs_eta_fit_stats_loglog", inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.logLogFitStats(fits(ctx)) }

    public static let deltaHTrueLinearOverlay = figureKind(
        "entropy.delta-h-true-linear-overlay", "README: ΔH_true vs eta on linear axes with straight-line fits",
        inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.deltaHTrueLinearOverlay(fits(ctx)) }

    public static let deltaHTrueLinearFitStats = tableKind(
        "entropy.delta-h-true-linear-fit-stats", "README: per-run linear slope, intercept, R²",
        path: "entropy/tables/delta_h_true_vs_eta_fit_stats_linear", inputs: [fitsInput]
    ) { ctx in try EntropyFigureBuilders.linearFitStats(fits(ctx)) }

    static let errRelDistributionParams = [
        etaParam(3.2e-6), countParam("subset_size", 256, "sequences per sampled subset"),
        countParam("samples_per_run", 500, "subsets drawn per run"),
        seedParam(42, "numpy default_rng seed"),
    ]

    static func errRelDistribution(_ ctx: StageContext) throws -> (Figure, DataTable) {
        let p = ctx.parameters
        return try EntropyFigureBuilders.errRelDistribution(
            runs(ctx, "runs"), eta: p.double("eta"), subsetSize: p.int("subset_size"),
            samplesPerRun: p.int("samples_per_run"), seed: seed(p))
    }

    public static let errRelDistribution = figureKind(
        "entropy.err-rel-distribution",
        "README: err_rel of random subsets of the E=2048 runs (plot_err_rel_distribution, reconstructed)",
        parameters: errRelDistributionParams, inputs: [runs2048]
    ) { try errRelDistribution($0).0 }

    public static let errRelDistributionSummary = tableKind(
        "entropy.err-rel-distribution-summary", "README: the summary plot_err_rel_distribution returns",
        path: "entropy/tables/err_rel_distribution_eta_3.2e-6", parameters: errRelDistributionParams,
        inputs: [runs2048]
    ) { try errRelDistribution($0).1 }

    static let includeLinquad = ParameterSpec(
        "include_linquad", .bool, default: true, help: "also show / aggregate the lin+quad estimate")

    public static let deltaHVsEtaGrid = figureKind(
        "entropy.delta-h-vs-eta-grid", "README: true, linear and lin+quad ΔH vs eta, one panel per E=512 run",
        version: 2,  // 2: tight_layout's rect (the panels leave the top 3 % to the legend)
        cost: 5,  // its render is the family's largest (2000 × 1600 px): start the chain early
        parameters: [includeLinquad], inputs: [runs512]
    ) { ctx in
        try EntropyFigureBuilders.deltaHVsEtaGrid(
            runs(ctx, "runs"), includeLinquad: ctx.parameters.bool("include_linquad"))
    }

    public static let deltaHVsEtaAggregate = figureKind(
        "entropy.delta-h-vs-eta-aggregate", "README: E=512 mean ± std of ΔH_true, mean linear and lin+quad",
        parameters: [includeLinquad], inputs: [runs512]
    ) { ctx in
        try EntropyFigureBuilders.deltaHVsEtaAggregate(
            runs(ctx, "runs"), includeLinquad: ctx.parameters.bool("include_linquad"))
    }

    public static let deltaHVsEtaSummary = tableKind(
        "entropy.delta-h-vs-eta-summary", "README: aggregate_summary_table (per-eta mean and std over runs)",
        path: "entropy/tables/delta_h_vs_eta_summary", parameters: [includeLinquad], inputs: [runs512]
    ) { ctx in
        try EntropySummaries.aggregateSummaryTable(
            runs(ctx, "runs"), includeLinquad: ctx.parameters.bool("include_linquad"))
    }

    // MARK: post_correction_delta_h

    public static let postSummary = tableKind(
        "entropy.post-summary", "Post-correction: summary_df with linear/true and lin+quad/true ratios",
        path: "entropy/tables/post_correction_summary_df", inputs: [runs2048]
    ) { ctx in try EntropySummaries.postCorrectionSummary(runs(ctx, "runs")) }

    public static let standardErrors = tableKind(
        "entropy.standard-errors", "Post-correction: summarize_standard_errors (se_df)",
        path: "entropy/tables/post_correction_se_df", inputs: [runs2048]
    ) { ctx in try EntropySummaries.standardErrors(runs(ctx, "runs")) }

    public static let agreement = tableKind(
        "entropy.agreement", "Post-correction: build_agreement_table (linear vs true within 1σ)",
        path: "entropy/tables/post_correction_agreement_df", inputs: [runs2048]
    ) { ctx in try PostCorrection.agreementTable(runs(ctx, "runs")) }

    public static let batchTruncation = tableKind(
        "entropy.batch-truncation", "Post-correction: batch_truncation_summary over every run and eta",
        path: "entropy/tables/post_correction_trunc_df",
        parameters: [
            quantileParam("keep_quantiles", .doubleList, [0.99, 0.95, 0.90], "quantiles of |linear| kept")
        ],
        inputs: [runs2048]
    ) { ctx in
        try PostCorrection.batchTruncationSummary(
            runs(ctx, "runs"), keepQuantiles: ctx.parameters.doubles("keep_quantiles"))
    }

    static let postEta = etaParam(8e-06, "the learning rate (the notebook's examples use 8e-06)")

    public static let normalizedAbsError = figureKind(
        "entropy.normalized-abs-error", "Post-correction: |true_i - linear_i| / |ΔH_true| histogram",
        parameters: [runParam(), postEta, binsParam], inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return try EntropyFigureBuilders.normalizedAbsError(
            runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), bins: p.int("bins"))
    }

    public static let contributionHistograms = figureKind(
        "entropy.contribution-histograms", "Post-correction: histograms of the per-sequence contributions",
        parameters: [runParam(), postEta, binsParam], inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return try EntropyFigureBuilders.contributionHistograms(
            runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), bins: p.int("bins"))
    }

    public static let clipSweep = figureKind(
        "entropy.clip-sweep", "Post-correction: clipped sums vs clipping threshold",
        parameters: [
            runParam(), postEta,
            quantileParam("base_quantile", .double, 0.999, "thresholds at quantiles base_quantile**k"),
            ParameterSpec("steps", .int, default: 10, help: "k = steps … 0").range(min: 0, max: maxBins),
        ],
        inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return try EntropyFigureBuilders.clipSweep(
            runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), baseQuantile: p.double("base_quantile"),
            steps: p.int("steps"))
    }

    public static let truncationRatio = figureKind(
        "entropy.truncation-ratio", "Post-correction: truncated linear/true ratio vs keep quantile",
        parameters: [
            runParam(), postEta,
            quantileParam(
                "keep_quantiles", .doubleList, [], "quantiles; empty: the notebook's [1.0] + [0.999**k for k in 10..0]"),
        ],
        inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        let qs = try p.doubles("keep_quantiles")
        return try EntropyFigureBuilders.truncationRatio(
            runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), keepQuantiles: qs.isEmpty ? nil : qs)
    }

    public static let truncation = tableKind(
        "entropy.truncation", "Post-correction: summarize_truncation (one row)",
        path: "entropy/tables/trunc_result_run_01_eta_8e-06",
        parameters: [
            runParam(), postEta, quantileParam("keep_quantile", .double, 0.95, "quantile kept"),
        ],
        inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return PostCorrection.truncationTable(
            try PostCorrection.summarizeTruncation(
                runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), keepQuantile: p.double("keep_quantile")))
    }

    public static let clipping = tableKind(
        "entropy.clipping", "Post-correction: summarize_clipping (one row)",
        path: "entropy/tables/clip_result_run_01_eta_8e-06",
        parameters: [
            runParam(), postEta, ParameterSpec("clip_value", .double, default: .double(5e-4), help: "clip at ±value"),
        ],
        inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return PostCorrection.clippingTable(
            try PostCorrection.summarizeClipping(
                runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), clipValue: p.double("clip_value")))
    }

    public static let filteredEstimates = tableKind(
        "entropy.filtered-estimates", "Post-correction: compare_filtered_estimates (raw, truncated, clipped)",
        path: "entropy/tables/compare_filtered_estimates_run_01_eta_8e-06",
        parameters: [
            runParam(), postEta,
            quantileParam("keep_quantiles", .doubleList, [0.99, 0.95], "truncation quantiles"),
            ParameterSpec(
                "clip_thresholds", .doubleList, default: [.double(5e-4), .double(1e-4)], help: "clipping values"),
        ],
        inputs: [runs2048]
    ) { ctx in
        let p = ctx.parameters
        return try PostCorrection.compareFilteredEstimates(
            runs(ctx, "runs"), run: p.string("run"), eta: p.double("eta"), keepQuantiles: p.doubles("keep_quantiles"),
            clipThresholds: p.doubles("clip_thresholds"))
    }

    // MARK: batch_size_comparison

    public static let referenceTrueTotals = tableKind(
        "entropy.reference-true-totals", "Batch size: mean delta_h_true of the E=2048 runs per eta",
        path: "entropy/tables/reference_true_totals", inputs: [e2048]
    ) { ctx in EntropySummaries.referenceTrueTotalsTable(try runs(ctx, "e2048")) }

    static let compareParams = [
        etaParam(1.6e-6, "the learning rate (must be an eta of the E=2048 runs, exactly)"),
        countParam("sample_size", 256, "sequences per synthetic subset"),
        countParam("num_samples", 2000, "subsets per E=2048 run"),
        seedParam(0, "numpy default_rng seed (one stream per run)"),
    ]

    /// `entropy.err-rel-comparison`: the draws of `compare_err_rel_distributions`,
    /// made once for the figure and the summary table that show them.
    public static let errRelComparison: StageKind = {
        var kind = errRelComparisonKind
        kind.cost = 2  // thousands of numpy-exact subset draws
        return kind
    }()

    static let errRelComparisonKind = StageKind(
        name: "entropy.err-rel-comparison", version: 1,
        summary: "Batch size: synthetic E=2048 subset err_rel and the actual E=256 runs' err_rel (the draws)",
        parameters: compareParams, inputs: [e2048, e256], output: ErrRel.Comparison.artifactType
    ) { ctx in
        let p = ctx.parameters
        let c = try ErrRel.compare(
            e2048: runs(ctx, "e2048"), e256: runs(ctx, "e256"), eta: p.double("eta"),
            sampleSize: p.int("sample_size"), numSamples: p.int("num_samples"), seed: seed(p))
        return StageOutput(
            artifact: Artifact(type: ErrRel.Comparison.artifactType, encoding: .binary, bytes: c.encoded()))
    }

    static let comparisonInput = InputSpec.stage(
        "comparison", accepts: [ErrRel.Comparison.artifactType], help: "the draws (an entropy.err-rel-comparison stage)"
    )

    static func comparison(_ ctx: StageContext) throws -> ErrRel.Comparison {
        try ctx.decodedArtifact("comparison") { try ErrRel.Comparison(decoding: $0) }
    }

    public static let errRelCompare = figureKind(
        "entropy.err-rel-compare", "Batch size: synthetic E=2048 subset err_rel vs actual E=256 runs",
        inputs: [comparisonInput]
    ) { try EntropyFigureBuilders.errRelCompare(comparison($0)) }

    public static let errRelCompareSummary = tableKind(
        "entropy.err-rel-compare-summary", "Batch size: the summary compare_err_rel_distributions displays",
        path: "entropy/tables/err_rel_compare_summary_eta_1.6e-06", inputs: [comparisonInput]
    ) { ErrRel.comparisonTable(try comparison($0)) }

    static let samplesParams = [
        ParameterSpec("etas", .doubleList, default: [.double(1.6e-6), .double(3.2e-6)], help: "learning rates"),
        countParam("subset_size", 256, "sequences per sampled subset"),
        countParam("samples_per_eta", 500, "subsets per run and eta"),
        seedParam(42, "numpy default_rng seed (one stream for all)"),
    ]

    /// `entropy.err-rel-subsets`: `subset_df = sample_err_rel_across_runs(...)`, drawn
    /// once for the samples table, the histograms and the summary.
    public static let errRelSubsets = StageKind(
        name: "entropy.err-rel-subsets", version: 1,
        summary: "Batch size: sample_err_rel_across_runs, the subsets' err_rel (the draws)",
        parameters: samplesParams, inputs: [runs2048], output: ErrRelSampleSet.artifactType
    ) { ctx in
        let p = ctx.parameters
        let etas = try p.doubles("etas")
        let samples = try ErrRel.sampleAcrossRuns(
            runs(ctx, "runs"), etas: etas, subsetSize: p.int("subset_size"),
            samplesPerEta: p.int("samples_per_eta"), seed: seed(p))
        return StageOutput(
            artifact: Artifact(
                type: ErrRelSampleSet.artifactType, encoding: .binary,
                bytes: ErrRelSampleSet(etas: etas, samples: samples).encoded()))
    }

    static let samplesInput = InputSpec.stage(
        "samples", accepts: [ErrRelSampleSet.artifactType], help: "the subsets (an entropy.err-rel-subsets stage)")

    static func samples(_ ctx: StageContext) throws -> ErrRelSampleSet {
        try ctx.decodedArtifact("samples") { try ErrRelSampleSet(decoding: $0) }
    }

    public static let errRelSamples = tableKind(
        "entropy.err-rel-samples", "Batch size: sample_err_rel_across_runs (one row per subset)",
        path: "entropy/tables/err_rel_subset_samples", inputs: [samplesInput]
    ) { ErrRel.samplesTable(try samples($0).samples) }

    public static let errRelHistograms = figureKind(
        "entropy.err-rel-histograms", "Batch size: err_rel histograms of the sampled subsets, one panel per eta",
        inputs: [samplesInput]
    ) { ctx in
        let set = try samples(ctx)
        return try EntropyFigureBuilders.errRelHistograms(set.samples, etas: set.etas)
    }

    public static let errRelSummary = tableKind(
        "entropy.err-rel-summary", "Batch size: summarize_err_rel_distribution of the sampled subsets",
        path: "entropy/tables/err_rel_subset_summary", inputs: [samplesInput]
    ) { ErrRel.summarize(try samples($0).samples) }
}
