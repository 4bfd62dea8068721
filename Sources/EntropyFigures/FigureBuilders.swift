import FigureModel
import Foundation
import Numerics

/// The ΔH notebooks' figures as `Figure` values, built line by line as the
/// notebooks' plotting helpers draw them (each cites its notebook cell).
/// Pure functions of the loaded runs.
public enum EntropyFigureBuilders {
    /// `plt.style.use('seaborn-v0_8')`.
    static let seaborn = Theme.seaborn
    /// The README notebook: `seaborn-v0_8` then `plt.rcParams.update({'font.size': 12})`.
    static let readmeTheme: Theme = {
        var t = Theme.seaborn
        t.fontSize = 12
        return t
    }()

    static let tab10 = Color.tab10
    static let tabBlue: Color = "#1f77b4"
    static let tabOrange: Color = "#ff7f0e"

    /// Python's `f'{x:.Ne}'`/`f'{x:.Nf}'`.
    static func fmt(_ spec: String, _ x: Double) -> String {
        PythonFormatSpec(spec)?.format(x) ?? PythonFormat.repr(x)
    }

    static func histogram(
        _ values: [Double], bins: Int, color: Color, alpha: Double, label: String? = nil, what: String
    )
        throws(EntropyDataError) -> BarMark
    {
        do {
            let h = try NP.histogram(values, bins: bins)
            return BarMark.histogram(edges: h.edges, counts: h.counts, color: color, alpha: alpha, label: label)
        } catch {
            throw EntropyDataError("\(what): the histogram fails as numpy's would: \(error)")
        }
    }

    // MARK: readme_figures_helper

    /// README cell 5, `plot_delta_h_vs_eta_grid(include_linquad, savepath)` over `runs_512`:
    /// one panel per run (2 columns, shared axes), True/Linear/Lin+Quad vs eta on
    /// a log x axis, one figure legend from the first panel's lines.
    public static func deltaHVsEtaGrid(_ runs: EntropyRunSet, includeLinquad: Bool = true) throws(EntropyDataError)
        -> Figure
    {
        try EntropySummaries.requireRuns(runs)
        let n = runs.runs.count
        let cols = 2
        let rows = (n + cols - 1) / cols
        var fig = Figure(
            widthInches: Double(cols * 5), heightInches: Double(rows * 4), theme: readmeTheme, rows: rows, cols: cols,
            sharex: true, sharey: true)
        for (i, run) in runs.runs.enumerated() {
            let df = try EntropySummaries.summaryFromRun(run, folder: runs.folder)
            var ax = Axes()
            let eta = df.map(\.eta)
            ax.marks.append(.line(LineMark(x: eta, y: df.map(\.deltaTrue), marker: .circle, label: "True")))
            ax.marks.append(
                .line(LineMark(x: eta, y: df.map(\.deltaLinear), lineStyle: .dashed, marker: .square, label: "Linear")))
            // df['delta_linquad'].notna().any()
            if includeLinquad && df.contains(where: { $0.deltaLinquad.map { !$0.isNaN } ?? false }) {
                ax.marks.append(
                    .line(
                        LineMark(
                            x: eta, y: df.map { $0.deltaLinquad ?? .nan }, lineStyle: .dotted, marker: .triangleUp,
                            label: "Lin+Quad")))
            }
            ax.x.scale = .log
            ax.x.label = "Learning rate (eta)"
            ax.y.label = "Delta H"
            ax.title = run.id
            ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
            fig.axes[i] = ax
        }
        for i in n..<(rows * cols) { fig.axes[i].axisOn = false }
        // handles, labels = axes[0].get_legend_handles_labels(); fig.legend(..., loc='upper center', ncol=3)
        let first = fig.resolvingDefaults().axes[0].marks
        fig.legends = [
            Legend(
                loc: 9, ncol: 3,
                entries: first.compactMap { m in m.label.map { LegendEntry(label: $0, handle: m) } })
        ]
        fig.layout = .tight(rect: [0, 0, 1, 0.97])
        return fig
    }

