import FigpipeBasics
import Foundation
import Numerics
import Pipeline

/// One row of `delphi/runs.json` (a W&B run) with the columns `load_runs` adds.
public struct DelphiRun: Codable, Sendable, Hashable {
    public var name: String
    /// `state` ("finished", "crashed", …); nil when the cache has no state column.
    public var state: String?
    public var loss: Double
    public var tokens: Double
    public var params: Double
    /// Raw W&B units (GFLOPs).
    public var totalGflops: Double
    /// `parse_quantizer(name)`.
    public var quantizer: String
    /// `_run_type(name)`: "optimal" or "isoflop".
    public var runType: String
    /// `round_sig(total_gflops, 2)`: the compute bucket.
    public var gflopsQ: Double

    public var isIsoflop: Bool { runType == "isoflop" }
    public var isOptimal: Bool { runType == "optimal" }
}

/// An error in `delphi/runs.json`, naming the file, the row and the field.
public struct DelphiDataError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    /// The JSON list a cache file holds: `<file>: not valid JSON (…)` or
    /// `<file>: expected a JSON list of <items>, got <type>` otherwise.
    static func jsonList(_ bytes: [UInt8], _ displayName: String, of items: String) throws -> [JSONValue] {
        let doc: JSONValue
        do {
            doc = try JSONValue(parsing: bytes)
        } catch {
            throw DelphiDataError("\(displayName): not valid JSON (\(error))")
        }
        guard case .array(let list) = doc else {
            throw DelphiDataError("\(displayName): expected a JSON list of \(items), got \(doc.typeName)")
        }
        return list
    }
}

/// The exporter's name parsing (`parse_quantizer`, `_run_type`, `parse_seed`).
public enum DelphiNames {
    /// The display name of the initial suite.
    public static let cAdamC = "Initial Scaling Suite (Cautious AdamC)"
    /// The display name of the Delphi suite.
    public static let adamH = "Delphi Scaling Suite (AdamH)"

    /// `QUANTIZER_KEYWORDS`, in the dict's order (the `adamh` keys must come before `nemo`).
    static let keywords: [(String, String)] = [
        ("adamh_scaling_v6", adamH), ("adamh-scaling-ladder", adamH), ("nemo", cAdamC),
    ]

    /// `parse_quantizer(name)`: the first keyword contained in the lower-cased name, else "Unknown".
    public static func quantizer(_ name: String) -> String {
        let lowered = name.lowercased()
        for (k, v) in keywords where lowered.contains(k) { return v }
        return "Unknown"
    }

    /// `_run_type(name)`.
    public static func runType(_ name: String) -> String {
        name.lowercased().contains("optimal") ? "optimal" : "isoflop"
    }

    /// `parse_seed(name)`: the digits of the first `-seed<digits>-`, else "default".
    public static func seed(_ name: String) -> String {
        var rest = Substring(name)
        while let r = rest.range(of: "-seed") {
            let after = rest[r.upperBound...]
            let digits = after.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, after.dropFirst(digits.count).first == "-" { return String(digits) }
            rest = rest[rest.index(after: r.lowerBound)...]
        }
        return "default"
    }
}

/// `load_runs` + `subsample_cadamc_to_adamh_grid`: the runs the figures use, in file order.
public struct DelphiRuns: Codable, Sendable, Hashable {
    public var runs: [DelphiRun]
    /// Whether the cache had a `state` column (`has_state`).
    public var hasState: Bool
    /// Rows in the file and after `dropna` (for the loader's messages).
    public var loadedCount: Int

    /// Parses `runs.json` (a JSON list of run objects) as `load_runs` does: rows with a
    /// missing/null/NaN `loss`, `tokens`, `total_gflops` or `params` are dropped.
    public static func load(bytes: [UInt8], displayName: String) throws -> DelphiRuns {
        let rows = try DelphiDataError.jsonList(bytes, displayName, of: "runs")
        var hasState = false
        var runs: [DelphiRun] = []
        for (i, row) in rows.enumerated() {
            guard case .object(let o) = row else {
                throw DelphiDataError("\(displayName): run \(i): expected an object, got \(row.typeName)")
            }
            if o["state"] != nil { hasState = true }
            guard case .string(let name)? = o["name"] else {
                throw DelphiDataError("\(displayName): run \(i): field 'name' must be a string")
            }
            func num(_ key: String) throws -> Double? {
                switch o[key] {
                case nil, .null?: return nil
                case .int(let v)?: return Double(v)
                case .double(let v)?: return v.isNaN ? nil : v
                case let v?:
                    throw DelphiDataError(
                        "\(displayName): run \(i) (\(name)): field '\(key)' must be a number, got \(v.typeName)")
                }
            }
            // EXPORTER: quantizer and run type are attached before dropna, which changes nothing.
            guard let loss = try num("loss"), let tokens = try num("tokens"),
                let gflops = try num("total_gflops"), let params = try num("params")
            else { continue }
            runs.append(
                DelphiRun(
                    name: name, state: o["state"]?.stringValue, loss: loss, tokens: tokens, params: params,
                    totalGflops: gflops, quantizer: DelphiNames.quantizer(name), runType: DelphiNames.runType(name),
                    gflopsQ: DelphiFits.roundSig(gflops, sig: 2)))
        }
        if rows.isEmpty { throw DelphiDataError("\(displayName): the file holds no runs") }
        let loaded = runs.count
        return DelphiRuns(runs: subsampleToAdamHGrid(runs), hasState: hasState, loadedCount: loaded)
    }

