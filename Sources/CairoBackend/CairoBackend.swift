import CCairo
import FigureModel
import Foundation

/// Draws a `Figure` to PNG, PDF or SVG through Cairo, byte-reproducibly.
public enum CairoBackend {
    /// Output formats.
    public enum Format: String, Sendable, CaseIterable {
        case png
        case pdf
        case svg
    }

    /// The largest image side Cairo draws, in pixels.
    public static let maxPixels: Double = 32767

    /// The measurer the layout uses for figures drawn by this back end, on
    /// the pixel grid of matplotlib's default `figure.dpi` (100).
    public static let measurer = CairoTextMeasurer()

    /// The measurer for figures drawn as PNGs at `dpi`: text measured and
    /// placed as matplotlib's Agg back end does at that resolution.
    public static func measurer(dpi: Double) -> CairoTextMeasurer { CairoTextMeasurer(dpi: dpi) }

    /// Text measured as a browser measures it for plotly.js's layout: the
    /// font's own advances, on a grid so fine that hinting moves nothing.
    public static let browserMeasurer = CairoTextMeasurer(dpi: 7200)

    /// Lays `figure` out and draws it.
    ///
    /// - Parameters:
    ///   - format: PNG (raster at `dpi`), PDF or SVG (vector, in points).
    ///   - dpi: the PNG's resolution; nil = the figure's own dpi. Text is
    ///     measured on its pixel grid for every format, as one layout serves all.
    ///   - tightBBox: crop to the drawn content plus `savefig.pad_inches`,
    ///     as `savefig(bbox_inches='tight')` does.
    /// - Returns: the file's bytes; the same figure always gives the same bytes.
    /// - Throws: `CairoBackendError` when Cairo reports a failure.
    public static func render(_ figure: Figure, format: Format, dpi: Double? = nil, tightBBox: Bool = false) throws
        -> [UInt8]
    {
        let layout = FigureLayout.compute(figure, measurer: measurer(dpi: dpi ?? figure.dpi))
        return try render(layout: layout, format: format, dpi: dpi, tightBBox: tightBBox)
    }