    /// README cell 6, `plot_delta_h_vs_eta_aggregate(include_linquad, savepath)`:
    /// the per-eta mean ± std (ddof=1) of delta_true over `runs_512` as an
    /// error bar, and the means of delta_linear and delta_linquad.
    public static func deltaHVsEtaAggregate(_ runs: EntropyRunSet, includeLinquad: Bool = true) throws(EntropyDataError)
        -> Figure
    {
        let g = try EntropySummaries.aggregateForFigure(runs)
        var ax = Axes()
        var eb = ErrorBarMark(x: g.eta, y: g.trueMean, yErr: g.trueStd, marker: .circle, label: "True (mean ± std)")
        eb.lineStyle = .solid
        ax.marks.append(.errorBar(eb))
        ax.marks.append(
            .line(LineMark(x: g.eta, y: g.linearMean, lineStyle: .dashed, marker: .square, label: "Linear (mean)")))
        // NOTEBOOK: `'delta_linquad_mean' in grouped` is always true (the column is always aggregated).
        if includeLinquad {
            ax.marks.append(
                .line(
                    LineMark(
                        x: g.eta, y: g.linquadMean, lineStyle: .dotted, marker: .triangleUp, label: "Lin+Quad (mean)")))
        }
        ax.x.scale = .log
        ax.x.label = "Learning rate (eta)"
        ax.y.label = "Delta H"
        ax.title = "E=512 aggregate Delta H vs eta"
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
        ax.legend = Legend()
        var fig = Figure(widthInches: 6, heightInches: 4, theme: readmeTheme)
        fig.axes = [ax]
        fig.layout = .tight()
        return fig
    }

    /// The dict `plot_delta_h_true_vs_eta` returns, for run `id` of `fits`.
    public static func fitStatsTable(_ fits: DeltaHTrueFits, run id: String) throws(EntropyDataError) -> DataTable {
        let fit = try signedLogLogFit(fits, run: id).logLog
        return DataTable(records: [
            [
                ("run", .string(id)), ("slope", .float(fit.slope)), ("intercept", .float(fit.intercept)),
                ("r_squared", .float(fit.rSquared)), ("sign", .float(fit.sign)),
            ]
        ])
    }

    /// Run `id` of `fits`, whose sign the title prints as an int.
    static func signedLogLogFit(_ fits: DeltaHTrueFits, run id: String) throws(EntropyDataError)
        -> DeltaHTrueFits.FittedRun
    {
        let run = try fits.fitted(id)
        guard !run.logLog.sign.isNaN else {
            // NOTEBOOK: int(sign_true) raises on NaN.
            throw EntropyDataError("\(fits.folder)/\(id): the mean delta_h_true is NaN (the title's int(sign) fails)")
        }
        return run
    }

