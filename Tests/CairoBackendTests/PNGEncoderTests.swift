import CCairo
import Testing

@testable import CairoBackend

/// The PNG writer: Cairo's own PNG reader gets back exactly the pixels drawn.
@Suite struct PNGEncoderTests {
    /// Draws a small image: an opaque or half-transparent background and some shapes.
    func image(opaque: Bool) -> OpaquePointer? {
        guard let s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 37, 23), let cr = cairo_create(s) else {
            return nil
        }
        defer { cairo_destroy(cr) }
        if opaque {
            cairo_set_source_rgb(cr, 1, 1, 1)
        } else {
            cairo_set_source_rgba(cr, 0.2, 0.4, 0.6, 0.5)
        }
        cairo_paint(cr)
        cairo_set_source_rgba(cr, 0.9, 0.1, 0.1, opaque ? 1 : 0.3)
        cairo_arc(cr, 18, 11, 8, 0, 6.3)
        cairo_fill(cr)
        cairo_set_source_rgb(cr, 0, 0.5, 0)
        cairo_rectangle(cr, 2, 2, 5, 19)
        cairo_fill(cr)
        cairo_surface_flush(s)
        return s
    }

    /// Decodes PNG bytes with Cairo and returns (width, height, pixels as unpremultiplied-independent ARGB32).
    func decode(_ png: [UInt8]) -> (Int, Int, [UInt32])? {
        final class Reader {
            var bytes: [UInt8]
            var offset = 0
            init(_ b: [UInt8]) { bytes = b }
        }
        let reader = Reader(png)
        let read: cairo_read_func_t = { closure, data, length in
            guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
            let r = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
            let n = Int(length)
            guard r.offset + n <= r.bytes.count else { return CAIRO_STATUS_READ_ERROR }
            for i in 0..<n { data[i] = r.bytes[r.offset + i] }
            r.offset += n
            return CAIRO_STATUS_SUCCESS
        }
        guard let s = cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())
        else { return nil }
        defer { cairo_surface_destroy(s) }
        guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
        return (Int(cairo_image_surface_get_width(s)), Int(cairo_image_surface_get_height(s)), pixels(s))
    }

    func pixels(_ s: OpaquePointer) -> [UInt32] {
        let w = Int(cairo_image_surface_get_width(s))
        let h = Int(cairo_image_surface_get_height(s))
        let stride = Int(cairo_image_surface_get_stride(s))
        guard let data = cairo_image_surface_get_data(s) else { return [] }
        var out: [UInt32] = []
        for y in 0..<h {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<w { out.append(row[x]) }
        }
        return out
    }

    @Test func opaqueImagesRoundTripExactlyAsRGB() throws {
        let s = try #require(image(opaque: true))
        defer { cairo_surface_destroy(s) }
        let png = try PNGEncoder.encode(s)
        #expect(png[25] == 2)  // IHDR color type: RGB
        let (w, h, px) = try #require(decode(png))
        #expect(w == 37 && h == 23)
        #expect(px == pixels(s))
        #expect(try PNGEncoder.encode(s) == png)
    }

    @Test func transparentImagesKeepTheirAlpha() throws {
        let s = try #require(image(opaque: false))
        defer { cairo_surface_destroy(s) }
        let png = try PNGEncoder.encode(s)
        #expect(png[25] == 6)  // RGBA
        let (_, _, px) = try #require(decode(png))
        let original = pixels(s)
        #expect(px.count == original.count)
        // Premultiplied channels survive un-premultiplying and re-premultiplying to within one step.
        var worst = 0
        for (a, b) in zip(px, original) {
            for k in 0..<4 {
                let ca = Int((a >> UInt32(8 * k)) & 0xFF)
                let cb = Int((b >> UInt32(8 * k)) & 0xFF)
                worst = max(worst, abs(ca - cb))
            }
        }
        #expect(worst <= 1)
    }
}
