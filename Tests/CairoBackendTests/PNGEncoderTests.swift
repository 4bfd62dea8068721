import CCairo
import FigureTesting
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

    @Test func opaqueImagesRoundTripExactlyAsRGB() throws {
        let s = try #require(image(opaque: true))
        defer { cairo_surface_destroy(s) }
        let png = try PNGEncoder.encode(s)
        #expect(png[25] == 2)  // IHDR color type: RGB
        let (w, h, px) = try #require(decodePNG(png))
        #expect(w == 37 && h == 23)
        #expect(px == surfacePixels(s))
        #expect(try PNGEncoder.encode(s) == png)
    }

    @Test func transparentImagesKeepTheirAlpha() throws {
        let s = try #require(image(opaque: false))
        defer { cairo_surface_destroy(s) }
        let png = try PNGEncoder.encode(s)
        #expect(png[25] == 6)  // RGBA
        let (_, _, px) = try #require(decodePNG(png))
        let original = surfacePixels(s)
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
