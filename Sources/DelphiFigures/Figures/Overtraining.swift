import FigureModel
import Foundation
import Numerics

/// `build_overtraining_forecast_figure`: per-bucket parabolas of the AdamH
/// suite with a slider over `scale = T/T*` that moves the off-optimum markers
/// and re-projects the sub-optimal forecast to 1e23 FLOPs.
public enum DelphiOvertraining {
    /// `DEFAULT_SLIDER_SCALES`.
    public static let sliderScales: [Double] = [0.2, 1.0 / 3.0, 0.5, 2.0 / 3.0, 2.0, 3.0, 4.0, 5.0, 10.0]
    /// The initial view's scale.
    public static let defaultScale = 2.0
    /// The forecast budget.
    public static let forecastC = 1e23

    /// `_overtraining_labels(scale)`: (slider step label, midpoint label).
    public static func labels(_ scale: Double) -> (step: String, midpoint: String) {
        let step = "\(Py.f(scale, ".3g"))×"
        if scale > 1 { return (step, "\(Py.f(scale, ".3g"))× overtrained") }
        if scale < 1 { return (step, "\(Py.f(1 / scale, ".3g"))× undertrained") }
        return (step, "compute-optimal")
    }

    /// What the slider animates for one scale (`compute_for_scale`).
    public struct ScaleFrame: Sendable, Hashable {
        public var shiftedXs: [Double]
        public var shiftedYs: [Double]
        public var tShiftGrid: [Double]
        public var lossShiftGrid: [Double]
        public var tShiftEnd: Double
        public var yShiftEnd: Double
        public var tCross: Double
        public var cEquiv: Double
        public var overtrainLabel: String
        public var excessLabel: String
        public var xMid: Double
        public var yMid: Double
    }

    /// `10 ** (m * np.log10(c) + k)` over an array.
    static func powerLaw(_ cs: [Double], _ m: Double, _ k: Double) -> [Double] {
        cs.map { Foundation.pow(10.0, m * Foundation.log10($0) + k) }
    }

    /// The figure (empty, as the exporter's, when no bucket is fitted or the
    /// optimum fit fails), in the exporter's steps: the compute-optimal trend,
    /// the slider frames (`compute_for_scale`), the bucket parabolas, the
    /// trend and its forecast, the animated traces, the frames, the slider
    /// and the layout.
    public static func figure(_ data: DelphiLadderData) -> InteractiveFigure {
        guard let trend = Trend(data) else { return InteractiveFigure() }
        var framesData: [Double: ScaleFrame] = [:]
        for s in Set(sliderScales + [defaultScale]).sorted() { framesData[s] = trend.frame(s) }
        guard let base = framesData[defaultScale] else { return InteractiveFigure() }
        var fig = InteractiveFigure()
        addBucketTraces(&fig, trend.records)
        addTrendTraces(&fig, trend)
        let animated = addAnimatedTraces(&fig, trend, base)
        for s in sliderScales {
            guard let d = framesData[s] else { continue }
            fig.frames.append(frame(s, d, trend, animated: animated))
        }
        applyLayout(&fig, base)
        return fig
    }

    /// One fitted bucket of the AdamH IsoFLOP suite: its bucket, fit and runs.
    typealias Record = (g: Double, f: DelphiOptima.Bucket, sub: [DelphiRun])

    /// The compute-optimal trend through the buckets' optima: T* ∝ C (a
    /// log-log line), the asymptotic power law of the optimal loss, and their
    /// grids up to the forecast budget (and three decades past it).
    struct Trend {
        let records: [Record]
        let cArr: [Double]
        let tOpt: [Double]
        let lossOpt: [Double]
        let aUnder: [Double]
        let aOver: [Double]
        let mT: Double
        let kT: Double
        let cGrid: [Double]
        let tGrid: [Double]
        let lossOptGrid: [Double]
        let tOptEnd: Double
        let yOptEnd: Double
        let cGridExt: [Double]
        let logCExt: [Double]
        let tGridExt: [Double]
        let lossOptGridExt: [Double]
        let forecastIdx: Int

