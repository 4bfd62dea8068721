import Foundation
import Numerics

/// One row of `summary_from_run` (README notebook, cell 3).
public struct SummaryRow: Sendable, Equatable {
    public var eta: Double
    public var deltaTrue: Double
    public var deltaLinear: Double
    /// nil when the run has no `approx.quadratic.vHvv` (the notebook's None).
    public var deltaLinquad: Double?
}

/// The ΔH notebooks' per-run summaries and aggregate tables, computed as
/// their code computes them (each function cites its cell).
public enum EntropySummaries {
    /// `float(approx['delta_h_per_lr'])`: a missing or null value raises in
    /// the notebook; here it is an `EntropyDataError` naming the run.
    static func gdotvLinear(_ run: EntropyRun, folder: String) throws(EntropyDataError) -> Double {
        switch run.deltaHPerLr {
        case .absent: throw EntropyDataError("\(folder)/\(run.id): approx.delta_h_per_lr is missing")
        case .null: throw EntropyDataError("\(folder)/\(run.id): approx.delta_h_per_lr is null")
        case .double(let d): return d
        case .int(let i): return Double(i)
        }
    }

    /// `quad = approx.get('quadratic') or {}`; `gdotv_quad = float(quad.get('gdotv', gdotv_linear))`;
    /// `vHvv = quad.get('vHvv')`.
    static func quadratic(_ run: EntropyRun, linear: Double, folder: String) throws(EntropyDataError) -> (
        gdotv: Double, vHvv: Double?
    ) {
        guard run.quadratic.isTruthy else { return (linear, nil) }
        let g: Double
        switch run.quadGdotv {
        case .absent: g = linear
        case .null:
            // NOTEBOOK: float(None) raises TypeError.
            throw EntropyDataError("\(folder)/\(run.id): approx.quadratic.gdotv is null")
        case .double(let d): g = d
        case .int(let i): g = Double(i)
        }
        return (g, run.vHvv.value)
    }

    /// README cell 3, `summary_from_run(data)`: one row per true entry, sorted by
    /// eta (Python's stable sort); `delta_linear = gdotv_linear * eta`,
    /// `delta_linquad = gdotv_quad * eta + 0.5 * vHvv * eta**2` (None without vHvv).
    public static func summaryFromRun(_ run: EntropyRun, folder: String) throws(EntropyDataError) -> [SummaryRow] {
        let lin = try gdotvLinear(run, folder: folder)
        let (gq, vHvv) = try quadratic(run, linear: lin, folder: folder)
        let entries = run.entries.enumerated().sorted {
            $0.element.eta < $1.element.eta || ($0.element.eta == $1.element.eta && $0.offset < $1.offset)
        }.map(\.element)
        return entries.map { e in
            let eta = e.eta
            var lq: Double?
            if let vHvv { lq = gq * eta + 0.5 * vHvv * (eta * eta) }
            return SummaryRow(eta: eta, deltaTrue: e.deltaHTrue, deltaLinear: lin * eta, deltaLinquad: lq)
        }
    }

    // MARK: groupby('eta')

    /// pandas' `groupby(...).mean()` for float64: Kahan-compensated sum of the
    /// non-NaN values over their count (NaN when none).
    static func groupMean(_ values: [Double]) -> Double {
        var sum = 0.0
        var comp = 0.0
        var n = 0
        for v in values where !v.isNaN {
            n += 1
            let y = v - comp
            let t = sum + y
            comp = t - sum - y
            sum = t
        }
        return n == 0 ? .nan : sum / Double(n)
    }

    /// pandas' `groupby(...).std()` (ddof=1): Welford's online variance of the
    /// non-NaN values, NaN for fewer than two, then the square root.
    static func groupStd(_ values: [Double], ddof: Int = 1) -> Double {
        var n = 0
        var mean = 0.0
        var ssqdm = 0.0
        for v in values where !v.isNaN {
            n += 1
            let old = mean
            mean += (v - old) / Double(n)
            ssqdm += (v - mean) * (v - old)
        }
        guard n > ddof else { return .nan }
        return (ssqdm / Double(n - ddof)).squareRoot()
    }

