import FigureModel
import Foundation
import Numerics

/// `build_hparam_sweep_figure`: per-hyperparameter partial dependence of the
/// Paloma loss (GP + PDP ± 1σ), the sampled runs as a rug and the
/// CompletedAdamH rule value, with three dropdowns over the sweep cells.
public enum DelphiHparamSweep {
    static let seqLen = 4096
    static let refBatch = 64.0
    static let refTokens = 2.5e9
    static let lrBase = 0.00630
    static let adamLRBase = 0.000656
    static let epsilonBase = 1.85e-08
    static let beta2Base = 0.9999
    static let beta2Min = 0.9
    static let beta2Max = 0.9999
    /// `SWEEP_BATCH_SIZES`, `SWEEP_HIDDEN_DIMS`, `SWEEP_TOKEN_BUCKETS`.
    public static let batchSizes = [8, 16, 32, 64]
    public static let hiddenDims = [256, 512]
    public static let tokenBuckets: [(Double, String)] = [(1e9, "1B"), (2.5e9, "2.5B"), (5e9, "5B")]
    /// `SWEEP_HPARAMS`: key, label, log scale, `1 - x` transform.
    static let specs: [(key: String, label: String, log: Bool, oneMinus: Bool)] = [
        ("lr", "Hyperball LR", true, false), ("adam_lr", "Adam LR", true, false), ("epsilon", "AdamH ε", true, false),
        ("beta1", "β₁", true, true), ("beta2", "β₂", true, true),
    ]

    /// `theory_hparam(key, batch_size, tokens)`: the CompletedAdamHHeuristic value.
    public static func theory(_ key: String, batchSize: Int, tokens: Double) -> Double {
        let b = Double(batchSize)
        let ratio = (b * refTokens) / (refBatch * tokens)
        switch key {
        case "lr": return lrBase * (b / refBatch).squareRoot() * Foundation.pow(refTokens / tokens, 0.3)
        case "adam_lr": return adamLRBase * ratio.squareRoot()
        case "epsilon": return epsilonBase * (1.0 / ratio).squareRoot()
        case "beta1": return 0.9
        default: return max(beta2Min, min(beta2Max, Foundation.pow(beta2Base, b / refBatch)))
        }
    }

    /// `_format_axis_value(x)`.
    static func formatAxisValue(_ x: Double) -> String {
        if x == 0 { return "0" }
        if 0.9 < abs(x) && abs(x) < 1 { return Py.f(x, ".5g") }
        if 1e-2 <= abs(x) && abs(x) < 1e3 { return Py.f(x, ".3g") }
        return Py.fmtSci(x)
    }

    /// numpy's `geomspace(start, stop, num)` for positive bounds: `logspace` of the log10
    /// bounds with the end points set exactly.
    static func geomspace(_ start: Double, _ stop: Double, _ num: Int) -> [Double] {
        var r = NP.logspace(Foundation.log10(start), Foundation.log10(stop), num: num)
        if num > 0 { r[0] = start }
        if num > 1 { r[num - 1] = stop }
        return r
    }

    /// Thins to at most five ticks: `np.linspace(0, n-1, 5)` indices rounded half to even.
    static func thin(_ v: [Double]) -> [Double] {
        guard v.count > 5 else { return v }
        return NP.linspace(0, Double(v.count - 1), num: 5).map { v[Int($0.rounded(.toNearestOrEven))] }
    }

    /// `_log_axis_ticks(x_lo, x_hi)`: ticks at ln(value), labelled with the value.
    public static func logAxisTicks(_ xLo: Double, _ xHi: Double) -> ([Double], [String]) {
        let vLo = Foundation.exp(xLo)
        let vHi = Foundation.exp(xHi)
        guard vLo.isFinite, vHi.isFinite, vLo > 0, vHi > 0 else { return ([], []) }
        var cands: [Double] = []
        let eLo = Int(Foundation.floor(Foundation.log10(vLo))) - 1
        let eHi = Int(Foundation.ceil(Foundation.log10(vHi))) + 1
        for e in eLo...max(eLo, eHi) where e <= eHi {
            for mant in [1.0, 2.0, 5.0] {
                let v = mant * Foundation.pow(10.0, Double(e))
                if vLo <= v && v <= vHi { cands.append(v) }
            }
        }
        if cands.count < 3 { cands = geomspace(vLo, vHi, 4) }
        cands = thin(Array(Set(cands)).sorted())
        cands = Array(Set(cands)).sorted()
        return (cands.map { Foundation.log($0) }, cands.map(formatAxisValue))
    }