    /// `subsample_cadamc_to_adamh_grid`: drop C-AdamC IsoFLOP runs whose
    /// `(round(params / 1e6), gflops_q)` is not an AdamH IsoFLOP grid point.
    static func subsampleToAdamHGrid(_ runs: [DelphiRun]) -> [DelphiRun] {
        struct Key: Hashable {
            var p: Double
            var g: Double
        }
        func key(_ r: DelphiRun) -> Key { Key(p: (r.params / 1e6).rounded(.toNearestOrEven), g: r.gflopsQ) }
        let adamh = Set(runs.filter { $0.isIsoflop && $0.quantizer == DelphiNames.adamH }.map(key))
        return runs.filter { r in
            !(r.isIsoflop && r.quantizer == DelphiNames.cAdamC) || adamh.contains(key(r))
        }
    }
}

/// `compute_optima(df)`: per (quantizer, bucket) parabola fits over the IsoFLOP runs.
public struct DelphiOptima: Codable, Sendable, Hashable {
    /// One fitted bucket (`fits[(q, g)]` and its `optima` row).
    public struct Bucket: Codable, Sendable, Hashable {
        public var quantizer: String
        public var gflopsBucket: Double
        public var a: Double
        public var b: Double
        public var c: Double
        public var logTStar: Double
        public var tStar: Double
        public var lossStar: Double
        public var pStar: Double
        public var aUnder: Double
        public var aOver: Double
        /// `C_flops = g * 1e9`.
        public var cFlops: Double { gflopsBucket * 1e9 }
    }
    /// Sorted by quantizer, then bucket (the `optima` frame's order).
    public var buckets: [Bucket]
    /// `sorted(df["gflops_q"].unique())` over the IsoFLOP runs.
    public var gflopGroups: [Double]
    /// `sorted(df["quantizer"].unique())` over the IsoFLOP runs.
    public var quantizers: [String]

    /// The fit of one (quantizer, bucket), if it had at least three runs.
    public func fit(_ q: String, _ g: Double) -> Bucket? {
        buckets.first { $0.quantizer == q && $0.gflopsBucket == g }
    }
    /// The optima rows of one quantizer, sorted by compute.
    public func optima(_ q: String) -> [Bucket] {
        buckets.filter { $0.quantizer == q }.sorted { $0.cFlops < $1.cFlops }
    }
    /// `sorted(optima["quantizer"].unique())`.
    public var optimaQuantizers: [String] { Array(Set(buckets.map(\.quantizer))).sorted() }

    public static func compute(_ runs: [DelphiRun]) -> DelphiOptima {
        let iso = runs.filter(\.isIsoflop)
        let groups = Array(Set(iso.map(\.gflopsQ))).sorted()
        let qs = Array(Set(iso.map(\.quantizer))).sorted()
        var buckets: [Bucket] = []
        for q in qs {
            for g in groups {
                let sub = iso.filter { $0.quantizer == q && $0.gflopsQ == g }
                if sub.count < 3 { continue }
                let f = DelphiFits.fitParabola(
                    tokens: sub.map(\.tokens), loss: sub.map(\.loss), params: sub.map(\.params))
                buckets.append(
                    Bucket(
                        quantizer: q, gflopsBucket: g, a: f.a, b: f.b, c: f.c, logTStar: f.logTStar, tStar: f.tStar,
                        lossStar: f.lossStar, pStar: f.pStar, aUnder: f.aUnder, aOver: f.aOver))
            }
        }
        return DelphiOptima(buckets: buckets, gflopGroups: groups, quantizers: qs)
    }
}

/// What the ladder figures read: the grid-matched runs and their parabola fits.
public struct DelphiLadderData: Codable, Sendable, Hashable {
    public static let artifactType = "delphi-runs"
    public var runs: DelphiRuns
    public var optima: DelphiOptima

    public init(runs: DelphiRuns) {
        self.runs = runs
        self.optima = DelphiOptima.compute(runs.runs)
    }

    public func artifact() throws -> Artifact { try Artifact(type: Self.artifactType, encoding: self) }
    public init(artifact: Artifact) throws { self = try artifact.decoded(as: Self.artifactType) }
}
