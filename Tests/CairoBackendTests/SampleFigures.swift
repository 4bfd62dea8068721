import FigureModel

/// The compression paper's five figures rebuilt with the figure model from
/// a few data points of the reference dumps (the real builders live in
/// CompressionFigures).
enum SampleFigures {
    static var all: [(String, Figure)] {
        [("fig1", fig1()), ("fig2", fig2()), ("fig3", fig3()), ("fig4", fig4()), ("fig5", fig5())]
    }

    static func fig1() -> Figure {
        var fig = Figure(widthInches: 12, heightInches: 5)
        var ax = Axes()
        for i in SampleData.fig1Byte1.indices {
            let first = i == 0
            ax.marks.append(
                .bars(
                    BarMark(
                        positions: [Double(i)], values: [SampleData.fig1Byte1[i]], color: "#1f77b4",
                        label: first ? "byte 1: sign + exp_high" : nil)))
            ax.marks.append(
                .bars(
                    BarMark(
                        positions: [Double(i)], values: [SampleData.fig1Byte0[i]], bottoms: [SampleData.fig1Byte1[i]],
                        color: "#2ca02c", label: first ? "byte 0: exp_low + mantissa" : nil)))
        }
        for x in SampleData.fig1Separators {
            ax.marks.append(
                .referenceLine(ReferenceLineMark(.vertical, at: x, color: "#cccccc", lineWidth: 0.5, zorder: 0)))
        }
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .horizontal, at: 16, color: "r", lineStyle: .dashed, lineWidth: 0.8,
                    label: "raw bf16 (16 bits/value)")))
        ax.x = Axis(
            lower: -0.5, upper: 121.5, label: "tensor (grouped by category)", ticks: SampleData.fig1Ticks,
            tickLabels: ["embedding", "attention", "mlp", "lm_head", "norm", "other"])
        ax.y = Axis(lower: 0, upper: 17, label: "byte-marginal entropy (bits / value)")
        ax.title = "Figure 1 - bf16 byte-marginal entropy decomposition (per tensor, by category)"
        ax.legend = Legend(loc: 4, fontSize: 8, frameAlpha: 0.9)
        fig.axes = [ax]
        return fig
    }

    static func fig2() -> Figure {
        var fig = Figure(widthInches: 8, heightInches: 9.5, rows: 2, cols: 1)
        let panels: [(Double, Double, [Double], [Double], String, String, String, String)] = [
            (
                1.40, 1.55, SampleData.fig2X0, SampleData.fig2Y0, "y = x (R_marginal)",
                "R_marginal - iid byte-marginal ceiling, atlas", "bf16_split achieved ratio",
                "bf16 (n = 337) - achieved ratio vs R_marginal, Prop. 1 ceiling"
            ),
            (
                1.02, 1.06, SampleData.fig2X1, SampleData.fig2Y1, "y = x (nibble-stream marginal)",
                "nibble-stream marginal ceiling: 8 / H_byte (atlas)", "qb_k4 achieved ratio (full Q4_K tensor stream)",
                "Q4_K (n = 181) - achieved ratio vs nibble-only ceiling"
            ),
        ]
        fig.axes = panels.map { lo, hi, xs, ys, label, xl, yl, title in
            var ax = Axes()
            ax.marks.append(
                .scatter(ScatterMark(x: xs, y: ys, sizes: [14], colors: ["#1f77b4"], edgeColors: [], alpha: 0.55)))
            ax.marks.append(
                .line(
                    LineMark(x: [lo, hi], y: [lo, hi], color: "r", lineStyle: .dashed, lineWidth: 1.0, label: label)))
            ax.x = Axis(lower: lo, upper: hi, label: xl)
            ax.y = Axis(lower: lo, upper: hi, label: yl)
            ax.title = title
            ax.legend = Legend(loc: 2)
            ax.grid = Grid(lineStyle: .dotted, alpha: 0.3)
            return ax
        }
        fig.suptitle = "Figure 2 - per-tensor achieved ratio vs R_marginal (Prop. 1 ceiling)"
        fig.layout = .tight()
        return fig
    }

    static func histogram(
        left: [Double], width: Double, heights: [Double], color: Color
    ) -> Mark {
        var b = BarMark(
            positions: left, values: heights, widths: [width], align: .edge, color: color, edgeColor: .white,
            isHistogram: true)
        b.label = nil
        return .bars(b)
    }

    static func fig3() -> Figure {
        var fig = Figure(widthInches: 9, heightInches: 4.5)
        var ax = Axes()
        ax.marks.append(
            histogram(
                left: SampleData.fig3Left, width: SampleData.fig3Width, heights: SampleData.fig3Heights,
                color: "#1f77b4"))
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: 4.0, color: "r", lineStyle: .dashed, lineWidth: 1.2,
                    label: "uniform ceiling (4.0 bits)"
                )))
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: SampleData.fig3Median, color: "k", lineStyle: .dotted, lineWidth: 1.0,
                    label: "median = 3.951 bits")))
        ax.x = Axis(lower: 3.80, upper: 4.02, label: "H(nibble) - bits / symbol (alphabet 16)")
        ax.y = Axis(label: "number of Q4_K tensors")
        ax.title = "Figure 3 - Q4_K nibble entropy distribution (n = 181 Q4_K-typed tensors)"
        ax.legend = Legend(loc: 2)
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.3)
        fig.axes = [ax]
        return fig
    }

    static func fig4() -> Figure {
        var fig = Figure(widthInches: 9, heightInches: 4.5)
        var ax = Axes()
        ax.marks.append(
            histogram(
                left: SampleData.fig4Left, width: SampleData.fig4Width, heights: SampleData.fig4Heights,
                color: "#2ca02c"))
        ax.marks.append(
            .span(
                SpanMark(
                    .vertical, -0.002, 0.003, color: "#ffe4b3", alpha: 0.6, zorder: 0,
                    label: "model-level 95% CI [-0.002, +0.003]")))
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: 0, color: "r", lineStyle: .dashed, lineWidth: 1.0, label: "zero (no correlation)")))
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: SampleData.fig4Median, color: "k", lineStyle: .dotted, lineWidth: 1.0,
                    label: "median = +0.0003")))
        ax.x = Axis(label: "Pearson correlation, adjacent same-role layer pair")
        ax.y = Axis(label: "number of pairs")
        ax.title = "Figure 4 - inter-layer correlation distribution (n = 250 pairs across two Qwen2.5 source models)"
        ax.legend = Legend(loc: 1, fontSize: 9, frameAlpha: 0.9)
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.3)
        fig.axes = [ax]
        return fig
    }

    static func fig5() -> Figure {
        var fig = Figure(widthInches: 12, heightInches: 7)
        var ax = Axes()
        for (i, p) in SampleData.fig5Points.enumerated() {
            let (x, y, s, color, marker, pareto, label) = p
            ax.marks.append(
                .scatter(
                    ScatterMark(
                        x: [x], y: [y], sizes: [s], colors: [Color(matplotlib: color) ?? .black],
                        edgeColors: pareto ? [.black] : [], lineWidths: [pareto ? 1.4 : 0],
                        marker: MarkerStyle(rawValue: marker) ?? .circle, alpha: 0.85,
                        label: label.isEmpty ? nil : label)
                ))
            ax.marks.append(
                .annotation(
                    AnnotationMark(
                        SampleData.fig5Names[i], x: x, y: y, offsetX: 4, offsetY: 4, fontSize: 6.5, alpha: 0.75)))
        }
        ax.marks.append(
            .line(
                LineMark(
                    x: SampleData.fig5FrontX, y: SampleData.fig5FrontY, color: "k", lineWidth: 0.9, alpha: 0.5,
                    zorder: 0,
                    label: "Pareto front")))
        // The reference's autoscaled limits, so the sample does not depend on the scales port.
        ax.x = Axis(
            scale: .log, lower: 51.14031356801805, upper: 4377.847185143503, label: "decompress MB/s (log scale)")
        ax.y = Axis(lower: 0.9888766159741403, upper: 1.5125304865635814, label: "byte-weighted ratio")
        ax.title = "Figure 5 - throughput / ratio Pareto across all measured methods (separate points per corpus)"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.35)
        ax.legend = Legend(loc: 7, fontSize: 9, frameAlpha: 0.9)
        fig.axes = [ax]
        return fig
    }
}