    /// `_beta_axis_ticks(x_lo, x_hi)`: ticks at ln(1 − β), labelled with β.
    public static func betaAxisTicks(_ xLo: Double, _ xHi: Double) -> ([Double], [String]) {
        var bLo = 1.0 - Foundation.exp(xHi)
        var bHi = 1.0 - Foundation.exp(xLo)
        guard bLo.isFinite, bHi.isFinite else { return ([], []) }
        bLo = max(0.0, min(bLo, 1.0 - 1e-12))
        bHi = max(0.0, min(bHi, 1.0 - 1e-12))
        let cands = [
            0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9998, 0.9999, 0.99995, 0.99998,
        ]
        var ticks = cands.filter { bLo <= $0 && $0 <= bHi }
        if ticks.count < 3 {
            let vals = geomspace(max(1.0 - bHi, 1e-12), max(1.0 - bLo, 1e-12), 4)
            ticks = vals.reversed().map { 1.0 - $0 }
        }
        ticks = Array(Set(thin(ticks))).sorted()
        return (ticks.map { Foundation.log(max(1.0 - $0, 1e-12)) }, ticks.map(formatAxisValue))
    }

    /// A cell of the sweep: (batch size, hidden dim, token bucket label).
    struct Cell: Equatable {
        var b: Int
        var h: Int
        var t: String
    }

    /// The figure.
    /// The figure, in the exporter's steps: per sweep cell a GP and the
    /// partial dependence of each hyperparameter (or hidden placeholders for
    /// an empty cell), the rugs re-anchored, the axes, the legend entries,
    /// the default cell's visibility and the three dropdowns.
    public static func figure(_ runs: [DelphiSweepRun]) throws -> InteractiveFigure {
        var s = Sweep(
            fig: InteractiveFigure.makeSubplots(
                rows: nRows, cols: nCols, horizontalSpacing: 0.10, verticalSpacing: 0.16))
        for b in batchSizes {
            for h in hiddenDims {
                for (nominal, bucket) in tokenBuckets {
                    try s.addCell(Cell(b: b, h: h, t: bucket), nominal: nominal, runs: runs)
                }
            }
        }
        s.anchorRugs()
        s.layoutAxes()
        addLegendTraces(&s.fig)
        addDropdowns(&s.fig, meta: s.meta)
        return s.fig
    }

    /// The subplot grid: one panel per hyperparameter, three to a row.
    static let nCols = 3
    static var nRows: Int { (specs.count + nCols - 1) / nCols }
    static let blue = PlotValue.string(DelphiStyle.brandBlue)
    static let black = PlotValue.string(DelphiStyle.brandBlack)

    /// The figure under construction: each trace's cell (`meta`), the rug
    /// traces with their panel, and each panel's data envelope.
    struct Sweep {
        var fig: InteractiveFigure
        var meta: [Cell] = []
        var rugs: [(Int, Int)] = []
        var xLo = [Double](repeating: .infinity, count: specs.count)
        var xHi = [Double](repeating: -.infinity, count: specs.count)
        var yLo = [Double](repeating: .infinity, count: specs.count)
        var yHi = [Double](repeating: -.infinity, count: specs.count)
    }

    /// A cell's GP: its runs' hyperparameters transformed (1 − x, log) and
    /// standardized, the CompletedAdamH values transformed alike, and the GP
    /// fitted to the losses.
    struct CellFit {
        let transformed: [[Double]]
        let theoryVals: [Double]
        let scaler: StandardScaler
        let x: [[Double]]
        let theoryScaled: [Double]
        let gp: FittedGaussianProcess

