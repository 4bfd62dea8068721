import Foundation
import Testing

@testable import FigureModel

/// Two subplots side by side, margins l 60 r 40 t 40 b 60 at 700 × 450 px.
private func twoPanels() -> InteractiveFigure {
    var fig = InteractiveFigure()
    fig.layout["margin"] = ["l": 60, "r": 40, "t": 40, "b": 60]
    fig.layout["xaxis"] = [
        "domain": [0, 0.45], "anchor": "y", "type": "log", "range": [1, 3], "title": ["text": "C"],
    ]
    fig.layout["yaxis"] = ["domain": [0, 1], "anchor": "x", "range": [2, -1]]
    fig.layout["xaxis2"] = [
        "domain": [0.55, 1], "anchor": "y2", "tickvals": [1, 2], "ticktext": ["one", "<b>two</b>"],
    ]
    fig.layout["yaxis2"] = [
        "domain": [0, 1], "anchor": "x2", "type": "log", "range": [0.19, -0.7], "tickformat": ".0%",
        "showticklabels": false,
    ]
    return fig
}

private func translate(_ fig: InteractiveFigure) -> Figure {
    StaticFigure.figure(fig, measurer: FixedMeasurer())
}

private func close(_ a: [Double]?, _ b: [Double]) -> Bool {
    guard let a, a.count == b.count else { return false }
    return zip(a, b).allSatisfy { abs($0 - $1) < 1e-12 }
}

@Suite struct StaticFigureTests {
    @Test func subplotsSitAtTheirDomainsInsideTheMargins() {
        let fig = translate(twoPanels())
        #expect(fig.widthInches == 700.0 / 96)
        #expect(fig.heightInches == 450.0 / 96)
        #expect(fig.axes.count == 2)
        let w: Double = 0.45 * 600 / 700
        let h: Double = 350.0 / 450
        let bottom: Double = 60.0 / 450
        let left2: Double = (60 + 0.55 * 600) / 700
        #expect(close(fig.axes[0].position, [60.0 / 700, bottom, w, h]))
        #expect(close(fig.axes[1].position, [left2, bottom, w, h]))
    }

    @Test func logReversedAndFixedTickAxes() {
        let fig = translate(twoPanels())
        let x = fig.axes[0].x
        #expect(x.scale == .log)
        #expect(abs((x.lower ?? 0) - 10) < 1e-9 && abs((x.upper ?? 0) - 1000) < 1e-9)
        #expect(!x.inverted)
        #expect(x.label == "C")
        let y = fig.axes[0].y
        #expect(y.scale == .linear && y.lower == -1 && y.upper == 2 && y.inverted)
        let y2 = fig.axes[1].y
        #expect(y2.scale == .log && y2.inverted)
        #expect(abs((y2.lower ?? 0) - pow(10, -0.7)) < 1e-12 && abs((y2.upper ?? 0) - pow(10, 0.19)) < 1e-12)
        // showticklabels false: ticks, no labels.
        #expect(y2.tickLabels?.isEmpty == false && y2.tickLabels?.allSatisfy(\.isEmpty) == true)
        // plotly's ticks on the log axis (two decades on 270 px: 5 ticks wanted, 0.4 decades
        // apart, so D2): 1, 2, 5 in every decade, the 2s and 5s as small digits (0.75 × 9 pt).
        #expect(close(x.ticks, [10, 20, 50, 100, 200, 500, 1000]))
        #expect(x.tickLabels == ["10", "2", "5", "100", "2", "5", "1000"])
        #expect(x.tickLabelSizes == [9, 6.75, 6.75, 9, 6.75, 6.75, 9])
        let x2 = fig.axes[1].x
        #expect(x2.ticks == [1, 2])
        #expect(x2.tickLabels == ["one", "two"])
        // The limits resolve as set: reversed view for the inverted axes.
        let limits = Scales.limits(fig)
        #expect(limits[0].y.lower == 2 && limits[0].y.upper == -1)
    }

