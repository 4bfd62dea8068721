import Testing

@testable import FigureModel

/// A measurer with round numbers: 0.6 em per character, 1 em tall, 0.25 em descent.
struct FixedMeasurer: TextMeasurer {
    func measure(_ text: String, fontSize: Double, bold: Bool) -> TextExtent {
        TextExtent(width: 0.6 * fontSize * Double(text.count), height: fontSize, descent: 0.25 * fontSize)
    }
}

private func fixedAxis(_ lo: Double, _ hi: Double) -> Axis {
    Axis(lower: lo, upper: hi, ticks: [lo, hi], tickLabels: ["\(lo)", "\(hi)"])
}

@Test func subplotGridFollowsGridSpec() {
    // plt.subplots(2, 2) at 6.4 × 4.8 in: matplotlib's ax.get_position().
    var fig = Figure(widthInches: 6.4, heightInches: 4.8, rows: 2, cols: 2)
    for i in 0..<4 {
        fig.axes[i].x = fixedAxis(0, 1)
        fig.axes[i].y = fixedAxis(0, 1)
    }
    let layout = FigureLayout.compute(fig, measurer: FixedMeasurer())
    let W = 6.4 * 72
    let H = 4.8 * 72
    let expected: [(Double, Double, Double, Double)] = [
        (0.125, 0.53, 0.352272727, 0.35), (0.547727273, 0.53, 0.352272727, 0.35),
        (0.125, 0.11, 0.352272727, 0.35), (0.547727273, 0.11, 0.352272727, 0.35),
    ]
    for (a, e) in zip(layout.axes, expected) {
        #expect(abs(a.box.x / W - e.0) < 1e-6)
        #expect(abs(a.box.y / H - e.1) < 1e-6)
        #expect(abs(a.box.width / W - e.2) < 1e-6)
        #expect(abs(a.box.height / H - e.3) < 1e-6)
    }
}

@Test func sharedAxesHideInnerTickLabels() {
    var fig = Figure(widthInches: 6, heightInches: 6, rows: 2, cols: 2, sharex: true, sharey: true)
    for i in 0..<4 {
        fig.axes[i].x = fixedAxis(0, 1)
        fig.axes[i].y = fixedAxis(0, 1)
    }
    let layout = FigureLayout.compute(fig, measurer: FixedMeasurer())
    // Top row: no x tick labels; right column: no y tick labels.
    #expect(layout.axes[0].x.major.allSatisfy { $0.label.isEmpty })
    #expect(layout.axes[1].x.major.allSatisfy { $0.label.isEmpty })
    #expect(layout.axes[2].x.major.allSatisfy { !$0.label.isEmpty })
    #expect(layout.axes[1].y.major.allSatisfy { $0.label.isEmpty })
    #expect(layout.axes[3].y.major.allSatisfy { $0.label.isEmpty })
    #expect(layout.axes[0].y.major.allSatisfy { !$0.label.isEmpty })
    #expect(layout.axes[0].xTickLabels.allSatisfy { $0 == nil })
}

@Test func axisDecorationsUseMatplotlibPads() throws {
    var fig = Figure(widthInches: 4, heightInches: 3)
    fig.axes[0].x = fixedAxis(0, 1)
    fig.axes[0].x.label = "x"
    fig.axes[0].y = fixedAxis(0, 1)
    fig.axes[0].y.label = "y"
    fig.axes[0].title = "T"
    let a = FigureLayout.compute(fig, measurer: FixedMeasurer()).axes[0]
    // Tick labels: top 3.5 + 3.5 pt below the spine.
    let tick = try #require(a.xTickLabels.first ?? nil)
    #expect(abs(tick.box.maxY - (a.box.y - 7)) < 1e-9)
    // x label: 4 pt below the tick labels.
    let xl = try #require(a.xLabel)
    #expect(abs(xl.box.maxY - (tick.box.y - 4)) < 1e-9)
    // y label: right edge 4 pt left of the tick labels, rotated.
    let yt = try #require(a.yTickLabels.first ?? nil)
    let yl = try #require(a.yLabel)
    #expect(abs(yl.box.maxX - (yt.box.x - 4)) < 1e-9)
    #expect(yl.box.width == 10)
    // Title baseline 6 pt above the axes.
    let title = try #require(a.title)
    #expect(abs(title.box.y + title.descent - (a.box.maxY + 6)) < 1e-9)
}

/// A 6 × 4 in figure of two axes side by side, with axis labels (and titles).
private func twoLabelledAxes(titles: Bool = false) -> Figure {
    var fig = Figure(widthInches: 6, heightInches: 4, rows: 1, cols: 2)
    for i in 0..<2 {
        fig.axes[i].x = fixedAxis(0, 1)
        fig.axes[i].x.label = "label"
        fig.axes[i].y = fixedAxis(0, 1)
        fig.axes[i].y.label = "label"
        if titles { fig.axes[i].title = "title" }
    }
    return fig
}

