import CZstd

/// zstd for the compressed family: its seed is the decompressed JSON lines,
/// and each text mutant is compressed again (one frame, level 3).
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