    @Test func suffixesAndMatchedAxes() {
        var fig = InteractiveFigure.makeSubplots(rows: 1, cols: 2, sharedYAxes: true)
        fig.addTrace(["x": .numbers([0, 1]), "y": .numbers([0, 10]), "mode": "lines"], row: 1, col: 1)
        fig.addTrace(["x": .numbers([0, 1]), "y": .numbers([20, 30]), "mode": "lines"], row: 1, col: 2)
        fig.updateXAxes(["ticksuffix": "%"])
        let s = translate(fig)
        // Lines only: x is not padded. On ~243 px plotly wants 5 ticks, a rough step of 0.2,
        // which its `roundUp` (the first of 2, 5, 10 past 0.2 / 0.1 = 2) makes 0.5; with the suffix.
        #expect(s.axes[0].x.lower == 0 && s.axes[0].x.upper == 1)
        #expect(s.axes[0].x.tickLabels == ["0%", "0.5%", "1%"])
        // y is padded by 5 % of the axis' length at each end: 30 units over 90 % of it.
        let pad = 30 * 0.05 / 0.9
        for k in 0..<2 {
            #expect(abs((s.axes[k].y.lower ?? 0) + pad) < 1e-9 && abs((s.axes[k].y.upper ?? 0) - 30 - pad) < 1e-9)
        }
        #expect(s.axes[1].y.tickLabels?.allSatisfy(\.isEmpty) == true)
    }

    @Test func tracesBecomeLinesMarkersTextsAndFills() throws {
        var fig = InteractiveFigure()
        fig.addTrace([
            "x": .numbers([1, 2, 3]), "y": .numbers([1, 2, 1]), "mode": "lines+markers+text",
            "text": ["", "peak", ""], "textposition": "top left",
            "line": ["color": "#385C8F", "width": 2, "dash": "dash"],
            "marker": ["symbol": "circle-open", "size": 10, "color": "#8F6B38"],
        ])
        fig.addTrace([
            "x": .numbers([1, 2, 3]), "y": .numbers([0, 1, 0]), "fill": "tonexty", "mode": "lines",
            "fillcolor": "rgba(56,92,143,0.15)", "line": ["width": 0],
        ])
        fig.addTrace([
            "x": .numbers([1, 2, 1]), "y": .numbers([3, 3, 4]), "fill": "toself", "mode": "lines",
            "line": ["color": "red", "width": 1],
        ])
        let marks = translate(fig).axes[0].marks
        guard case .line(let line) = marks[0], case .line(let markers) = marks[1], case .text(let text) = marks[2],
            case .fill(let band) = marks[3], case .fill(let polygon) = marks[4], case .line = marks[5]
        else {
            Issue.record("unexpected marks: \(marks)")
            return
        }
        #expect(line.lineStyle == .dashed && line.lineWidth == 1.5 && line.marker == .none)
        #expect(line.color == Color(matplotlib: "#385C8F"))
        #expect(markers.lineStyle == .none && markers.marker == .circle && markers.markerSize == 7.5)
        #expect(markers.markerFaceColor == Color.none && markers.markerEdgeColor == Color(matplotlib: "#8F6B38"))
        #expect(text.text == "peak" && text.x == 2 && text.y == 2)
        #expect(text.horizontalAlignment == .right && text.verticalAlignment == .bottom)
        #expect((text.offsetX ?? 0) < 0 && (text.offsetY ?? 0) > 0)
        // tonexty: this trace's points, then the previous trace's in reverse.
        #expect(band.kind == .polygon && band.x == [1, 2, 3, 3, 2, 1] && band.y == [0, 1, 0, 1, 2, 1])
        #expect(band.color == Color(red: 56 / 255, green: 92 / 255, blue: 143 / 255, alpha: 0.15))
        // toself with no fillcolor: the line color at half opacity.
        #expect(polygon.x == [1, 2, 1] && polygon.color == Color(red: 1, green: 0, blue: 0, alpha: 0.5))
        #expect(marks.count == 6)
    }

