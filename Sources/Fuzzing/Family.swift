/// A kind of input file the fuzzer mutates, and what it runs on each mutant.
public struct Family: Sendable {
    public var name: String
    /// The files mutated, relative to the data root (one per mutant, picked by
    /// the mutant's generator); empty for the `pipeline` family, which mutates
    /// pipeline.json itself.
    public var files: [String]
    /// The files in the quick profile (a subset of `files`).
    public var quickFiles: [String]
    /// The file is zstd-compressed JSON lines: most mutants change the text and
    /// compress it again, the rest change the compressed bytes.
    public var compressed = false
    /// Quick profile: keep only the first N records (lines of JSON lines, elements
    /// of a top-level array) of the seed, so the stages have less work.
    public var quickRecords: Int?
    /// Quick profile: the other files of the mutated file's glob are left out
    /// of the data root, so the loader parses one file instead of all of them.
    public var quickAloneInGlob = false
    /// Stages left out of the quick profile's targets (costly in a debug build).
    public var quickExclude: Set<String> = []

    public var isPipeline: Bool { files.isEmpty }

    /// Whether the seed is JSON lines.
    public static func isJSONLines(_ file: String) -> Bool {
        file.hasSuffix(".jsonl") || file.hasSuffix(".jsonl.zst")
    }

    /// The family of every input kind of `pipeline.json`.
    public static let all: [Family] = [
        Family(name: "pipeline", files: [], quickFiles: []),
        Family(
            name: "compression.results", files: ["compression/results/results.jsonl.zst"],
            quickFiles: ["compression/results/results.jsonl.zst"], compressed: true, quickRecords: 80),
        Family(
            name: "compression.atlas-bf16", files: ["compression/provenance/iter3_precommit/03_atlas/results.jsonl"],
            quickFiles: ["compression/provenance/iter3_precommit/03_atlas/results.jsonl"], quickRecords: 100),
        Family(
            name: "compression.atlas-q4k", files: ["compression/provenance/iter5/precheck_q/atlas_train.jsonl"],
            quickFiles: ["compression/provenance/iter5/precheck_q/atlas_train.jsonl"], quickRecords: 100),
        Family(
            name: "compression.atlas-layer", files: ["compression/provenance/iter5/precheck_l/atlas_train.jsonl"],
            quickFiles: ["compression/provenance/iter5/precheck_l/atlas_train.jsonl"]),
        Family(
            name: "delphi.runs", files: ["delphi/runs.json"], quickFiles: ["delphi/runs.json"],
            quickExclude: ["delphi.lucky-seeds", "delphi.overtraining-forecast", "delphi.delphi-ladder"]),
        Family(
            name: "delphi.hparam-sweep", files: ["delphi/hparam_sweep.json"], quickFiles: ["delphi/hparam_sweep.json"],
            quickRecords: 16),
        Family(
            name: "delphi.evals",
            files: [
                "delphi/mmlu.json", "delphi/humaneval.json", "delphi/gsm8k.json", "delphi/mmlu_external.json",
                "delphi/humaneval_external.json", "delphi/gsm8k_external.json",
            ],
            quickFiles: ["delphi/mmlu.json", "delphi/humaneval.json", "delphi/gsm8k.json"]),
        Family(
            name: "entropy.results",
            files: (1...4).map { "entropy/E_512/run_0\($0)/results.json" }
                + (1...4).map { "entropy/E_2048/run_0\($0)/results.json" }
                + (1...6).map { "entropy/E_256/run_0\($0)/results.json" },
            quickFiles: (1...4).map { "entropy/E_512/run_0\($0)/results.json" }, quickAloneInGlob: true),
    ]

    public static func named(_ name: String) -> Family? { all.first { $0.name == name } }
}

/// How much work each mutant gets.
public enum Profile: String, Sendable, CaseIterable {
    /// Inside `make test`: smaller seeds, no renders, cheap targets.
    case quick
    /// `make fuzz`: the full sample files, every direct reader of the
    /// loaders, and for pipeline.json the stage the mutation is in.
    case thorough
}
