import CairoBackend
import Testing

@testable import Review

@Suite struct PixelDiffTests {
    static let white: UInt32 = 0xFFFF_FFFF

    @Test func rmsIsMatplotlibsOverRGB() throws {
        let old = try #require(encodePNG(width: 2, height: 2, pixels: Array(repeating: Self.white, count: 4)))
        // One pixel loses all its red: one channel of twelve differs by 255.
        let new = try #require(
            encodePNG(width: 2, height: 2, pixels: [Self.white, Self.white, 0xFF00_FFFF, Self.white]))
        let result = PixelDiff.compare(old, new)
        let rms = try #require(result.rms)
        #expect(abs(rms - (255.0 * 255.0 / 12).squareRoot()) < 1e-9)
        #expect(result.changedPixels == 1)
        let png = try #require(result.differenceImage)
        let image = try #require(decodePNG(png))
        #expect(image.width == 2 && image.height == 2)
        #expect(image.pixels[2] == 0xFFFF_0000)  // the changed pixel, full red
        #expect(image.pixels[0] == 0xFFFF_FFFF)  // white stays white
    }

    @Test func differentSizesHaveNoRMS() throws {
        let old = try #require(encodePNG(width: 2, height: 1, pixels: [Self.white, Self.white]))
        let new = try #require(encodePNG(width: 1, height: 2, pixels: [Self.white, Self.white]))
        let result = PixelDiff.compare(old, new)
        #expect(result.rms == nil)
        #expect(result.oldSize?.width == 2 && result.newSize?.width == 1)
        #expect(result.differenceImage == nil)
    }
}
