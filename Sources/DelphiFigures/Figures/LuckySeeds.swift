import FigureModel
import Foundation
import Numerics

/// `build_lucky_seeds_figure(df, optima)`: the bootstrap interval of the AdamH
/// scaling-law forecast at each held-out budget against the individual seeds.
public enum DelphiLuckySeeds {
    /// One held-out budget's row of the figure.
    public struct Row: Sendable, Hashable {
        public var cNom: Double
        public var pointPred: Double
        public var ciLowPct: Double
        public var ciHighPct: Double
        public var seedPcts: [Double]
        public var seedLabels: [String]
    }

    /// The budgets drawn (`all_budgets`).
    public static let budgets = [1e21, 1e22, 1e23]

    /// The rows, or nil when the point fit fails (the exporter then returns an empty figure).
    public static func rows(_ data: DelphiLadderData, nBoot: Int = 1000) -> [Row]? {
        let q = DelphiNames.adamH
        let optimaQ = data.optima.optima(q)
        let cTrain = optimaQ.map(\.cFlops)
        let yTrain = optimaQ.map(\.lossStar)
        let point = DelphiFits.fitAsymptoticPowerlaw(c: cTrain, y: yTrain)
        guard point.ok else { return nil }
        let ci = DelphiFits.bootstrapScalingFitCI(c: cTrain, y: yTrain, targetFlops: budgets, nBoot: nBoot)
        // C_nom = float(f"1e{round(log10(C))}") — a correctly rounded power of ten.
        // A budget with no finite logarithm (zero, negative, not finite) has no C_nom and matches no budget.
        let optimal = data.runs.runs.filter { $0.quantizer == q && $0.isOptimal }.map { r in
            (
                run: r,
                cNom: Int(exactly: Foundation.log10(r.totalGflops * 1e9).rounded(.toNearestOrEven))
                    .flatMap { Double("1e\($0)") } ?? .nan,
                seed: DelphiNames.seed(r.name)
            )
        }
        var rows: [Row] = []
        for (k, cNom) in budgets.enumerated() {
            let pred = point.lInf + point.a * Foundation.pow(cNom, -point.alpha)
            let seeds = optimal.filter { $0.cNom == cNom }.sorted { $0.seed < $1.seed }
            rows.append(
                Row(
                    cNom: cNom, pointPred: pred, ciLowPct: 100.0 * (ci[k].low - pred) / pred,
                    ciHighPct: 100.0 * (ci[k].high - pred) / pred,
                    seedPcts: seeds.map { 100.0 * ($0.run.loss - pred) / pred }, seedLabels: seeds.map(\.seed)))
        }
        return rows
    }

    /// The figure.
    public static func figure(_ data: DelphiLadderData) -> InteractiveFigure {
        guard let rows = rows(data) else { return InteractiveFigure() }
        let qAll = data.optima.optimaQuantizers
        let qi = qAll.firstIndex(of: DelphiNames.adamH) ?? 0
        let seedColor = PlotValue.string(DelphiStyle.color(qi))
        let ciColor = DelphiStyle.color(qi + 1)
        let n = Double(rows.count)
        var fig = InteractiveFigure()
        fig.addShape([
            "type": "line", "x0": 0, "x1": 0, "y0": -0.5, "y1": .number(n - 0.5),
            "line": ["color": .string(DelphiStyle.brandBlack), "dash": "dash", "width": 1.5], "layer": "below",
        ])
        fig.addAnnotation([
            "x": 0, "y": .number(n - 0.5), "text": "point forecast", "showarrow": false, "xanchor": "center",
            "yanchor": "bottom", "yshift": 4, "font": ["size": 11, "color": "#1f1e1b"],
        ])
        for (i, r) in rows.enumerated() {
            fig.addShape([
                "type": "rect", "x0": .number(r.ciLowPct), "x1": .number(r.ciHighPct), "y0": .number(Double(i) - 0.3),
                "y1": .number(Double(i) + 0.3), "fillcolor": .string(Py.hexToRGBA(ciColor, 0.35)),
                "line": ["width": 0], "layer": "below",
            ])
            if !r.seedPcts.isEmpty {
                fig.addTrace([
                    "x": .numbers(r.seedPcts), "y": .numbers(Array(repeating: Double(i), count: r.seedPcts.count)),
                    "mode": "markers",
                    "marker": [
                        "size": 7, "color": seedColor, "symbol": "circle-open",
                        "line": ["color": seedColor, "width": 1.5],
                    ],
                    "showlegend": false, "text": .strings(r.seedLabels),
                    "hovertemplate": .string(
                        "C=\(Py.fmtSci(r.cNom))<br>seed=%{text}<br>deviation=%{x:.2f}%<extra></extra>"),
                ])
            }
        }
        fig.addTrace([
            "x": [nil], "y": [nil], "mode": "markers",
            "marker": ["size": 14, "color": .string(Py.hexToRGBA(ciColor, 0.55)), "symbol": "square"],
            "name": "Forecast 2.5–97.5% CI (bootstrap over bucket optima)", "showlegend": true,
        ])
        fig.addTrace([
            "x": [nil], "y": [nil], "mode": "markers",
            "marker": [
                "size": 7, "color": seedColor, "symbol": "circle-open", "line": ["color": seedColor, "width": 1.5],
            ],
            "name": "Independent Training Runs", "showlegend": true,
        ])
        fig.updateYAxes([
            "tickmode": "array", "tickvals": .numbers(rows.indices.map(Double.init)),
            "ticktext": .strings(rows.map { "C = \(Py.fmtSci($0.cNom)) FLOPs" }), "range": .numbers([-0.5, n - 0.5]),
            "showgrid": false,
        ])
        fig.updateXAxes([
            "title.text": "Loss − point forecast (% of point forecast)", "ticksuffix": "%", "zeroline": false,
        ])
        fig.updateLayout([
            "margin": ["t": 40, "r": 30, "b": 90, "l": 90],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
            "legend": [
                "orientation": "h", "yanchor": "top", "y": -0.35, "xanchor": "center", "x": 0.5,
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0, "tracegroupgap": 10,
            ],
        ])
        return fig
    }
}
