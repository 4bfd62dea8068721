import Foundation
import Testing

@testable import CompressionFigures

/// The repository's sample data. The expected numbers below were produced by
/// Python (json + zstandard, reading the files as the notebook does) on the
/// data/ folder made by `python3 ../shared/synth/all.py --out data --seed 0`.
/// Sums are taken in file order, as Python's loop did, so they match exactly.
@Suite struct SampleDataTests {
    @Test func results() throws {
        let t = try ResultsTable.load(
            path: sampleDataDir + "/results/results.jsonl.zst", displayName: "results/results.jsonl.zst")
        #expect(t.count == 822)
        #expect(t.last?.line == 822)
        #expect(t.filter { $0.methods != nil }.count == 816)
        #expect(t.filter { $0.kind == .absent }.count == 1)
        #expect(t.filter { $0.kind == .string("bench_bf16_perfile") }.count == 628)
        #expect(t.filter { $0.inputBytes == .absent }.count == 8)
        #expect(t.reduce(0.0) { $0 + ($1.inputBytes.value ?? 0) } == 35_295_424_160.0)
        #expect(t.methodEntryCount == 12780)

        var objects = 0, nulls = 0, strings = 0, others = 0
        var ratioCount = 0, ratioSum = 0.0, ratioNull = 0, noRatio = 0, mbpsNull = 0
        for r in t {
            guard let methods = r.methods else { continue }
            for entry in methods {
                switch entry.value {
                case .object(let ratio, let mbps):
                    objects += 1
                    switch ratio {
                    case .absent: noRatio += 1
                    case .null: ratioNull += 1
                    case .number(let x):
                        ratioSum += x
                        ratioCount += 1
                    }
                    if mbps == .null { mbpsNull += 1 }
                case .null: nulls += 1
                case .string: strings += 1
                case .other: others += 1
                }
            }
        }
        #expect([objects, nulls, strings, others] as [Int] == [12724, 24, 32, 0])
        #expect(ratioCount == 12651)
        #expect(ratioSum == 15774.583591338363)
        #expect(ratioNull == 39)
        #expect(noRatio == 34)
        #expect(mbpsNull == 42)

        // Figure 2's bf16_method dict (tensor name -> ratio, last record wins).
        var bf16Method: [String: Double?] = [:]  // a null ratio is stored as None
        for r in t where r.kind == .string("bench_bf16_perfile") {
            guard let m = r.methods?["bf16_split"], case .object(let ratio, _) = m, ratio.isPresent else { continue }
            bf16Method.updateValue(ratio.value, forKey: r.tensorName.get(default: "") ?? "")
        }
        #expect(bf16Method.count == 338)
        #expect(bf16Method.values.filter { $0 == nil }.count == 1)

        let first = t[1]
        #expect(first.line == 2)
        #expect(first.tensorName == .string("model.embed_tokens.weight"))
        #expect(first.methods?.names.prefix(3) == ["zstd3_raw", "zstd19_raw", "gzip6"])
        #expect(first.methods?["zstd3_raw"]?.ratio == .number(1.1878958054763893))

        let bytes = t.encoded()
        #expect(try ResultsTable(decoding: bytes) == t)
    }

    @Test func bf16Atlas() throws {
        let t = try AtlasBF16Table.load(
            path: sampleDataDir + "/provenance/iter3_precommit/03_atlas/results.jsonl", displayName: "bf16")
        #expect(t.count == 657)
        #expect(t.last?.line == 658)  // line 316 is blank
        #expect(!t.contains { $0.line == 316 })
        let bf16 = t.filter { $0.dtype == .string("bf16") }
        #expect(bf16.count == 630)
        #expect(bf16.filter { $0.tensorCategory == .absent }.count == 69)
        #expect(t.filter { $0.ceilingRatio == .null }.count == 16)
        #expect(t.filter { $0.hByte1 == .absent }.count == 4)
        #expect(bf16.reduce(0.0) { $0 + ($1.hByte1.value ?? 0) } == 1783.11635569245)
        #expect(try AtlasBF16Table(decoding: t.encoded()) == t)
    }

    @Test func q4kAtlas() throws {
        let t = try AtlasQ4KTable.load(
            path: sampleDataDir + "/provenance/iter5/precheck_q/atlas_train.jsonl", displayName: "q4k")
        #expect(t.count == 628)
        #expect(t.filter { $0.hNibble.isPresent }.count == 181)
        #expect(t.filter { $0.hByte.isPresent }.count == 178)
        #expect(t.reduce(0.0) { $0 + ($1.hNibble.value ?? 0) } == 714.7877581798698)
        #expect(try AtlasQ4KTable(decoding: t.encoded()) == t)
    }

    @Test func layerAtlas() throws {
        let t = try AtlasLayerTable.load(
            path: sampleDataDir + "/provenance/iter5/precheck_l/atlas_train.jsonl", displayName: "layer")
        #expect(t.count == 258)
        #expect(t.filter { $0.corrPearson.isPresent }.count == 250)
        #expect(t.reduce(0.0) { $0 + ($1.corrPearson.value ?? 0) } == 0.08600620022659627)
        #expect(t.filter { $0.role == .absent }.count == 2)
        #expect(try AtlasLayerTable(decoding: t.encoded()) == t)
    }
}

extension MethodValue {
    /// The ratio of an object entry (nil for other kinds), for tests.
    var ratio: NumberField? {
        if case .object(let r, _) = self { return r }
        return nil
    }
}