        init?(_ data: DelphiLadderData) {
            let q = DelphiNames.adamH
            let iso = data.runs.runs.filter { $0.quantizer == q && $0.isIsoflop }
            var records: [Record] = []
            for g in data.optima.gflopGroups {
                let sub = iso.filter { $0.gflopsQ == g }
                guard !sub.isEmpty, let f = data.optima.fit(q, g) else { continue }
                records.append((g, f, sub))
            }
            if records.isEmpty { return nil }
            let cArr = records.map(\.f.cFlops)
            let tOpt = records.map(\.f.tStar)
            let lossOpt = records.map(\.f.lossStar)
            let mk = NP.polyfit(cArr.map { Foundation.log10($0) }, tOpt.map { Foundation.log10($0) }, deg: 1)
            let (mT, kT) = (mk[0], mk[1])
            let fitOpt = DelphiFits.fitAsymptoticPowerlaw(c: cArr, y: lossOpt)
            if !fitOpt.ok { return nil }
            let logCMin = Foundation.log10(NP.min(cArr))
            cGrid = NP.logspace(logCMin, Foundation.log10(forecastC), num: 400)
            tGrid = powerLaw(cGrid, mT, kT)
            lossOptGrid = cGrid.map { fitOpt.lInf + fitOpt.a * Foundation.pow($0, -fitOpt.alpha) }
            tOptEnd = Foundation.pow(10.0, mT * Foundation.log10(forecastC) + kT)
            yOptEnd = fitOpt.lInf + fitOpt.a * Foundation.pow(forecastC, -fitOpt.alpha)
            let cGridExt = NP.logspace(logCMin, Foundation.log10(forecastC) + 3.0, num: 800)
            logCExt = cGridExt.map { Foundation.log10($0) }
            tGridExt = powerLaw(cGridExt, mT, kT)
            lossOptGridExt = cGridExt.map { fitOpt.lInf + fitOpt.a * Foundation.pow($0, -fitOpt.alpha) }
            // np.searchsorted(C_grid_ext, forecast_C) (side='left').
            forecastIdx = cGridExt.firstIndex { $0 >= forecastC } ?? cGridExt.count
            self.records = records
            self.cArr = cArr
            self.tOpt = tOpt
            self.lossOpt = lossOpt
            aUnder = records.map(\.f.aUnder)
            aOver = records.map(\.f.aOver)
            self.mT = mT
            self.kT = kT
            self.cGridExt = cGridExt
        }

        /// `compute_for_scale(s)`: the optima shifted to `T = s·T*` with the
        /// parabola penalty, the penalty's power law over the extended grid,
        /// and where the sub-optimal trend reaches the forecast loss.
        func frame(_ s: Double) -> ScaleFrame {
            let aSide = s > 1 ? aOver : aUnder
            let ls = Foundation.log10(s)
            let penalty = aSide.map { $0 * (ls * ls) }
            let lossShift = zip(lossOpt, penalty).map { $0 + $1 }
            var penaltyGridExt = [Double](repeating: 0, count: cGridExt.count)
            var penaltyEnd = 0.0
            if penalty.allSatisfy({ $0 > 1e-9 }) {
                let p = NP.polyfit(cArr.map { Foundation.log10($0) }, penalty.map { Foundation.log10($0) }, deg: 1)
                penaltyGridExt = logCExt.map { Foundation.pow(10.0, p[0] * $0 + p[1]) }
                penaltyEnd = Foundation.pow(10.0, p[0] * Foundation.log10(forecastC) + p[1])
            }
            let tShiftFull = tGridExt.map { $0 * s }
            let lossShiftFull = zip(lossOptGridExt, penaltyGridExt).map { $0 + $1 }
            let (cEquiv, tCross, endIdx) = crossing(s, tShiftFull, lossShiftFull)
            let overhead = 100.0 * (cEquiv - forecastC) / forecastC
            let excess = "\(overhead >= 0 ? "+" : "")\(Py.f(overhead, ".1f"))% compute to match"
            return ScaleFrame(
                shiftedXs: tOpt.map { $0 * s }, shiftedYs: lossShift, tShiftGrid: Array(tShiftFull[..<endIdx]),
                lossShiftGrid: Array(lossShiftFull[..<endIdx]), tShiftEnd: tOptEnd * s,
                yShiftEnd: yOptEnd + penaltyEnd, tCross: tCross, cEquiv: cEquiv, overtrainLabel: labels(s).midpoint,
                excessLabel: excess, xMid: (tOptEnd * max(tCross, tOptEnd)).squareRoot(), yMid: yOptEnd)
        }

        /// The first grid point at or past the forecast budget where the
        /// shifted loss reaches the forecast loss (interpolated in log C):
        /// the compute to match, its tokens, and where the drawn trend ends.
        func crossing(_ s: Double, _ tShiftFull: [Double], _ lossShiftFull: [Double]) -> (
            cEquiv: Double, tCross: Double, endIdx: Int
        ) {
            guard
                let crossIdx = lossShiftFull.indices.first(where: { $0 >= forecastIdx && lossShiftFull[$0] <= yOptEnd })
            else {
                return (cGridExt[cGridExt.count - 1], tShiftFull[tShiftFull.count - 1], cGridExt.count)
            }
            guard crossIdx > 0 else { return (cGridExt[crossIdx], tShiftFull[crossIdx], crossIdx + 1) }
            let lo = crossIdx - 1
            let hi = crossIdx
            let yLo = lossShiftFull[lo]
            let yHi = lossShiftFull[hi]
            let frac = yLo != yHi ? (yLo - yOptEnd) / (yLo - yHi) : 0.0
            let logCCross = logCExt[lo] + frac * (logCExt[hi] - logCExt[lo])
            return (Foundation.pow(10.0, logCCross), Foundation.pow(10.0, mT * logCCross + kT) * s, crossIdx + 1)
        }
    }

