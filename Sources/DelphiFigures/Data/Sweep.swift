import FigpipeBasics
import Foundation

/// One finished run of the AdamH hyperparameter sweep (`hparam_sweep.json`), as
/// `load_sweep_runs` keeps it.
public struct DelphiSweepRun: Codable, Sendable, Hashable {
    /// `eval/paloma/macro_loss`.
    public var loss: Double
    public var batchSize: Int
    public var hiddenDim: Int
    public var tokens: Double
    /// `bucket_tokens(tokens)`: "1B", "2.5B" or "5B".
    public var tokenBucket: String
    /// `lr`, `adam_lr`, `epsilon`, `beta1`, `beta2`, in `SWEEP_HPARAMS` order.
    public var hparams: [Double]
}

/// `load_sweep_runs`: the sweep cache, or the exporter's reason to skip the figure.
public enum DelphiSweep {
    /// `SWEEP_METRIC`.
    public static let metric = "eval/paloma/macro_loss"
    /// The `SWEEP_HPARAMS` keys.
    public static let hparamKeys = ["lr", "adam_lr", "epsilon", "beta1", "beta2"]

    /// `bucket_tokens(t)`.
    public static func bucket(_ t: Double) -> String {
        if t < 1.75e9 { return "1B" }
        if t < 3.0e9 { return "2.5B" }
        return "5B"
    }

    /// The runs, or `.skipped(message)` with the exporter's message when the cache is
    /// missing (`bytes == nil`), empty, lacks a column, or has no finished runs.
    public enum Loaded: Sendable {
        case runs([DelphiSweepRun])
        case skipped(String)
    }

    public static func load(bytes: [UInt8]?, displayName: String) throws -> Loaded {
        guard let bytes else {
            return .skipped(
                "sweep cache not found at \(displayName) — skipping hparam-scaling figure. "
                    + "Run `uv run scripts/delphi/fetch_data.py` to populate it.")
        }
        let rows = try DelphiDataError.jsonList(bytes, displayName, of: "runs")
        if rows.isEmpty { return .skipped("sweep cache \(displayName) is empty — skipping hparam-scaling figure.") }
        let need = ["state", metric, "batch_size", "hidden_dim", "tokens"]
        var columns: Set<String> = []
        for r in rows { if case .object(let o) = r { columns.formUnion(o.keys) } }
        let missing = (need + hparamKeys).filter { !columns.contains($0) }
        if !missing.isEmpty {
            let list = "[" + missing.map { "'\($0)'" }.joined(separator: ", ") + "]"
            return .skipped("sweep cache missing columns \(list) — skipping hparam-scaling figure.")
        }
        var out: [DelphiSweepRun] = []
        for (i, r) in rows.enumerated() {
            guard case .object(let o) = r else {
                throw DelphiDataError("\(displayName): run \(i): expected an object, got \(r.typeName)")
            }
            guard o["state"]?.stringValue == "finished" else { continue }
            func num(_ k: String) throws -> Double? {
                switch o[k] {
                case nil, .null?: return nil
                case .int(let v)?: return Double(v)
                case .double(let v)?: return v.isNaN ? nil : v
                case let v?:
                    throw DelphiDataError("\(displayName): run \(i): field '\(k)' must be a number, got \(v.typeName)")
                }
            }
            guard let loss = try num(metric), let b = try num("batch_size"), let h = try num("hidden_dim"),
                let t = try num("tokens")
            else { continue }
            var hp: [Double] = []
            for k in hparamKeys {
                guard let v = try num(k) else { break }
                hp.append(v)
            }
            if hp.count < hparamKeys.count { continue }
            /// A count field as the exporter's `int(...)` reads it; a value no
            /// integer can hold (1e300, ±inf) is an error naming it.
            func count(_ k: String, _ v: Double) throws -> Int {
                guard let n = Int(exactly: v.rounded(.toNearestOrEven)) else {
                    throw DelphiDataError(
                        "\(displayName): run \(i): field '\(k)': \(JSONValue.format(v)) is out of the integer range")
                }
                return n
            }
            out.append(
                DelphiSweepRun(
                    loss: loss, batchSize: try count("batch_size", b), hiddenDim: try count("hidden_dim", h),
                    tokens: t, tokenBucket: bucket(t), hparams: hp))
        }
        if out.isEmpty { return .skipped("sweep cache has no finished runs — skipping hparam-scaling figure.") }
        return .runs(out)
    }
}
