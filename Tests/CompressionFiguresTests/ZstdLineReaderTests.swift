import CZstd
import FigpipeBasics
import Foundation
import Testing

@testable import CompressionFigures

/// Compresses `data` as one zstd frame (level 1).
private func compress(_ data: [UInt8]) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: ZSTD_compressBound(data.count))
    let n = out.withUnsafeMutableBytes { dst in
        data.withUnsafeBytes { src in
            ZSTD_compress(dst.baseAddress, dst.count, src.baseAddress, src.count, 1)
        }
    }
    #expect(ZSTD_isError(n) == 0)
    return Array(out[0..<n])
}

/// All (line number, text) pairs LineReader delivers for a file.
private func readLines(_ path: String, name: String = "test") throws -> [(Int, String)] {
    var out: [(Int, String)] = []
    try LineReader.forEachLine(path: path, displayName: name) { buffer, range, line in
        out.append((line, String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)))
    }
    return out
}

@Suite struct ZstdLineReaderTests {
    @Test func multiFrameFilesAreDecodedCompletely() throws {
        // Frame 1 ends inside line 11; a skippable frame sits between frames 2 and 3.
        // (The notebook's ZstdDecompressor().decompress() would read frame 1 only.)
        let table = try ResultsTable.load(path: fixture("multiframe.jsonl.zst"), displayName: "multi.zst")
        #expect(table.count == 30)
        #expect(table.map(\.line) == Array(1...30))
        #expect(table.map(\.tensorName) == (0..<30).map { .string("t\($0)") })
        #expect(table.map(\.inputBytes) == (0..<30).map { .number(Double(1000 + $0)) })
        #expect(table[10].methods?["zstd3_raw"] == .object(ratio: .number(1.1), decompressMBps: .number(110.0)))
    }

    @Test func truncatedFileNamesTheFrameOffset() {
        let error = thrownError {
            try ResultsTable.load(path: fixture("truncated.jsonl.zst"), displayName: "results.jsonl.zst")
        }
        // make_fixtures.py: the second frame starts at byte 210; the file has 321 bytes.
        #expect(error as? ZstdDecodingError == .truncated(file: "results.jsonl.zst", frameStart: 210, fileSize: 321))
        #expect(
            "\(error.map { "\($0)" } ?? "")"
                == "results.jsonl.zst: truncated: the zstd frame starting at byte offset 210 is incomplete; "
                + "the file ends at byte 321")
    }

    @Test func truncatedInsideTheFirstFrameHeader() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/short.zst"
        try Data([0x28, 0xB5, 0x2F]).write(to: URL(fileURLWithPath: path))
        let error = thrownError { try readLines(path, name: "short.zst") }
        #expect(error as? ZstdDecodingError == .truncated(file: "short.zst", frameStart: 0, fileSize: 3))
    }

    @Test func corruptDataIsReported() {
        let error = thrownError {
            try ResultsTable.load(path: fixture("corrupt.jsonl.zst"), displayName: "results.jsonl.zst")
        }
        guard case .corrupt(let file, let offset, let frameStart, let reason) = error as? ZstdDecodingError else {
            Issue.record("expected a corrupt-data error, got \(String(describing: error))")
            return
        }
        #expect(file == "results.jsonl.zst")
        #expect(frameStart == 0)
        #expect(offset > 0 && offset <= 317)
        #expect(reason.contains("checksum"))
        #expect(
            "\(error.map { "\($0)" } ?? "")".hasPrefix(
                "results.jsonl.zst: corrupt zstd data near byte offset \(offset) (frame starting at byte 0): "))
    }

    @Test func garbageAfterTheLastFrameIsCorruptData() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/trailing.zst"
        let frame = compress(Array("{\"_kind\": \"a\"}\n".utf8))
        try Data(frame + Array("garbage!".utf8)).write(to: URL(fileURLWithPath: path))
        let error = thrownError { try readLines(path, name: "trailing.zst") }
        guard case .corrupt(_, _, let frameStart, _) = error as? ZstdDecodingError else {
            Issue.record("expected a corrupt-data error, got \(String(describing: error))")
            return
        }
        #expect(frameStart == frame.count)
    }

    @Test func notZstdAtAll() {
        let error = thrownError { try ResultsTable.load(path: fixture("not_zstd.jsonl.zst"), displayName: "r.zst") }
        #expect(error as? ZstdDecodingError == .notZstd(file: "r.zst", firstBytes: [0x7B, 0x22, 0x5F, 0x6B]))
        #expect("\(error.map { "\($0)" } ?? "")".contains("not zstd data"))
        let empty = thrownError { try ResultsTable.load(path: fixture("empty.jsonl.zst"), displayName: "e.zst") }
        #expect(empty as? ZstdDecodingError == .notZstd(file: "e.zst", firstBytes: []))
    }

    @Test func missingFile() {
        let error = thrownError { try ResultsTable.load(path: "/nonexistent/x.jsonl.zst", displayName: "x.zst") }
        #expect(error as? FileError == FileError(path: "x.zst", operation: "open", errno: ENOENT))
    }

    @Test func linesSpanningChunksAndLongLines() throws {
        // ~5 MiB of lines (many cross the 1 MiB chunk boundaries), a 3 MiB line
        // (longer than the buffer), CRLF, blank lines, no final newline.
        var text: [UInt8] = []
        var expected: [(Int, String)] = []
        var line = 0
        for i in 0..<60_000 {
            line += 1
            let s = "{\"i\": \(i), \"pad\": \"\(String(repeating: "x", count: i % 97))\"}"
            text += Array(s.utf8) + [0x0A]
            expected.append((line, s))
            if i == 30_000 {
                let long = "{\"long\": \"" + String(repeating: "y", count: 3 << 20) + "\"}\r"
                text += Array(long.utf8) + [0x0A] + Array("  \t\r\n\n".utf8)
                line += 1
                expected.append((line, long))
                line += 2
            }
        }
        text += Array("{\"last\": true}".utf8)
        line += 1
        expected.append((line, "{\"last\": true}"))

        let dir = try temporaryDirectory()
        try Data(compress(text)).write(to: URL(fileURLWithPath: dir + "/big.jsonl.zst"))
        try Data(text).write(to: URL(fileURLWithPath: dir + "/big.jsonl"))
        for path in [dir + "/big.jsonl.zst", dir + "/big.jsonl"] {
            let got = try readLines(path)
            #expect(got.count == expected.count)
            #expect(got.map(\.0) == expected.map(\.0))
            #expect(got.map(\.1) == expected.map(\.1))

            // A consumer that stops early: the error comes through, the
            // decoding thread stops, nothing hangs.
            struct Stop: Error {}
            var seen = 0
            #expect(throws: Stop.self) {
                try LineReader.forEachLine(path: path, displayName: "big") { _, _, _ in
                    seen += 1
                    if seen == 1000 { throw Stop() }
                }
            }
            #expect(seen == 1000)
        }
    }
}
