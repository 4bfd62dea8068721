import Testing

@testable import CairoBackend
@testable import FigureModel

/// One chunk of a PNG file.
struct PNGChunk {
    var type: String
    var body: [UInt8]
    var crc: UInt32
}

/// The PNG chunk CRC (ISO 3309, polynomial 0xEDB88320), computed here
/// independently of zlib's, over the chunk's type and body.
func pngCRC(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return crc ^ 0xFFFF_FFFF
}

/// Splits a PNG file into its chunks; nil when the signature or a length is wrong.
func pngChunks(_ png: [UInt8]) -> [PNGChunk]? {
    guard png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
    func be32(_ o: Int) -> UInt32 { png[o..<(o + 4)].reduce(0) { $0 << 8 | UInt32($1) } }
    var chunks: [PNGChunk] = []
    var offset = 8
    while offset < png.count {
        guard offset + 12 <= png.count else { return nil }
        let length = Int(be32(offset))
        guard offset + 12 + length <= png.count else { return nil }
        let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
        let body = Array(png[(offset + 8)..<(offset + 8 + length)])
        chunks.append(PNGChunk(type: type, body: body, crc: be32(offset + 8 + length)))
        offset += 12 + length
    }
    return chunks
}

/// Every PNG carries matplotlib's metadata chunks: the resolution (`pHYs`) and a `Software` entry.
@Suite struct PNGMetadataTests {
    @Test(arguments: [(150.0, UInt32(5906)), (100.0, UInt32(3937)), (240.0, UInt32(9449)), (72.0, UInt32(2835))])
    func renderedFiguresCarryTheirResolution(dpi: Double, pixelsPerMetre: UInt32) throws {
        let png = try CairoBackend.render(SampleFigures.fig3(), format: .png, dpi: dpi, tightBBox: true)
        let chunks = try #require(pngChunks(png))
        // matplotlib's order: IHDR, tEXt, pHYs, IDAT, IEND.
        #expect(chunks.map(\.type) == ["IHDR", "tEXt", "pHYs", "IDAT", "IEND"])
        for chunk in chunks {
            #expect(chunk.crc == pngCRC(Array(chunk.type.utf8) + chunk.body), "CRC of \(chunk.type)")
        }
        let phys = try #require(chunks.first { $0.type == "pHYs" })
        let ppm = UInt32(pixelsPerMetre)
        let expected: [UInt8] = [
            UInt8(ppm >> 24), UInt8((ppm >> 16) & 0xFF), UInt8((ppm >> 8) & 0xFF), UInt8(ppm & 0xFF),
        ]
        #expect(phys.body == expected + expected + [1])
        // What LaTeX reads back: the dpi, to within the rounding to whole pixels per metre.
        #expect(abs(Double(pixelsPerMetre) * 0.0254 - dpi) < 0.0254)
        let text = try #require(chunks.first { $0.type == "tEXt" })
        #expect(text.body == Array("Software".utf8) + [0] + Array("figpipe".utf8))
    }

    @Test func theFiguresOwnDPIIsWrittenWhenNoneIsGiven() throws {
        var figure = SampleFigures.fig3()
        figure.dpi = 200
        let chunks = try #require(pngChunks(try CairoBackend.render(figure, format: .png)))
        let phys = try #require(chunks.first { $0.type == "pHYs" })
        #expect(phys.body == [0, 0, 0x1E, 0xC2, 0, 0, 0x1E, 0xC2, 1])  // 7874 px/m
    }

    @Test func metadataIsByteReproducible() throws {
        let a = try CairoBackend.render(SampleFigures.fig1(), format: .png, dpi: 150, tightBBox: true)
        let b = try CairoBackend.render(SampleFigures.fig1(), format: .png, dpi: 150, tightBBox: true)
        #expect(a == b)
    }

    @Test func pixelsPerMetreRoundHalfUpAndStayInRange() {
        #expect(PNGEncoder.pixelsPerMetre(dpi: 150) == 5906)  // 5905.51…
        #expect(PNGEncoder.pixelsPerMetre(dpi: 100) == 3937)  // 3937.007…
        #expect(PNGEncoder.pixelsPerMetre(dpi: 0) == nil)
        #expect(PNGEncoder.pixelsPerMetre(dpi: .infinity) == nil)
        #expect(PNGEncoder.metadataChunks(dpi: nil).map(\.type) == ["tEXt"])
    }
}
