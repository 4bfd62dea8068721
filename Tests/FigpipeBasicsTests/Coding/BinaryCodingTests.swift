import FigpipeBasics
import Foundation
import Testing

@Suite struct BinaryCodingTests {
    @Test func roundTripOfEveryType() throws {
        var w = ByteWriter(artifactType: "test.type", formatVersion: 3)
        w.append(UInt8(7))
        w.append(true)
        w.append(Int32(-5))
        w.append(Int64.min)
        w.append(-0.0)
        w.append(Double(bitPattern: 0x7FF8_0000_0000_1234))  // a NaN with a payload
        w.append("héllo")
        w.append([UInt8]([1, 2, 3]))
        w.append([Int32]([Int32.max, -1]))
        w.append([Int64]([42]))
        w.append([1.5, .infinity])
        w.append(["", "a", "ü"])
        w.append([Double]())

        var r = try ByteReader(bytes: w.bytes, artifactType: "test.type", formatVersion: 3)
        #expect(try r.readUInt8() == 7)
        #expect(try r.readBool() == true)
        #expect(try r.readInt32() == -5)
        #expect(try r.readInt64() == .min)
        #expect(try r.readDouble().bitPattern == (-0.0).bitPattern)
        #expect(try r.readDouble().bitPattern == 0x7FF8_0000_0000_1234)
        #expect(try r.readString() == "héllo")
        #expect(try r.readUInt8Array() == [1, 2, 3])
        #expect(try r.readInt32Array() == [Int32.max, -1])
        #expect(try r.readInt64Array() == [42])
        #expect(try r.readDoubleArray() == [1.5, .infinity])
        #expect(try r.readStringArray() == ["", "a", "ü"])
        #expect(try r.readDoubleArray() == [])
        #expect(r.isAtEnd)
        try r.expectEnd()
    }

    @Test func littleEndianLayout() {
        var w = ByteWriter()
        w.append(Int32(0x0102_0304))
        w.append("ab")
        #expect(w.bytes == [4, 3, 2, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0x61, 0x62])
        let header = ByteWriter(artifactType: "t", formatVersion: 1).bytes
        #expect(header == Array("FPBA".utf8) + [1, 0, 0, 0, 0, 0, 0, 0, 0x74, 1, 0, 0, 0])
    }

    @Test func headerChecks() {
        let bytes = ByteWriter(artifactType: "a.b", formatVersion: 2).bytes
        #expect(throws: BinaryDecodingError.self) {
            try ByteReader(bytes: bytes, artifactType: "a.c", formatVersion: 2)
        }
        #expect(throws: BinaryDecodingError.self) {
            try ByteReader(bytes: bytes, artifactType: "a.b", formatVersion: 1)
        }
        #expect(throws: BinaryDecodingError.self) { try ByteReader(bytes: [], artifactType: "a.b", formatVersion: 2) }
        #expect(throws: BinaryDecodingError.self) {
            try ByteReader(bytes: Array("{\"json\": 1}".utf8), artifactType: "a.b", formatVersion: 2)
        }
        do {
            _ = try ByteReader(bytes: bytes, artifactType: "a.c", formatVersion: 2)
        } catch {
            #expect(
                error.description == "malformed a.c artifact at byte 4: the artifact is of type \"a.b\", not \"a.c\"")
        }
    }

    @Test func truncatedAndMalformedInputThrows() {
        var w = ByteWriter()
        w.append([1.0, 2.0, 3.0])
        for n in 0..<w.bytes.count {
            var r = ByteReader(bytes: Array(w.bytes[0..<n]))
            #expect(throws: BinaryDecodingError.self) { try r.readDoubleArray() }
        }
        // A huge count must not allocate or trap.
        var big = ByteWriter()
        big.append(Int64.max)
        var r = ByteReader(bytes: big.bytes)
        #expect(throws: BinaryDecodingError.self) { try r.readStringArray() }
        var neg = ByteWriter()
        neg.append(Int64(-1))
        var r2 = ByteReader(bytes: neg.bytes)
        #expect(throws: BinaryDecodingError.self) { try r2.readInt32Array() }
        // Invalid UTF-8.
        var bad = ByteWriter()
        bad.append(Int64(2))
        bad.append(UInt8(0xC3))
        bad.append(UInt8(0x28))
        var r3 = ByteReader(bytes: bad.bytes)
        #expect(throws: BinaryDecodingError.self) { try r3.readString() }
        var r4 = ByteReader(bytes: [2])
        #expect(throws: BinaryDecodingError.self) { try r4.readBool() }
    }
}
