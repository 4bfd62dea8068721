import FigureModel
import Foundation
import Numerics

/// The IsoFLOP figures of `delphi_export_figures.py`: `build_isoflop_figure`,
/// `build_scaling_law_figure` and `build_ladder_figure`, line by line.
public enum DelphiLadderFigures {
    typealias S = DelphiStyle

    /// The held-out optimal runs as the scaling-law and ladder figures aggregate them.
    struct HeldOut {
        /// `(quantizer, C_nom)` groups of finished runs, sorted (pandas groupby order).
        var finished: [(quantizer: String, cNom: Double, lossMean: Double, n: Int)]
        /// Crashed runs, in file order, with their nominal budget.
        var crashed: [(run: DelphiRun, cNom: Double)]
    }

    /// `C_nom = 10.0 ** round(log10(total_gflops * 1e9))`.
    static func nominalBudget(_ r: DelphiRun) -> Double {
        Foundation.pow(10.0, Foundation.log10(r.totalGflops * 1e9).rounded(.toNearestOrEven))
    }

    /// `opt_all` split into finished means per (quantizer, C_nom) and crashed runs
    /// (`state == "crashed"`; no crashed runs when the cache has no state column).
    static func heldOut(_ optimalRuns: [DelphiRun], hasState: Bool) -> HeldOut {
        var groups: [String: [Double: [Double]]] = [:]
        var crashed: [(DelphiRun, Double)] = []
        for r in optimalRuns {
            let cNom = nominalBudget(r)
            if hasState && r.state == "crashed" {
                crashed.append((r, cNom))
            } else {
                groups[r.quantizer, default: [:]][cNom, default: []].append(r.loss)
            }
        }
        var finished: [(String, Double, Double, Int)] = []
        for q in groups.keys.sorted() {
            guard let byC = groups[q] else { continue }
            for c in byC.keys.sorted() {
                let losses = byC[c] ?? []
                finished.append((q, c, NP.mean(losses), losses.count))
            }
        }
        return HeldOut(
            finished: finished.map { (quantizer: $0.0, cNom: $0.1, lossMean: $0.2, n: $0.3) },
            crashed: crashed.map { (run: $0.0, cNom: $0.1) })
    }

    /// `np.linspace(logT.min(), logT.max(), 200)` and `10**grid` with the parabola on it.
    static func parabolaCurve(_ f: DelphiOptima.Bucket, tokens: [Double]) -> ([Double], [Double]) {
        let logT = tokens.map { Foundation.log10($0) }
        let grid = NP.linspace(NP.min(logT), NP.max(logT), num: 200)
        return (grid.map { Foundation.pow(10.0, $0) }, grid.map { f.a * ($0 * $0) + f.b * $0 + f.c })
    }