    @Test func shapesAndAnnotationsInDataDomainAndPaperCoordinates() throws {
        var fig = twoPanels()
        fig.addShape([
            "type": "line", "x0": 100, "x1": 100, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain",
            "line": ["dash": "dot", "width": 1, "color": "#1f1e1b"], "opacity": 0.45, "layer": "below",
        ])
        fig.addShape([
            "type": "rect", "x0": 0.5, "x1": 1.5, "y0": 0, "y1": 1, "xref": "x2", "yref": "y2",
            "fillcolor": "rgba(143,107,56,0.35)", "line": ["width": 0],
        ])
        fig.addShape(["type": "line", "x0": 0, "x1": 1, "xref": "x2 domain", "y0": 0.25, "y1": 0.25, "yref": "y2"])
        fig.addAnnotation([
            "text": "fit ←", "x": 2, "xref": "x", "y": 0.98, "yref": "y domain", "xanchor": "right",
            "yanchor": "top", "xshift": -4, "showarrow": false, "font": ["size": 12, "color": "#1f1e1b"],
        ])
        fig.addAnnotation([
            "text": "Title<br>two", "x": 0.775, "xref": "paper", "y": 1, "yref": "paper", "xanchor": "center",
            "yanchor": "bottom", "showarrow": false,
        ])
        fig.addAnnotation(["text": "arrow", "x": 1, "y": 0.5, "xref": "x2", "yref": "y2", "ax": -30, "ay": -22])
        let s = translate(fig)
        guard s.axes[0].marks.count == 3, case .referenceLine(let vline) = s.axes[0].marks[0],
            case .text(let fit) = s.axes[0].marks[1], case .text(let title) = s.axes[0].marks[2]
        else {
            Issue.record("unexpected marks: \(s.axes[0].marks)")
            return
        }
        #expect(vline.orientation == .vertical && vline.value == 100 && vline.from == 0 && vline.to == 1)
        #expect(vline.lineStyle == .dotted && vline.lineWidth == 0.75)
        #expect(abs((vline.color?.alpha ?? 0) - 0.45) < 1e-12)
        #expect(vline.zorder ?? 9 < 1)
        // A log axis' annotation x is in log10 units; y in the subplot's domain.
        #expect(abs(fit.x - 100) < 1e-9 && fit.coordinates == .data && fit.yCoordinates == .axes && fit.y == 0.98)
        // plotly's box: 2 px of borderpad + borderwidth inside the anchor, the baseline the
        // font's ascent (11 px at 12 px) below the box's top.
        #expect(fit.offsetX == -4.5 && fit.horizontalAlignment == .right && fit.verticalAlignment == .baseline)
        #expect(fit.offsetY == -9.75)
        #expect(fit.fontSize == 9)
        // Paper coordinates become fractions of the first subplot: paper x 0.775 is 525 px
        // from the figure's left, the first panel spans 60…330 px.
        #expect(title.text == "Title\ntwo" && title.coordinates == .axes && title.yCoordinates == nil)
        #expect(abs(title.x - 465.0 / 270) < 1e-12 && abs(title.y - 1) < 1e-12)

        let marks = s.axes[1].marks
        guard marks.count == 3, case .fill(let rect) = marks[0], case .referenceLine(let hline) = marks[1],
            case .text(let arrow) = marks[2]
        else {
            Issue.record("unexpected marks: \(marks)")
            return
        }
        #expect(rect.x == [0.5, 1.5, 1.5, 0.5] && rect.y == [0, 0, 1, 1])
        #expect(hline.orientation == .horizontal && hline.value == 0.25)
        // The box (14 + 4 px tall) centred on the arrow's tail: its baseline 9 - 2 - 11 px from the tail.
        #expect(arrow.arrow != nil && arrow.offsetX == -22.5 && arrow.offsetY == 16.5 - 3)
        #expect(arrow.horizontalAlignment == .center && arrow.verticalAlignment == .baseline)
    }

