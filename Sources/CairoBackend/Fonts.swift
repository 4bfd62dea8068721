import CCairo
import CFreeType
import FigpipeBasics
import Foundation

/// The four faces of DejaVu Sans the back end draws with.
enum FontStyle: Int, Hashable, Sendable, CaseIterable {
    case regular
    case oblique
    case bold
    case boldOblique

    /// The font file of this face in `Fonts/` (matplotlib's bundled copies).
    var fileName: String {
        switch self {
        case .regular: return "DejaVuSans.ttf"
        case .oblique: return "DejaVuSans-Oblique.ttf"
        case .bold: return "DejaVuSans-Bold.ttf"
        case .boldOblique: return "DejaVuSans-BoldOblique.ttf"
        }
    }
}

/// A glyph of a laid-out run: its index in the face and its pen position,
/// in points from the run's origin.
struct PlacedGlyph: Hashable, Sendable {
    var index: UInt32
    var x: Double
}

/// Advance, ink and glyphs of a string in one face at one size, in points.
struct RunMetrics: Hashable, Sendable {
    var advance: Double
    /// Above the baseline (positive up); 0 for blank strings.
    var inkAscent: Double
    /// Below the baseline (positive down).
    var inkDescent: Double
    /// The glyphs and their pen positions, as they are drawn.
    var glyphs: [PlacedGlyph] = []

    static let empty = RunMetrics(advance: 0, inkAscent: 0, inkDescent: 0)
}

/// Font faces and measurements, shared by every measurer and renderer.
///
/// Text is measured as matplotlib's Agg back end measures it (3.11:
/// `FT2Font.set_text` over libraqm/HarfBuzz, `text.hinting: default`): with
/// FreeType, from matplotlib's own DejaVu Sans files, at the output's
/// resolution; each glyph's advance is FreeType's hinted advance (whole
/// pixels), pairs are kerned from the font's kerning in HarfBuzz's fixed
/// point, and f-ligatures are formed. The width is the pen's final position;
/// the ascent and descent are those of the union of the hinted glyphs' control
/// boxes. Cairo draws the same glyphs at the same pen positions, unhinted.
final class FontBook: Sendable {
    static let shared = FontBook()

    /// DejaVu Sans's OS/2 typographic ascender and descender (1556 and 492
    /// of 2048 units): matplotlib 3.11's minimum line ascent and descent.
    static let minAscent = 1556.0 / 2048
    static let minDescent = 492.0 / 2048
    /// The OS/2 line gap (410 units), added between the lines of multi-line text.
    static let lineGap = 410.0 / 2048

    /// The f-ligatures DejaVu Sans's `liga` feature forms (longest first), as
    /// the code points of their presentation forms.
    static let ligatures: [(String, UInt32)] = [
        ("ffi", 0xFB03), ("ffl", 0xFB04), ("ff", 0xFB00), ("fi", 0xFB01), ("fl", 0xFB02),
    ]

    private let faces: [FontStyle: Handle]
    private let measuring: Locked<MeasuringFaces>
    private let metricsCache = Locked<[MetricsKey: RunMetrics]>([:])
    /// cairo_font_options_t with hinting off.
    private let fontOptions: Handle
    private let rasterFontOptions: Handle
    /// Vector output (PDF, SVG): glyph outlines as the font draws them, unhinted.
    var options: OpaquePointer? { fontOptions.pointer }
    /// PNGs: outlines hinted (FreeType's TrueType hinting, as matplotlib's
    /// Agg rasterizes them with `text.hinting: default`), antialiased in grey,
    /// at the pen positions measured.
    var rasterOptions: OpaquePointer? { rasterFontOptions.pointer }

