import FigpipeBasics
import CCairo
import Foundation

/// The four faces of DejaVu Sans the back end draws with.
enum FontStyle: Int, Hashable, Sendable {
    case regular
    case oblique
    case bold
    case boldOblique

    var slant: cairo_font_slant_t {
        self == .oblique || self == .boldOblique ? CAIRO_FONT_SLANT_OBLIQUE : CAIRO_FONT_SLANT_NORMAL
    }
    var weight: cairo_font_weight_t {
        self == .bold || self == .boldOblique ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL
    }
}

/// Ink and advance of a string in one face at one size, in points.
struct RunMetrics: Hashable, Sendable {
    var advance: Double
    /// Above the baseline (positive up); 0 for blank strings.
    var inkAscent: Double
    /// Below the baseline (positive down).
    var inkDescent: Double
}

/// Font faces and measurements, shared by every measurer and renderer.
///
/// Fonts are found through fontconfig (cairo's "toy" font faces with family
/// "DejaVu Sans") and measured with hinting off (hint style none, hint
/// metrics off, gray antialiasing), so a layout does not depend on the
/// output's resolution and the PNG and the PDF share it.
final class FontBook: Sendable {
    static let shared = FontBook()

    /// DejaVu Sans's OS/2 typographic ascender and descender (1556 and 492
    /// of 2048 units): matplotlib 3.11's minimum line ascent and descent.
    static let minAscent = 1556.0 / 2048
    static let minDescent = 492.0 / 2048
    /// The OS/2 line gap (410 units), added between the lines of multi-line text.
    static let lineGap = 410.0 / 2048

    let family: String
    private let faces = Locked<[FontStyle: CairoHandle]>([:])
    private let metricsCache = Locked<[MetricsKey: RunMetrics]>([:])
    /// cairo_font_options_t with hinting off.
    private let fontOptions: CairoHandle
    var options: OpaquePointer? { fontOptions.pointer }

    /// A cairo object that is never changed after it is made (font options, a
    /// font face): cairo reference-counts such objects thread-safely, so any
    /// thread may use it. The one exemption from checked sendability here.
    private struct CairoHandle: @unchecked Sendable {
        let pointer: OpaquePointer?
    }

    private struct MetricsKey: Hashable {
        var text: String
        var style: FontStyle
        var size: Double
    }

    private init(family: String = "DejaVu Sans") {
        self.family = family
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        self.fontOptions = CairoHandle(pointer: options)
    }

    /// The cairo font face for `style` (owned by the book, never freed: the
    /// book lives as long as the process).
    func face(_ style: FontStyle) -> OpaquePointer? {
        let family = self.family
        return faces.withLock { faces in
            if let f = faces[style] { return f }
            let f = CairoHandle(pointer: cairo_toy_font_face_create(family, style.slant, style.weight))
            faces[style] = f
            return f
        }.pointer
    }

    /// Advance and ink extents of `text` in `style` at `size` points.
    func metrics(_ text: String, style: FontStyle, size: Double) -> RunMetrics {
        let key = MetricsKey(text: text, style: style, size: size)
        if let m = metricsCache.withLock({ $0[key] }) { return m }
        let m = measureUncached(text, style: style, size: size)
        metricsCache.withLock { $0[key] = m }
        return m
    }

    private func measureUncached(_ text: String, style: FontStyle, size: Double) -> RunMetrics {
        guard !text.isEmpty, let face = face(style) else { return RunMetrics(advance: 0, inkAscent: 0, inkDescent: 0) }
        var fontMatrix = cairo_matrix_t()
        var ctm = cairo_matrix_t()
        cairo_matrix_init_scale(&fontMatrix, size, size)
        cairo_matrix_init_identity(&ctm)
        guard let scaled = cairo_scaled_font_create(face, &fontMatrix, &ctm, options) else {
            return RunMetrics(advance: 0, inkAscent: 0, inkDescent: 0)
        }
        defer { cairo_scaled_font_destroy(scaled) }
        var e = cairo_text_extents_t()
        cairo_scaled_font_text_extents(scaled, text, &e)
        if e.width == 0 && e.height == 0 {
            return RunMetrics(advance: e.x_advance, inkAscent: 0, inkDescent: 0)
        }
        return RunMetrics(advance: e.x_advance, inkAscent: -e.y_bearing, inkDescent: e.height + e.y_bearing)
    }
}