    @Test func oneLegendEntryPerGroupInPlotlysRowOrder() throws {
        var fig = InteractiveFigure()
        for i in 0..<7 {
            fig.addTrace([
                "x": .numbers([1, 2]), "y": .numbers([1, 2]), "mode": "markers", "name": .string("b\(i)"),
                "legendgroup": .string("g\(i)"),
            ])
            fig.addTrace([
                "x": .numbers([1, 2]), "y": .numbers([1, 2]), "mode": "lines", "name": .string("b\(i) fit"),
                "legendgroup": .string("g\(i)"),
            ])
        }
        fig.addTrace(["x": .numbers([1]), "y": .numbers([1]), "name": "hidden", "showlegend": false])
        fig.layout["legend"] = [
            "orientation": "h", "entrywidth": 0.22, "entrywidthmode": "fraction", "x": 1, "xanchor": "right",
            "y": -0.2, "yanchor": "top", "title": ["text": "Compute"], "bgcolor": "rgba(0,0,0,0)",
        ]
        let legend = try #require(translate(fig).legends.first)
        #expect(legend.title == "Compute")
        #expect(!legend.frameOn)
        #expect(legend.entries?.map(\.label) == ["b0", "b1", "b2", "b3", "b4", "b5", "b6"])
        // Grouped (the traces have legend groups): each group 0.22 of the 540 px plot plus a
        // 5 px gap wide, so four fit in a row; rows 19 px + the 10 px group gap apart.
        let p = try #require(legend.placement)
        let xs = p.labels.map { $0[0] * 700 }
        let ys = p.labels.map { $0[1] * 450 }
        #expect(abs(xs[1] - xs[0] - (0.22 * 540 + 5)) < 1e-9 && abs(xs[4] - xs[0]) < 1e-9)
        #expect(ys[0..<4].allSatisfy { abs($0 - ys[0]) < 1e-9 } && ys[4...].allSatisfy { abs($0 - ys[4]) < 1e-9 })
        #expect(abs(ys[0] - ys[4] - 29) < 1e-9)
    }

    @Test func widgetsAreDrawnAsPlotlyDrawsThem() throws {
        var fig = InteractiveFigure()
        fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([1, 2])])
        fig.layout["sliders"] = [
            [
                "active": 1, "currentvalue": ["prefix": "Overtraining: "],
                "steps": [["label": "1×", "method": "skip"], ["label": "2×", "method": "skip"]],
            ]
        ]
        fig.layout["updatemenus"] = [["active": 0, "buttons": [["label": "MMLU", "method": "restyle"]]]]
        let s = translate(try fig.staticView())
        let texts = s.axes[0].marks.compactMap { m -> String? in
            if case .text(let t) = m { return t.text }
            return nil
        }
        // The current value, a label per step, the menu's active entry and its arrow.
        #expect(texts == ["Overtraining: 2×", "1×", "2×", "MMLU", "▼"])
        // The rail, a tick per step, the handle, the menu's box.
        let patches = try #require(s.patches)
        #expect(patches.count == 5)
        // The handle (20 px) is centred on the active step's tick.
        let tick = patches[2].rect
        let grip = patches[3].rect
        #expect(abs((grip[0] + grip[2] / 2) - (tick[0] + tick[2] / 2)) < 1e-12)
        #expect(abs(grip[2] * 700 - 20) < 1e-9 && abs(grip[3] * 450 - 20) < 1e-9)
    }

    @Test func textsAndColors() {
        #expect(StaticFigure.plainText("a<br>b<sup>2</sup> &amp; <b>$5</b>") == "a\nb² & \\$5")
        #expect(StaticFigure.plainText("x<sub>i</sub>, 10<sup>-3</sup>") == "x_i, 10⁻³")
        #expect(
            StaticFigure.color("rgba(196,185,174,0.8)")
                == Color(red: 196 / 255, green: 185 / 255, blue: 174 / 255, alpha: 0.8))
        #expect(StaticFigure.color("rgb(255, 0, 0)") == Color(red: 1, green: 0, blue: 0))
        #expect(StaticFigure.color("#1F1E1B") == Color(matplotlib: "#1f1e1b"))
        #expect(StaticFigure.color("transparent")?.alpha == 0)
        #expect(StaticFigure.color("not a color") == nil)
    }
}