    /// `build_isoflop_figure(df, fits, gflop_groups, unique_quantizers)`.
    public static func isoflop(_ data: DelphiLadderData) -> InteractiveFigure {
        let iso = data.runs.runs.filter(\.isIsoflop)
        let groups = data.optima.gflopGroups
        let qs = data.optima.quantizers
        let g2c = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, S.color($0)) })
        let cols = min(qs.count, 2)
        let rows = (qs.count + cols - 1) / cols
        var fig = InteractiveFigure.makeSubplots(
            rows: rows, cols: cols, sharedYAxes: true, subplotTitles: qs, horizontalSpacing: 0.05,
            verticalSpacing: 0.12)
        for (i, q) in qs.enumerated() {
            let row = i / cols + 1
            let col = i % cols + 1
            let first = row == 1 && col == 1
            for g in groups {
                let sub = iso.filter { $0.quantizer == q && $0.gflopsQ == g }
                if sub.isEmpty { continue }
                let color = PlotValue.string(g2c[g] ?? "")
                let label = Py.fmtSci(g * 1e9)
                fig.addTrace(
                    [
                        "x": .numbers(sub.map(\.tokens)), "y": .numbers(sub.map(\.loss)), "mode": "markers",
                        "marker": ["size": 7, "color": color], "name": .string(label),
                        "legendgroup": .string(label), "showlegend": .bool(first),
                        "hovertemplate": .string(
                            "tokens=%{x:.3e}<br>loss=%{y:.4f}<br>bucket=\(label)<br>\(q)<extra></extra>"),
                    ], row: row, col: col)
                if let f = data.optima.fit(q, g) {
                    let (x, y) = parabolaCurve(f, tokens: sub.map(\.tokens))
                    fig.addTrace(
                        [
                            "x": .numbers(x), "y": .numbers(y), "mode": "lines",
                            "line": ["width": 3, "color": color], "name": .string(label),
                            "legendgroup": .string(label), "showlegend": false, "hoverinfo": "skip",
                        ], row: row, col: col)
                    fig.addTrace(
                        [
                            "x": .numbers([f.tStar]), "y": .numbers([f.lossStar]), "mode": "markers",
                            "marker": ["symbol": "x", "size": 12, "color": color, "line": ["width": 2]],
                            "name": .string(label), "legendgroup": .string(label), "showlegend": false,
                            "hovertemplate": .string(
                                "optimum<br>T*=\(Py.f(f.tStar, ".3e"))<br>loss*=\(Py.f(f.lossStar, ".4f"))<extra></extra>"
                            ),
                        ], row: row, col: col)
                }
            }
        }
        fig.updateXAxes(["type": "log", "title.text": "Training tokens"])
        for r in 1...max(rows, 1) { fig.updateYAxes(["title.text": "Paloma macro loss"], row: r, col: 1) }
        fig.updateLayout([
            "legend.title.text": "Compute (FLOPs)",
            "legend": [
                "orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "center", "x": 0.5,
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0, "tracegroupgap": 10, "entrywidth": 0.22,
                "entrywidthmode": "fraction",
            ],
            "margin": ["t": 40, "r": 40, "b": 10, "l": 60],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
        return fig
    }

    /// The fit/extrapolation divider shape and its two labels.
    static func addDivider(_ fig: inout InteractiveFigure, xref: String, yref: String) {
        let heldLo = 5e20
        fig.addShape([
            "type": "line", "x0": .number(heldLo), "x1": .number(heldLo), "xref": .string(xref), "y0": 0, "y1": 1,
            "yref": .string(yref), "line": ["color": "#1f1e1b", "width": 1, "dash": "dot"], "layer": "below",
            "opacity": 0.45,
        ])
        // EXPORTER: annotations on a log axis take log10 of the data coordinate.
        let heldLoLog = Foundation.log10(heldLo)
        for (text, anchor, shift) in [("fit ← ", "right", -4.0), (" → extrapolation", "left", 4.0)] {
            fig.addAnnotation([
                "x": .number(heldLoLog), "y": 0.98, "xref": .string(xref), "yref": .string(yref),
                "text": .string(text), "showarrow": false, "xanchor": .string(anchor), "yanchor": "top",
                "xshift": .number(shift), "font": ["size": 12, "color": "#1f1e1b"],
            ])
        }
    }

    /// `C_grid`, the axis range and the fit for a set of optima.
    static func cGrid(_ cs: [Double]) -> (grid: [Double], range: [Double]) {
        let cMin = NP.min(cs)
        let cMax = max(NP.max(cs), 1e23)
        let grid = NP.logspace(Foundation.log10(cMin), Foundation.log10(cMax), num: 400)
        let logPad = 0.12
        let xLo = Foundation.pow(10.0, Foundation.log10(cMin) - logPad)
        let xHi = Foundation.pow(10.0, Foundation.log10(cMax) + logPad)
        return (grid, [Foundation.log10(xLo), Foundation.log10(xHi)])
    }

    /// `build_scaling_law_figure(optima, optimal_runs)`.
    public static func scalingLaw(_ data: DelphiLadderData) -> InteractiveFigure {
        let qOrder = data.optima.optimaQuantizers
        let qColor = Dictionary(uniqueKeysWithValues: qOrder.enumerated().map { ($1, S.color($0)) })
        var perQ: [DelphiFits.Series] = []
        var train: [String: [DelphiOptima.Bucket]] = [:]
        for q in qOrder {
            let sub = data.optima.optima(q)
            train[q] = sub
            perQ.append(DelphiFits.Series(name: q, c: sub.map(\.cFlops), y: sub.map(\.lossStar)))
        }
        let asym = DelphiFits.fitAsymptoticPowerlawPerQ(perQ)
        let (grid, range) = cGrid(data.optima.buckets.map(\.cFlops))
        var fig = InteractiveFigure()
        addDivider(&fig, xref: "x", yref: "paper")
        for q in qOrder {
            let color = PlotValue.string(qColor[q] ?? "")
            let pts = train[q] ?? []
            if !pts.isEmpty {
                fig.addTrace([
                    "x": .numbers(pts.map(\.cFlops)), "y": .numbers(pts.map(\.lossStar)), "mode": "markers",
                    "marker": ["size": 9, "color": color, "symbol": "circle"], "name": .string(q),
                    "legendgroup": .string(q),
                    "hovertemplate": .string(
                        "\(q) (IsoFLOP optimum)<br>C=%{x:.3e} FLOPs<br>loss*=%{y:.4f}<extra></extra>"),
                ])
            }
            if let d = asym[q], d.ok {
                fig.addTrace([
                    "x": .numbers(grid), "y": .numbers(grid.map { d.lInf + d.a * Foundation.pow($0, -d.alpha) }),
                    "mode": "lines", "line": ["width": 2, "color": color, "dash": "dash"], "showlegend": false,
                    "legendgroup": .string(q),
                    "hovertemplate": .string("\(q) fit<br>C=%{x:.3e} FLOPs<br>loss=%{y:.4f}<extra></extra>"),
                ])
            }
        }
        let optimal = data.runs.runs.filter(\.isOptimal)
        if !optimal.isEmpty {
            let held = heldOut(optimal, hasState: data.runs.hasState)
            for q in qOrder {
                let sub = held.finished.filter { $0.quantizer == q }
                if sub.isEmpty { continue }
                fig.addTrace([
                    "x": .numbers(sub.map(\.cNom)), "y": .numbers(sub.map(\.lossMean)), "mode": "markers",
                    "marker": ["size": 11, "color": .string(qColor[q] ?? ""), "symbol": "circle"],
                    "showlegend": false, "legendgroup": .string(q),
                    "hovertemplate": .string(
                        "\(q) (held-out optimal)<br>C=%{x:.3e} FLOPs<br>mean loss=%{y:.4f}<extra></extra>"),
                ])
            }
            for q in qOrder {
                let color = PlotValue.string(qColor[q] ?? "")
                let sub = held.crashed.filter { $0.run.quantizer == q }
                if sub.isEmpty { continue }
                fig.addTrace([
                    "x": .numbers(sub.map(\.cNom)), "y": .numbers(sub.map(\.run.loss)), "mode": "markers+text",
                    "text": "Run Diverged", "textfont": ["color": "#1F1E1B"], "textposition": "middle left",
                    "marker": ["size": 14, "color": color, "symbol": "x-thin", "line": ["width": 3, "color": color]],
                    "showlegend": false, "legendgroup": .string(q),
                    "hovertemplate": .string(
                        "\(q) (diverged mid-run)<br>C=%{x:.3e} FLOPs<br>final loss=%{y:.4f}<extra></extra>"),
                ])
            }
        }
        fig.updateXAxes(["type": "log", "title.text": "Compute (FLOPs)", "range": .numbers(range)])
        fig.updateYAxes(["title.text": "Paloma macro loss at IsoFLOP optimum"])
        fig.updateLayout([
            "legend": [
                "orientation": "v", "x": 1, "xanchor": "right", "y": 0.925, "yanchor": "top", "bgcolor": "#C4B9AE",
                "borderwidth": 0, "tracegroupgap": 4,
            ],
            "margin": ["t": 10, "r": 40, "b": 10, "l": 40],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
        return fig
    }

    /// `build_ladder_figure(df, fits, gflop_groups, optima, optimal_runs, quantizer_label)`.
    public static func ladder(_ data: DelphiLadderData, quantizer q: String) -> InteractiveFigure {
        let iso = data.runs.runs.filter { $0.quantizer == q && $0.isIsoflop }
        let optimaQ = data.optima.optima(q)
        var fig = InteractiveFigure.makeSubplots(
            rows: 1, cols: 2,
            subplotTitles: ["IsoFLOP parabolas per compute bucket", "Scaling law + held-out validation"],
            horizontalSpacing: 0.10)
        let groups = data.optima.gflopGroups
        for (i, g) in groups.enumerated() {
            let sub = iso.filter { $0.gflopsQ == g }
            if sub.isEmpty { continue }
            let color = PlotValue.string(S.color(i))
            let label = Py.fmtSci(g * 1e9)
            fig.addTrace(
                [
                    "x": .numbers(sub.map(\.tokens)), "y": .numbers(sub.map(\.loss)), "mode": "markers",
                    "marker": ["size": 7, "color": color], "name": .string(label), "legendgroup": .string(label),
                    "showlegend": true,
                    "hovertemplate": .string("tokens=%{x:.3e}<br>loss=%{y:.4f}<br>bucket=\(label)<extra></extra>"),
                ], row: 1, col: 1)
            if let f = data.optima.fit(q, g) {
                let (x, y) = parabolaCurve(f, tokens: sub.map(\.tokens))
                fig.addTrace(
                    [
                        "x": .numbers(x), "y": .numbers(y), "mode": "lines",
                        "line": ["width": 2.5, "color": color, "dash": "dash"], "name": .string(label),
                        "legendgroup": .string(label), "showlegend": false, "hoverinfo": "skip",
                    ], row: 1, col: 1)
                fig.addTrace(
                    [
                        "x": .numbers([f.tStar]), "y": .numbers([f.lossStar]), "mode": "markers",
                        "marker": ["symbol": "x", "size": 12, "color": color, "line": ["width": 2]],
                        "name": .string(label), "legendgroup": .string(label), "showlegend": false,
                        "hovertemplate": .string(
                            "optimum<br>T*=\(Py.f(f.tStar, ".3e"))<br>loss*=\(Py.f(f.lossStar, ".4f"))<extra></extra>"),
                    ], row: 1, col: 1)
            }
        }
        let d = DelphiFits.fitAsymptoticPowerlaw(c: optimaQ.map(\.cFlops), y: optimaQ.map(\.lossStar))
        let qAll = data.optima.optimaQuantizers
        let curveColor = PlotValue.string(S.color(qAll.firstIndex(of: q) ?? 0))
        let (grid, range) = cGrid(optimaQ.map(\.cFlops))
        addDivider(&fig, xref: "x2", yref: "y2 domain")
        fig.addTrace(
            [
                "x": .numbers(optimaQ.map(\.cFlops)), "y": .numbers(optimaQ.map(\.lossStar)), "mode": "markers",
                "marker": ["size": 9, "color": curveColor, "symbol": "circle"], "name": "IsoFLOP optimum",
                "showlegend": false,
                "hovertemplate": "IsoFLOP optimum<br>C=%{x:.3e} FLOPs<br>loss*=%{y:.4f}<extra></extra>",
            ], row: 1, col: 2)
        if d.ok {
            fig.addTrace(
                [
                    "x": .numbers(grid), "y": .numbers(grid.map { d.lInf + d.a * Foundation.pow($0, -d.alpha) }),
                    "mode": "lines", "line": ["width": 2, "color": curveColor, "dash": "dash"], "showlegend": false,
                    "hovertemplate": "scaling-law fit<br>C=%{x:.3e} FLOPs<br>loss=%{y:.4f}<extra></extra>",
                ], row: 1, col: 2)
        }
        let optimal = data.runs.runs.filter(\.isOptimal)
        if !optimal.isEmpty {
            let held = heldOut(optimal.filter { $0.quantizer == q }, hasState: data.runs.hasState)
            let agg = held.finished
            if !agg.isEmpty {
                fig.addTrace(
                    [
                        "x": .numbers(agg.map(\.cNom)), "y": .numbers(agg.map(\.lossMean)), "mode": "markers",
                        "marker": ["size": 11, "color": curveColor, "symbol": "circle"], "showlegend": false,
                        "hovertemplate": "held-out run<br>C=%{x:.3e} FLOPs<br>mean loss=%{y:.4f}<extra></extra>",
                    ], row: 1, col: 2)
                if d.ok {
                    for row in agg {
                        let pred = d.lInf + d.a * Foundation.pow(row.cNom, -d.alpha)
                        let pct = 100.0 * (row.lossMean - pred) / pred
                        // Keep the 1e21 label up-right, push 1e22/1e23 down-left.
                        let low = row.cNom <= 1.5e21
                        fig.addAnnotation([
                            "x": .number(Foundation.log10(row.cNom)), "y": .number(Foundation.log10(row.lossMean)),
                            "xref": "x2", "yref": "y2", "text": .string(Py.fmtPctErr(pct)), "showarrow": true,
                            "arrowhead": 0, "arrowwidth": 1, "arrowcolor": "rgba(80,80,80,0.5)",
                            "ax": low ? 4 : -4, "ay": low ? -4 : 4, "xanchor": low ? "left" : "right",
                            "yanchor": low ? "bottom" : "top", "font": ["size": 11, "color": "#1f1e1b"],
                            "bgcolor": "rgba(0,0,0,0)", "borderpad": 0,
                        ])
                    }
                }
            }
            if !held.crashed.isEmpty {
                fig.addTrace(
                    [
                        "x": .numbers(held.crashed.map(\.cNom)), "y": .numbers(held.crashed.map(\.run.loss)),
                        "mode": "markers",
                        "marker": [
                            "size": 14, "color": curveColor, "symbol": "x-thin",
                            "line": ["width": 3, "color": curveColor],
                        ],
                        "showlegend": false,
                        "hovertemplate": "diverged mid-run<br>C=%{x:.3e} FLOPs<br>final loss=%{y:.4f}<extra></extra>",
                    ], row: 1, col: 2)
                for c in held.crashed {
                    fig.addAnnotation([
                        "x": .number(Foundation.log10(c.cNom)), "y": .number(Foundation.log10(c.run.loss)),
                        "xref": "x2", "yref": "y2", "text": "Run Diverged", "showarrow": true, "arrowhead": 0,
                        "arrowwidth": 1, "arrowcolor": "rgba(80,80,80,0.5)", "ax": -30, "ay": -22,
                        "xanchor": "center", "yanchor": "bottom", "font": ["size": 11, "color": "#1f1e1b"],
                        "bgcolor": "rgba(0,0,0,0)", "borderpad": 0,
                    ])
                }
            }
        }
        fig.updateXAxes(["type": "log", "title.text": "Training tokens"], row: 1, col: 1)
        fig.updateXAxes(["type": "log", "title.text": "Compute (FLOPs)", "range": .numbers(range)], row: 1, col: 2)
        fig.updateYAxes(["type": "log", "title.text": "Paloma macro loss"], row: 1, col: 1)
        fig.updateYAxes(["type": "log", "title.text": "Paloma macro loss at IsoFLOP optimum"], row: 1, col: 2)
        fig.updateLayout([
            "legend.title.text": "Compute (FLOPs)",
            "legend": [
                "orientation": "h", "yanchor": "top", "y": -0.2, "xanchor": "right", "x": 1.0,
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0, "tracegroupgap": 10, "entrywidth": 0.22,
                "entrywidthmode": "fraction",
            ],
            "margin": ["t": 40, "r": 30, "b": 10, "l": 60],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
        return fig
    }
}
