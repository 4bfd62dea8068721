import Foundation
import Testing

@testable import FigureModel

/// A one-axes layout with fixed resolved axes, so dumps can be checked
/// without the layout engine.
private func layout(_ ax: Axes, theme: Theme = .matplotlib) -> FigureLayout {
    var fig = Figure(widthInches: 6, heightInches: 4, theme: theme)
    fig.axes = [ax]
    let axis = ResolvedAxis(
        scale: .linear, limits: ViewLimits(lower: 0, upper: 1), major: [Tick(value: 0, label: "0")], minor: [],
        offsetText: "")
    return FigureLayout(
        figure: fig, axes: [AxesLayout(box: Box(x: 0, y: 0, width: 100, height: 100), x: axis, y: axis)],
        tightBox: Box(x: 0, y: 0, width: 432, height: 288))
}

@Suite struct DefaultsTests {
    @Test func linesAndPatchesAdvanceTheirOwnCycles() {
        var ax = Axes()
        ax.marks = [
            .line(LineMark(x: [0], y: [0])),  // C0 (lines)
            .scatter(ScatterMark(x: [0], y: [0])),  // C0 (patches)
            .line(LineMark(x: [0], y: [0], color: "k")),  // explicit: no advance
            .line(LineMark(x: [0], y: [0])),  // C1
            .bars(BarMark(positions: [0], values: [1])),  // C1 (patches)
            .referenceLine(ReferenceLineMark(.vertical, at: 0)),  // lines.color C0, no advance
            .fill(FillMark(band: [0, 1], [0, 0], [1, 1])),  // C2 (patches)
        ]
        var fig = Figure(widthInches: 4, heightInches: 3)
        fig.axes = [ax]
        let marks = fig.resolvingDefaults().axes[0].marks
        func color(_ m: Mark) -> Color? {
            switch m {
            case .line(let l): l.color
            case .scatter(let s): s.colors?.first
            case .bars(let b): b.color
            case .referenceLine(let r): r.color
            case .fill(let f): f.color
            default: nil
            }
        }
        #expect(marks.map(color) == ["C0", "C0", "k", "C1", "C1", "C0", "C2"])
        guard case .scatter(let s) = marks[1], case .line(let l) = marks[0] else { return }
        #expect(s.sizes == [36])
        #expect(s.lineWidths == [1])
        #expect(l.lineWidth == 1.5)
    }

    @Test func legendEntriesPutContainersLast() {
        var ax = Axes()
        ax.marks = [
            .bars(BarMark(positions: [0], values: [1], label: "bars")),
            .line(LineMark(x: [0], y: [0], label: "line")),
            .span(SpanMark(.vertical, 0, 1, label: "span")),
            .line(LineMark(x: [0], y: [0], label: "_hidden")),
            .errorBar(ErrorBarMark(x: [0], y: [0], yErr: [1], label: "err")),
            .scatter(ScatterMark(x: [0], y: [0])),
            .scatter(ScatterMark(x: [0], y: [0], label: "points")),
        ]
        #expect(ax.legendEntries.map(\.label) == ["line", "span", "points", "bars", "err"])
    }
}

