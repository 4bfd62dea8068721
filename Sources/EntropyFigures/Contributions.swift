import Foundation
import FigureModel
import Numerics

/// Which notebook's copy of the per-sequence code to follow: the three
/// notebooks each define their own, with small differences (eta tolerance,
/// how a null `weights_sum` is read, the error text).
public enum NotebookVariant: Sendable {
    /// README `per_sequence_contributions` and batch-size `per_sequence_contributions`/
    /// `select_eta_entry`: `|e - eta| <= max(1e-12, 1e-6 * |eta|)`,
    /// `float(diag.get('weights_sum', 1.0))` (a null raises).
    case readme
    /// Post-correction `_select_eta_entry`/`get_per_sequence_contributions`:
    /// `|e - eta| <= max(1e-12, 1e-6 * eta)`, a null weights_sum reads as 1.0.
    case postCorrection
}

/// The per-sequence contributions of one run at one eta: the notebooks'
/// `true_seq` and `linear_seq` (`gdotv * eta`).
public struct Contributions: Sendable {
    public var runID: String
    public var folder: String
    public var entry: EntropyEntry
    public var trueSeq: [Double]
    /// nil when `approx.per_sequence` is missing or unusable (see `linearProblem`).
    var linearSeqOrNil: [Double]?
    var linearProblem: String?

    /// `linear_seq`; an `EntropyDataError` with a clear message when the run
    /// has no per-sequence linear terms (an empty or missing
    /// `approx.per_sequence`, a record without gdotv) or when their count
    /// differs from the true entries' (numpy would fail to broadcast).
    public func linearSeq(for what: String) throws(EntropyDataError) -> [Double] {
        guard let l = linearSeqOrNil else {
            throw EntropyDataError(
                "\(folder)/\(runID): \(linearProblem ?? "approx.per_sequence is unusable"); \(what) needs the per-sequence linear terms"
            )
        }
        if l.count != trueSeq.count {
            throw EntropyDataError(
                "\(folder)/\(runID) at eta=\(PythonFormat.repr(entry.eta)): approx.per_sequence has \(l.count) records but the entry's diagnostics have \(trueSeq.count) sequences; \(what) needs one linear term per sequence"
            )
        }
        return l
    }
}

extension EntropyRunSet {
    /// The etas of all runs, sorted and unique, for error messages.
    public var etaList: String {
        let etas = Set(runs.flatMap { $0.entries.map(\.eta) }).sorted()
        return etas.map { PythonFormat.repr($0) }.joined(separator: ", ")
    }
}

public enum EntropyContributions {
    /// `next(e for e in entries if abs(e.eta - eta) <= tol)` with the variant's tolerance.
    public static func selectEntry(_ run: EntropyRun, eta: Double, variant: NotebookVariant, folder: String)
        throws(EntropyDataError) -> EntropyEntry
    {
        let tol: Double
        switch variant {
        case .readme: tol = Swift.max(1e-12, 1e-6 * Swift.abs(eta))
        case .postCorrection: tol = Swift.max(1e-12, 1e-6 * eta)
        }
        if let e = run.entries.first(where: { Swift.abs($0.eta - eta) <= tol }) { return e }
        let has = run.entries.map { PythonFormat.repr($0.eta) }.joined(separator: ", ")
        throw EntropyDataError("eta=\(PythonFormat.repr(eta)) not found in \(folder)/\(run.id) (it has eta: \(has))")
    }

    static func array(_ f: ArrayField, _ name: String, run: EntropyRun, entry: EntropyEntry, folder: String)
        throws(EntropyDataError) -> [Double]
    {
        switch f {
        case .values(let v): return v
        case .absent, .null:
            throw EntropyDataError(
                "\(folder)/\(run.id) at eta=\(PythonFormat.repr(entry.eta)): diagnostics.\(name) is \(f == .null ? "null" : "missing")"
            )
        }
    }

