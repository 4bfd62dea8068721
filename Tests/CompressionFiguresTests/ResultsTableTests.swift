import FigpipeBasics
import Foundation
import Testing

@testable import CompressionFigures

@Suite struct ResultsTableTests {
    let table: ResultsTable

    init() throws {
        table = try ResultsTable.load(path: fixture("edge.jsonl.zst"), displayName: "edge.jsonl.zst")
    }

    @Test func blankLinesAreSkippedAndLinesCounted() {
        // Lines 2 (empty) and 9 (white space) are blank; line 3 ends in CRLF;
        // line 10 has no final newline.
        #expect(table.count == 8)
        #expect(table.map(\.line) == [1, 3, 4, 5, 6, 7, 8, 10])
    }

    @Test func recordWithoutMethods() {
        let r = table[0]
        #expect(r.kind == .string("run_header"))
        #expect(r.kind.get(default: "") == "run_header")
        #expect(r.tensorName == .absent)
        #expect(r.tensorName.get(default: "") == "")
        #expect(r.model == .absent)
        #expect(r.inputBytes == .absent)
        #expect(r.inputBytes.get(default: 0) == 0)
        #expect(r.methods == nil)
    }

    @Test func crlfRecordWithMethods() throws {
        let r = table[1]
        #expect(r.kind == .string("bench_bf16_perfile"))
        #expect(r.model == .string("Qwen/Qwen2.5-0.5B"))
        #expect(r.tensorName == .string("a.weight"))
        #expect(r.inputBytes == .number(1024))
        let m = try #require(r.methods)
        #expect(m.names == ["zstd3_raw", "bf16_split"])
        #expect(m["zstd3_raw"] == .object(ratio: .number(1.25), decompressMBps: .number(1500)))
        #expect(m["bf16_split"] == .object(ratio: .number(1.5), decompressMBps: .number(950)))
        #expect(m["qb_k4"] == nil)
    }

    @Test func explicitNulls() throws {
        let r = table[2]
        #expect(r.kind == .null)
        #expect(r.kind.get(default: "") == nil)  // r.get('_kind', '') is None
        #expect(r.kind.isPresent)
        #expect(r.tensorName == .null)
        #expect(r.model == .null)
        #expect(r.inputBytes == .null)
        #expect(r.inputBytes.get(default: 0) == nil)
        let m = try #require(r.methods)
        #expect(m.isEmpty)
    }