        init(_ cell: [DelphiSweepRun], _ key: Cell, nominal: Double) throws {
            var transformed: [[Double]] = []
            var theoryVals: [Double] = []
            for (k, spec) in specs.enumerated() {
                var vals = cell.map { $0.hparams[k] }
                var tv = theory(spec.key, batchSize: key.b, tokens: nominal)
                if spec.oneMinus {
                    vals = vals.map { 1.0 - $0 }
                    tv = 1.0 - tv
                }
                if spec.log {
                    vals = vals.map { Foundation.log(max($0, 1e-20)) }
                    tv = Foundation.log(max(tv, 1e-20))
                }
                transformed.append(vals)
                theoryVals.append(tv)
            }
            let xRaw = cell.indices.map { i in transformed.map { $0[i] } }
            let scaler = try StandardScaler(fitting: xRaw)
            let x = try scaler.transform(xRaw)
            self.transformed = transformed
            self.theoryVals = theoryVals
            self.scaler = scaler
            self.x = x
            theoryScaled = try scaler.transform([theoryVals])[0]
            gp = try GaussianProcessRegressor(
                kernel: MaternWhiteKernel(noiseLevel: 0.01), alpha: 1e-6, nRestartsOptimizer: 3,
                randomState: 42
            ).fit(x, cell.map(\.loss))
        }
    }
}

extension DelphiHparamSweep.Sweep {
    typealias HP = DelphiHparamSweep

    /// One sweep cell: four hidden empty traces per hyperparameter when it
    /// has no runs; else its diverged trials dropped (losses up to the
    /// cell's 95th percentile), its GP, and each hyperparameter's panel.
    mutating func addCell(_ cellKey: HP.Cell, nominal: Double, runs: [DelphiSweepRun]) throws {
        let nH = HP.specs.count
        var cell = runs.filter { $0.batchSize == cellKey.b && $0.hiddenDim == cellKey.h && $0.tokenBucket == cellKey.t }
        if cell.isEmpty {
            for _ in 0..<(4 * nH) {
                meta.append(cellKey)
                fig.addTrace(
                    ["x": .numbers([]), "y": .numbers([]), "mode": "markers", "visible": false], row: 1, col: 1)
            }
            return
        }
        // Drop diverged trials: keep losses up to the cell's 95th percentile.
        let cap = NP.quantile(cell.map(\.loss), 0.95)
        cell = cell.filter { $0.loss <= cap }
        let fit = try HP.CellFit(cell, cellKey, nominal: nominal)
        for hp in 0..<nH { try addPanel(hp, fit, cellKey) }
    }