    /// README cell 4 / post-correction cell 5 / batch-size cell 4:
    /// `weights = normalized_weights * weights_sum`,
    /// `denom = np.dot(token_counts, weights)` (1.0 when there are no tokens or it is 0),
    /// `total_tokens = token_counts.sum()` (1.0 when empty),
    /// `true_seq = (weights * h_new) / denom - (token_counts / total_tokens) * base_entropy`,
    /// `linear_seq = [rec['gdotv'] * eta for rec in approx['per_sequence']]`.
    public static func compute(
        _ run: EntropyRun, eta: Double, variant: NotebookVariant, folder: String
    ) throws(EntropyDataError) -> Contributions {
        let entry = try selectEntry(run, eta: eta, variant: variant, folder: folder)
        let at = "\(folder)/\(run.id) at eta=\(PythonFormat.repr(entry.eta))"
        guard entry.diagnostics != .absent, entry.diagnostics != .null else {
            throw EntropyDataError("\(at): diagnostics is \(entry.diagnostics == .null ? "null" : "missing")")
        }
        let weightsSum: Double
        switch (entry.weightsSum, variant) {
        case (.absent, _), (.null, .postCorrection): weightsSum = 1.0
        case (.null, .readme):
            // NOTEBOOK: float(diag.get('weights_sum', 1.0)) raises on a null.
            throw EntropyDataError("\(at): diagnostics.weights_sum is null")
        case (.double(let d), _): weightsSum = d
        case (.int(let i), _): weightsSum = Double(i)
        }
        let normW = try array(entry.normalizedWeights, "normalized_weights", run: run, entry: entry, folder: folder)
        let tokens = try array(entry.tokenCounts, "token_counts", run: run, entry: entry, folder: folder)
        let hNew = try array(entry.hNew, "h_new", run: run, entry: entry, folder: folder)
        guard let base = entry.baseEntropy.value else {
            throw EntropyDataError(
                "\(at): diagnostics.base_entropy is \(entry.baseEntropy == .null ? "null" : "missing")")
        }
        let n = normW.count
        guard tokens.count == n, hNew.count == n else {
            throw EntropyDataError(
                "\(at): diagnostics arrays differ in length (normalized_weights \(n), token_counts \(tokens.count), h_new \(hNew.count))"
            )
        }
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n { weights[i] = normW[i] * weightsSum }
        var denom = n > 0 ? dot(tokens, weights) : 1.0
        if denom == 0.0 { denom = 1.0 }
        let totalTokens = n > 0 ? NP.sum(tokens) : 1.0
        var trueSeq = [Double](repeating: 0, count: n)
        for i in 0..<n {
            trueSeq[i] = (weights[i] * hNew[i]) / denom - (tokens[i] / totalTokens) * base
        }
        var c = Contributions(
            runID: run.id, folder: folder, entry: entry, trueSeq: trueSeq, linearSeqOrNil: nil, linearProblem: nil)
        switch run.perSequence {
        case .absent: c.linearProblem = "approx.per_sequence is missing"
        case .null: c.linearProblem = "approx.per_sequence is null"
        case .empty: c.linearProblem = "approx.per_sequence is empty"
        case .nonEmpty:
            if let p = run.gdotvProblem {
                c.linearProblem = "approx.per_sequence[\(p.index)] \(p.message)"
            } else {
                c.linearSeqOrNil = run.gdotv.map { $0 * eta }
            }
        }
        return c
    }

