import Testing

@testable import Tables

@Suite struct ZstdTests {
    @Test func roundTripsAndRejectsATruncatedFrame() throws {
        let text = Array(String(repeating: "{\"a\": 1}\n", count: 1000).utf8)
        let packed = try Zstd.compress(text)
        #expect(packed.count < text.count)
        #expect(try Zstd.decompress(packed) == text)
        #expect(try Zstd.decompress(packed + packed) == text + text)
        #expect(throws: Zstd.Failure.self) { try Zstd.decompress(Array(packed.prefix(5)) + [1, 2, 3]) }
    }

    @Test func recognizesTheFrameMagic() throws {
        #expect(Zstd.isCompressed(try Zstd.compress(Array("x".utf8))))
        #expect(!Zstd.isCompressed(Array("a,b\n".utf8)))
    }
}
