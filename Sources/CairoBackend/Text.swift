import FigureModel

/// A laid-out (possibly multi-line) text as matplotlib's `Text._get_layout`
/// places it: every line's ascent and descent are at least the font's
/// typographic ascender and descender; lines are separated by its line gap.
struct TextBlock: Sendable {
    /// Lines with the x of their origin and the y of their baseline, both
    /// relative to the box's bottom left (y up).
    var lines: [(line: ShapedLine, x: Double, baseline: Double)]
    var width: Double
    var height: Double
    /// From the last line's baseline down to the box's bottom.
    var descent: Double

    /// Lays `text` out at `size` points, its glyphs on the pixel grid of `dpi`.
    init(_ text: String, size: Double, bold: Bool, dpi: Double, alignment: HorizontalAlignment = .left) {
        let rawLines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let shaped = rawLines.map { TextShaper.shape($0, size: size, bold: bold, dpi: dpi) }
        let gap = shaped.count > 1 ? FontBook.lineGap * size : 0
        let minA = FontBook.minAscent * size
        let minD = FontBook.minDescent * size
        var y = 0.0
        var baselines: [Double] = []
        var lastD = 0.0
        for l in shaped {
            let a = max(l.inkAscent, minA) + gap / 2
            let d = max(l.inkDescent, minD) + gap / 2
            y -= a
            baselines.append(y)
            y -= d
            lastD = d
        }
        let width = shaped.map(\.width).max() ?? 0
        let ymin = y
        self.width = width
        self.height = -ymin
        self.descent = lastD
        self.lines = zip(shaped, baselines).map { l, b in
            let x: Double
            switch alignment {
            case .left: x = 0
            case .center: x = (width - l.width) / 2
            case .right: x = width - l.width
            }
            return (l, x, b - ymin)
        }
    }

    var extent: TextExtent { TextExtent(width: width, height: height, descent: descent) }
}

/// Measures text as the Cairo back end draws it, which is as matplotlib's
/// Agg back end measures it at `dpi` (see `FontBook`); matplotlib mathtext
/// supported.
public struct CairoTextMeasurer: TextMeasurer {
    /// The resolution whose pixel grid the glyph advances are hinted to:
    /// the PNG's dpi.
    public let dpi: Double

    public init(dpi: Double = 100) { self.dpi = dpi }

    public var pixelsPerInch: Double { dpi }

    /// The extent of `text` as matplotlib's text layout reports it: the
    /// advance width, the height from the top of the first line (at least
    /// the font's ascender) to the bottom of the last (at least its
    /// descender), and the descent below the last baseline.
    public func measure(_ text: String, fontSize: Double, bold: Bool) -> TextExtent {
        TextBlock(text, size: fontSize, bold: bold, dpi: dpi).extent
    }
}