@Test func tightLayoutKeepsPadsAroundDecorations() {
    var fig = twoLabelledAxes()
    fig.layout = .tight()
    let layout = FigureLayout.compute(fig, measurer: FixedMeasurer())
    let pad = 1.08 * 10
    // The union of every axes' decorations is `pad` from the figure's edges.
    let tight = layout.tightBox
    #expect(abs(tight.x - pad) < 1e-6)
    #expect(abs(tight.y - pad) < 1e-6)
    #expect(abs(layout.width - tight.maxX - pad) < 1e-6)
    // Between the axes: the right one's decorations start `pad` after the left axes.
    let gap = layout.axes[1].tightBox.x - layout.axes[0].tightBox.maxX
    #expect(abs(gap - pad) < 1e-6)
}

@Test func tightLayoutRectFitsTheDecorationsIntoIt() {
    var fig = twoLabelledAxes(titles: true)
    // fig.tight_layout(rect=[0, 0, 1, 0.9]): the top 10 % stay free (for a figure legend).
    fig.layout = .tight(rect: [0, 0, 1, 0.9])
    let layout = FigureLayout.compute(fig, measurer: FixedMeasurer())
    let pad = 1.08 * 10
    let tight = layout.tightBox
    #expect(abs(tight.maxY - (0.9 * layout.height - pad)) < 1e-6)
    #expect(abs(tight.y - pad) < 1e-6)
    #expect(abs(tight.x - pad) < 1e-6)
    #expect(abs(layout.width - tight.maxX - pad) < 1e-6)
}

@Test func legendEntriesPutContainersLast() {
    var ax = Axes()
    ax.marks = [
        .bars(BarMark(positions: [0], values: [1], label: "bars")),
        .line(LineMark(x: [0, 1], y: [0, 1], label: "line")),
        .scatter(ScatterMark(x: [0], y: [0], label: nil)),
        .bars(BarMark(positions: [0], values: [1], label: "hist", isHistogram: true)),
    ]
    let labels = LayoutEngine<FixedMeasurer>.legendEntries(ax).map(\.0)
    #expect(labels == ["line", "hist", "bars"])
}

@Test func legendBoxIsMeasuredInFontSizes() throws {
    var fig = Figure(widthInches: 4, heightInches: 3)
    fig.axes[0].x = fixedAxis(0, 1)
    fig.axes[0].y = fixedAxis(0, 1)
    fig.axes[0].marks = [.line(LineMark(x: [0, 1], y: [0, 1], label: "abcd"))]
    fig.axes[0].legend = Legend(loc: 2)
    let a = FigureLayout.compute(fig, measurer: FixedMeasurer()).axes[0]
    let l = try #require(a.legend)
    // width: 2 × 0.4 pad + 2.0 handle + 0.8 sep + text (4 × 6); height: 2 × 0.4 + 1 em.
    #expect(abs(l.frame.width - (8 + 20 + 8 + 24)) < 1e-9)
    #expect(abs(l.frame.height - (8 + 10)) < 1e-9)
    #expect(abs(l.frame.x - (a.box.x + 5)) < 1e-9)
    #expect(abs(l.frame.maxY - (a.box.maxY - 5)) < 1e-9)
}

@Test func boxHelpers() {
    let a = Box(x: 0, y: 0, width: 1, height: 1)
    let b = Box(x: 2, y: -1, width: 1, height: 1)
    #expect(a.union(b) == Box(x: 0, y: -1, width: 3, height: 2))
    #expect(a.padded(1) == Box(x: -1, y: -1, width: 3, height: 3))
    #expect(Box.union([]) == nil)
}

@Test func rotatedTextBoxesFollowMatplotlib() {
    let m = FixedMeasurer()
    // 4 characters at 10 pt: 24 × 10, descent 2.5.
    let r90 = PlacedText(
        "abcd", x: 100, y: 50, fontSize: 10, color: .black, horizontalAlignment: .right, verticalAlignment: .center,
        rotation: 90, measurer: m)
    #expect(r90.box == Box(x: 90, y: 38, width: 10, height: 24))
    let r45 = PlacedText(
        "abcd", x: 0, y: 0, fontSize: 10, color: .black, horizontalAlignment: .center, verticalAlignment: .center,
        rotation: 45, measurer: m)
    let side = (24.0 + 10) / 2.0.squareRoot()
    #expect(abs(r45.box.width - side) < 1e-9 && abs(r45.box.height - side) < 1e-9)
    #expect(abs(r45.box.x + side / 2) < 1e-9 && abs(r45.box.y + side / 2) < 1e-9)
    let baseline = PlacedText(
        "abcd", x: 0, y: 0, fontSize: 10, color: .black, horizontalAlignment: .left, verticalAlignment: .baseline,
        measurer: m)
    #expect(baseline.box == Box(x: 0, y: -2.5, width: 24, height: 10))
    #expect(baseline.originX == 0 && baseline.originY == 7.5)
}