@Suite struct DumpTests {
    @Test func marksBecomeMatplotlibArtists() throws {
        var ax = Axes()
        ax.title = "t"
        ax.x.label = "x"
        ax.marks = [
            .bars(
                BarMark(positions: [1, 2], values: [3, -1], widths: [0.5], bottoms: [1], color: "#1f77b4", label: "b")),
            .span(SpanMark(.vertical, -0.002, 0.003, color: "#ffe4b3", alpha: 0.6, label: "ci")),
            .referenceLine(ReferenceLineMark(.horizontal, at: 16, color: "r", lineStyle: .dashed, lineWidth: 0.8)),
            .scatter(ScatterMark(x: [1], y: [2], sizes: [14], colors: ["#1f77b4"], edgeColors: [], alpha: 0.55)),
            .annotation(AnnotationMark("note", x: 1, y: 2, offsetX: 4, offsetY: 4, fontSize: 6.5)),
            .text(TextMark("", x: 0, y: 0)),
            .text(TextMark("R^2", x: 0.05, y: 0.05, coordinates: .axes)),
        ]
        ax.legend = Legend(loc: 4, fontSize: 8)
        let d = FigureDump.json(layout(ax))
        let a = try #require(d["axes"]?.arrayValue?.first)
        #expect(a["title"] == "t")
        #expect(a["xlim"] == [0.0, 1.0])
        let rects = a["rectangles"]?.arrayValue ?? []
        #expect(rects.count == 3)
        #expect(
            rects[0] == [
                "x": 0.75, "y": 1.0, "width": 0.5, "height": 3.0, "facecolor": "#1f77b4ff", "edgecolor": "#00000000",
                "label": "_nolegend_",
            ])
        #expect(rects[1]["height"] == -1.0)
        #expect(
            rects[2] == [
                "x": -0.002, "y": 0.0, "width": 0.005, "height": 1.0, "facecolor": "#ffe4b399",
                "edgecolor": "#ffe4b399", "label": "ci",
            ])
        let line = a["lines"]?.arrayValue?.first
        #expect(line?["x"] == [0.0, 1.0])
        #expect(line?["y"] == [16.0, 16.0])
        #expect(line?["color"] == "#ff0000ff")
        #expect(line?["linestyle"] == "--")
        let scatter = a["collections"]?.arrayValue?.first
        #expect(scatter?["facecolors"] == ["#1f77b48c"])
        #expect(scatter?["edgecolors"] == [])
        #expect(scatter?["marker"] == "o")
        let texts = a["texts"]?.arrayValue ?? []
        #expect(texts.count == 2)
        #expect(texts[0]["xytext"] == [4.0, 4.0])
        #expect(texts[0]["textcoords"] == "offset points")
        #expect(texts[1]["transform"] == "axes")
        #expect(a["legend"] == ["labels": ["ci", "b"], "loc": 4])
    }

    @Test func bandsAndErrorBars() throws {
        var ax = Axes()
        ax.marks = [
            .fill(FillMark(band: [0, 1, 2], [1, 2, 3], [0, 0, 0], color: "C0", alpha: 0.2)),
            .errorBar(ErrorBarMark(x: [0, 1], y: [1, 2], yErr: [0.5, 0.25], marker: .circle, label: "e")),
        ]
        let a = try #require(FigureDump.json(layout(ax))["axes"]?.arrayValue?.first)
        let band = a["collections"]?.arrayValue?[0]
        #expect(band?["kind"] == "polygons")
        #expect(
            band?["paths"] == [
                [[0.0, 0.0, 1.0, 2.0, 2.0, 2.0, 1.0, 0.0, 0.0], [0.0, 1.0, 2.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0]]
            ])
        let seg = a["collections"]?.arrayValue?[1]
        #expect(seg?["kind"] == "segments")
        #expect(seg?["segments"] == [[[0.0, 0.0], [0.5, 1.5]], [[1.0, 1.0], [1.75, 2.25]]])
        #expect(a["lines"]?.arrayValue?.first?["marker"] == "o")
    }
}

@Suite struct ColorTests {
    @Test func matplotlibSpecs() {
        #expect(Color(matplotlib: "#1f77b4")?.hexRGBA == "#1f77b4ff")
        #expect(Color(matplotlib: "r")?.hexRGBA == "#ff0000ff")
        #expect(Color(matplotlib: "0.8")?.hexRGBA == "#ccccccff")
        #expect(Color(matplotlib: "C3")?.hexRGBA == "#d62728ff")
        #expect(Color(matplotlib: "#abc")?.hexRGBA == "#aabbccff")
        #expect(Color(matplotlib: "none")?.hexRGBA == "#00000000")
        #expect(Color(matplotlib: "#ffe4b3")?.withAlpha(0.6).hexRGBA == "#ffe4b399")
        #expect(Color(matplotlib: "notacolor") == nil)
    }
}