    @Test func everyKindOfMethodEntry() throws {
        let r = table[3]
        #expect(r.inputBytes == .number(0))
        let m = try #require(r.methods)
        #expect(
            m.names == [
                "obj", "no_ratio", "null_ratio", "nothing", "skipped", "mentions", "num", "zero", "flag", "list",
                "nan", "neg",
            ])
        #expect(m["obj"] == .object(ratio: .number(1.04), decompressMBps: .number(700.5)))
        #expect(m["no_ratio"] == .object(ratio: .absent, decompressMBps: .absent))
        #expect(m["null_ratio"] == .object(ratio: .null, decompressMBps: .null))
        #expect(m["nothing"] == .null)
        #expect(m["skipped"] == .string("skipped: timeout"))
        #expect(m["mentions"] == .string("ratio unavailable"))  // 'ratio' in m is True in Python
        #expect(m["num"] == .other(.int(5)))
        #expect(m["zero"] == .other(.int(0)))
        #expect(m["flag"] == .other(.bool(true)))
        #expect(m["list"] == .other(["ratio", 2]))
        #expect(m["nothing"]?.isObject == false)
        #expect(m["no_ratio"]?.isObject == true)
        guard case .object(let nanRatio, let inf) = m["nan"], case .object(let negInf, let negZero) = m["neg"] else {
            Issue.record("nan/neg entries are not objects")
            return
        }
        #expect(nanRatio.value?.isNaN == true)
        #expect(inf == .number(.infinity))
        #expect(negInf == .number(-.infinity))
        #expect(negZero.value?.sign == .minus)
        #expect(m[10].name == "nan")
    }

    @Test func duplicateKeysKeepFirstPositionAndLastValue() throws {
        let r = table[4]
        #expect(r.kind == .string("second"))
        let m = try #require(r.methods)
        #expect(
            Array(m) == [
                MethodEntry(name: "a", value: .object(ratio: .number(2.0), decompressMBps: .absent)),
                MethodEntry(name: "b", value: .null),
            ])
        // A duplicated "methods" key: the last object replaces the first.
        let r2 = table[5]
        #expect(r2.kind == .absent)
        #expect(try #require(r2.methods).map(\.name) == ["new", "new2"])
        #expect(r2.methods?["new"] == .string("x"))
        #expect(r2.methods?["new2"] == .other([1]))
        #expect(r2.methods?["old"] == nil)
    }

    @Test func escapesAndUnicode() throws {
        let r = table[6]
        #expect(r.kind == .absent)
        #expect(r.tensorName == .string("café \"q\""))
        #expect(r.model == .string("modèle"))
        #expect(try #require(r.methods).names == ["kéy", "pläin"])
        #expect(r.methods?["kéy"] == .object(ratio: .number(3), decompressMBps: .absent))
    }

    @Test func hugeIntegersBecomeDoubles() {
        #expect(table[7].inputBytes == .number(12_345_678_901_234_567_890.0))
        #expect(table[7].kind == .string("run_footer"))
    }

    @Test func roundTripIsExactAndDeterministic() throws {
        let bytes = table.encoded()
        #expect(bytes == table.encoded())
        let back = try ResultsTable(decoding: bytes)
        #expect(back == table)
        #expect(back.encoded() == bytes)
        // The NaN survives bit for bit.
        guard case .object(let r, _) = back[3].methods?["nan"] else {
            Issue.record("nan entry lost")
            return
        }
        #expect(r.value?.isNaN == true)
        // Loading twice gives identical bytes.
        let again = try ResultsTable.load(path: fixture("edge.jsonl.zst"), displayName: "x")
        #expect(again.encoded() == bytes)
        #expect(Array(bytes.prefix(4)) == Array("FPBA".utf8))
    }

    @Test func damagedArtifactsThrowAndNeverTrap() throws {
        let bytes = table.encoded()
        // Every truncation throws.
        for n in stride(from: 0, to: bytes.count, by: 1) {
            #expect(throws: BinaryDecodingError.self) { try ResultsTable(decoding: Array(bytes[0..<n])) }
        }
        // Every single-byte change either throws or gives a table whose every
        // field can be read.
        for i in 0..<bytes.count {
            var damaged = bytes
            damaged[i] ^= 0x5A
            guard let t = try? ResultsTable(decoding: damaged) else { continue }
            for r in t {
                // Use what is read: Swift 6.3.1 -O miscompiles a discarded
                // `_ = Array(collection)` of such elements.
                let fields = [r.kind, r.tensorName, r.model].filter { $0 != .absent }.count
                #expect(
                    r.line >= 1 && fields >= 0 && (r.inputBytes == r.inputBytes || r.inputBytes.value?.isNaN == true))
                if let m = r.methods { #expect(Array(m).count == m.count) }
            }
        }
        // Another type's artifact is refused by name.
        let atlas = try AtlasLayerTable.load(path: fixture("atlas_layer.jsonl"), displayName: "a").encoded()
        let error = thrownError { try ResultsTable(decoding: atlas) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("\"compression.atlas-layer\", not \"compression.results\""))
    }

    @Test func malformedLinesAreAllListed() throws {
        let error = thrownError {
            try ResultsTable.load(path: fixture("malformed.jsonl.zst"), displayName: "results.jsonl.zst")
        }
        let e = try #require(error as? JSONLinesError)
        #expect(e.totalCount == 13)
        #expect(e.problems.count == 10)
        #expect(e.problems.map(\.line) == [2, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        // Columns as Python's json reports them (line 2: column 36).
        #expect(e.problems[0].column == 36)
        #expect(
            e.problems[3]
                == .init(line: 6, column: 31, message: "field 'input_bytes': expected a number or null, found a string")
        )
        #expect(
            e.problems[4]
                == .init(line: 7, column: 11, message: "field '_kind': expected a string or null, found a number"))
        #expect(e.problems[5].message == "field 'methods': expected an object, found an array")
        #expect(e.problems[6].message == "field 'methods': expected an object, found null")
        #expect(e.problems[7].message == "field 'methods.m.ratio': expected a number or null, found a string")
        #expect(
            e.problems[8].message == "field 'methods.m.decompress_MBps': expected a number or null, found a boolean")
        #expect(e.problems[1].message == "expected a JSON object, found an array")
        #expect(e.problems[2].message == "expected a JSON object, found a string")
        let text = e.description
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "results.jsonl.zst: 13 lines could not be loaded:")
        #expect(lines[1].hasPrefix("results.jsonl.zst:2:36: "))
        #expect(lines[4] == "results.jsonl.zst:6:31: field 'input_bytes': expected a number or null, found a string")
        #expect(lines.last == "and 3 more")
        #expect(lines.count == 12)
    }

    @Test func aSingleBadLineIsOneMessage() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/one.jsonl"
        try Data("{\"_kind\": \"a\"}\n{\"input_bytes\": [1]}\n".utf8).write(to: URL(fileURLWithPath: path))
        let error = thrownError { try ResultsTable.load(path: path, displayName: "one.jsonl") }
        #expect(
            "\(error.map { "\($0)" } ?? "")"
                == "one.jsonl:2:17: field 'input_bytes': expected a number or null, found an array")
    }
}