    /// Draws an already computed layout (see `render(_:format:dpi:tightBBox:)`).
    public static func render(layout: FigureLayout, format: Format, dpi: Double? = nil, tightBBox: Bool = false)
        throws -> [UInt8]
    {
        let region = tightBBox ? layout.paddedTightBox : Box(x: 0, y: 0, width: layout.width, height: layout.height)
        let sink = ByteSink()
        let closure = Unmanaged.passUnretained(sink).toOpaque()
        switch format {
        case .png:
            let resolution = dpi ?? layout.figure.dpi
            let scale = resolution / 72
            let width = Self.wholePixels(region.width * scale)
            let height = Self.wholePixels(region.height * scale)
            // Checked as doubles first: an absurd dpi or figure size is an error, not a trap.
            guard width >= 1, height >= 1, width <= Self.maxPixels, height <= Self.maxPixels,
                let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
            else { throw CairoBackendError.invalidPixelSize(width: width, height: height, dpi: scale * 72) }
            let hpx = Int(height)
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            // Device y of figure y: the bottom of the region on the last row.
            let canvas = Canvas(
                originX: region.x, topY: region.y + Double(hpx) / scale, scale: scale, isRaster: true,
                pixelHeight: hpx)
            try draw(layout, on: surface, canvas: canvas)
            cairo_surface_flush(surface)
            return try PNGEncoder.encode(surface, dpi: resolution)
        case .pdf:
            guard let surface = cairo_pdf_surface_create_for_stream(writeToSink, closure, region.width, region.height)
            else { throw CairoBackendError.invalidSize(width: region.width, height: region.height) }
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            let date = pdfDate()
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, date)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "figpipe")
            let canvas = Canvas(originX: region.x, topY: region.maxY, scale: 1, isRaster: false)
            try draw(layout, on: surface, canvas: canvas)
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface))
        case .svg:
            guard let surface = cairo_svg_surface_create_for_stream(writeToSink, closure, region.width, region.height)
            else { throw CairoBackendError.invalidSize(width: region.width, height: region.height) }
            defer { cairo_surface_destroy(surface) }
            try check(cairo_surface_status(surface))
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT)
            let canvas = Canvas(originX: region.x, topY: region.maxY, scale: 1, isRaster: false)
            try draw(layout, on: surface, canvas: canvas)
            cairo_surface_finish(surface)
            try check(cairo_surface_status(surface))
            // cairo numbers SVG surfaces with a process-wide counter.
            return renumberSurfaceIDs(sink.bytes)
        }
        return sink.bytes
    }

    /// The whole pixels of a side of `pixels`: rounded down, as Agg truncates
    /// the canvas size, after forgiving the rounding error of converting
    /// through points (a side matplotlib computes as 397.00000000000006 px
    /// arrives here as 396.99999999999994).
    static func wholePixels(_ pixels: Double) -> Double { (pixels + 1e-7).rounded(.down) }

    /// Renumbers cairo's `surfaceN` ids in order of appearance, so that an
    /// SVG does not depend on how many surfaces the process made before.
    static func renumberSurfaceIDs(_ bytes: [UInt8]) -> [UInt8] {
        let key = Array("surface".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var map: [ArraySlice<UInt8>: Int] = [:]
        var i = 0
        while i < bytes.count {
            if bytes[i] == key[0], i + key.count < bytes.count, bytes[i..<(i + key.count)].elementsEqual(key) {
                var j = i + key.count
                while j < bytes.count, (0x30...0x39).contains(bytes[j]) { j += 1 }
                if j > i + key.count {
                    let digits = bytes[(i + key.count)..<j]
                    let n = map[digits] ?? (map.count + 1)
                    map[digits] = n
                    out += key
                    out += Array(String(n).utf8)
                    i = j
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return out
    }

    /// `SOURCE_DATE_EPOCH` as a PDF date, else 1970-01-01.
    static func pdfDate() -> String {
        var seconds: Int = 0
        if let s = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let v = Int(s) { seconds = v }
        let date = Date(timeIntervalSince1970: TimeInterval(seconds))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        // ISO 8601, as cairo_pdf_surface_set_metadata expects.
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year ?? 1970, c.month ?? 1, c.day ?? 1, c.hour ?? 0,
            c.minute ?? 0, c.second ?? 0)
    }

    static func check(_ status: cairo_status_t) throws {
        if status != CAIRO_STATUS_SUCCESS {
            let message = cairo_status_to_string(status).map { String(cString: $0) } ?? "unknown"
            throw CairoBackendError.cairo(status: Int(status.rawValue), message: message)
        }
    }

    static func draw(_ layout: FigureLayout, on surface: OpaquePointer, canvas: Canvas) throws {
        guard let cr = cairo_create(surface) else { throw CairoBackendError.cairo(status: -1, message: "cairo_create") }
        defer { cairo_destroy(cr) }
        try check(cairo_status(cr))
        cairo_scale(cr, canvas.scale, canvas.scale)
        cairo_set_font_options(cr, FontBook.shared.options)
        var painter = Painter(cr: cr, canvas: canvas, theme: layout.figure.theme, textDPI: layout.textDPI)
        painter.drawFigure(layout)
        try check(cairo_status(cr))
    }
}

/// What can go wrong while rendering.
public enum CairoBackendError: Error, Equatable, CustomStringConvertible {
    /// Cairo reported a failure (`cairo_status_t` and its description).
    case cairo(status: Int, message: String)
    /// The requested output has no pixels or is too large.
    case invalidSize(width: Double, height: Double)
    /// A PNG would have no pixels, or more than Cairo's 32767 a side.
    case invalidPixelSize(width: Double, height: Double, dpi: Double)

    public var description: String {
        switch self {
        case .cairo(let status, let message): return "cairo error \(status): \(message)"
        case .invalidSize(let w, let h): return "invalid output size \(w) × \(h) pt"
        case .invalidPixelSize(let w, let h, let dpi):
            return
                "a PNG of \(String(format: "%g", w)) × \(String(format: "%g", h)) px at \(String(format: "%g", dpi)) dpi is outside 1 … 32767 px a side (lower the dpi)"
        }
    }
}

/// Collects the bytes Cairo writes.
final class ByteSink {
    var bytes: [UInt8] = []
}

private func writeToSink(_ closure: UnsafeMutableRawPointer?, _ data: UnsafePointer<UInt8>?, _ length: UInt32)
    -> cairo_status_t
{
    guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(length)))
    return CAIRO_STATUS_SUCCESS
}

/// Figure points (y up) to the surface's user space (points, y down).
struct Canvas {
    var originX: Double
    var topY: Double
    var scale: Double
    var isRaster: Bool
    /// A raster surface's height in pixels (0 for vector output).
    var pixelHeight: Int = 0

    func x(_ x: Double) -> Double { x - originX }
    func y(_ y: Double) -> Double { topY - y }
}