    /// `np.dot` of two float64 vectors, bit for bit as numpy's bundled
    /// OpenBLAS computes it on x86-64 (its Haswell/Zen `ddot` kernel): the
    /// first `n & -16` elements in four 4-lane fused multiply-add
    /// accumulators, each folded to 2 lanes (`lo + hi`), then `(a0 + a1) +
    /// (a2 + a3)` and a horizontal add; the remaining elements added one by
    /// one (`dot += y[i] * x[i]`, not fused). OpenBLAS splits vectors longer
    /// than 10000 over threads; that order is not reproduced.
    static func dot(_ x: [Double], _ y: [Double]) -> Double {
        let n = x.count
        let n1 = n & ~15
        var dot = 0.0
        if n1 > 0 {
            var acc = [Double](repeating: 0, count: 16)
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeBufferPointer { yp in
                    acc.withUnsafeMutableBufferPointer { a in
                        var i = 0
                        while i < n1 {
                            for k in 0..<16 { a[k] = a[k].addingProduct(xp[i + k], yp[i + k]) }
                            i += 16
                        }
                    }
                }
            }
            // per accumulator (4 lanes at 4k...4k+3): lanes (0+2, 1+3)
            var h = [Double](repeating: 0, count: 8)
            for k in 0..<4 {
                h[2 * k] = acc[4 * k] + acc[4 * k + 2]
                h[2 * k + 1] = acc[4 * k + 1] + acc[4 * k + 3]
            }
            let s45 = (h[0] + h[2], h[1] + h[3])
            let s67 = (h[4] + h[6], h[5] + h[7])
            let s = (s45.0 + s67.0, s45.1 + s67.1)
            dot = s.0 + s.1
        }
        var i = n1
        while i < n {
            dot += y[i] * x[i]
            i += 1
        }
        return dot
    }

    /// `vhvv` when `approx.get('quadratic') and 'per_sequence_vhvv' in approx['quadratic']`,
    /// as `np.asarray(vhvv, dtype=float)` (a null is a NaN scalar, broadcast).
    static func vhvv(_ run: EntropyRun) -> [Double]?? {
        guard run.quadratic.isTruthy else { return nil }
        switch run.perSequenceVhvv {
        case .absent: return nil
        case .null: return .some(nil)
        case .values(let v): return .some(v)
        }
    }

    /// `linear_seq + 0.5 * (eta ** 2) * vhvv` when the run has per-sequence vHv
    /// terms, else nil.
    static func linquad(_ run: EntropyRun, linear: [Double], eta: Double, folder: String) throws(EntropyDataError)
        -> [Double]?
    {
        guard let v = vhvv(run) else { return nil }
        let s = 0.5 * (eta * eta)
        guard let v else { return linear.map { _ in .nan } }
        guard v.count == linear.count else {
            throw EntropyDataError(
                "\(folder)/\(run.id): approx.quadratic.per_sequence_vhvv has \(v.count) values for \(linear.count) sequences"
            )
        }
        var out = [Double](repeating: 0, count: linear.count)
        for i in out.indices { out[i] = linear[i] + s * v[i] }
        return out
    }
}

// MARK: - Truncation and clipping (post_correction_delta_h cells 8–15)

/// The result of `summarize_truncation`.
public struct TruncationSummary: Sendable {
    public var run: String
    public var eta: Double
    public var keepQuantile: Double
    public var threshold: Double
    public var keptPercent: Double
    public var deltaTrueTrunc: Double
    public var deltaLinearTrunc: Double
    public var deltaLinquadTrunc: Double?

    var record: [(String, Cell)] {
        var r: [(String, Cell)] = [
            ("run", .string(run)), ("eta", .float(eta)), ("keep_quantile", .float(keepQuantile)),
            ("threshold", .float(threshold)), ("kept_percent", .float(keptPercent)),
            ("delta_true_trunc", .float(deltaTrueTrunc)), ("delta_linear_trunc", .float(deltaLinearTrunc)),
        ]
        if let q = deltaLinquadTrunc { r.append(("delta_linquad_trunc", .float(q))) }
        return r
    }
}

/// The result of `summarize_clipping`.
public struct ClippingSummary: Sendable {
    public var run: String
    public var eta: Double
    public var clipValue: Double
    public var deltaTrueClip: Double
    public var deltaLinearClip: Double
    public var deltaLinquadClip: Double?

    var record: [(String, Cell)] {
        var r: [(String, Cell)] = [
            ("run", .string(run)), ("eta", .float(eta)), ("clip_value", .float(clipValue)),
            ("delta_true_clip", .float(deltaTrueClip)), ("delta_linear_clip", .float(deltaLinearClip)),
        ]
        if let q = deltaLinquadClip { r.append(("delta_linquad_clip", .float(q))) }
        return r
    }
}

