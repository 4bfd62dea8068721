import Foundation
import Testing

@testable import CairoBackend

/// What `make_raster_fixtures.py` recorded from matplotlib's Agg back end.
struct RasterFixtures: Decodable {
    struct Glyph: Decodable {
        var face: String
        var size: Double
        var index: UInt32
        var x: Double
        var y: Double
    }
    struct Formula: Decodable {
        var text: String
        var size: Double
        var dpi: Double
        var bold: Bool
        var width: Double
        var height: Double
        var depth: Double
        var glyphs: [Glyph]
        var rects: Int
    }
    struct Bitmap: Decodable {
        var face: String
        var index: UInt32
        var size: Double
        var dpi: Double
        var matrix: [Int]
        var origin: [Int]
        var left: Int
        var top: Int
        var width: Int
        var rows: Int
        var coverage: String

        var bytes: [UInt8] {
            var out: [UInt8] = []
            var it = coverage.makeIterator()
            while let hi = it.next(), let lo = it.next(), let v = UInt8(String([hi, lo]), radix: 16) { out.append(v) }
            return out
        }
    }
    var matplotlib: String
    var freetype: String
    var mathtext: [Formula]
    var glyphs: [Bitmap]

    static func load() throws -> RasterFixtures {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/raster_fixtures", withExtension: "json"))
        return try JSONDecoder().decode(RasterFixtures.self, from: Data(contentsOf: url))
    }

    static func style(_ face: String) -> FontStyle? {
        ["regular": .regular, "oblique": .oblique, "bold": .bold, "boldOblique": .boldOblique][face]
    }
}

/// Glyph bitmaps as Agg gets them from FreeType (matplotlib's own FreeType
/// 2.14.3; this build links the system's): 288 glyphs in two faces, at
/// fractional origins, turned by 0°, 30° and 90°.
@Test func glyphBitmapsMatchMatplotlib() throws {
    let fixtures = try RasterFixtures.load()
    var worst = 0
    for g in fixtures.glyphs {
        let style = try #require(RasterFixtures.style(g.face))
        let m = FixedMatrix(xx: g.matrix[0], xy: g.matrix[1], yx: g.matrix[2], yy: g.matrix[3])
        let b = try #require(
            FontBook.shared.rasterize(
                glyph: g.index, style: style, size: g.size, dpi: g.dpi, matrix: m, origin: (g.origin[0], g.origin[1])))
        let label = "\(g.face) #\(g.index) \(g.size)pt \(g.dpi)dpi \(g.matrix) \(g.origin)"
        #expect(b.left == g.left && b.top == g.top && b.width == g.width && b.rows == g.rows, "\(label)")
        guard b.coverage.count == g.width * g.rows else { continue }
        worst = max(worst, zip(b.coverage, g.bytes).map { abs(Int($0) - Int($1)) }.max() ?? 0)
    }
    // Identical coverage: FreeType's smooth rasterizer and TrueType hinting
    // agree between the two versions.
    #expect(worst == 0)
}

/// mathtext as Agg lays it out (`MathTextParser('path')`): the box in whole
/// pixels and every glyph's face, size and offset.
@Test func mathtextMatchesMatplotlib() throws {
    let fixtures = try RasterFixtures.load()
    for f in fixtures.mathtext where f.rects == 0 {
        let line = TextShaper.shape(f.text, size: f.size, bold: f.bold, dpi: f.dpi)
        let px = f.dpi / 72
        let label = "\(f.text) \(f.size)pt \(f.dpi)dpi\(f.bold ? " bold" : "")"
        #expect(abs(line.width * px - f.width) < 1e-6, "\(label): width \(line.width * px) vs \(f.width)")
        #expect(
            abs((line.inkAscent + line.inkDescent) * px - f.height) < 1e-6,
            "\(label): height \((line.inkAscent + line.inkDescent) * px) vs \(f.height)")
        #expect(abs(line.inkDescent * px - f.depth) < 1e-6, "\(label): depth \(line.inkDescent * px) vs \(f.depth)")
        try #require(
            line.runs.count == f.glyphs.count, "\(label): \(line.runs.map(\.text)) vs \(f.glyphs.count) glyphs")
        for (run, g) in zip(line.runs, f.glyphs) {
            let index = FontBook.shared.metrics(run.text, style: run.style, size: run.size, dpi: nil).glyphs.first?
                .index
            #expect(run.style == RasterFixtures.style(g.face) && index == g.index, "\(label): \(run.text)")
            #expect(abs(run.size - g.size) < 1e-9, "\(label): \(run.text) size \(run.size) vs \(g.size)")
            #expect(
                abs(run.x * px - g.x) < 1e-6 && abs(run.y * px - g.y) < 1e-6,
                "\(label): \(run.text) at (\(run.x * px), \(run.y * px)) vs (\(g.x), \(g.y))")
        }
    }
}
