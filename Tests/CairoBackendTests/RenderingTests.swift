import Foundation
import Testing

@testable import CairoBackend
@testable import FigureModel

/// The fixtures `make_text_fixtures.py` wrote from matplotlib.
struct TextFixtures: Decodable {
    struct Measure: Decodable {
        var text: String
        var size: Double
        var width: Double
        var height: Double
        var descent: Double
    }
    struct Tight: Decodable {
        var size_inches: [Double]
        var positions: [[Double]]
        var png_size: [Int]
    }
    /// Agg's `get_text_width_height_descent`, in pixels at `dpi`.
    struct Pixels: Decodable {
        var text: String
        var size: Double
        var bold: Bool
        var dpi: Double
        var width: Double
        var height: Double
        var descent: Double
    }
    var text: [Measure]
    var pixels: [Pixels]
    var tight2x1: Tight

    static func load() throws -> TextFixtures {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/text_fixtures", withExtension: "json"))
        return try JSONDecoder().decode(TextFixtures.self, from: Data(contentsOf: url))
    }
}

/// The width and height of a PNG from its IHDR chunk.
func pngSize(_ bytes: [UInt8]) -> (Int, Int) {
    func be32(_ o: Int) -> Int { bytes[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (be32(16), be32(20))
}

@Test(arguments: CairoBackend.Format.allCases)
func renderingIsByteReproducible(format: CairoBackend.Format) throws {
    for (_, fig) in SampleFigures.all.prefix(3) {
        let a = try CairoBackend.render(fig, format: format, dpi: 72, tightBBox: true)
        let b = try CairoBackend.render(fig, format: format, dpi: 72, tightBBox: true)
        #expect(!a.isEmpty)
        let same = a == b
        #expect(same, "two renders differ")
    }
}

@Test func pdfHasNoCreationTimeButTheEpoch() throws {
    let pdf = try CairoBackend.render(SampleFigures.fig3(), format: .pdf)
    let text = String(decoding: pdf, as: UTF8.self)
    #expect(text.contains("/CreationDate (19700101000000Z)") || text.contains("/CreationDate (D:19700101000000Z)"))
}

/// The sizes of matplotlib's `savefig(..., dpi=150, bbox_inches='tight')` PNGs
/// (/work/ref/compression/figures). fig4's and fig5's depend on the tick
/// labels the scales port chooses, so only the others are compared.
@Test(arguments: [("fig1", 1494, 703), ("fig2", 1183, 1403), ("fig3", 1146, 646)])
func tightPNGSizeMatchesMatplotlib(name: String, width: Int, height: Int) throws {
    let fig = try #require(SampleFigures.all.first { $0.0 == name }?.1)
    let png = try CairoBackend.render(fig, format: .png, dpi: 150, tightBBox: true)
    let (w, h) = pngSize(png)
    #expect(abs(w - width) <= 6, "width \(w) vs \(width)")
    #expect(abs(h - height) <= 6, "height \(h) vs \(height)")
}

@Test func untightPNGIsTheFigureSizeAtTheDPI() throws {
    let png = try CairoBackend.render(SampleFigures.fig3(), format: .png, dpi: 100)
    let (w, h) = pngSize(png)
    #expect(w == 900 && h == 450)
}

@Test func pdfEmbedsTrueTypeNotType3() throws {
    var fig = SampleFigures.fig3()
    fig.axes[0].title = "$\\Delta H$ vs $\\eta$: 10$^{-3}$ ± 2 · 10$^{2}$, β₁ → ∞"
    let pdf = try CairoBackend.render(fig, format: .pdf)
    let text = String(decoding: pdf, as: UTF8.self)
    #expect(!text.contains("/Type3"))
    #expect(!text.contains("/Subtype /Type3"))
    #expect(text.contains("/FontFile2") || text.contains("/CIDFontType2"))
}

@Test func svgIsWritten() throws {
    let svg = try CairoBackend.render(SampleFigures.fig2(), format: .svg)
    let text = String(decoding: svg, as: UTF8.self)
    #expect(text.contains("<svg"))
    #expect(text.contains("</svg>"))
}

/// Plain text against matplotlib's Agg at 100–240 dpi, regular and bold:
/// width, height and descent exact (to the 1/64 pixel Agg works in).
@Test func textPixelsMatchMatplotlibExactly() throws {
    let fixtures = try TextFixtures.load()
    var mismatches: [String] = []
    for f in fixtures.pixels {
        let m = FontBook.shared.metrics(f.text, style: f.bold ? .bold : .regular, size: f.size, dpi: f.dpi)
        let k = f.dpi / 72
        let (w, h, d) = (m.advance * k, (m.inkAscent + m.inkDescent) * k, m.inkDescent * k)
        if abs(w - f.width) > 1e-9 || abs(h - f.height) > 1e-9 || abs(d - f.descent) > 1e-9 {
            mismatches.append(
                "\(f.text) @\(f.size)pt bold=\(f.bold) \(f.dpi)dpi: \(w) \(h) \(d) vs \(f.width) \(f.height) \(f.descent)"
            )
        }
    }
    #expect(
        mismatches.isEmpty, "\(mismatches.count) of \(fixtures.pixels.count):\n\(mismatches.joined(separator: "\n"))")
}

/// Widths in points at 150 dpi, through the measurer: exact.
@Test func textWidthsMatchMatplotlib() throws {
    let fixtures = try TextFixtures.load()
    let m = CairoTextMeasurer(dpi: 150)
    for f in fixtures.text where !f.text.contains("$") {
        let e = m.measure(f.text, fontSize: f.size, bold: false)
        #expect(abs(e.width - f.width) < 1e-9, "\(f.text) @\(f.size): \(e.width) vs \(f.width)")
    }
    // "Figure 1" at 12 pt: 99.640625 px at 150 dpi.
    #expect(m.measure("Figure 1", fontSize: 12, bold: false).width == 99.640625 * 72 / 150)
}

@Test func textHeightIsTheFontsAscenderPlusDescender() {
    let m = CairoTextMeasurer()
    let e = m.measure("x", fontSize: 10, bold: false)
    #expect(abs(e.height - 10) < 0.01)
    #expect(abs(e.descent - 4.92 / 2.048) < 0.01)
    let two = m.measure("a\nb", fontSize: 10, bold: false)
    #expect(two.height > 2 * e.height)
}

@Test func mathtextWidthsMatchMatplotlib() throws {
    let fixtures = try TextFixtures.load()
    let m = CairoTextMeasurer(dpi: 150)
    for f in fixtures.text where f.text.contains("$") {
        let e = m.measure(f.text, fontSize: f.size, bold: false)
        // Exactly: mathtext's box is whole pixels at the dpi. (Its height and
        // descent, before the line's minimum ascent and descent, are
        // `mathtextMatchesMatplotlib`'s.)
        #expect(abs(e.width - f.width) < 1e-9, "\(f.text) @\(f.size): \(e.width) vs \(f.width)")
    }
}

@Test func mathtextRendersSymbols() {
    let m = CairoTextMeasurer()
    let math = m.measure("$\\Delta H$", fontSize: 12, bold: false)
    let plain = m.measure("ΔH", fontSize: 12, bold: false)
    // Plain text is hinted to the 100-dpi grid, mathtext's glyphs are not.
    #expect(abs(math.width - plain.width) < 1)
    let line = TextShaper.shape("$\\alpha \\times \\beta_{1}^{2} \\leq \\infty$", size: 10, bold: false, dpi: 150)
    let text = line.runs.map(\.text).joined()
    #expect(text == "α×β21≤∞")
    // Scripts at 0.7× size, the superscript raised, the subscript lowered.
    let sup = line.runs.first { $0.text == "2" }
    let sub = line.runs.first { $0.text == "1" }
    #expect(sup?.size == 7)
    #expect((sup?.y ?? 0) > 3)
    #expect((sub?.y ?? 0) < 0)
    // \mathdefault{10^{2}}: upright digits, the exponent raised.
    let tick = TextShaper.shape("$\\mathdefault{10^{2}}$", size: 10, bold: false, dpi: 150)
    #expect(tick.runs.map(\.style) == [.regular, .regular, .regular])
    // Single letters in math italic; minus is U+2212.
    let x = TextShaper.shape("$-x$", size: 10, bold: false, dpi: 150)
    #expect(x.runs.map(\.text) == ["−", "x"])
    #expect(x.runs.last?.style == .oblique)
    // Escaped dollars are not math.
    #expect(TextShaper.splitMath("costs \\$5").count == 1)
}

/// `fig.tight_layout()` on a 2×1 figure like fig2: axes positions within a
/// couple of points of matplotlib's `ax.get_position()`.
@Test func tightLayoutMatchesMatplotlib() throws {
    let fixtures = try TextFixtures.load()
    var fig = SampleFigures.fig2()
    // Fixed ticks as matplotlib chose them, so the test does not depend on the scales port.
    for (i, (lo, step)) in [(1.40, 0.02), (1.02, 0.005)].enumerated() {
        let ticks = (0..<(i == 0 ? 8 : 9)).map { lo + Double($0) * step }
        let labels = ticks.map { String(format: i == 0 ? "%.2f" : "%.3f", $0) }
        fig.axes[i].x.ticks = ticks
        fig.axes[i].x.tickLabels = labels
        fig.axes[i].y.ticks = ticks
        fig.axes[i].y.tickLabels = labels
    }
    fig.axes[1].title = "Q4_K (n = 181) - achieved ratio vs nibble-only ceiling"
    let layout = FigureLayout.compute(fig, measurer: CairoBackend.measurer)
    let W = fig.widthInches * 72
    let H = fig.heightInches * 72
    for (a, pos) in zip(layout.axes, fixtures.tight2x1.positions) {
        #expect(abs(a.box.x - pos[0] * W) < 2, "x \(a.box.x) vs \(pos[0] * W)")
        #expect(abs(a.box.y - pos[1] * H) < 2, "y \(a.box.y) vs \(pos[1] * H)")
        #expect(abs(a.box.width - pos[2] * W) < 2, "w \(a.box.width) vs \(pos[2] * W)")
        #expect(abs(a.box.height - pos[3] * H) < 2, "h \(a.box.height) vs \(pos[3] * H)")
    }
    let png = try CairoBackend.render(layout: layout, format: .png, dpi: 150, tightBBox: true)
    let (w, h) = pngSize(png)
    #expect(abs(w - fixtures.tight2x1.png_size[0]) <= 4)
    #expect(abs(h - fixtures.tight2x1.png_size[1]) <= 4)
}

@Test func legendsFollowMatplotlibOrderAndPlacement() throws {
    // fig1: the axhline (a child) first, then the two bar containers.
    let layout = FigureLayout.compute(SampleFigures.fig1(), measurer: CairoBackend.measurer)
    let legend = try #require(layout.axes[0].legend)
    #expect(
        legend.entries.map(\.label.text) == [
            "raw bf16 (16 bits/value)", "byte 1: sign + exp_high", "byte 0: exp_low + mantissa",
        ])
    #expect(legend.loc == 4)
    // Lower right, borderaxespad 0.5 × 8 pt inside the axes.
    let box = layout.axes[0].box
    #expect(abs(legend.frame.maxX - (box.maxX - 4)) < 1e-9)
    #expect(abs(legend.frame.y - (box.y + 4)) < 1e-9)
}