extension SampleFigures {
    /// A figure exercising most marks, mathtext, a text box, shared y and
    /// the seaborn theme (its matplotlib twin: Fixtures/kitchen_sink_reference.py).
    static func kitchenSink() -> Figure {
        var fig = Figure(widthInches: 8, heightInches: 3.5, theme: .seaborn, rows: 1, cols: 2, sharey: true)
        let c = Theme.seaborn.colorCycle
        var a = Axes()
        let x: [Double] = [1, 2, 3, 4, 5]
        a.marks.append(
            .line(LineMark(x: x, y: [1, 4, 9, 16, 25], color: c[0], marker: .circle, label: "$\\Delta H$ fit")))
        a.marks.append(
            .fill(
                FillMark(
                    band: x, [0.5, 3, 7, 13, 21], [1.5, 5, 11, 19, 29], color: c[1], alpha: 0.3,
                    label: "$\\pm 1\\sigma$")))
        var e = ErrorBarMark(x: x, y: [2, 5, 8, 14, 20], yErr: [1, 1, 2, 2, 3], marker: .square, label: "errors")
        e.color = c[1]
        e.lineStyle = .none
        e.capSize = 3
        a.marks.append(.errorBar(e))
        a.marks.append(
            .text(
                TextMark(
                    "$\\eta = 10^{-3}$, $\\beta_1$", x: 0.05, y: 0.9, coordinates: .axes,
                    box: TextBox(faceColor: "#f5deb3", alpha: 0.5))))
        a.x = Axis(
            lower: 0.5, upper: 5.5, label: "steps ($\\times 10^{3}$)", ticks: x, tickLabels: x.map { "\(Int($0))" })
        a.y = Axis(lower: 0, upper: 30, label: "loss", ticks: [0, 10, 20, 30], tickLabels: ["0", "10", "20", "30"])
        a.title = "$\\alpha$ sweep"
        a.legend = Legend()
        var b = Axes()
        b.marks.append(
            .scatter(ScatterMark(x: [1, 2, 3], y: [5, 10, 20], sizes: [20, 50, 100], colors: [c[2]], label: "pts")))
        b.marks.append(
            .referenceLine(
                ReferenceLineMark(.horizontal, at: 12, color: "k", lineStyle: .dashDot, lineWidth: 1, label: "ref")))
        b.marks.append(.annotation(AnnotationMark("peak", x: 3, y: 20, offsetX: 4, offsetY: 4)))
        b.x = Axis(lower: 0.5, upper: 3.5, label: "x", ticks: [1, 2, 3], tickLabels: ["1", "2", "3"])
        b.y = a.y
        b.y.label = ""
        b.legend = Legend(loc: 4)
        fig.axes = [a, b]
        fig.suptitle = "Kitchen sink"
        fig.layout = .tight()
        return fig
    }
}

extension SampleFigures {
    /// Log x axis with mathtext tick labels, an offset text and mathtext
    /// labels (its matplotlib twin: Fixtures/log_math_reference.py).
    static func logMath() -> Figure {
        var fig = Figure(widthInches: 4, heightInches: 3)
        var ax = Axes()
        ax.marks = [.line(LineMark(x: [60, 4000], y: [1e-5, 3e-5], label: "$\\lambda = 0.5\\,\\mu$m"))]
        ax.x = Axis(
            scale: .log, lower: 51, upper: 4378, label: "throughput $\\geq 10^{2}$ MB/s", ticks: [100, 1000],
            tickLabels: ["$\\mathdefault{10^{2}}$", "$\\mathdefault{10^{3}}$"])
        let yt = (1...7).map { Double($0) * 0.5e-5 }
        ax.y = Axis(
            lower: 0.5e-5, upper: 3.5e-5, label: "$\\Delta H_{\\mathrm{tot}}$ ($\\sigma^2$)", ticks: yt,
            tickLabels: ["0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5"])
        ax.title = "$\\tau \\approx 2 \\pm 0.1$, $x_i^2$"
        ax.legend = Legend(loc: 0)
        fig.axes = [ax]
        return fig
    }
}