    static let parabolaColor = PlotValue.string(DelphiStyle.brandGold)
    static let trendColor = PlotValue.string(DelphiStyle.brandBlue)

    /// Per bucket: its runs, its fitted parabola (asymmetric in log T) and its optimum.
    static func addBucketTraces(_ fig: inout InteractiveFigure, _ records: [Record]) {
        for rec in records {
            let f = rec.f
            let label = Py.fmtSci(rec.g * 1e9)
            fig.addTrace([
                "x": .numbers(rec.sub.map(\.tokens)), "y": .numbers(rec.sub.map(\.loss)), "mode": "markers",
                "marker": ["size": 6, "color": parabolaColor, "opacity": 0.55], "showlegend": false,
                "hovertemplate": .string("tokens=%{x:.3e}<br>loss=%{y:.4f}<br>bucket=\(label)<extra></extra>"),
            ])
            let logT = rec.sub.map { Foundation.log10($0.tokens) }
            let g = NP.linspace(NP.min(logT) - 0.02, NP.max(logT) + 0.02, num: 200)
            let y = g.map { v -> Double in
                let dx = v - f.logTStar
                return f.lossStar + (dx < 0 ? f.aUnder : f.aOver) * (dx * dx)
            }
            fig.addTrace([
                "x": .numbers(g.map { Foundation.pow(10.0, $0) }), "y": .numbers(y), "mode": "lines",
                "line": ["width": 1.5, "color": parabolaColor, "dash": "dash"], "showlegend": false,
                "hoverinfo": "skip",
            ])
            fig.addTrace([
                "x": .numbers([f.tStar]), "y": .numbers([f.lossStar]), "mode": "markers",
                "marker": ["symbol": "x", "size": 12, "color": parabolaColor, "line": ["width": 2]],
                "showlegend": false,
                "hovertemplate": .string(
                    "optimum<br>bucket=\(label)<br>T*=\(Py.f(f.tStar, ".3e"))<br>loss*=\(Py.f(f.lossStar, ".4f"))<extra></extra>"
                ),
            ])
        }
    }

    /// The fit through the optima and its forecast marker at `forecast_C`.
    static func addTrendTraces(_ fig: inout InteractiveFigure, _ t: Trend) {
        fig.addTrace([
            "x": .numbers(t.tGrid), "y": .numbers(t.lossOptGrid), "mode": "lines",
            "line": ["width": 2, "color": trendColor], "name": "Fit through optima", "customdata": .numbers(t.cGrid),
            "hovertemplate":
                "compute-optimal regression<br>C=%{customdata:.2e} FLOPs<br>T=%{x:.3e}<br>loss=%{y:.4f}<extra></extra>",
        ])
        fig.addTrace([
            "x": .numbers([t.tOptEnd]), "y": .numbers([t.yOptEnd]), "mode": "markers",
            "marker": ["symbol": "x", "size": 12, "color": trendColor, "line": ["width": 2]], "showlegend": false,
            "hovertemplate": .string(
                "forecast @ \(Py.fmtSci(forecastC)) FLOPs<br>T=%{x:.3e}<br>loss=%{y:.4f}<extra></extra>"),
        ])
    }