@Test func bestLegendAvoidsData() throws {
    var fig = Figure(widthInches: 4, heightInches: 3)
    var ax = Axes()
    // Data crowding the upper half: 'best' goes to a lower corner.
    ax.marks = [
        .line(LineMark(x: [0, 1], y: [0.9, 0.9], label: "a")), .line(LineMark(x: [0, 1], y: [0.95, 0.95])),
    ]
    ax.x = Axis(lower: 0, upper: 1)
    ax.y = Axis(lower: 0, upper: 1)
    ax.legend = Legend(loc: 0)
    fig.axes = [ax]
    let layout = FigureLayout.compute(fig, measurer: CairoBackend.measurer)
    #expect(layout.axes[0].legend?.loc == 3)
}

/// An absurd dpi is an error naming the pixel size, not a trap in an integer
/// conversion (the issue's `"dpi": 1e9`, which killed the process with SIGILL).
@Test(arguments: [1e9, 1e300, .infinity, 1e-9])
func pngSizeOutsideCairosRangeIsAnError(_ dpi: Double) {
    #expect(throws: CairoBackendError.self) {
        _ = try CairoBackend.render(SampleFigures.fig3(), format: .png, dpi: dpi, tightBBox: true)
    }
    do {
        _ = try CairoBackend.render(SampleFigures.fig3(), format: .png, dpi: dpi, tightBBox: false)
    } catch {
        #expect("\(error)".contains("px a side (lower the dpi)"), "\(error)")
    }
}

@Test func oneLayoutServesEveryFormat() throws {
    // figure.render computes the layout once and draws every format from it:
    // the bytes are those of a render that lays the figure out itself.
    let fig = SampleFigures.fig2()
    // Its text is measured on the PNG's grid (150 dpi) for every format.
    let layout = FigureLayout.compute(fig, measurer: CairoBackend.measurer(dpi: 150))
    for format in CairoBackend.Format.allCases {
        let shared = try CairoBackend.render(layout: layout, format: format, dpi: 150, tightBBox: true)
        let own = try CairoBackend.render(fig, format: format, dpi: 150, tightBBox: true)
        #expect(shared == own, "\(format)")
    }
}
