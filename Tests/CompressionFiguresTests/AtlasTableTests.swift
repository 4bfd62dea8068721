import FigpipeBasics
import Foundation
import Testing

@testable import CompressionFigures

@Suite struct AtlasTableTests {
    @Test func bf16Atlas() throws {
        let t = try AtlasBF16Table.load(path: fixture("atlas_bf16.jsonl"), displayName: "bf16.jsonl")
        #expect(t.count == 6)
        #expect(t.map(\.line) == [1, 2, 4, 5, 6, 7])  // line 3 is blank
        #expect(
            t[0]
                == AtlasBF16Table.Row(
                    line: 1, dtype: .string("bf16"), tensorCategory: .string("attention"), tensorName: .string("w1"),
                    hByte1: .number(2.8), hByte0: .number(7.9), ceilingRatio: .number(1.5), rMarginal: .absent,
                    ratioCeilingByte: .absent))
        #expect(t[1].tensorCategory == .absent)
        #expect(t[1].tensorCategory.get(default: "other") == "other")
        #expect(t[1].hByte0 == .number(0))
        #expect(t[1].rMarginal == .number(1.45))
        #expect(t[2].tensorCategory == .null)
        #expect(t[2].tensorCategory.get(default: "other") == nil)
        #expect(t[2].ceilingRatio == .null)
        #expect(t[2].hByte1 == .absent)
        #expect(t[3].dtype == .string("fp32"))
        #expect(t[3].tensorName == .absent)  // allowed: not a bf16 row
        #expect(t[4].ratioCeilingByte == .number(1.49))
        #expect(t[5].dtype == .absent)
        #expect(t[5].tensorName == .string("w4"))
        try roundTrip(t)
    }

    @Test func bf16RowWithoutTensorNameIsAnError() throws {
        let error = thrownError {
            try AtlasBF16Table.load(
                path: fixture("atlas_bf16_missing_name.jsonl"), displayName: "03_atlas/results.jsonl")
        }
        let e = try #require(error as? JSONLinesError)
        #expect(e.totalCount == 2)
        #expect(
            e.problems[0]
                == .init(
                    line: 3, column: 1, message: "missing field 'tensor_name' (required on rows with dtype \"bf16\")"))
        #expect(e.problems[1].line == 4)
        #expect(e.problems[1].message == "field 'H_byte0': expected a number or null, found a string")
        #expect(e.description.contains("03_atlas/results.jsonl:3:1: missing field 'tensor_name'"))
    }

    @Test func q4kAtlasWithCRLF() throws {
        let t = try AtlasQ4KTable.load(path: fixture("atlas_q4k.jsonl"), displayName: "q.jsonl")
        #expect(t.count == 4)
        #expect(t.map(\.line) == [1, 2, 3, 4])
        #expect(
            Array(t) == [
                .init(
                    line: 1, tensorName: .string("token_embd.weight"), hNibble: .absent, hByte: .absent,
                    ggmlType: .string("Q5_0")),
                .init(
                    line: 2, tensorName: .string("blk.0.ffn_up.weight"), hNibble: .number(3.95), hByte: .number(7.7),
                    ggmlType: .string("Q4_K")),
                .init(
                    line: 3, tensorName: .string("blk.0.ffn_gate.weight"), hNibble: .number(3.9), hByte: .absent,
                    ggmlType: .string("Q4_K")),
                .init(line: 4, tensorName: .null, hNibble: .null, hByte: .absent, ggmlType: .null),
            ])
        try roundTrip(t)
    }

    @Test func q4kRowWithoutTensorNameIsAnError() throws {
        let error = thrownError {
            try AtlasQ4KTable.load(path: fixture("atlas_q4k_missing_name.jsonl"), displayName: "q.jsonl")
        }
        #expect("\(error.map { "\($0)" } ?? "")" == "q.jsonl:2:1: missing field 'tensor_name' (required on every row)")
    }

    @Test func layerAtlas() throws {
        let t = try AtlasLayerTable.load(path: fixture("atlas_layer.jsonl"), displayName: "l.jsonl")
        #expect(
            Array(t) == [
                .init(line: 1, corrPearson: .number(0.0017), model: .string("m"), role: .string("attn_q")),
                .init(line: 2, corrPearson: .absent, model: .string("m"), role: .string("attn_q")),
                .init(line: 3, corrPearson: .absent, model: .string("m"), role: .absent),
                .init(line: 4, corrPearson: .number(-0.0031), model: .string("m"), role: .string("ffn_up")),
            ])
        try roundTrip(t)
    }

    @Test func layerAtlasWrongTypes() throws {
        let error = thrownError {
            try AtlasLayerTable.load(path: fixture("atlas_layer_wrong_type.jsonl"), displayName: "l.jsonl")
        }
        let e = try #require(error as? JSONLinesError)
        #expect(
            e.problems == [
                .init(line: 2, column: 50, message: "field 'corr_pearson': expected a number or null, found a string"),
                .init(line: 3, column: 11, message: "field 'model': expected a string or null, found a number"),
            ])
    }

    @Test func damagedAtlasArtifacts() throws {
        let bytes = try AtlasBF16Table.load(path: fixture("atlas_bf16.jsonl"), displayName: "b").encoded()
        for n in 0..<bytes.count {
            #expect(throws: BinaryDecodingError.self) { try AtlasBF16Table(decoding: Array(bytes[0..<n])) }
        }
        for i in 0..<bytes.count {
            var damaged = bytes
            damaged[i] &+= 1
            // Use what is read: Swift 6.3.1 -O miscompiles a discarded
            // `_ = Array(collection)` of such elements.
            if let t = try? AtlasBF16Table(decoding: damaged) { #expect(Array(t).count == t.count) }
        }
        #expect(throws: BinaryDecodingError.self) { try AtlasQ4KTable(decoding: bytes) }
    }

    private func roundTrip<T: Equatable>(_ t: T) throws where T: EncodableTable {
        let bytes = t.encoded()
        #expect(bytes == t.encoded())
        let back = try T(decoding: bytes)
        #expect(back == t)
        #expect(back.encoded() == bytes)
    }
}

/// The tables' shared encoding API, for generic round-trip tests.
protocol EncodableTable {
    func encoded() -> [UInt8]
    init(decoding bytes: [UInt8]) throws(BinaryDecodingError)
}
extension AtlasBF16Table: EncodableTable {}
extension AtlasQ4KTable: EncodableTable {}
extension AtlasLayerTable: EncodableTable {}
extension ResultsTable: EncodableTable {}
