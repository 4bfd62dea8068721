import CCairo

// PNG decoding for what reads back what the Cairo back end wrote (the tests,
// `figpipe diff`), the pixel difference matplotlib's image comparison
// reports, and PNG encoding of plain pixels (the diff's difference images).

/// Decodes PNG bytes with Cairo: width, height, and the pixels (Cairo's
/// ARGB32, row by row); nil when Cairo cannot read them.
public func decodePNG(_ png: [UInt8]) -> (width: Int, height: Int, pixels: [UInt32])? {
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
        r.bytes.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { data.update(from: base + r.offset, count: n) }
        }
        r.offset += n
        return CAIRO_STATUS_SUCCESS
    }
    guard let s = cairo_image_surface_create_from_png_stream(read, Unmanaged.passUnretained(reader).toOpaque())
    else { return nil }
    defer { cairo_surface_destroy(s) }
    guard cairo_surface_status(s) == CAIRO_STATUS_SUCCESS else { return nil }
    return (Int(cairo_image_surface_get_width(s)), Int(cairo_image_surface_get_height(s)), surfacePixels(s))
}

/// An image surface's pixels, row by row.
public func surfacePixels(_ s: OpaquePointer) -> [UInt32] {
    let w = Int(cairo_image_surface_get_width(s))
    let h = Int(cairo_image_surface_get_height(s))
    let stride = Int(cairo_image_surface_get_stride(s))
    guard let data = cairo_image_surface_get_data(s) else { return [] }
    var out: [UInt32] = []
    out.reserveCapacity(w * h)
    for y in 0..<h {
        let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
        out.append(contentsOf: UnsafeBufferPointer(start: row, count: w))
    }
    return out
}

/// The root-mean-square difference of two images of the same size over
/// their red, green and blue channels, on the 0–255 scale
/// (`matplotlib.testing.compare.calculate_rms` of their RGB arrays); nil
/// when the sizes differ. Pixels are Cairo's ARGB32 of opaque images.
public func pixelRMS(
    _ a: (width: Int, height: Int, pixels: [UInt32]), _ b: (width: Int, height: Int, pixels: [UInt32])
) -> Double? {
    guard a.width == b.width, a.height == b.height, a.pixels.count == b.pixels.count, !a.pixels.isEmpty else {
        return nil
    }
    var sum = 0
    a.pixels.withUnsafeBufferPointer { pa in
        b.pixels.withUnsafeBufferPointer { pb in
            for i in 0..<pa.count where pa[i] != pb[i] {
                let p = pa[i]
                let q = pb[i]
                let red = Int((p >> 16) & 0xFF) - Int((q >> 16) & 0xFF)
                let green = Int((p >> 8) & 0xFF) - Int((q >> 8) & 0xFF)
                let blue = Int(p & 0xFF) - Int(q & 0xFF)
                sum += red * red + green * green + blue * blue
            }
        }
    }
    return (Double(sum) / Double(a.pixels.count * 3)).squareRoot()
}

/// Encodes opaque pixels (Cairo's ARGB32, row by row, `width × height` of
/// them) as a PNG with the back end's encoder; nil for an empty or
/// inconsistent image.
public func encodePNG(width: Int, height: Int, pixels: [UInt32]) -> [UInt8]? {
    guard width > 0, height > 0, pixels.count == width * height,
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
    else { return nil }
    defer { cairo_surface_destroy(surface) }
    cairo_surface_flush(surface)
    guard let data = cairo_image_surface_get_data(surface) else { return nil }
    let stride = Int(cairo_image_surface_get_stride(surface))
    for y in 0..<height {
        let row = UnsafeMutableRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
        for x in 0..<width { row[x] = pixels[y * width + x] }
    }
    cairo_surface_mark_dirty(surface)
    return try? PNGEncoder.encode(surface)
}
