import CCairo
import FigureTesting
import Testing

@testable import CairoBackend
@testable import FigureModel

/// Bars on Agg's pixel grid: matplotlib snaps a rectangle's corners to
/// whole pixels and rounds the axes' clip box to whole pixels, so a bar has
/// no half-covered column or row, even where it meets the axes' edge.
@Suite struct SnappingTests {
    /// Ten bars of width 0.8 at 0.13, 1.13, … on 0…10.2 × 0…5.3, no axis
    /// decorations, 6.4 × 4.8 in; in matplotlib (3.11.2, Agg):
    ///
    ///     fig = plt.figure(figsize=(6.4, 4.8)); ax = fig.add_subplot()
    ///     ax.bar(np.arange(10) + 0.13, np.arange(1, 11) * 0.5, width=0.8, align='edge', color='#1f77b4')
    ///     ax.set_xlim(0, 10.2); ax.set_ylim(0, 5.3); ax.set_xticks([]); ax.set_yticks([])
    ///     for s in ax.spines.values(): s.set_visible(False)
    ///     fig.savefig('bars.png', dpi=150)
    func bars() -> Figure {
        var fig = Figure(widthInches: 6.4, heightInches: 4.8)
        var ax = Axes()
        ax.marks = [
            .bars(
                BarMark(
                    positions: (0..<10).map { Double($0) + 0.13 }, values: (1...10).map { Double($0) * 0.5 },
                    widths: [0.8], align: .edge, color: "#1f77b4"))
        ]
        ax.x = Axis(lower: 0, upper: 10.2, label: "")
        ax.y = Axis(lower: 0, upper: 5.3, label: "")
        ax.axisOn = false
        fig.axes = [ax]
        return fig
    }

    @Test func barsLandOnWholePixelsAsAggDrawsThem() throws {
        let png = try CairoBackend.render(bars(), format: .png, dpi: 150)
        let (w, h, px) = try #require(decodePNG(png))
        #expect(w == 960 && h == 720)
        let face: UInt32 = 0xFF1F_77B4
        let white: UInt32 = 0xFFFF_FFFF
        // Only the face and the background inside the axes: no half-tone pixel anywhere.
        var others = 0
        for y in 100..<645 { for x in 100..<900 where px[y * w + x] != face && px[y * w + x] != white { others += 1 } }
        #expect(others == 0)
        // The bars' columns, on a row every bar covers.
        var columns: [(Int, Int)] = []
        var start: Int? = nil
        for x in 0..<w {
            let isFace = px[638 * w + x] == face
            if isFace, start == nil { start = x }
            if !isFace, let s = start {
                columns.append((s, x))
                start = nil
            }
        }
        // matplotlib 3.11.2 (Agg) draws the same figure with these columns [x0, x1) …
        let agg = [
            (129, 188), (202, 261), (275, 334), (348, 407), (421, 480), (494, 553), (567, 625), (640, 698),
            (713, 771), (786, 844),
        ]
        #expect(columns.map(\.0) == agg.map(\.0))
        #expect(columns.map(\.1) == agg.map(\.1))
        // … and these rows, the bottom one ending on the axes' rounded edge (640.8 px → 641).
        let aggTops = [588, 536, 484, 432, 379, 327, 275, 222, 170, 118]
        for ((x0, x1), top) in zip(columns, aggTops) {
            let x = (x0 + x1) / 2
            let rows = (0..<h).filter { px[$0 * w + x] == face }
            #expect(rows.first == top)
            #expect(rows.last == 640)
            #expect(rows.count == 640 - top + 1)
        }
        // Every bar is 0.8 × 150 × 6.4 × 0.775 / 10.2 = 58.4 px wide: 58 or 59 whole pixels.
        #expect(columns.allSatisfy { (58...59).contains($0.1 - $0.0) })
    }
}