    /// A cairo object that is never changed after it is made (font options, a
    /// font face): cairo reference-counts such objects thread-safely, so any
    /// thread may use it. An exemption from checked sendability.
    private struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer?
    }

    /// FreeType's library and one face per style for measuring: FreeType
    /// objects are not thread-safe, so they are used only inside the lock.
    /// (Cairo draws from faces of its own.) An exemption from checked
    /// sendability: the pointers never leave the lock.
    private struct MeasuringFaces: @unchecked Sendable {
        var library: FT_Library?
        var faces: [FontStyle: FT_Face] = [:]
    }

    private struct MetricsKey: Hashable {
        var text: String
        var style: FontStyle
        var size: Double
        var dpi: Double?
    }

    /// The folder of the bundled fonts; the system's DejaVu folder if the
    /// bundle is missing (a moved binary).
    static func fontPath(_ style: FontStyle) -> String {
        if let url = Bundle.module.url(forResource: "Fonts/" + style.fileName, withExtension: nil) {
            return url.path
        }
        return "/usr/share/fonts/truetype/dejavu/" + style.fileName
    }

    private init() {
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        self.fontOptions = Handle(pointer: options)
        let raster = cairo_font_options_create()
        cairo_font_options_set_hint_style(raster, CAIRO_HINT_STYLE_FULL)
        cairo_font_options_set_hint_metrics(raster, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(raster, CAIRO_ANTIALIAS_GRAY)
        self.rasterFontOptions = Handle(pointer: raster)

        var measuring = MeasuringFaces()
        var drawing: [FontStyle: Handle] = [:]
        var library: FT_Library?
        var drawLibrary: FT_Library?
        if FT_Init_FreeType(&library) == 0, FT_Init_FreeType(&drawLibrary) == 0 {
            measuring.library = library
            for style in FontStyle.allCases {
                let path = Self.fontPath(style)
                var face: FT_Face?
                if FT_New_Face(library, path, 0, &face) == 0, let face {
                    measuring.faces[style] = face
                }
                // Cairo's own FreeType face (cairo locks it while it uses it);
                // owned by the book, never freed: the book lives as long as the process.
                var drawFace: FT_Face?
                if FT_New_Face(drawLibrary, path, 0, &drawFace) == 0, let drawFace {
                    let cairoFace = cairo_ft_font_face_create_for_ft_face(drawFace, 0)
                    drawing[style] = Handle(pointer: cairoFace)
                }
            }
        }
        self.faces = drawing
        self.measuring = Locked(measuring)
    }

    /// The cairo font face for `style`.
    func face(_ style: FontStyle) -> OpaquePointer? { faces[style]?.pointer }

    /// Advance, ink extents and glyph positions of `text` in `style` at
    /// `size` points, hinted on the pixel grid of `dpi` as matplotlib's Agg
    /// back end measures (nil: unhinted outlines and unrounded advances, no
    /// kerning and no ligatures, for mathtext's single glyphs).
    func metrics(_ text: String, style: FontStyle, size: Double, dpi: Double?) -> RunMetrics {
        let key = MetricsKey(text: text, style: style, size: size, dpi: dpi)
        if let m = metricsCache.withLock({ $0[key] }) { return m }
        let m = measuring.withLock { state in
            guard let face = state.faces[style] else { return RunMetrics.empty }
            return Self.layout(text, face: face, size: size, dpi: dpi)
        }
        metricsCache.withLock { $0[key] = m }
        return m
    }

    /// The glyph indices of `text` in `face`, with the f-ligatures formed
    /// where the face has them (hinted layout only).
    private static func glyphIndices(_ text: String, face: FT_Face, ligatures: Bool) -> [UInt32] {
        var out: [UInt32] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        outer: while i < scalars.count {
            if ligatures && scalars[i] == "f" {
                for (sequence, code) in Self.ligatures {
                    let seq = Array(sequence.unicodeScalars)
                    guard i + seq.count <= scalars.count, Array(scalars[i..<(i + seq.count)]) == seq else { continue }
                    let index = FT_Get_Char_Index(face, FT_ULong(code))
                    if index != 0 {
                        out.append(index)
                        i += seq.count
                        continue outer
                    }
                }
            }
            out.append(FT_Get_Char_Index(face, FT_ULong(scalars[i].value)))
            i += 1
        }
        return out
    }

    /// Lays `text` out in `face` (see `metrics`). Called inside the lock.
    private static func layout(_ text: String, face: FT_Face, size: Double, dpi: Double?) -> RunMetrics {
        guard !text.isEmpty else { return .empty }
        let hinted = dpi != nil
        // Unhinted layouts are made at 72 dpi (pixels are points).
        let resolution = dpi ?? 72
        // FreeType's sizes are 26.6 points and whole dpi below 2¹⁶; outside
        // that no PNG can be drawn anyway (CairoBackend reports the size).
        guard resolution >= 1, resolution < 65536, size > 0, size < 1e6,
            FT_Set_Char_Size(face, FT_F26Dot6(size * 64), 0, FT_UInt(resolution), FT_UInt(resolution)) == 0,
            let sizeRec = face.pointee.size
        else { return .empty }
        let unitsPerEm = Int64(face.pointee.units_per_EM)
        // HarfBuzz's scale for an FT face (hb_ft_font_set_scale), and its
        // multiplier from font units to 26.6 pixels.
        let scale = (Int64(sizeRec.pointee.metrics.x_scale) * unitsPerEm + (1 << 15)) >> 16
        let multiplier = unitsPerEm > 0 ? (scale << 16) / unitsPerEm : 0
        let hasKerning = (face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING)) != 0
        let flags = hinted ? FT_Int32(FT_LOAD_DEFAULT) : FT_Int32(FT_LOAD_NO_HINTING)

        var pen: Int64 = 0
        var penExact = 0.0
        var yMin = Int64.max
        var yMax = Int64.min
        var previous: UInt32 = 0
        var glyphs: [PlacedGlyph] = []
        let pixelToPoint = 72 / resolution
        for index in glyphIndices(text, face: face, ligatures: hinted) {
            if hinted && hasKerning && previous != 0 && index != 0 {
                var delta = FT_Vector()
                if FT_Get_Kerning(face, previous, index, FT_KERNING_UNSCALED.rawValue, &delta) == 0 {
                    pen += (Int64(delta.x) * multiplier + 32768) >> 16
                }
            }
            guard FT_Load_Glyph(face, index, flags) == 0, let slot = face.pointee.glyph else { continue }
            var box = FT_BBox()
            FT_Outline_Get_CBox(&slot.pointee.outline, &box)
            yMin = min(yMin, Int64(box.yMin))
            yMax = max(yMax, Int64(box.yMax))
            let x = hinted ? Double(pen) / 64 : penExact
            glyphs.append(PlacedGlyph(index: index, x: x * pixelToPoint))
            if hinted {
                pen += Int64(slot.pointee.advance.x)
            } else {
                penExact += Double(slot.pointee.linearHoriAdvance) / 65536
            }
            previous = index
        }
        guard yMin <= yMax else { return .empty }
        let advance = (hinted ? Double(pen) / 64 : penExact) * pixelToPoint
        return RunMetrics(
            advance: advance, inkAscent: Double(yMax) / 64 * pixelToPoint,
            inkDescent: -Double(yMin) / 64 * pixelToPoint, glyphs: glyphs)
    }
}
