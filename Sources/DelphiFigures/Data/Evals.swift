import FigpipeBasics
import Foundation

/// One MMLU eval of a Delphi rung (`mmlu.json`).
public struct DelphiMMLURow: Codable, Sendable, Hashable {
    public var budget: Double
    public var shot: Int
    public var accuracy: Double
    public var choiceLogprob: Double
}

/// One external model's MMLU score (`mmlu_external.json`).
public struct DelphiMMLUExternalRow: Codable, Sendable, Hashable {
    public var runName: String?
    public var accuracy: Double
    public var choiceLogprob: Double
}

/// One downstream (HumanEval / GSM8K) eval of a Delphi rung: bits/byte and the hard metric
/// (pass@1 / exact-match; NaN where not measured).
public struct DelphiDownstreamRow: Codable, Sendable, Hashable {
    public var budget: Double
    public var bpb: Double
    public var acc: Double
}

/// One external model's downstream score.
public struct DelphiDownstreamExternalRow: Codable, Sendable, Hashable {
    public var displayName: String
    public var bpb: Double
    public var acc: Double
}

/// The downstream-eval caches of the MMLU figure, each nil when the exporter skips it.
public struct DelphiEvals: Codable, Sendable, Hashable {
    public var mmlu: [DelphiMMLURow]
    public var mmluExternal: [DelphiMMLUExternalRow]?
    public var humaneval: [DelphiDownstreamRow]?
    public var humanevalExternal: [DelphiDownstreamExternalRow]?
    public var gsm8k: [DelphiDownstreamRow]?
    public var gsm8kExternal: [DelphiDownstreamExternalRow]?
}

/// The loaders of the optional eval caches (`load_mmlu_runs`, `load_mmlu_external`,
/// `load_humaneval_runs`, `load_humaneval_external`, `load_gsm8k_runs`, `load_gsm8k_external`),
/// with the exporter's gating: a missing, empty or column-less cache gives nil and the
/// exporter's message.
public enum DelphiEvalLoaders {
    /// A cache as rows of JSON objects (nil + message when missing or empty).
    struct Table {
        var rows: [[String: JSONValue]]
        var columns: Set<String>
        func num(_ r: [String: JSONValue], _ k: String) -> Double {
            switch r[k] {
            case .int(let v)?: return Double(v)
            case .double(let v)?: return v
            default: return .nan
            }
        }
        func missing(_ need: [String]) -> [String] { need.filter { !columns.contains($0) } }
    }

    static func table(_ bytes: [UInt8], _ name: String) throws -> Table? {
        let items = try DelphiDataError.jsonList(bytes, name, of: "rows")
        if items.isEmpty { return nil }
        var rows: [[String: JSONValue]] = []
        var cols: Set<String> = []
        for (i, it) in items.enumerated() {
            guard case .object(let o) = it else {
                throw DelphiDataError("\(name): row \(i): expected an object, got \(it.typeName)")
            }
            rows.append(o)
            cols.formUnion(o.keys)
        }
        return Table(rows: rows, columns: cols)
    }

    static func pyList(_ cols: [String]) -> String { "[" + cols.map { "'\($0)'" }.joined(separator: ", ") + "]" }

    /// `load_mmlu_runs`: sorted by (shot, budget). nil skips the whole figure.
    public static func mmlu(_ bytes: [UInt8]?, _ name: String, log: (String) -> Void) throws -> [DelphiMMLURow]? {
        guard let bytes else {
            log(
                "mmlu cache not found at \(name) — skipping downstream-evals figure. Run `uv run scripts/delphi/fetch_data.py` to populate it."
            )
            return nil
        }
        guard let t = try table(bytes, name) else {
            log("mmlu cache \(name) is empty — skipping downstream-evals figure.")
            return nil
        }
        let miss = t.missing(["budget", "shot", "accuracy", "choice_logprob"])
        if !miss.isEmpty {
            log("mmlu cache missing columns \(pyList(miss)) — skipping downstream-evals figure.")
            return nil
        }
        var out: [DelphiMMLURow] = []
        for (i, r) in t.rows.enumerated() {
            let b = t.num(r, "budget")
            let s = t.num(r, "shot")
            let a = t.num(r, "accuracy")
            let lp = t.num(r, "choice_logprob")
            if b.isNaN || s.isNaN || a.isNaN || lp.isNaN { continue }
            guard let shot = Int(exactly: s.rounded(.towardZero)) else {
                throw DelphiDataError(
                    "\(name): row \(i): field 'shot': \(JSONValue.format(s)) is out of the integer range")
            }
            out.append(DelphiMMLURow(budget: b, shot: shot, accuracy: a, choiceLogprob: lp))
        }
        // A stable sort by (shot, budget), as pandas' multi-column sort_values.
        return out.enumerated().sorted { l, r in
            (l.element.shot, l.element.budget, l.offset) < (r.element.shot, r.element.budget, r.offset)
        }.map(\.element)
    }