/// The post-correction notebook's analysis of `runs_data`.
/// NOTEBOOK: `runs_data` is used but never defined; it is the E=2048 runs
/// (the reference binds it so, as does the notebook's markdown).
public enum PostCorrection {
    /// `contributions` + `linear_seq`, `linquad_seq` for a run and eta.
    struct Seqs {
        var c: Contributions
        var linear: [Double]
        var linquad: [Double]?
    }

    static func seqs(_ runs: EntropyRunSet, run id: String, eta: Double, what: String) throws(EntropyDataError) -> Seqs
    {
        let run = try runs.run(id)
        let c = try EntropyContributions.compute(run, eta: eta, variant: .postCorrection, folder: runs.folder)
        let lin = try c.linearSeq(for: what)
        return Seqs(
            c: c, linear: lin,
            linquad: try EntropyContributions.linquad(run, linear: lin, eta: eta, folder: runs.folder))
    }

    /// `np.quantile(np.abs(linear_seq), q)` and the kept mask `|linear| <= threshold`.
    static func truncate(_ s: Seqs, sortedAbs: [Double], q: Double) -> (
        threshold: Double, kept: Double, t: Double, l: Double, lq: Double?
    ) {
        let thr: Double
        if sortedAbs.contains(where: \.isNaN) {
            thr = .nan
        } else {
            thr = NP.quantileSorted(sortedAbs, q)
        }
        var keptT: [Double] = []
        var keptL: [Double] = []
        var keptQ: [Double] = []
        keptT.reserveCapacity(s.linear.count)
        keptL.reserveCapacity(s.linear.count)
        for i in s.linear.indices where Swift.abs(s.linear[i]) <= thr {
            keptT.append(s.c.trueSeq[i])
            keptL.append(s.linear[i])
            if let lq = s.linquad { keptQ.append(lq[i]) }
        }
        // mask.mean() * 100
        let kept = Double(keptL.count) / Double(s.linear.count) * 100
        return (thr, kept, NP.sum(keptT), NP.sum(keptL), s.linquad == nil ? nil : NP.sum(keptQ))
    }

    static func absSorted(_ a: [Double]) -> [Double] { a.map { Swift.abs($0) }.sorted() }

    /// Cell 10, `summarize_truncation(run_id, eta, keep_quantile)`.
    public static func summarizeTruncation(_ runs: EntropyRunSet, run id: String, eta: Double, keepQuantile: Double)
        throws(EntropyDataError) -> TruncationSummary
    {
        let s = try seqs(runs, run: id, eta: eta, what: "summarize_truncation")
        return truncationSummary(s, run: id, eta: eta, q: keepQuantile, sortedAbs: absSorted(s.linear))
    }

    static func truncationSummary(_ s: Seqs, run id: String, eta: Double, q: Double, sortedAbs: [Double])
        -> TruncationSummary
    {
        let r = truncate(s, sortedAbs: sortedAbs, q: q)
        return TruncationSummary(
            run: id, eta: eta, keepQuantile: q, threshold: r.threshold, keptPercent: r.kept, deltaTrueTrunc: r.t,
            deltaLinearTrunc: r.l, deltaLinquadTrunc: r.lq)
    }

    /// Cell 10, `summarize_clipping(run_id, eta, clip_value)`: the sums of
    /// `np.clip(x, -clip_value, clip_value)`.
    public static func summarizeClipping(_ runs: EntropyRunSet, run id: String, eta: Double, clipValue: Double)
        throws(EntropyDataError) -> ClippingSummary
    {
        // NOTEBOOK: clipping an empty linear_seq sums to 0.0 in the notebook;
        // here an empty approx.per_sequence is an error, as everywhere linear_seq is used.
        let s = try seqs(runs, run: id, eta: eta, what: "summarize_clipping")
        return ClippingSummary(
            run: id, eta: eta, clipValue: clipValue,
            deltaTrueClip: NP.sum(NP.clip(s.c.trueSeq, -clipValue, clipValue)),
            deltaLinearClip: NP.sum(NP.clip(s.linear, -clipValue, clipValue)),
            deltaLinquadClip: s.linquad.map { NP.sum(NP.clip($0, -clipValue, clipValue)) })
    }