    /// The per-eta groups of the runs' summaries (`pd.concat(...).groupby('eta')`):
    /// sorted keys, NaN keys dropped, rows in run order within a group.
    static func groupByEta(_ runs: EntropyRunSet) throws(EntropyDataError) -> [(eta: Double, rows: [SummaryRow])] {
        var groups: [Double: [SummaryRow]] = [:]
        for run in runs.runs {
            for row in try summaryFromRun(run, folder: runs.folder) where !row.eta.isNaN {
                groups[row.eta, default: []].append(row)
            }
        }
        return groups.keys.sorted().map { ($0, groups[$0] ?? []) }
    }

    /// README cell 7, `aggregate_summary_table(runs_dict, include_linquad)`:
    /// per eta the mean and std (ddof=1) of delta_true, delta_linear and
    /// delta_linquad (only its mean without include_linquad).
    /// NOTEBOOK: a run without vHvv contributes NaN to delta_linquad, which
    /// pandas skips; with no vHvv in any run the column holds only None and
    /// pandas' mean of it fails — here it is NaN.
    public static func aggregateSummaryTable(_ runs: EntropyRunSet, includeLinquad: Bool = true)
        throws(EntropyDataError)
        -> DataTable
    {
        try requireRuns(runs)
        var t = DataTable()
        for (eta, rows) in try groupByEta(runs) {
            let dt = rows.map(\.deltaTrue)
            let dl = rows.map(\.deltaLinear)
            let dq = rows.map { $0.deltaLinquad ?? .nan }
            var rec: [(String, Cell)] = [
                ("eta", .float(eta)),
                ("delta_true_mean", .float(groupMean(dt))), ("delta_true_std", .float(groupStd(dt))),
                ("delta_linear_mean", .float(groupMean(dl))), ("delta_linear_std", .float(groupStd(dl))),
                ("delta_linquad_mean", .float(groupMean(dq))),
            ]
            if includeLinquad { rec.append(("delta_linquad_std", .float(groupStd(dq)))) }
            t.append(rec)
        }
        return t
    }

    /// README cell 6's `grouped` (the figure's table): eta, delta_true mean and
    /// std, delta_linear mean, delta_linquad mean.
    public static func aggregateForFigure(_ runs: EntropyRunSet) throws(EntropyDataError) -> (
        eta: [Double], trueMean: [Double], trueStd: [Double], linearMean: [Double], linquadMean: [Double]
    ) {
        try requireRuns(runs)
        let g = try groupByEta(runs)
        return (
            g.map(\.eta), g.map { groupMean($0.rows.map(\.deltaTrue)) }, g.map { groupStd($0.rows.map(\.deltaTrue)) },
            g.map { groupMean($0.rows.map(\.deltaLinear)) },
            g.map { groupMean($0.rows.map { $0.deltaLinquad ?? .nan }) }
        )
    }

    static func requireRuns(_ runs: EntropyRunSet) throws(EntropyDataError) {
        // NOTEBOOK: pd.concat([]) raises "No objects to concatenate".
        if runs.runs.isEmpty { throw EntropyDataError("\(runs.folder) has no run_*/results.json") }
    }

    // MARK: post_correction_delta_h

    /// Post-correction cell 3, `summary_df` over `runs_data` (the E=2048 runs):
    /// every entry in file order with the linear/true and lin+quad/true
    /// ratios, then `sort_values(['run', 'eta'])` (stable).
    public static func postCorrectionSummary(_ runs: EntropyRunSet) throws(EntropyDataError) -> DataTable {
        try requireRuns(runs)
        var rows: [(run: String, eta: Double, record: [(String, Cell)])] = []
        for run in runs.runs {
            let lin = try gdotvLinear(run, folder: runs.folder)
            let (gq, vHvv) = try quadratic(run, linear: lin, folder: runs.folder)
            for e in run.entries {
                let eta = e.eta
                let dt = e.deltaHTrue
                let dl = lin * eta
                var lq: Double?
                if let vHvv { lq = gq * eta + 0.5 * vHvv * (eta * eta) }
                rows.append(
                    (
                        run.id, eta,
                        [
                            ("run", .string(run.id)), ("eta", .float(eta)), ("delta_true", .float(dt)),
                            ("delta_linear", .float(dl)), ("delta_linquad", Cell(lq)),
                            ("linear_over_true", .float(dt != 0 ? dl / dt : .nan)),
                            ("linquad_over_true", .float(dt != 0 && lq != nil ? (lq ?? .nan) / dt : .nan)),
                        ]
                    ))
            }
        }
        let order = rows.indices.sorted { a, b in
            let (x, y) = (rows[a], rows[b])
            if x.run != y.run { return x.run.unicodeScalars.lexicographicallyPrecedes(y.run.unicodeScalars) }
            if x.eta != y.eta { return x.eta < y.eta }
            return a < b
        }
        return DataTable(records: order.map { rows[$0].record })
    }