    /// `load_mmlu_external`: rows with accuracy and log-prob, without the comma-mix runs.
    public static func mmluExternal(_ bytes: [UInt8]?, _ name: String) throws -> [DelphiMMLUExternalRow]? {
        guard let bytes, let t = try table(bytes, name) else { return nil }
        if !t.missing(["accuracy", "choice_logprob"]).isEmpty { return nil }
        var out: [DelphiMMLUExternalRow] = []
        for r in t.rows {
            let a = t.num(r, "accuracy")
            let lp = t.num(r, "choice_logprob")
            if a.isNaN || lp.isNaN { continue }
            let run = r["run_name"]?.stringValue
            if t.columns.contains("run_name"), let run, run.lowercased().contains("comma") { continue }
            out.append(DelphiMMLUExternalRow(runName: run, accuracy: a, choiceLogprob: lp))
        }
        return out
    }

    /// `load_humaneval_runs` / `load_gsm8k_runs`: budget and bits/byte required, the hard
    /// metric optional (NaN); sorted by budget.
    public static func downstream(
        _ bytes: [UInt8]?, _ name: String, task: String, accColumn: String, log: (String) -> Void
    ) throws -> [DelphiDownstreamRow]? {
        let upper = task == "humaneval" ? "HumanEval" : "GSM8K"
        guard let bytes else {
            log(
                "\(task) cache not found at \(name) — \(upper) dropdown will be dropped. Run `uv run scripts/delphi/fetch_data.py` to populate."
            )
            return nil
        }
        guard let t = try table(bytes, name) else {
            log("\(task) cache \(name) is empty — skipping \(upper) dropdown.")
            return nil
        }
        let miss = t.missing(["budget", "macro_bpb"])
        if !miss.isEmpty {
            log("\(task) cache missing columns \(pyList(miss)) — skipping \(upper) dropdown.")
            return nil
        }
        var out: [DelphiDownstreamRow] = []
        for r in t.rows {
            let b = t.num(r, "budget")
            let bpb = t.num(r, "macro_bpb")
            if b.isNaN || bpb.isNaN { continue }
            out.append(DelphiDownstreamRow(budget: b, bpb: bpb, acc: t.num(r, accColumn)))
        }
        return out.enumerated().sorted { ($0.element.budget, $0.offset) < ($1.element.budget, $1.offset) }.map(
            \.element)
    }

    /// `load_humaneval_external` / `load_gsm8k_external`: rows with bits/byte.
    public static func downstreamExternal(
        _ bytes: [UInt8]?, _ name: String, task: String, accColumn: String, log: (String) -> Void
    ) throws -> [DelphiDownstreamExternalRow]? {
        let upper = task == "humaneval" ? "HumanEval" : "GSM8K"
        guard let bytes else {
            log(
                "\(task)-external cache not found at \(name) — \(upper) panel will use the pinned-L∞ asymptote fit and skip the grey external scatter. Run `uv run scripts/delphi/fetch_data.py` to populate."
            )
            return nil
        }
        guard let t = try table(bytes, name) else {
            log("\(task)-external cache \(name) is empty.")
            return nil
        }
        let miss = t.missing(["display_name", "macro_bpb", accColumn])
        if !miss.isEmpty {
            log("\(task)-external cache missing columns \(pyList(miss)) — skipping.")
            return nil
        }
        var out: [DelphiDownstreamExternalRow] = []
        for r in t.rows {
            let bpb = t.num(r, "macro_bpb")
            if bpb.isNaN { continue }
            let n: String
            switch r["display_name"] {
            case .string(let s)?: n = s
            case nil, .null?: n = "nan"
            case let v?: n = "\(v)"
            }
            out.append(DelphiDownstreamExternalRow(displayName: n, bpb: bpb, acc: t.num(r, accColumn)))
        }
        return out
    }
}

extension DelphiEvals {
    public static let artifactType = "delphi-evals"

    /// Every eval cache through its loader (bytes nil = file absent); nil when the MMLU cache
    /// is skipped (the exporter then builds no downstream-evals figure). `names` maps a cache's
    /// file name to the path shown in messages; `log` receives the exporter's messages.
    public static func load(
        mmlu: [UInt8]?, mmluExternal: [UInt8]?, humaneval: [UInt8]?, humanevalExternal: [UInt8]?, gsm8k: [UInt8]?,
        gsm8kExternal: [UInt8]?, names: (String) -> String, log: (String) -> Void
    ) throws -> DelphiEvals? {
        let L = DelphiEvalLoaders.self
        // The exporter's main() order: mmlu, mmlu_external, humaneval, humaneval_external, gsm8k, gsm8k_external.
        let m = try L.mmlu(mmlu, names("mmlu.json"), log: log)
        let ext = try L.mmluExternal(mmluExternal, names("mmlu_external.json"))
        let he = try L.downstream(
            humaneval, names("humaneval.json"), task: "humaneval", accColumn: "pass_at_1", log: log)
        let heX = try L.downstreamExternal(
            humanevalExternal, names("humaneval_external.json"), task: "humaneval", accColumn: "pass_at_1", log: log)
        let gs = try L.downstream(gsm8k, names("gsm8k.json"), task: "gsm8k", accColumn: "exact_match_flex", log: log)
        let gsX = try L.downstreamExternal(
            gsm8kExternal, names("gsm8k_external.json"), task: "gsm8k", accColumn: "exact_match_flex", log: log)
        guard let m else { return nil }
        return DelphiEvals(
            mmlu: m, mmluExternal: ext, humaneval: he, humanevalExternal: heX, gsm8k: gs, gsm8kExternal: gsX)
    }
}