    /// The traces the slider moves, drawn at the default scale: the shifted
    /// optima, the sub-optimal fit, the crossing marker and the dotted
    /// connector. Returns their indices (the frames' `traces`).
    static func addAnimatedTraces(_ fig: inout InteractiveFigure, _ t: Trend, _ base: ScaleFrame) -> [Int] {
        var animated: [Int] = []
        for (i, rec) in t.records.enumerated() {
            animated.append(fig.data.count)
            let label = Py.fmtSci(rec.g * 1e9)
            fig.addTrace([
                "x": .numbers([base.shiftedXs[i]]), "y": .numbers([base.shiftedYs[i]]), "mode": "markers",
                "marker": [
                    "symbol": "circle-open", "size": 11, "color": parabolaColor,
                    "line": ["width": 2.5, "color": parabolaColor],
                ],
                "showlegend": false,
                "hovertemplate": .string("shifted<br>bucket=\(label)<br>T=%{x:.3e}<br>loss=%{y:.4f}<extra></extra>"),
            ])
        }
        animated.append(fig.data.count)
        // EXPORTER: customdata is the full extended compute grid, longer than the truncated x/y.
        fig.addTrace([
            "x": .numbers(base.tShiftGrid), "y": .numbers(base.lossShiftGrid), "mode": "lines",
            "line": ["width": 2, "color": trendColor, "dash": "dash"], "name": "Sub-optimal fit",
            "customdata": .numbers(t.cGridExt),
            "hovertemplate":
                "sub-optimal regression<br>C=%{customdata:.2e} FLOPs<br>T=%{x:.3e}<br>loss=%{y:.4f}<extra></extra>",
        ])
        animated.append(fig.data.count)
        fig.addTrace([
            "x": .numbers([base.tCross]), "y": .numbers([t.yOptEnd]), "mode": "markers",
            "marker": [
                "symbol": "circle-open", "size": 11, "color": trendColor, "line": ["width": 2.5, "color": trendColor],
            ],
            "showlegend": false, "customdata": .matrix([[base.cEquiv]]),
            "hovertemplate":
                "compute to match forecast loss<br>C=%{customdata[0]:.2e} FLOPs<br>T=%{x:.3e}<extra></extra>",
        ])
        animated.append(fig.data.count)
        fig.addTrace([
            "x": .numbers([t.tOptEnd, base.tCross]), "y": .numbers([t.yOptEnd, t.yOptEnd]), "mode": "lines",
            "line": ["width": 1.5, "color": trendColor, "dash": "dot"], "showlegend": false, "hoverinfo": "skip",
        ])
        return animated
    }

    /// The midpoint annotation of a frame: the overtraining label and the compute overhead.
    static func annotation(_ d: ScaleFrame) -> PlotValue {
        [
            "x": .number(Foundation.log10(d.xMid)), "y": .number(Foundation.log10(d.yMid)), "xref": "x",
            "yref": "y", "text": .string("\(d.overtrainLabel)<br>\(d.excessLabel)"), "showarrow": false,
            "xanchor": "left", "yanchor": "top", "xshift": 6, "yshift": -6,
            "font": ["size": 11, "color": "#1f1e1b"], "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0,
            "align": "left",
        ]
    }

    /// The 10× crossing lands past 10T tokens: widen the x range on that frame only.
    static func xRange(_ s: Double) -> PlotValue {
        .numbers(s >= 10.0 ? [8.5, Foundation.log10(5e13)] : [8.5, 13.0])
    }

    /// The animation frame of slider scale `s`: the animated traces' new data,
    /// the annotation and the x range.
    static func frame(_ s: Double, _ d: ScaleFrame, _ t: Trend, animated: [Int]) -> Frame {
        var patch: [PlotObject] = t.records.indices.map { i in
            ["x": .numbers([d.shiftedXs[i]]), "y": .numbers([d.shiftedYs[i]])]
        }
        patch.append(["x": .numbers(d.tShiftGrid), "y": .numbers(d.lossShiftGrid)])
        patch.append(["x": .numbers([d.tCross]), "y": .numbers([t.yOptEnd]), "customdata": .matrix([[d.cEquiv]])])
        patch.append(["x": .numbers([t.tOptEnd, d.tCross]), "y": .numbers([t.yOptEnd, t.yOptEnd])])
        return Frame(
            name: Py.str(s), data: patch, traces: animated,
            layout: ["annotations": [annotation(d)], "xaxis": ["range": xRange(s)]])
    }

    /// The slider over the scales (one animate step each), the axes, the
    /// default frame's annotation, the legend and margins.
    static func applyLayout(_ fig: inout InteractiveFigure, _ base: ScaleFrame) {
        let active = sliderScales.firstIndex(of: defaultScale) ?? 0
        let steps: [PlotValue] = sliderScales.map { s in
            [
                "method": "animate",
                "args": [
                    .strings([Py.str(s)]),
                    [
                        "frame": ["duration": 0, "redraw": true], "mode": "immediate",
                        "transition": ["duration": 0],
                    ],
                ],
                "label": .string(labels(s).step),
            ]
        }
        fig.updateXAxes(["type": "log", "title.text": "Training tokens", "range": xRange(defaultScale)])
        fig.updateYAxes(["type": "log", "title.text": "Paloma macro loss"])
        fig.updateLayout([
            "sliders": [
                [
                    "active": .number(Double(active)),
                    "currentvalue": ["prefix": "Overtraining: ", "font": ["size": 12]],
                    "pad": ["t": 30, "l": 30, "r": 30], "steps": .array(steps), "len": 0.9, "x": 0.05, "y": -0.12,
                ]
            ],
            "annotations": [annotation(base)],
            "legend": [
                "orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1.0,
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0, "tracegroupgap": 10,
            ],
            "margin": ["t": 60, "r": 30, "b": 100, "l": 60],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
    }
}
