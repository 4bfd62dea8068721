import CZstd

/// Whole-buffer zstd: `table.load` reads `.zst` tables with it, and the
/// fuzzer decompresses its zstd seeds and compresses each mutant again.
public enum Zstd {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func compress(_ bytes: [UInt8], level: Int32 = 3) throws(Failure) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let n = out.withUnsafeMutableBytes { o in
            bytes.withUnsafeBytes { i in ZSTD_compress(o.baseAddress, o.count, i.baseAddress, i.count, level) }
        }
        guard ZSTD_isError(n) == 0 else {
            throw Failure(description: "zstd compress: " + String(cString: ZSTD_getErrorName(n)))
        }
        out.removeSubrange(n...)
        return out
    }

    /// True when `bytes` start with zstd's frame magic number.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 4 && Array(bytes.prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD]
    }

    /// Every frame of `bytes`, decompressed and concatenated.
    public static func decompress(_ bytes: [UInt8]) throws(Failure) -> [UInt8] {
        guard let stream = ZSTD_createDStream() else { throw Failure(description: "zstd: out of memory") }
        defer { ZSTD_freeDStream(stream) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 17)
        let failure: Failure? = bytes.withUnsafeBytes { src in
            var input = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBytes { dst in
                    var output = ZSTD_outBuffer(dst: dst.baseAddress, size: dst.count, pos: 0)
                    let code = ZSTD_decompressStream(stream, &output, &input)
                    return (code, output.pos)
                }
                if ZSTD_isError(code) != 0 {
                    return Failure(description: "zstd decompress: " + String(cString: ZSTD_getErrorName(code)))
                }
                out.append(contentsOf: chunk[..<produced])
                if input.pos == input.size && produced < chunk.count {
                    return code == 0 ? nil : Failure(description: "zstd decompress: truncated frame")
                }
            }
        }
        if let failure { throw failure }
        return out
    }
}
