import Foundation
import FigureModel
import Numerics

/// One sampled subset of `sample_err_rel_across_runs`.
public struct ErrRelSample: Sendable, Equatable {
    public var run: String
    public var eta: Double
    public var errRel: Double
}

/// The batch-size comparison notebook's subsampling of err_rel.
///
/// err_rel is `(ΔH_linear_subset - ΔH_true_subset) / ΔH_true_full`, as the
/// code computes it. NOTEBOOK: the markdown states the opposite sign
/// (true − linear); the code's sign is kept, as the published numbers use it.
public enum ErrRel {
    /// Cell 4, `aggregate_err_rel(true_subset, linear_subset, true_total_full)`:
    /// NaN when the full total is 0.
    static func aggregate(trueSum: Double, linearSum: Double, trueTotalFull: Double) -> Double {
        if trueTotalFull == 0 { return .nan }
        return (linearSum - trueSum) / trueTotalFull
    }

    /// The sums of `true_seq[idx]` and `linear_seq[idx]` (numpy's pairwise sum of the gathered copies).
    @inline(__always)
    static func subsetErr(
        _ t: [Double], _ l: [Double], _ idx: [Int], scratchT: inout [Double], scratchL: inout [Double],
        total: Double
    ) -> Double {
        for (j, i) in idx.enumerated() {
            scratchT[j] = t[i]
            scratchL[j] = l[i]
        }
        return aggregate(trueSum: NP.sum(scratchT), linearSum: NP.sum(scratchL), trueTotalFull: total)
    }

    /// Cell 8, `sample_err_rel_across_runs(runs, eta_values, subset_size, samples_per_eta, seed)`:
    /// one `default_rng(seed)` stream over every eta and run; a run without the
    /// eta (ValueError) or with fewer than `subset_size` sequences is skipped.
    public static func sampleAcrossRuns(
        _ runs: EntropyRunSet, etas: [Double], subsetSize: Int, samplesPerEta: Int, seed: UInt64
    ) throws(EntropyDataError) -> [ErrRelSample] {
        var rng = Generator(seed: seed)
        var out: [ErrRelSample] = []
        for eta in etas {
            for run in runs.runs {
                let c: Contributions
                do {
                    c = try EntropyContributions.compute(run, eta: eta, variant: .readme, folder: runs.folder)
                } catch {
                    // NOTEBOOK: `except ValueError: continue` catches only the missing eta;
                    // other problems raise.
                    if run.entries.contains(where: {
                        Swift.abs($0.eta - eta) <= Swift.max(1e-12, 1e-6 * Swift.abs(eta))
                    }) {
                        throw error
                    }
                    continue
                }
                let n = c.trueSeq.count
                if n < subsetSize { continue }
                let lin = try c.linearSeq(for: "the err_rel subsampling")
                let total = NP.sum(c.trueSeq)
                var st = [Double](repeating: 0, count: subsetSize)
                var sl = st
                out.reserveCapacity(out.count + samplesPerEta)
                for _ in 0..<samplesPerEta {
                    let idx = rng.choice(n, size: subsetSize, replace: false)
                    let e = subsetErr(c.trueSeq, lin, idx, scratchT: &st, scratchL: &sl, total: total)
                    out.append(ErrRelSample(run: run.id, eta: eta, errRel: e))
                }
            }
        }
        return out
    }

    /// `subset_df` as the table (`run`, `eta`, `err_rel`); no rows gives an empty frame.
    public static func samplesTable(_ samples: [ErrRelSample]) -> DataTable {
        DataTable(
            records: samples.map {
                [("run", .string($0.run)), ("eta", .float($0.eta)), ("err_rel", .float($0.errRel))]
            })
    }

    /// Cell 8, `summarize_err_rel_distribution(df)`: per eta (sorted) the mean,
    /// std and var (ddof=1), min, max and count of the non-NaN err_rel.
    public static func summarize(_ samples: [ErrRelSample], columns: [String]? = nil) -> DataTable {
        var groups: [Double: [Double]] = [:]
        for s in samples where !s.eta.isNaN { groups[s.eta, default: []].append(s.errRel) }
        var t = DataTable()
        for eta in groups.keys.sorted() {
            let vals = (groups[eta] ?? []).filter { !$0.isNaN }
            if vals.isEmpty { continue }
            let all: [(String, Cell)] = [
                ("eta", .float(eta)), ("mean_err_rel", .float(NP.mean(vals))),
                ("std_err_rel", .float(NP.std(vals, ddof: 1))), ("var_err_rel", .float(NP.variance(vals, ddof: 1))),
                ("min_err_rel", .float(NP.min(vals))), ("max_err_rel", .float(NP.max(vals))),
                ("num_samples", .int(Int64(vals.count))),
            ]
            t.append(columns.map { cols in cols.compactMap { c in all.first { $0.0 == c } } } ?? all)
        }
        return t
    }

    /// Cell 5, `simulate_err_rel_from_2048(run, eta, sample_size, num_samples, seed)`:
    /// a fresh `default_rng(seed)` per run.
    static func simulate(_ c: Contributions, linear: [Double], sampleSize: Int, numSamples: Int, seed: UInt64)
        -> [Double]
    {
        var rng = Generator(seed: seed)
        let n = c.trueSeq.count
        let total = NP.sum(c.trueSeq)
        var st = [Double](repeating: 0, count: sampleSize)
        var sl = st
        var errs: [Double] = []
        errs.reserveCapacity(numSamples)
        for _ in 0..<numSamples {
            let idx = rng.choice(n, size: sampleSize, replace: false)
            errs.append(subsetErr(c.trueSeq, linear, idx, scratchT: &st, scratchL: &sl, total: total))
        }
        return errs
    }

