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
/// boxes. PDF and SVG draw the same glyphs through Cairo at the same pen
/// positions, unhinted; PNGs rasterize them here (`rasterize`), as Agg does.
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
    /// Rendered glyphs by size, transform and the origin's 1/64-pixel fraction.
    fileprivate let rasterCache = Locked<[RasterKey: GlyphBitmap?]>([:])
    /// Past this many bitmaps the cache starts afresh (a few MB).
    fileprivate static let rasterCacheLimit = 65536

    fileprivate struct RasterKey: Hashable {
        var index: UInt32
        var style: FontStyle
        var size: Double
        var dpi: Double
        var matrix: FixedMatrix
        var fractionX: Int
        var fractionY: Int
    }
    /// cairo_font_options_t with hinting off.
    private let fontOptions: Handle
    /// Vector output (PDF, SVG): glyph outlines as the font draws them, unhinted.
    var options: OpaquePointer? { fontOptions.pointer }

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

    /// Runs `body` inside the lock with the measuring face of `style` set to
    /// `size` points at `dpi` (nil if the face or the size is unusable).
    func mathFace<T: Sendable>(_ style: FontStyle, size: Double, dpi: Double, _ body: (FT_Face) -> T?) -> T? {
        measuring.withLock { state -> T? in
            guard let face = state.faces[style], dpi >= 1, dpi < 65536, size > 0, size < 1e6,
                FT_Set_Char_Size(face, FT_F26Dot6(size * 64), 0, FT_UInt(dpi), FT_UInt(dpi)) == 0
            else { return nil }
            return body(face)
        }
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

/// A glyph's coverage bitmap as FreeType renders it: `rows` × `width`
/// grey levels (0–255), its top-left pixel at column `left` and `top` pixels
/// above the baseline's row boundary (y up, FreeType's convention).
struct GlyphBitmap: Sendable, Equatable {
    var left: Int
    var top: Int
    var width: Int
    var rows: Int
    /// Row-major, `width` bytes a row.
    var coverage: [UInt8]
}

/// A 2×2 transform in FreeType's 16.16 fixed point (x' = xx·x + xy·y,
/// y' = yx·x + yy·y, y up).
struct FixedMatrix: Hashable, Sendable {
    var xx: Int
    var xy: Int
    var yx: Int
    var yy: Int

    static let identity = FixedMatrix(xx: 0x10000, xy: 0, yx: 0, yy: 0x10000)

    /// A rotation by `degrees` counter-clockwise, rounded to 16.16 as
    /// matplotlib's Agg back end rounds it (`round(0x10000 · cos)`, ties to even).
    init(rotation degrees: Double) {
        let t = degrees * Double.pi / 180
        func fixed(_ v: Double) -> Int { Int((v * 0x10000).rounded(.toNearestOrEven)) }
        self.init(xx: fixed(cos(t)), xy: fixed(-sin(t)), yx: fixed(sin(t)), yy: fixed(cos(t)))
    }

    init(xx: Int, xy: Int, yx: Int, yy: Int) {
        self.xx = xx
        self.xy = xy
        self.yx = yx
        self.yy = yy
    }
}

extension FontBook {
    /// Renders glyph `index` of `style` at `size` points on the pixel grid of
    /// `dpi`, as matplotlib 3.11's Agg back end renders each glyph of a text
    /// (`RendererAgg._draw_text_glyphs_and_boxes`): the outline loaded with
    /// FreeType's default (TrueType) hinting at that size, then turned by
    /// `matrix` and moved by `origin` (26.6 fixed-point pixels, y up), and
    /// rendered by FreeType's smooth rasterizer in 256 grey levels.
    ///
    /// Rendering is exact under whole-pixel moves, so only the origin's
    /// fraction reaches FreeType and the bitmap is moved by its whole part.
    func rasterize(
        glyph index: UInt32, style: FontStyle, size: Double, dpi: Double, matrix: FixedMatrix,
        origin: (x: Int, y: Int)
    ) -> GlyphBitmap? {
        let fraction = (x: origin.x & 63, y: origin.y & 63)
        let key = RasterKey(
            index: index, style: style, size: size, dpi: dpi, matrix: matrix, fractionX: fraction.x,
            fractionY: fraction.y)
        let cached = rasterCache.withLock { $0[key] }
        let bitmap: GlyphBitmap?
        if let cached {
            bitmap = cached
        } else {
            bitmap = measuring.withLock { state -> GlyphBitmap? in
                guard let face = state.faces[style] else { return nil }
                return Self.render(face: face, index: index, size: size, dpi: dpi, matrix: matrix, fraction: fraction)
            }
            rasterCache.withLock { cache in
                if cache.count >= Self.rasterCacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[key] = bitmap
            }
        }
        guard var out = bitmap else { return nil }
        // Floor division: origins left of or below the surface are negative.
        out.left += (origin.x - fraction.x) / 64
        out.top += (origin.y - fraction.y) / 64
        return out
    }

    /// Renders in `face` (inside the lock); the face's transform is reset after.
    private static func render(
        face: FT_Face, index: UInt32, size: Double, dpi: Double, matrix: FixedMatrix, fraction: (x: Int, y: Int)
    ) -> GlyphBitmap? {
        guard dpi >= 1, dpi < 65536, size > 0, size < 1e6,
            FT_Set_Char_Size(face, FT_F26Dot6(size * 64), 0, FT_UInt(dpi), FT_UInt(dpi)) == 0
        else { return nil }
        var m = FT_Matrix(
            xx: FT_Fixed(matrix.xx), xy: FT_Fixed(matrix.xy), yx: FT_Fixed(matrix.yx), yy: FT_Fixed(matrix.yy))
        var delta = FT_Vector(x: FT_Pos(fraction.x), y: FT_Pos(fraction.y))
        FT_Set_Transform(face, &m, &delta)
        defer { FT_Set_Transform(face, nil, nil) }
        guard FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_DEFAULT)) == 0, let slot = face.pointee.glyph,
            FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL) == 0
        else { return nil }
        let b = slot.pointee.bitmap
        let width = Int(b.width)
        let rows = Int(b.rows)
        var coverage = [UInt8](repeating: 0, count: width * rows)
        if let buffer = b.buffer, width > 0 {
            let pitch = Int(b.pitch)
            for r in 0..<rows {
                // A negative pitch stores the rows bottom-up.
                let row = pitch >= 0 ? buffer + r * pitch : buffer + (rows - 1 - r) * -pitch
                for c in 0..<width { coverage[r * width + c] = row[c] }
            }
        }
        return GlyphBitmap(
            left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top), width: width, rows: rows,
            coverage: coverage)
    }
}