    /// Cell 12, `batch_truncation_summary(keep_quantiles)`: every run and entry
    /// (file order), each quantile.
    public static func batchTruncationSummary(_ runs: EntropyRunSet, keepQuantiles: [Double]) throws(EntropyDataError)
        -> DataTable
    {
        try EntropySummaries.requireRuns(runs)
        var t = DataTable()
        for run in runs.runs {
            for e in run.entries {
                let s = try seqs(runs, run: run.id, eta: e.eta, what: "batch_truncation_summary")
                let sorted = absSorted(s.linear)
                for q in keepQuantiles {
                    t.append(truncationSummary(s, run: run.id, eta: e.eta, q: q, sortedAbs: sorted).record)
                }
            }
        }
        return t
    }

    /// The truncation result as a one-row table (the reference writes the dict so).
    public static func truncationTable(_ s: TruncationSummary) -> DataTable { DataTable(records: [s.record]) }
    /// The clipping result as a one-row table.
    public static func clippingTable(_ s: ClippingSummary) -> DataTable { DataTable(records: [s.record]) }

    /// Cell 8, `compute_true_se(run_id, eta)`: `np.std(true_seq, ddof=1) / sqrt(n)` (0 when empty).
    public static func trueSE(_ runs: EntropyRunSet, run: EntropyRun, eta: Double) throws(EntropyDataError) -> Double {
        let c = try EntropyContributions.compute(run, eta: eta, variant: .postCorrection, folder: runs.folder)
        if c.trueSeq.isEmpty { return 0 }
        return NP.std(c.trueSeq, ddof: 1) / Double(c.trueSeq.count).squareRoot()
    }

    /// Cell 8, `build_agreement_table()`: linear vs true within the combined
    /// one-sigma error (`se_shard * eta` and the true contributions' SE).
    public static func agreementTable(_ runs: EntropyRunSet) throws(EntropyDataError) -> DataTable {
        try EntropySummaries.requireRuns(runs)
        var t = DataTable()
        for run in runs.runs {
            let lin = try EntropySummaries.gdotvLinear(run, folder: runs.folder)
            // (approx_var.get('se_shard') or 0.0)
            let seShard = run.variance.isTruthy ? (run.seShard.value ?? 0) : 0
            for e in run.entries {
                let eta = e.eta
                let dt = e.deltaHTrue
                let dl = lin * eta
                let seLinear = (seShard == 0 ? 0.0 : seShard) * eta
                let seTrue = try trueSE(runs, run: run, eta: eta)
                let diff = dl - dt
                let combined = Foundation.pow(seLinear * seLinear + seTrue * seTrue, 0.5)
                let within: Cell = combined > 0 ? .bool(Swift.abs(diff) <= combined) : .float(.nan)
                t.append([
                    ("run", .string(run.id)), ("eta", .float(eta)), ("delta_true", .float(dt)),
                    ("delta_linear", .float(dl)), ("se_true", .float(seTrue)), ("se_linear", .float(seLinear)),
                    ("diff", .float(diff)), ("combined_se", .float(combined)), ("within_1sigma", within),
                ])
            }
        }
        return t
    }

