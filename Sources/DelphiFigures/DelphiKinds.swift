import FigpipeBasics
import FigureModel
import FigureStages
import Foundation
import Pipeline

/// The Delphi blog family's stage kinds: the runs loader (with the parabola
/// fits), one figure kind per blog figure (`interactive-figure` artifacts,
/// written by `figure.plotly` and drawn by `figure.render`), and the mobile
/// transforms.
public enum DelphiKinds {
    public static var all: [StageKind] {
        [
            loadRuns, runsTable, isoflopParabolas, scalingLawAsymptote, ladder, luckySeeds, overtrainingForecast, mmluEmergence,
            hparamScaling,
            mobile,
        ]
    }

    /// `delphi/runs.json` → `delphi-runs`: `load_runs`, `subsample_cadamc_to_adamh_grid`, `compute_optima`.
    public static let loadRuns = StageKind(
        name: "delphi.load-runs", version: 1,
        summary: "Load delphi/runs.json, match C-AdamC to the AdamH grid, fit the per-bucket parabolas",
        inputs: [.file("file", help: "the W&B runs cache (delphi/runs.json)")],
        output: DelphiLadderData.artifactType
    ) { ctx in
        let path = try ctx.requiredFilePath("file")
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw StageError("cache not found at \(ctx.displayPath("file")): \(error)")
        }
        do {
            let runs = try DelphiRuns.load(bytes: bytes, displayName: ctx.displayPath("file"))
            let data = DelphiLadderData(runs: runs)
            ctx.progress(
                "loaded \(runs.loadedCount) runs; after grid-matching: \(runs.runs.count) runs; "
                    + "fit \(data.optima.buckets.count) parabolas")
            return StageOutput(artifact: try data.artifact())
        } catch let e as DelphiDataError {
            throw StageError(e.message)
        }
    }

    static let runsInput = InputSpec.stage(
        "runs", accepts: [DelphiLadderData.artifactType], help: "the runs and their fits (delphi.load-runs)")

    static func ladderData(_ ctx: StageContext) throws -> DelphiLadderData {
        try DelphiLadderData(artifact: try ctx.requiredArtifact("runs"))
    }

    static func figureKind(
        _ name: String, _ summary: String, version: Int = 1, cost: Int = 0, parameters: [ParameterSpec] = [],
        inputs: [InputSpec], build: @escaping @Sendable (StageContext) throws -> InteractiveFigure
    ) -> StageKind {
        var kind = StageKind(
            name: name, version: version, summary: summary, parameters: parameters, inputs: inputs,
            output: InteractiveFigure.artifactType
        ) { ctx in
            // Errors (and `StageSkipped`) go to the executor as they are: it reports a
            // data error by its description, as a StageError would show it.
            StageOutput(artifact: try build(ctx).artifact())
        }
        kind.cost = cost
        return kind
    }

    public static let isoflopParabolas = figureKind(
        "delphi.isoflop-parabolas", "IsoFLOP parabolas per optimizer and compute bucket (build_isoflop_figure)",
        inputs: [runsInput]
    ) { DelphiLadderFigures.isoflop(try ladderData($0)) }

    public static let scalingLawAsymptote = figureKind(
        "delphi.scaling-law-asymptote",
        "Asymptotic scaling law per optimizer with held-out runs (build_scaling_law_figure)",
        inputs: [runsInput]
    ) { DelphiLadderFigures.scalingLaw(try ladderData($0)) }

    public static let ladder = figureKind(
        "delphi.ladder", "Two-panel ladder of one scaling suite (build_ladder_figure)",
        parameters: [
            ParameterSpec(
                "suite", .string, default: "adamh",
                help: "'adamc' (Initial Scaling Suite, Cautious AdamC) or 'adamh' (Delphi Scaling Suite, AdamH)"
            ).oneOf(["adamc", "adamh"])
        ],
        inputs: [runsInput]
    ) { ctx in
        let suite = try ctx.parameters.string("suite")
        return DelphiLadderFigures.ladder(
            try ladderData(ctx), quantizer: suite == "adamc" ? DelphiNames.cAdamC : DelphiNames.adamH)
    }

    public static let luckySeeds = figureKind(
        "delphi.lucky-seeds",
        "Bootstrap forecast interval vs seed spread at the held-out budgets (build_lucky_seeds_figure)",
        inputs: [runsInput]
    ) { DelphiLuckySeeds.figure(try ladderData($0)) }

    public static let overtrainingForecast = figureKind(
        "delphi.overtraining-forecast",
        "Overtraining forecast with a slider over T/T* (build_overtraining_forecast_figure)",
        inputs: [runsInput]
    ) { DelphiOvertraining.figure(try ladderData($0)) }

    /// The eval caches of `mmlu-emergence`, as (input name, file).
    static let evalFiles = [
        ("mmlu", "mmlu.json"), ("mmlu_external", "mmlu_external.json"), ("humaneval", "humaneval.json"),
        ("humaneval_external", "humaneval_external.json"), ("gsm8k", "gsm8k.json"),
        ("gsm8k_external", "gsm8k_external.json"),
    ]

    /// `mmlu-emergence`: gated on the optional MMLU cache. A missing, empty or column-less
    /// MMLU cache skips this stage (`StageSkipped`, with the exporter's message), and with it
    /// the mobile variant and the plotly files; the other caches each drop their view or
    /// pool with the exporter's message (a progress note, shown with --verbose).
    public static let mmluEmergence = figureKind(
        "delphi.mmlu-emergence",
        "MMLU / HumanEval / GSM8K emergence: power law at a Richards-derived L∞ and the accuracy sigmoid (build_mmlu_emergence_figure)",
        inputs: evalFiles.map { .file($0.0, optional: true, help: "the optional \($0.1) cache (delphi/\($0.1))") }
    ) { ctx in
        func bytes(_ input: String) throws -> [UInt8]? {
            try ctx.filePath(input).flatMap { try FileIO.readIfExists($0) }
        }
        var messages: [String] = []
        let byFile = Dictionary(uniqueKeysWithValues: evalFiles.map { ($0.1, $0.0) })
        do {
            let evals = try DelphiEvals.load(
                mmlu: bytes("mmlu"), mmluExternal: bytes("mmlu_external"), humaneval: bytes("humaneval"),
                humanevalExternal: bytes("humaneval_external"), gsm8k: bytes("gsm8k"),
                gsm8kExternal: bytes("gsm8k_external"), names: { ctx.displayPath(byFile[$0] ?? $0) },
                log: { messages.append($0) })
            for m in messages { ctx.progress(m) }
            guard let evals else { throw StageSkipped(messages.first ?? "mmlu cache skipped") }
            return DelphiMMLUEmergence.figure(evals)
        } catch let e as DelphiDataError {
            throw StageError(e.message)
        }
    }

    /// `hparam-scaling`: gated on the optional sweep cache. A missing, empty or column-less
    /// cache (or one without finished runs) skips this stage (`StageSkipped`, with the
    /// exporter's message), and with it the mobile variant and the plotly files; every other
    /// figure is still built.
    public static let hparamScaling = figureKind(
        "delphi.hparam-scaling",
        "Hyperparameter sensitivity: GP partial dependence per sweep cell with dropdowns (build_hparam_sweep_figure)",
        cost: 10,  // 24 GP fits with restarts: the family's longest chain starts first
        inputs: [
            .file("sweep", optional: true, help: "the AdamH hyperparameter sweep cache (delphi/hparam_sweep.json)")
        ]
    ) { ctx in
        let bytes: [UInt8]? = try ctx.filePath("sweep").flatMap { try FileIO.readIfExists($0) }
        let loaded: DelphiSweep.Loaded
        do {
            loaded = try DelphiSweep.load(bytes: bytes, displayName: ctx.displayPath("sweep"))
        } catch let e as DelphiDataError {
            throw StageError(e.message)
        }
        switch loaded {
        case .skipped(let message): throw StageSkipped(message)
        case .runs(let runs):
            ctx.progress("loaded \(runs.count) sweep runs")
            return try DelphiHparamSweep.figure(runs)
        }
    }

    /// The mobile variants (`to_mobile_stack`, `to_mobile_mmlu_stack`, `to_mobile_3x2`).
    public static let mobile = StageKind(
        name: "delphi.mobile", version: 1, summary: "A blog figure's mobile layout",
        parameters: [
            ParameterSpec(
                "transform", .string, help: "'stack' (ladders), 'mmlu-stack' (mmlu-emergence) or '3x2' (hparam-scaling)"
            ).oneOf(["stack", "mmlu-stack", "3x2"])
        ],
        inputs: [.stage("figure", accepts: [InteractiveFigure.artifactType], help: "the desktop figure")],
        output: InteractiveFigure.artifactType
    ) { ctx in
        let fig = try InteractiveFigure(artifact: try ctx.requiredArtifact("figure"))
        let t = try ctx.parameters.string("transform")
        switch t {
        case "stack": return StageOutput(artifact: DelphiMobile.stack(fig).artifact())
        case "mmlu-stack": return StageOutput(artifact: DelphiMobile.mmluStack(fig).artifact())
        case "3x2": return StageOutput(artifact: DelphiMobile.grid3x2(fig).artifact())
        default: throw StageError("'\(t)' passed validation but has no layout (a bug in the kind)", field: "params.transform")
        }
    }
}