    /// What `compare_err_rel_distributions` computes: the synthetic err_rel of
    /// E=2048 subsets and the actual err_rel of each E=256 run.
    public struct Comparison: Sendable {
        public var eta: Double
        public var synthetic: [Double]
        public var actual: [Double]
    }

    /// Cell 7, `compare_err_rel_distributions(eta, sample_size, num_samples, seed)`.
    /// The reference total is `reference_true_totals[eta]` (exact float key).
    public static func compare(
        e2048: EntropyRunSet, e256: EntropyRunSet, eta: Double, sampleSize: Int, numSamples: Int, seed: UInt64
    ) throws(EntropyDataError) -> Comparison {
        let totals = EntropySummaries.referenceTrueTotals(e2048)
        guard let ref = totals.first(where: { $0.eta == eta }) else {
            throw EntropyDataError(
                "No reference DeltaH_true for eta=\(PythonFormat.repr(eta)) (\(e2048.folder) has eta: \(totals.map { PythonFormat.repr($0.eta) }.joined(separator: ", ")))"
            )
        }
        // collect_err_rel_across_runs(runs_256, eta, true_total_ref)
        var actual: [Double] = []
        for run in e256.runs {
            guard let c = try contributionsSkippingMissingEta(run, eta: eta, folder: e256.folder) else { continue }
            let lin = try c.linearSeq(for: "err_rel of the E=256 runs")
            // NOTEBOOK: collect_err_rel_across_runs does not check lengths; sums of whole arrays.
            actual.append(aggregate(trueSum: NP.sum(c.trueSeq), linearSum: NP.sum(lin), trueTotalFull: ref.mean))
        }
        if actual.isEmpty {
            throw EntropyDataError(
                "No E=256 runs found for eta=\(PythonFormat.repr(eta)) (\(e256.folder) has eta: \(e256.etaList))")
        }
        var synthetic: [Double] = []
        for run in e2048.runs {
            guard let c = try contributionsSkippingMissingEta(run, eta: eta, folder: e2048.folder) else { continue }
            // simulate_err_rel_from_2048 raises ValueError when n < sample_size: skipped.
            if c.trueSeq.count < sampleSize { continue }
            let lin = try c.linearSeq(for: "the synthetic err_rel")
            synthetic += simulate(c, linear: lin, sampleSize: sampleSize, numSamples: numSamples, seed: seed)
        }
        if synthetic.isEmpty {
            throw EntropyDataError(
                "No E=2048 runs found for eta=\(PythonFormat.repr(eta)) with at least \(sampleSize) sequences (\(e2048.folder) has eta: \(e2048.etaList))"
            )
        }
        return Comparison(eta: eta, synthetic: synthetic, actual: actual)
    }

    /// Contributions, or nil when the run lacks the eta (the notebook's `except ValueError: continue`).
    static func contributionsSkippingMissingEta(_ run: EntropyRun, eta: Double, folder: String) throws(EntropyDataError)
        -> Contributions?
    {
        let tol = Swift.max(1e-12, 1e-6 * Swift.abs(eta))
        guard run.entries.contains(where: { Swift.abs($0.eta - eta) <= tol }) else { return nil }
        return try EntropyContributions.compute(run, eta: eta, variant: .readme, folder: folder)
    }

    /// The summary row `compare_err_rel_distributions` displays:
    /// nanmean, nanstd (ddof=1), nanmin, nanmax of the synthetic values and the list of actual ones.
    public static func comparisonTable(_ c: Comparison) -> DataTable {
        DataTable(records: [
            [
                ("eta", .float(c.eta)), ("synthetic_mean", .float(nanMean(c.synthetic))),
                ("synthetic_std", .float(nanStd(c.synthetic, ddof: 1))), ("synthetic_min", .float(nanMin(c.synthetic))),
                ("synthetic_max", .float(nanMax(c.synthetic))), ("actual_values", .floatList(c.actual)),
            ]
        ])
    }

    /// `np.nanmean`: NaN replaced by 0, pairwise sum, over the count of non-NaN.
    static func nanMean(_ a: [Double]) -> Double {
        let z = a.map { $0.isNaN ? 0 : $0 }
        let n = a.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
        return NP.sum(z) / Double(n)
    }

    /// `np.nanstd(a, ddof)`: numpy's `nanvar` (NaN as 0 for the mean, deviations of NaN set to 0).
    static func nanStd(_ a: [Double], ddof: Int) -> Double {
        let n = a.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
        let avg = NP.sum(a.map { $0.isNaN ? 0 : $0 }) / Double(n)
        let sq = a.map { $0.isNaN ? 0 : ($0 - avg) * ($0 - avg) }
        let dof = n - ddof
        return (NP.sum(sq) / Double(dof)).squareRoot()
    }

    static func nanMin(_ a: [Double]) -> Double { a.filter { !$0.isNaN }.min() ?? .nan }
    static func nanMax(_ a: [Double]) -> Double { a.filter { !$0.isNaN }.max() ?? .nan }
}