    /// README cell 8, `plot_delta_h_true_vs_eta(run_id, runs_dict=runs_2048_lin)`:
    /// |ΔH_true| vs eta on log-log axes with its power-law fit and R² (the fit
    /// is the helper's returned dict: `fitStatsTable`).
    public static func deltaHTrueVsEta(_ fits: DeltaHTrueFits, run id: String) throws(EntropyDataError) -> Figure {
        let run = try signedLogLogFit(fits, run: id)
        let (eta, dt, fit) = (run.eta, run.deltaTrue, run.logLog)
        let curve = EntropyFits.logLogFitCurve(eta: eta, fit: fit, num: 200)
        var ax = Axes()
        ax.marks.append(
            .line(
                LineMark(
                    x: eta, y: dt.map { Swift.abs($0) }, color: tabBlue, lineStyle: .none, marker: .circle,
                    label: "|DeltaH_true|")))
        ax.marks.append(
            .line(
                LineMark(
                    x: curve.eta, y: curve.abs, color: .black, lineStyle: .dashed,
                    label: "Fit slope=\(fmt(".2f", fit.slope))")))
        ax.x.scale = .log
        ax.y.scale = .log
        ax.x.label = "Learning rate (eta)"
        ax.y.label = "|Delta H true|"
        ax.title = "\(id) (sign=\(Int(fit.sign)))"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.4)
        // NOTEBOOK: spines top/right hidden, bottom/left 1.2 wide, tick_params(direction='out', width=1.1):
        // seaborn-v0_8's axes.linewidth 0 and tick size 0 hide them all but the white bottom/left
        // spines, which the figure model cannot style per spine (see the report).
        ax.legend = Legend()
        ax.marks.append(
            .text(
                TextMark(
                    "R^2=\(fmt(".3f", fit.rSquared))", x: 0.05, y: 0.05, coordinates: .axes, fontSize: 11,
                    box: TextBox(rounded: true, faceColor: .white, alpha: 0.75))))
        var fig = Figure(widthInches: 5.5, heightInches: 4.2, theme: readmeTheme)
        fig.axes = [ax]
        fig.layout = .tight()
        return fig
    }

    /// README cell 9's per-run fit table: log-log slope, intercept, R².
    public static func logLogFitStats(_ fits: DeltaHTrueFits) throws(EntropyDataError) -> DataTable {
        try perRunTable(fits) { run in
            [
                ("slope", .float(run.logLog.slope)), ("intercept", .float(run.logLog.intercept)),
                ("r_squared", .float(run.logLog.rSquared)),
            ]
        }
    }

    /// One row per fitted run: its id, then `columns(run)`.
    static func perRunTable(
        _ fits: DeltaHTrueFits, _ columns: (DeltaHTrueFits.FittedRun) -> [(String, Cell)]
    ) throws(EntropyDataError) -> DataTable {
        var table = DataTable()
        for run in try fits.fitted() { table.append([("run", .string(run.id))] + columns(run)) }
        return table
    }

    /// README cell 9, `plot_delta_h_true_aggregate(runs_dict=runs_2048_lin)`:
    /// every run's |ΔH_true| and log-log fit in tab10 colors (the per-run fit
    /// table is `logLogFitStats`).
    public static func deltaHTrueAggregate(_ fits: DeltaHTrueFits) throws(EntropyDataError) -> Figure {
        var ax = Axes()
        for (idx, run) in try fits.fitted().enumerated() {
            let curve = EntropyFits.logLogFitCurve(eta: run.eta, fit: run.logLog, num: 200)
            let color = tab10[idx % tab10.count]
            ax.marks.append(
                .line(
                    LineMark(
                        x: run.eta, y: run.deltaTrue.map { Swift.abs($0) }, color: color, lineStyle: .none,
                        marker: .circle, alpha: 0.6)
                ))
            ax.marks.append(.line(LineMark(x: curve.eta, y: curve.abs, color: color, alpha: 0.4)))
        }
        ax.x.scale = .log
        ax.y.scale = .log
        ax.x.label = "Learning rate (eta)"
        ax.y.label = "|Delta H true|"
        ax.title = "E=2048 Delta H true vs eta (per run)"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.4)
        var fig = Figure(widthInches: 6.5, heightInches: 4.3, theme: readmeTheme)
        fig.axes = [ax]
        fig.layout = .tight()
        return fig
    }

    /// README cell 10's per-run fit table: linear slope, intercept, R².
    public static func linearFitStats(_ fits: DeltaHTrueFits) throws(EntropyDataError) -> DataTable {
        try perRunTable(fits) { run in
            [
                ("slope_linear", .float(run.linear.slope)), ("intercept_linear", .float(run.linear.intercept)),
                ("r_squared_linear", .float(run.linear.rSquared)),
            ]
        }
    }

    /// README cell 10, `plot_delta_h_true_linear_overlay(runs_dict=runs_2048_lin)`:
    /// ΔH_true vs eta on linear axes with each run's straight-line fit (the
    /// per-run fit table is `linearFitStats`).
    public static func deltaHTrueLinearOverlay(_ fits: DeltaHTrueFits) throws(EntropyDataError) -> Figure {
        var ax = Axes()
        for (idx, run) in try fits.fitted().enumerated() {
            let color = tab10[idx % tab10.count]
            ax.marks.append(
                .line(LineMark(x: run.eta, y: run.deltaTrue, color: color, lineStyle: .none, marker: .circle, alpha: 0.5)))
            let fitted = NP.polyval([run.linear.slope, run.linear.intercept], run.eta)
            ax.marks.append(.line(LineMark(x: run.eta, y: fitted, color: color, lineStyle: .dashed, alpha: 0.7)))
        }
        ax.x.label = "Learning rate (eta)"
        ax.y.label = "Delta H true (per token)"
        ax.title = "E=2048 Delta H true vs eta (linear scale)"
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.4)
        var fig = Figure(widthInches: 6.5, heightInches: 4.3, theme: readmeTheme)
        fig.axes = [ax]
        fig.layout = .tight()
        return fig
    }

    /// README `plot_err_rel_distribution(eta, subset_size, samples_per_run, seed)`.
    /// NOTEBOOK: called in the notebook but never defined. Built as the
    /// reference reconstructs it (its numbers match what the author published):
    /// batch-size `sample_err_rel_across_runs` over the E=2048 runs with
    /// `samples_per_eta = samples_per_run`, one 60-bin histogram panel
    /// (tab:blue, alpha 0.75) on a 7×4 in figure, and the summary's eta, mean,
    /// std, min, max and count columns.
    public static func errRelDistribution(
        _ e2048: EntropyRunSet, eta: Double, subsetSize: Int, samplesPerRun: Int, seed: UInt64
    ) throws(EntropyDataError) -> (Figure, DataTable) {
        let samples = try ErrRel.sampleAcrossRuns(
            e2048, etas: [eta], subsetSize: subsetSize, samplesPerEta: samplesPerRun, seed: seed)
        var ax = Axes()
        ax.marks.append(
            .bars(
                try histogram(
                    samples.map(\.errRel).filter { !$0.isNaN }, bins: 60, color: tabBlue, alpha: 0.75,
                    what: "err_rel at eta=\(PythonFormat.repr(eta))")))
        ax.title = "eta=\(fmt(".2e", eta))"
        ax.x.label = "err_rel = (DeltaH_linear_subset - DeltaH_true_subset) / DeltaH_true_full"
        ax.y.label = "Frequency"
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
        var fig = Figure(widthInches: 7, heightInches: 4, theme: readmeTheme)
        fig.axes = [ax]
        fig.layout = .tight()
        let table = ErrRel.summarize(
            samples, columns: ["eta", "mean_err_rel", "std_err_rel", "min_err_rel", "max_err_rel", "num_samples"])
        return (fig, table)
    }

    // MARK: post_correction_delta_h

    /// Post-correction cell 7, `plot_normalized_abs_error(run_id, eta, bins)`:
    /// `|true_i - linear_i| / |ΔH_true|` histogram.
    public static func normalizedAbsError(_ runs: EntropyRunSet, run id: String, eta: Double, bins: Int = 60)
        throws(EntropyDataError) -> Figure
    {
        let s = try PostCorrection.seqs(runs, run: id, eta: eta, what: "plot_normalized_abs_error")
        let dt = s.c.entry.deltaHTrue
        let norm = dt != 0 ? Swift.abs(dt) : 1.0
        let err = zip(s.c.trueSeq, s.linear).map { Swift.abs($0 - $1) / norm }
        var ax = Axes()
        ax.marks.append(
            .bars(try histogram(err, bins: bins, color: tabBlue, alpha: 0.8, what: "\(runs.folder)/\(id)")))
        ax.x.label = "|ΔH_true_i - ΔH_linear_i| / |ΔH_true|"
        ax.y.label = "Count"
        // NOTEBOOK: no space between "error" and the run id.
        ax.title = "Normalized per-sequence error\(id), η=\(fmt(".2e", eta))"
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
        var fig = Figure(widthInches: 6, heightInches: 4, theme: seaborn)
        fig.axes = [ax]
        return fig
    }

    /// Post-correction cell 9, `plot_contribution_histograms(run_id, eta, bins)`:
    /// histograms of the true, linear (and lin+quad) per-sequence
    /// contributions, symmetric x limits, a dashed zero line, shared y.
    public static func contributionHistograms(_ runs: EntropyRunSet, run id: String, eta: Double, bins: Int = 60)
        throws(EntropyDataError) -> Figure
    {
        let s = try PostCorrection.seqs(runs, run: id, eta: eta, what: "plot_contribution_histograms")
        var datasets: [(String, [Double])] = [("ΔH true contrib", s.c.trueSeq), ("ΔH linear", s.linear)]
        if let lq = s.linquad { datasets.append(("ΔH lin+quad", lq)) }
        let num = datasets.count
        var fig = Figure(
            widthInches: Double(5 * num), heightInches: 4, theme: seaborn, rows: 1, cols: num, sharey: true)
        for (i, (label, values)) in datasets.enumerated() {
            var ax = Axes()
            ax.marks.append(
                .bars(try histogram(values, bins: bins, color: tabBlue, alpha: 0.8, what: "\(label) of \(id)")))
            ax.marks.append(
                .referenceLine(ReferenceLineMark(.vertical, at: 0.0, color: .black, lineStyle: .dashed, lineWidth: 1)))
            ax.title = "\(label) (η=\(fmt(".2e", eta)))"
            ax.x.label = "Contribution per sequence"
            ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
            var maxAbs = NP.max(values.map { Swift.abs($0) })
            if maxAbs == 0 { maxAbs = 1e-12 }
            let padding = 0.05 * maxAbs
            ax.x.lower = -maxAbs - padding
            ax.x.upper = maxAbs + padding
            if i == 0 { ax.y.label = "Count" }
            fig.axes[i] = ax
        }
        fig.suptitle = "Per-sequence contributions for \(id)"
        fig.layout = .tight()
        return fig
    }

    /// Post-correction cell 13, `plot_clip_sweep(run_id, eta, base_quantile, steps)`.
    public static func clipSweep(
        _ runs: EntropyRunSet, run id: String, eta: Double, baseQuantile: Double = 0.999, steps: Int = 10
    ) throws(EntropyDataError) -> Figure {
        let r = try PostCorrection.clipSweep(runs, run: id, eta: eta, baseQuantile: baseQuantile, steps: steps)
        var ax = Axes()
        ax.marks.append(.line(LineMark(x: r.thresholds, y: r.trueSums, marker: .circle, label: "ΔH true (clipped)")))
        ax.marks.append(
            .line(LineMark(x: r.thresholds, y: r.linearSums, marker: .square, label: "ΔH linear (clipped)")))
        if !r.linquadSums.isEmpty {
            ax.marks.append(
                .line(LineMark(x: r.thresholds, y: r.linquadSums, marker: .triangleUp, label: "ΔH lin+quad (clipped)")))
        }
        ax.x.scale = .log
        ax.x.label = "Clipping threshold (|ΔH contribution|)"
        ax.y.label = "Clipped sum"
        ax.title = "Clip sweep for \(id), η=\(fmt(".2e", eta))"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.6)
        ax.legend = Legend()
        var fig = Figure(widthInches: 7, heightInches: 4, theme: seaborn)
        fig.axes = [ax]
        return fig
    }

    /// Post-correction cell 15, `plot_truncation_ratio(run_id, eta, keep_quantiles)`.
    public static func truncationRatio(
        _ runs: EntropyRunSet, run id: String, eta: Double, keepQuantiles: [Double]? = nil
    )
        throws(EntropyDataError) -> Figure
    {
        let r = try PostCorrection.truncationRatio(runs, run: id, eta: eta, keepQuantiles: keepQuantiles)
        var ax = Axes()
        ax.marks.append(.line(LineMark(x: r.quantiles, y: r.ratios, marker: .circle, label: "linear / true")))
        ax.x.scale = .log
        ax.x.label = "keep_quantile (log scale)"
        ax.y.label = "ratio to true"
        ax.title = "Truncation sweep for \(id), η=\(fmt(".2e", eta))"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.5)
        ax.legend = Legend()
        var fig = Figure(widthInches: 7, heightInches: 4, theme: seaborn)
        fig.axes = [ax]
        return fig
    }

    // MARK: batch_size_comparison

    /// Batch-size cell 7, `compare_err_rel_distributions(eta, sample_size, num_samples, seed)`:
    /// the synthetic err_rel histogram with a dashed line per actual E=256 run.
    public static func errRelCompare(_ c: ErrRel.Comparison) throws(EntropyDataError) -> Figure {
        var ax = Axes()
        ax.marks.append(
            .bars(
                try histogram(
                    c.synthetic, bins: 60, color: tabBlue, alpha: 0.7, label: "Synthetic (from E=2048)",
                    what: "synthetic err_rel at eta=\(PythonFormat.repr(c.eta))")))
        for (i, v) in c.actual.enumerated() {
            ax.marks.append(
                .referenceLine(
                    ReferenceLineMark(
                        .vertical, at: v, color: tabOrange, lineStyle: .dashed, lineWidth: 1.5,
                        label: i == 0 ? "Actual E=256" : nil)))
        }
        ax.x.label = "err_rel = (DeltaH_linear - DeltaH_true_subset) / DeltaH_true_full"
        ax.y.label = "Frequency"
        ax.title = "err_rel distribution comparison (eta=\(fmt(".2e", c.eta)))"
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
        ax.legend = Legend()
        var fig = Figure(widthInches: 7, heightInches: 4, theme: seaborn)
        fig.axes = [ax]
        return fig
    }

    /// Batch-size cell 8, `plot_err_rel_histograms(df, eta_values)`: one
    /// histogram panel per eta, shared y.
    public static func errRelHistograms(_ samples: [ErrRelSample], etas: [Double]) throws(EntropyDataError) -> Figure {
        guard !etas.isEmpty else { throw EntropyDataError("plot_err_rel_histograms needs at least one eta") }
        let num = etas.count
        var fig = Figure(
            widthInches: Double(5 * num), heightInches: 4, theme: seaborn, rows: 1, cols: num, sharey: true)
        for (i, eta) in etas.enumerated() {
            // df[df['eta'] == eta]['err_rel'].dropna()
            let subset = samples.filter { $0.eta == eta && !$0.errRel.isNaN }.map(\.errRel)
            var ax = Axes()
            ax.marks.append(
                .bars(
                    try histogram(
                        subset, bins: 60, color: tabBlue, alpha: 0.75, what: "err_rel at eta=\(PythonFormat.repr(eta))")
                ))
            ax.title = "eta=\(fmt(".2e", eta))"
            ax.x.label = "err_rel = (DeltaH_linear_subset - DeltaH_true_subset) / DeltaH_true_full"
            ax.grid = Grid(lineStyle: .dotted, alpha: 0.5)
            if i == 0 { ax.y.label = "Frequency" }
            fig.axes[i] = ax
        }
        fig.layout = .tight()
        return fig
    }
}