    /// Post-correction cell 6, `summarize_standard_errors()`: the shard and
    /// jackknife standard errors scaled by eta, raw values as the JSON has them.
    public static func standardErrors(_ runs: EntropyRunSet) throws(EntropyDataError) -> DataTable {
        try requireRuns(runs)
        var t = DataTable()
        for run in runs.runs {
            // approx_var = approx.get('variance') or {}
            let hasVar = run.variance.isTruthy
            // NOTEBOOK: approx.get('quadratic', {}).get('variance') fails on a null quadratic.
            if run.quadratic == .null {
                throw EntropyDataError(
                    "\(runs.folder)/\(run.id): approx.quadratic is null (summarize_standard_errors reads approx.quadratic.variance)"
                )
            }
            let hasQVar = run.quadVariance.isTruthy
            let lin = try gdotvLinear(run, folder: runs.folder)
            let seShard: NumberField = hasVar ? run.seShard : .absent
            let seJack: NumberField = hasVar ? run.seJackknife : .absent
            let numShards: NumberField = hasVar ? run.numShards : .absent
            let seG: NumberField = hasQVar ? run.seGdotv : .absent
            let seV: NumberField = hasQVar ? run.seVHvv : .absent
            for (i, e) in run.entries.enumerated() {
                guard e.diagnostics != .absent, e.diagnostics != .null else {
                    throw EntropyDataError(
                        "\(runs.folder)/\(run.id): true.entries[\(i)].diagnostics is \(e.diagnostics == .null ? "null" : "missing") (the table reads its 'ess')"
                    )
                }
                let eta = e.eta
                t.append([
                    ("run", .string(run.id)), ("eta", .float(eta)), ("delta_true", .float(e.deltaHTrue)),
                    ("delta_linear", .float(lin * eta)),
                    ("se_linear_raw", Cell(seShard)),
                    ("se_linear", Cell(seShard.value.map { $0 * eta })),
                    ("se_linear_jackknife", Cell(seJack.value.map { $0 * eta })),
                    ("se_gdotv_raw", Cell(seG)),
                    ("se_gdotv", Cell(seG.value.map { $0 * eta })),
                    ("se_vHvv", Cell(seV)),
                    ("ess_true", Cell(e.ess)),
                    ("num_shards", Cell(numShards)),
                ])
            }
        }
        return t
    }

    /// Batch-size cell 3, `reference_true_totals`: the mean delta_h_true of the
    /// E=2048 runs per eta, keys in order of first appearance (a dict).
    public static func referenceTrueTotals(_ runs: EntropyRunSet) -> [(eta: Double, mean: Double)] {
        var keys: [Double] = []
        var vals: [Double: [Double]] = [:]
        for run in runs.runs {
            for e in run.entries {
                // dict keys: float equality (NaN keys are each distinct in Python; kept apart here too)
                if vals[e.eta] == nil || e.eta.isNaN { keys.append(e.eta) }
                vals[e.eta, default: []].append(e.deltaHTrue)
            }
        }
        return keys.map { ($0, NP.mean(vals[$0] ?? [])) }
    }

    /// `reference_true_totals` as the table the reference writes.
    public static func referenceTrueTotalsTable(_ runs: EntropyRunSet) -> DataTable {
        DataTable(
            records: referenceTrueTotals(runs).map {
                [("eta", .float($0.eta)), ("delta_h_true_mean", .float($0.mean))]
            })
    }
}
