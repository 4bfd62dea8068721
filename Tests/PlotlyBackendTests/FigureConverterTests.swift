import FigpipeBasics
import FigureModel
import Foundation
import PlotlyBackend
import Testing

/// `PlotlyBackend.interactiveFigure(for:layout:)`: static figures as plotly JSON.
@Suite struct FigureConverterTests {
    /// One axes with every mark type, a legend, a log y axis with limits, fixed x ticks.
    func everyMark() -> Figure {
        var ax = Axes()
        ax.title = "All <marks>"
        ax.x = Axis(label: "x", ticks: [0, 1, 2], tickLabels: ["a", "b", "c"])
        ax.y = Axis(scale: .log, lower: 0.1, upper: 1000, label: "y")
        var line = LineMark(
            x: [0, 1, 2], y: [1, 10, 100], color: "C1", lineStyle: .dashed, lineWidth: 2, marker: .square,
            markerSize: 5, label: "line")
        line.hoverTexts = ["p0", "p1", "p2"]
        var scatter = ScatterMark(
            x: [0, 1], y: [2, 3], sizes: [36, 144], colors: ["#ff0000", "#0000ff"], label: "pts")
        scatter.hoverTexts = ["s0", "s1"]
        let bars = BarMark(
            positions: [0, 1], values: [5, 6], widths: [0.5], bottoms: [1, 2], align: .edge, color: "#00ff00",
            alpha: 0.5, label: "bars")
        var err = ErrorBarMark(x: [0, 1], y: [10, 20], marker: .circle, label: "err")
        err.yErrLower = [1, 2]
        err.yErrUpper = [3, 4]
        err.lineStyle = .none
        err.capSize = 3
        ax.marks = [
            .line(line), .scatter(scatter), .bars(bars), .errorBar(err),
            .fill(FillMark(band: [0, 1, 2, 3, 4], [1, 2, .nan, 4, 5], [5, 6, 7, 8, 9], color: "C2", alpha: 0.2)),
            .referenceLine(
                ReferenceLineMark(.horizontal, at: 50, from: 0.1, to: 0.9, lineStyle: .dotted, label: "ref")),
            .span(SpanMark(.vertical, 0.5, 1.5, color: "#cccccc", alpha: 0.3)),
            .text(TextMark("in axes\nfraction", x: 0.5, y: 0.9, coordinates: .axes, horizontalAlignment: .center)),
            .annotation(AnnotationMark("peak", x: 2, y: 100, offsetX: 4, offsetY: -6)),
        ]
        ax.legend = Legend(loc: 2)
        var fig = Figure(widthInches: 6, heightInches: 4, dpi: 100)
        fig.axes = [ax]
        fig.suptitle = "Suptitle"
        return fig
    }

    func numbers(_ v: JSONValue?) -> [Double] { v?.arrayValue?.compactMap(\.numberValue) ?? [] }

    func doc(_ fig: Figure) throws -> JSONValue {
        try JSONValue(parsing: PlotlyBackend.json(for: fig))
    }