    /// Hyperparameter `hp` of a cell: the rug of sampled values, the PDP
    /// curve, its ± 1σ band and the CompletedAdamH marker (at the mean GP
    /// prediction with that value substituted); widens the panel's envelope.
    mutating func addPanel(_ hp: Int, _ c: HP.CellFit, _ cellKey: HP.Cell) throws {
        let spRow = hp / HP.nCols + 1
        let spCol = hp % HP.nCols + 1
        let spec = HP.specs[hp]
        let tvS = c.theoryScaled[hp]
        let tvRaw = c.theoryVals[hp]
        let xData = c.transformed[hp]
        let col = c.x.map { $0[hp] }
        let inSupport = NP.min(col) <= tvS && tvS <= NP.max(col)
        let pdp = try c.gp.partialDependence(c.x, featureIndex: hp, includePoint: tvS)
        let gridRaw = pdp.grid.map { $0 * c.scaler.scale[hp] + c.scaler.mean[hp] }
        xLo[hp] = min(xLo[hp], NP.min(gridRaw), NP.min(xData), tvRaw)
        xHi[hp] = max(xHi[hp], NP.max(gridRaw), NP.max(xData), tvRaw)
        let upper = zip(pdp.mean, pdp.std).map { $0 + $1 }
        let lower = zip(pdp.mean, pdp.std).map { $0 - $1 }
        var xTheory = c.x
        for i in xTheory.indices { xTheory[i][hp] = tvS }
        let theoryPD = NP.mean(try c.gp.predict(xTheory))
        yLo[hp] = min(yLo[hp], NP.min(lower), theoryPD)
        yHi[hp] = max(yHi[hp], NP.max(upper), theoryPD)
        let (blue, black) = (HP.blue, HP.black)
        fig.addTrace(
            [
                "x": .numbers(xData), "y": .numbers(Array(repeating: 0.0, count: xData.count)),
                "mode": "markers",
                "marker": [
                    "color": blue, "size": 10, "opacity": 0.35, "symbol": "line-ns-open",
                    "line": ["color": blue, "width": 1.5],
                ],
                "showlegend": false, "visible": false, "hoverinfo": "skip",
            ], row: spRow, col: spCol)
        rugs.append((fig.data.count - 1, hp))
        meta.append(cellKey)
        fig.addTrace(
            [
                "x": .numbers(gridRaw), "y": .numbers(pdp.mean), "mode": "lines",
                "line": ["color": .string(DelphiStyle.palette[0]), "width": 2.5], "showlegend": false,
                "visible": false, "hoverinfo": "skip",
            ], row: spRow, col: spCol)
        meta.append(cellKey)
        fig.addTrace(
            [
                "x": .numbers(gridRaw + gridRaw.reversed()), "y": .numbers(upper + lower.reversed()),
                "fill": "toself", "fillcolor": "rgba(56,92,143,0.15)", "line": ["width": 0],
                "showlegend": false, "visible": false, "hoverinfo": "skip",
            ], row: spRow, col: spCol)
        meta.append(cellKey)
        let shown: Double =
            spec.oneMinus && spec.log
            ? 1.0 - Foundation.exp(tvRaw) : spec.log ? Foundation.exp(tvRaw) : tvRaw
        fig.addTrace(
            [
                "x": .numbers([tvRaw]), "y": .numbers([theoryPD]), "mode": "markers",
                "marker": [
                    "symbol": "x", "size": 11, "color": black, "line": ["width": 3, "color": black],
                ],
                "showlegend": false, "visible": false, "customdata": .matrix([[shown]]),
                "hovertemplate": .string(
                    "CompletedAdamH\(inSupport ? "" : " (extrapolated)")<br>\(spec.label)=%{customdata[0]:.3g}<br>PDP loss=%{y:.4f}<extra></extra>"
                ),
            ], row: spRow, col: spCol)
        meta.append(cellKey)
    }

    /// Re-anchor every rug on its subplot's floor.
    mutating func anchorRugs() {
        for (i, hp) in rugs {
            let n = fig.data[i]["x"]?.numbersValue?.count ?? 0
            fig.data[i]["y"] = .numbers(Array(repeating: yLo[hp], count: n))
        }
    }

    /// Each panel's axes: its title, its x range over every cell (log panels
    /// with value ticks, β panels with β ticks), its y range with 4% headroom;
    /// the y titles of the first column; the unused panels hidden.
    mutating func layoutAxes() {
        let (nCols, nRows) = (HP.nCols, HP.nRows)
        for (hp, spec) in HP.specs.enumerated() {
            let r = hp / nCols + 1
            let c = hp % nCols + 1
            fig.updateXAxes(["title.text": .string(spec.label)], row: r, col: c)
            if spec.log {
                let (vals, text) =
                    spec.oneMinus
                    ? HP.betaAxisTicks(xLo[hp], xHi[hp]) : HP.logAxisTicks(xLo[hp], xHi[hp])
                fig.updateXAxes(
                    [
                        "range": .numbers([xLo[hp], xHi[hp]]), "tickmode": "array", "tickvals": .numbers(vals),
                        "ticktext": .strings(text),
                    ], row: r, col: c)
            } else {
                fig.updateXAxes(["range": .numbers([xLo[hp], xHi[hp]])], row: r, col: c)
            }
            let span = max(yHi[hp] - yLo[hp], 1e-6)
            fig.updateYAxes(["range": .numbers([yLo[hp], yHi[hp] + 0.04 * span])], row: r, col: c)
        }
        for r in 1...nRows { fig.updateYAxes(["title.text": "Paloma loss"], row: r, col: 1) }
        for idx in HP.specs.count..<(nRows * nCols) {
            fig.updateXAxes(["visible": false], row: idx / nCols + 1, col: idx % nCols + 1)
            fig.updateYAxes(["visible": false], row: idx / nCols + 1, col: idx % nCols + 1)
        }
    }
}