    /// Cell 14, `compare_filtered_estimates(run_id, eta, keep_quantiles, clip_thresholds)`.
    public static func compareFilteredEstimates(
        _ runs: EntropyRunSet, run id: String, eta: Double, keepQuantiles: [Double], clipThresholds: [Double]
    ) throws(EntropyDataError) -> DataTable {
        let run = try runs.run(id)
        let entry = try EntropyContributions.selectEntry(run, eta: eta, variant: .postCorrection, folder: runs.folder)
        let dt = entry.deltaHTrue
        let dl = try EntropySummaries.gdotvLinear(run, folder: runs.folder) * eta
        var dq: Double?
        if EntropyContributions.vhvv(run) != nil {
            // NOTEBOOK: float(approx['quadratic']['vHvv']) raises when it is missing or null.
            guard let v = run.vHvv.value else {
                throw EntropyDataError(
                    "\(runs.folder)/\(id): approx.quadratic.vHvv is \(run.vHvv == .null ? "null" : "missing")")
            }
            dq = dl + 0.5 * v * (eta * eta)
        }
        var t = DataTable()
        t.append([
            ("strategy", .string("raw")), ("delta_true", .float(dt)), ("delta_linear", .float(dl)),
            ("delta_linquad", Cell(dq)),
        ])
        for q in keepQuantiles {
            let tr = try summarizeTruncation(runs, run: id, eta: eta, keepQuantile: q)
            t.append([
                ("strategy", .string("truncate@\(PythonFormat.repr(q))")), ("delta_true", .float(tr.deltaTrueTrunc)),
                ("delta_linear", .float(tr.deltaLinearTrunc)), ("delta_linquad", Cell(tr.deltaLinquadTrunc)),
            ])
        }
        for c in clipThresholds {
            let cl = try summarizeClipping(runs, run: id, eta: eta, clipValue: c)
            t.append([
                ("strategy", .string("clip@\(PythonFormat.repr(c))")), ("delta_true", .float(cl.deltaTrueClip)),
                ("delta_linear", .float(cl.deltaLinearClip)), ("delta_linquad", Cell(cl.deltaLinquadClip)),
            ])
        }
        return t
    }

    /// Cell 13's numbers, `plot_clip_sweep(run_id, eta, base_quantile, steps)`:
    /// thresholds at quantiles `base_quantile ** k` (k = steps … 0) of |linear|
    /// and the clipped sums.
    public static func clipSweep(_ runs: EntropyRunSet, run id: String, eta: Double, baseQuantile: Double, steps: Int)
        throws(EntropyDataError) -> (
            thresholds: [Double], trueSums: [Double], linearSums: [Double], linquadSums: [Double]
        )
    {
        let s = try seqs(runs, run: id, eta: eta, what: "plot_clip_sweep")
        let sorted = absSorted(s.linear)
        let hasNaN = sorted.contains(where: \.isNaN)
        let ks = steps >= 0 ? Array(stride(from: steps, through: 0, by: -1)) : []
        let thresholds = ks.map { k -> Double in
            let q = Foundation.pow(baseQuantile, Double(k))
            return hasNaN ? .nan : NP.quantileSorted(sorted, q)
        }
        var ct: [Double] = []
        var cl: [Double] = []
        var cq: [Double] = []
        for thr in thresholds {
            ct.append(NP.sum(NP.clip(s.c.trueSeq, -thr, thr)))
            cl.append(NP.sum(NP.clip(s.linear, -thr, thr)))
            if let lq = s.linquad { cq.append(NP.sum(NP.clip(lq, -thr, thr))) }
        }
        return (thresholds, ct, cl, cq)
    }

    /// Cell 15's numbers, `plot_truncation_ratio(run_id, eta, keep_quantiles)`:
    /// `delta_linear_trunc / delta_true_trunc` per quantile (default
    /// `[1.0] + [0.999 ** k for k in range(10, -1, -1)]`).
    public static func truncationRatio(_ runs: EntropyRunSet, run id: String, eta: Double, keepQuantiles: [Double]?)
        throws(EntropyDataError) -> (quantiles: [Double], ratios: [Double])
    {
        let qs =
            keepQuantiles ?? ([1.0] + stride(from: 10, through: 0, by: -1).map { Foundation.pow(0.999, Double($0)) })
        let s = try seqs(runs, run: id, eta: eta, what: "plot_truncation_ratio")
        let sorted = absSorted(s.linear)
        let sums = qs.map { truncationSummary(s, run: id, eta: eta, q: $0, sortedAbs: sorted) }
        return (qs, sums.map { $0.deltaLinearTrunc / $0.deltaTrueTrunc })
    }
}