    @Test func everyMarkTypeBecomesTracesShapesAndAnnotations() throws {
        let k = 100.0 / 72  // px per point at 100 dpi
        let d = try doc(everyMark())
        let data = try #require(d["data"]?.arrayValue)
        #expect(data.count == 5)
        // line → scatter lines+markers.
        let line = data[0]
        #expect(line["type"] == "scatter" && line["mode"] == "lines+markers")
        #expect(line["line"]?["color"] == "#ff7f0e")
        #expect(line["line"]?["dash"] == "dash")
        #expect(line["line"]?["width"]?.numberValue == 2 * k)
        #expect(line["marker"]?["symbol"] == "square")
        #expect(line["name"] == "line")
        #expect(line["showlegend"] == .bool(true))
        #expect(line["legendgroup"] == "line")
        #expect(line["hovertext"] == .array(["p0", "p1", "p2"]))
        #expect(line["hoverinfo"] == "text")
        #expect(line["xaxis"] == "x" && line["yaxis"] == "y")
        // scatter: points² → px diameter, per-point colors.
        let scatter = data[1]
        #expect(scatter["mode"] == "markers")
        let sizes: JSONValue = .array([.double(6 * k), .double(12 * k)])
        #expect(scatter["marker"]?["size"] == sizes)
        #expect(scatter["marker"]?["color"] == .array(["#ff0000", "#0000ff"]))
        #expect(scatter["hovertext"] == .array(["s0", "s1"]))
        // bars: edge-aligned positions become centres; bottoms → base; alpha in the color.
        let bars = data[2]
        #expect(bars["type"] == "bar" && bars["orientation"] == "v")
        #expect(bars["x"] == .array([.double(0.25), .double(1.25)]))
        #expect(bars["y"] == .array([5, 6]) && bars["base"] == .array([1, 2]) && bars["width"]?.numberValue == 0.5)
        #expect(bars["marker"]?["color"] == "rgba(0,255,0,0.5)")
        #expect(bars["hovertext"] == nil)
        // error bars: asymmetric arrays, caps in px, markers only.
        let err = data[3]
        #expect(err["mode"] == "markers")
        #expect(err["error_y"]?["array"] == .array([3, 4]) && err["error_y"]?["arrayminus"] == .array([1, 2]))
        #expect(err["error_y"]?["symmetric"] == .bool(false) && err["error_x"] == nil)
        #expect(err["error_y"]?["width"]?.numberValue == 3 * k)
        // band: one closed outline per finite run, joined by a gap; no legend entry.
        let fill = data[4]
        #expect(fill["fill"] == "toself" && fill["fillcolor"] == "rgba(44,160,44,0.2)")
        #expect(fill["x"] == .array([0, 1, 1, 0, .null, 3, 4, 4, 3]))
        #expect(fill["y"] == .array([1, 2, 6, 5, .null, 4, 5, 9, 8]))
        #expect(fill["showlegend"] == .bool(false) && fill["name"] == nil)

        let layout = try #require(d["layout"])
        let shapes = try #require(layout["shapes"]?.arrayValue)
        #expect(shapes.count == 2)
        #expect(shapes[0]["type"] == "line" && shapes[0]["xref"] == "x domain" && shapes[0]["yref"] == "y")
        #expect(shapes[0]["y0"] == 50 && shapes[0]["x0"]?.numberValue == 0.1 && shapes[0]["x1"]?.numberValue == 0.9)
        #expect(shapes[0]["line"]?["dash"] == "dot" && shapes[0]["name"] == "ref")
        #expect(shapes[1]["type"] == "rect" && shapes[1]["xref"] == "x" && shapes[1]["yref"] == "y domain")
        #expect(shapes[1]["x0"]?.numberValue == 0.5 && shapes[1]["fillcolor"] == "rgba(204,204,204,0.3)")
        let annotations = try #require(layout["annotations"]?.arrayValue)
        #expect(annotations.count == 3)
        #expect(annotations[0]["text"] == "in axes<br>fraction" && annotations[0]["xref"] == "x domain")
        #expect(annotations[0]["xanchor"] == "center" && annotations[0]["yanchor"] == "bottom")
        // An annotation's data position on a log axis is log10.
        #expect(annotations[1]["text"] == "peak" && annotations[1]["y"] == 2 && annotations[1]["x"] == 2)
        #expect(annotations[1]["xshift"]?.numberValue == 4 * k)
        #expect(annotations[2]["text"] == "All &lt;marks&gt;" && annotations[2]["xref"] == "paper")
        #expect(layout["title"]?["text"] == "Suptitle")
        #expect(layout["width"] == 600 && layout["height"] == 400 && layout["barmode"] == "overlay")
        #expect(layout["legend"]?["xanchor"] == "left" && layout["showlegend"] == .bool(true))
    }

    @Test func axesMapScalesLimitsTicksAndLabels() throws {
        let d = try doc(everyMark())
        let x = try #require(d["layout"]?["xaxis"])
        let y = try #require(d["layout"]?["yaxis"])
        #expect(y["type"] == "log")
        #expect(y["range"] == .array([-1, 3]))
        #expect(y["title"]?["text"] == "y")
        #expect(x["type"] == "linear" && x["anchor"] == "y" && y["anchor"] == "x")
        #expect(x["tickvals"] == .array([0, 1, 2]) && x["ticktext"] == .array(["a", "b", "c"]))
        // The x limits are matplotlib's autoscaled ones (data 0…4 with 5% margins).
        let range = numbers(x["range"])
        #expect(range.count == 2 && abs(range[0] + 0.2) < 1e-12 && abs(range[1] - 4.2) < 1e-12)
    }