extension DelphiHparamSweep {
    /// The three always-visible legend entries (empty traces).
    static func addLegendTraces(_ fig: inout InteractiveFigure) {
        fig.addTrace([
            "x": [nil], "y": [nil], "mode": "markers",
            "marker": [
                "color": blue, "size": 10, "opacity": 0.35, "symbol": "line-ns-open",
                "line": ["color": blue, "width": 1.5],
            ],
            "name": "Sampled runs", "showlegend": true,
        ])
        fig.addTrace([
            "x": [nil], "y": [nil], "mode": "lines",
            "line": ["color": .string(DelphiStyle.palette[0]), "width": 2.5], "name": "Sensitivity curve",
            "showlegend": true,
        ])
        fig.addTrace([
            "x": [nil], "y": [nil], "mode": "markers",
            "marker": ["symbol": "x", "size": 11, "color": black, "line": ["width": 3, "color": black]],
            "name": "Our Heuristic", "showlegend": true,
        ])
    }

    /// `visibility_for(batch, hid, b)` applied to the default cell (largest B,
    /// largest H, 2.5B tokens), and the batch, hidden-dim and token-horizon
    /// dropdowns (each varies one coordinate of the default) with their labels.
    static func addDropdowns(_ fig: inout InteractiveFigure, meta: [Cell]) {
        let nLegend = 3
        let defB = batchSizes[batchSizes.count - 1]
        let defH = hiddenDims[hiddenDims.count - 1]
        let defT = tokenBuckets[1].1
        func visibility(_ b: Int, _ h: Int, _ t: String) -> PlotValue {
            .array(meta.map { .bool($0 == Cell(b: b, h: h, t: t)) } + Array(repeating: .bool(true), count: nLegend))
        }
        if case .array(let vis) = visibility(defB, defH, defT) {
            for (i, v) in vis.enumerated() where i < fig.data.count { fig.data[i]["visible"] = v }
        }
        func menu(_ buttons: [PlotValue], active: Int, x: Double) -> PlotValue {
            [
                "buttons": .array(buttons), "direction": "down", "showactive": true, "active": .number(Double(active)),
                "bgcolor": "rgba(196,185,174,0.9)", "borderwidth": 0, "x": .number(x), "xanchor": "left", "y": 1.11,
                "yanchor": "top",
            ]
        }
        func button(_ label: String, _ vis: PlotValue) -> PlotValue {
            ["label": .string(label), "method": "update", "args": [["visible": vis]]]
        }
        func label(_ text: String, x: Double) -> PlotValue {
            [
                "text": .string(text), "x": .number(x), "xref": "paper", "xanchor": "left", "y": 1.1, "yref": "paper",
                "yanchor": "bottom", "showarrow": false, "font": ["size": 12],
            ]
        }
        fig.updateLayout([
            "updatemenus": [
                menu(
                    batchSizes.map { button("B = \($0)", visibility($0, defH, defT)) }, active: batchSizes.count - 1,
                    x: 0.0),
                menu(
                    hiddenDims.map { button("H = \($0)", visibility(defB, $0, defT)) }, active: hiddenDims.count - 1,
                    x: 0.20),
                menu(tokenBuckets.map { button("T = \($0.1)", visibility(defB, defH, $0.1)) }, active: 1, x: 0.42),
            ],
            "annotations": [
                label("Batch size", x: 0.0), label("Hidden dim", x: 0.20), label("Token horizon", x: 0.42),
            ],
            "legend": [
                "x": 0.867, "xanchor": "center", "y": 0.21, "yanchor": "middle", "bgcolor": "rgba(196,185,174,0.8)",
                "borderwidth": 0,
            ],
            "margin": ["t": 80, "r": 30, "b": 10, "l": 60],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
    }
}
