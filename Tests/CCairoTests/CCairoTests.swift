import CCairo
import Testing

/// The Cairo shim links and draws: the back end of a later issue builds on it.
@Test func cairoDrawsIntoAnImageSurface() throws {
    let surface = try #require(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 4, 4))
    defer { cairo_surface_destroy(surface) }
    let cr = try #require(cairo_create(surface))
    cairo_set_source_rgb(cr, 1, 0, 0)
    cairo_paint(cr)
    cairo_destroy(cr)
    cairo_surface_flush(surface)
    let data = try #require(cairo_image_surface_get_data(surface))
    // ARGB32 little-endian: B, G, R, A.
    #expect(data[0] == 0 && data[1] == 0 && data[2] == 255 && data[3] == 255)
    #expect(cairo_version() >= 11_600)
}
