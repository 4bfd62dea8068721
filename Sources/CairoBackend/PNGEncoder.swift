import CCairo
import CZlib

/// Writes a Cairo ARGB32 image surface as a PNG, faster than
/// `cairo_surface_write_to_png` (libpng's adaptive filters and zlib level 6
/// took half of a figure's render time): one filter for every row and a fast
/// zlib level. The same pixels always give the same bytes.
///
/// An opaque image (every alpha 255, as every figure with a face color is)
/// is written as 8-bit RGB; otherwise as 8-bit RGBA with the alpha
/// un-premultiplied as Cairo does it.
///
/// The chunks before the image data are matplotlib's (Agg's `print_png`):
/// a `tEXt` `Software` entry, then `pHYs` at the resolution the figure was
/// drawn at, so that LaTeX, word processors and image viewers show the PNG at
/// its physical size. Nothing in them depends on the time or the machine.
enum PNGEncoder {
    /// zlib's speed/size trade-off: 1 (fastest) … 9 (smallest).
    static let level: Int32 = 3

    /// The `Software` text entry. matplotlib writes its name, version and
    /// address there; figpipe writes its name only: a stage's output is a pure
    /// function of its cache key, which does not hold figpipe's version, so a
    /// version here would make a cached PNG differ from a fresh one.
    static let software = "figpipe"

    /// Pixels per metre at `dpi`, as matplotlib (through Pillow) writes them
    /// in `pHYs`: `dpi / 0.0254` rounded half up; nil for a resolution that
    /// does not fit the chunk's 32-bit field.
    static func pixelsPerMetre(dpi: Double) -> UInt32? {
        let v = (dpi / 0.0254 + 0.5).rounded(.down)
        guard v.isFinite, v >= 1, v <= Double(UInt32.max) else { return nil }
        return UInt32(v)
    }

    /// The chunks written between `IHDR` and `IDAT`, as (type, body): `tEXt`
    /// `Software`, then `pHYs` (unit 1: metre) when `dpi` is given and fits.
    static func metadataChunks(dpi: Double?) -> [(type: String, body: [UInt8])] {
        var chunks: [(type: String, body: [UInt8])] = [("tEXt", Array("Software".utf8) + [0] + Array(software.utf8))]
        if let dpi, let ppm = pixelsPerMetre(dpi: dpi) {
            var body: [UInt8] = []
            appendBigEndian(&body, ppm)
            appendBigEndian(&body, ppm)
            body.append(1)
            chunks.append(("pHYs", body))
        }
        return chunks
    }

    /// Encodes `surface`; `dpi` is its resolution, written as `pHYs` (nil: none).
    static func encode(_ surface: OpaquePointer, dpi: Double? = nil) throws -> [UInt8] {
        guard let data = cairo_image_surface_get_data(surface) else {
            throw CairoBackendError.cairo(status: -1, message: "the image surface has no pixel data")
        }
        let width = Int(cairo_image_surface_get_width(surface))
        let height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let pixels = UnsafeRawPointer(data)

        var opaque = true
        for y in 0..<height where opaque {
            let row = pixels.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width where row[x] >> 24 != 0xFF {
                opaque = false
                break
            }
        }
        let channels = opaque ? 3 : 4
        let rowBytes = width * channels
        // Each row: a filter byte (2 = Up: the byte minus the one above), then the row.
        // The rows are written unfiltered first, then filtered in place from the
        // last row up (each row minus the unfiltered row above it).
        let rawStride = rowBytes + 1
        var raw = [UInt8](repeating: 0, count: rawStride * height)
        raw.withUnsafeMutableBufferPointer { buffer in
            guard let out = buffer.baseAddress else { return }
            for y in 0..<height {
                let row = pixels.advanced(by: y * stride).assumingMemoryBound(to: UInt32.self)
                let dst = out + y * rawStride + 1
                if opaque {
                    for x in 0..<width {
                        let p = row[x]
                        dst[3 * x] = UInt8(truncatingIfNeeded: p >> 16)
                        dst[3 * x + 1] = UInt8(truncatingIfNeeded: p >> 8)
                        dst[3 * x + 2] = UInt8(truncatingIfNeeded: p)
                    }
                    continue
                }
                for x in 0..<width {
                    let p = row[x]
                    let a = p >> 24
                    var r = (p >> 16) & 0xFF
                    var g = (p >> 8) & 0xFF
                    var b = p & 0xFF
                    if a != 0xFF {
                        // Cairo's unpremultiply: (c * 255 + a / 2) / a; 0 for a == 0.
                        if a == 0 {
                            (r, g, b) = (0, 0, 0)
                        } else {
                            r = (r * 255 + a / 2) / a
                            g = (g * 255 + a / 2) / a
                            b = (b * 255 + a / 2) / a
                        }
                    }
                    dst[4 * x] = UInt8(truncatingIfNeeded: r)
                    dst[4 * x + 1] = UInt8(truncatingIfNeeded: g)
                    dst[4 * x + 2] = UInt8(truncatingIfNeeded: b)
                    dst[4 * x + 3] = UInt8(truncatingIfNeeded: a)
                }
            }
            var y = height - 1
            while y >= 0 {
                let dst = out + y * rawStride
                dst[0] = 2
                if y > 0 {
                    let above = out + (y - 1) * rawStride + 1
                    for i in 0..<rowBytes { dst[1 + i] = dst[1 + i] &- above[i] }
                }
                y -= 1
            }
        }

        var compressedSize = compressBound(uLong(raw.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        let status = compressed.withUnsafeMutableBufferPointer { dst in
            raw.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &compressedSize, src.baseAddress, uLong(src.count), level)
            }
        }
        guard status == Z_OK else {
            throw CairoBackendError.cairo(status: Int(status), message: "zlib could not compress the image")
        }
        compressed.removeSubrange(Int(compressedSize)...)

        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        appendBigEndian(&header, UInt32(width))
        appendBigEndian(&header, UInt32(height))
        header += [8, opaque ? 2 : 6, 0, 0, 0]  // 8 bits, RGB/RGBA, deflate, adaptive filters, no interlace
        chunk(&png, "IHDR", header)
        for (type, body) in metadataChunks(dpi: dpi) { chunk(&png, type, body) }
        chunk(&png, "IDAT", compressed)
        chunk(&png, "IEND", [])
        return png
    }

    static func appendBigEndian(_ out: inout [UInt8], _ v: UInt32) {
        out += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }

    static func chunk(_ out: inout [UInt8], _ type: String, _ body: [UInt8]) {
        appendBigEndian(&out, UInt32(body.count))
        let typeBytes = Array(type.utf8)
        var crc = crc32(0, nil, 0)
        crc = typeBytes.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        crc = body.withUnsafeBufferPointer { crc32(crc, $0.baseAddress, uInt($0.count)) }
        out += typeBytes
        out += body
        appendBigEndian(&out, UInt32(truncatingIfNeeded: crc))
    }
}