    @Test func subplotDomainsFollowTheGrid() throws {
        var fig = Figure(widthInches: 8, heightInches: 6, rows: 2, cols: 2, sharex: true)
        for i in 0..<4 { fig.axes[i].marks = [.line(LineMark(x: [0, 1], y: [Double(i), 1]))] }
        let d = try doc(fig)
        let layout = try #require(d["layout"])
        // matplotlib's defaults: left .125, right .9, bottom .11, top .88, wspace = hspace = .2.
        let cellW = (0.9 - 0.125) / 2.2
        let cellH = (0.88 - 0.11) / 2.2
        let x2 = numbers(layout["xaxis2"]?["domain"])
        try #require(x2.count == 2)
        #expect(abs(x2[0] - (0.125 + 1.2 * cellW)) < 1e-12 && abs(x2[1] - 0.9) < 1e-12)
        let y3 = numbers(layout["yaxis3"]?["domain"])
        try #require(y3.count == 2)
        #expect(abs(y3[0] - 0.11) < 1e-12 && abs(y3[1] - (0.11 + cellH)) < 1e-12)
        #expect(layout["xaxis3"]?["anchor"] == "y3" && layout["xaxis4"]?["matches"] == "x")
        #expect(layout["yaxis2"]?["matches"] == nil)
        let data = try #require(d["data"]?.arrayValue)
        #expect(data.map { $0["xaxis"] } == ["x", "x2", "x3", "x4"])
        #expect(data.map { $0["yaxis"] } == ["y", "y2", "y3", "y4"])
        #expect(layout["showlegend"] == .bool(false))
    }

    @Test func aLayoutGivesTheDrawnDomainsAndLegendBoxes() throws {
        let fig = everyMark()
        let layout = FigureLayout.compute(fig, measurer: FixedMeasurer())
        let d = try JSONValue(parsing: PlotlyBackend.json(for: fig, layout: layout))
        let box = layout.axes[0].box
        #expect(d["layout"]?["xaxis"]?["domain"] == .array([.double(box.x / 432), .double(box.maxX / 432)]))
        let frame = try #require(layout.axes[0].legend?.frame)
        #expect(d["layout"]?["legend"]?["x"]?.numberValue == frame.x / 432)
    }

    @Test func figureLegendsAndSeveralAxesLegendsGetTheirOwnPlotlyLegends() throws {
        var fig = Figure(widthInches: 6, heightInches: 3, rows: 1, cols: 3)
        fig.axes[0].marks = [.line(LineMark(x: [0, 1], y: [0, 1], label: "a"))]
        fig.axes[0].legend = Legend()
        fig.axes[1].marks = [.line(LineMark(x: [0, 1], y: [0, 1], label: "b"))]
        fig.axes[1].legend = Legend(loc: 4)
        fig.axes[2].marks = [
            .line(LineMark(x: [0, 1], y: [0, 1], label: "c")), .line(LineMark(x: [0, 1], y: [1, 0], label: "c")),
        ]
        fig.legends = [Legend(entries: [LegendEntry(label: "c", handle: .line(LineMark(x: [], y: [])))])]
        let d = try doc(fig)
        let data = try #require(d["data"]?.arrayValue)
        #expect(data.map { $0["legend"] } == [nil, "legend2", "legend3", "legend3"])
        #expect(data.map { $0["showlegend"] } == [.bool(true), .bool(true), .bool(true), .bool(false)])
        #expect(d["layout"]?["legend2"]?["xanchor"] == "right" && d["layout"]?["legend2"]?["yanchor"] == "bottom")
        #expect(d["layout"]?["legend3"] != nil)
    }

    @Test func outputIsByteDeterministic() {
        let fig = everyMark()
        let a = PlotlyBackend.json(for: fig)
        #expect(a == PlotlyBackend.json(for: fig))
        #expect(a.last == UInt8(ascii: "\n"))
        // Keys are sorted.
        let text = String(decoding: a, as: UTF8.self)
        let data = text.range(of: "\"data\"")
        let layout = text.range(of: "\"layout\"")
        #expect(
            data != nil && layout != nil
                && (data?.lowerBound ?? text.endIndex) < (layout?.lowerBound ?? text.startIndex))
    }

    @Test func hoverTextsAreLeftOutOfTheEncodingWhenNil() throws {
        let plain = try JSONEncoder().encode(LineMark(x: [1], y: [2]))
        #expect(!String(decoding: plain, as: UTF8.self).contains("hoverTexts"))
        var m = ScatterMark(x: [1], y: [2])
        m.hoverTexts = ["h"]
        let back = try JSONDecoder().decode(ScatterMark.self, from: try JSONEncoder().encode(m))
        #expect(back.hoverTexts == ["h"])
    }
}

/// Every string 6 pt per character, 10 pt high: enough for a layout.
struct FixedMeasurer: TextMeasurer {
    func measure(_ text: String, fontSize: Double, bold: Bool) -> TextExtent {
        TextExtent(width: Double(text.count) * fontSize * 0.6, height: fontSize, descent: fontSize * 0.2)
    }
}
