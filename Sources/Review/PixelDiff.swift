import CairoBackend

/// Two PNGs of a figure compared pixel by pixel.
public struct PixelComparison: Sendable, Equatable {
    public var oldSize: (width: Int, height: Int)?
    public var newSize: (width: Int, height: Int)?
    /// matplotlib's `calculate_rms` over RGB on the 0–255 scale; nil when the sizes differ.
    public var rms: Double?
    /// How many pixels differ.
    public var changedPixels: Int
    /// The difference image (PNG): the new figure faded to grey, every
    /// differing pixel in red, darker the larger its difference; nil when
    /// the sizes differ.
    public var differenceImage: [UInt8]?

    public static func == (a: PixelComparison, b: PixelComparison) -> Bool {
        a.oldSize?.width == b.oldSize?.width && a.oldSize?.height == b.oldSize?.height
            && a.newSize?.width == b.newSize?.width && a.newSize?.height == b.newSize?.height && a.rms == b.rms
            && a.changedPixels == b.changedPixels && a.differenceImage == b.differenceImage
    }
}

public enum PixelDiff {
    public static func compare(_ old: [UInt8], _ new: [UInt8]) -> PixelComparison {
        let a = decodePNG(old)
        let b = decodePNG(new)
        var result = PixelComparison(
            oldSize: a.map { ($0.width, $0.height) }, newSize: b.map { ($0.width, $0.height) }, rms: nil,
            changedPixels: 0, differenceImage: nil)
        guard let a, let b, let rms = pixelRMS(a, b) else { return result }
        result.rms = rms
        var pixels: [UInt32] = []
        pixels.reserveCapacity(b.pixels.count)
        for (p, q) in zip(a.pixels, b.pixels) {
            if p == q {
                // The unchanged figure, faded: a quarter of its grey over white.
                let grey = (Int((q >> 16) & 0xFF) * 3 + Int((q >> 8) & 0xFF) * 6 + Int(q & 0xFF)) / 10
                let v = UInt32(255 - (255 - grey) / 4)
                pixels.append(0xFF00_0000 | v << 16 | v << 8 | v)
            } else {
                result.changedPixels += 1
                var largest = 0
                for shift in [16, 8, 0] as [UInt32] {
                    largest = max(largest, abs(Int((p >> shift) & 0xFF) - Int((q >> shift) & 0xFF)))
                }
                // Every difference shows (at least a light red); the largest are full red.
                let fade = UInt32(200 - min(largest, 255) * 200 / 255)
                pixels.append(0xFFFF_0000 | fade << 8 | fade)
            }
        }
        result.differenceImage = encodePNG(width: b.width, height: b.height, pixels: pixels)
        return result
    }
}
