import FigpipeBasics
import FigureTesting
import Foundation
import Pipeline
import Tables
import Testing

@testable import CompressionFigures

/// `compression.results-table` and `compression.atlas-table` against the
/// notebook's records as pandas frames (Fixtures/compression_tables.json,
/// written by scripts/make_table_fixtures.py with the notebook's own
/// load_jsonl; the pandas version is in the file).
@Suite struct TableKindTests {
    static let expected: [String: JSONValue] = {
        let doc = try? JSONValue(parsing: try FileIO.read(fixture("compression_tables.json")))
        return doc?["tables"]?.objectValue ?? [:]
    }()

    func frame(_ name: String) throws -> [JSONValue] {
        try #require(Self.expected[name]?.arrayValue, "no frame \(name) in compression_tables.json")
    }

    static let bf16Path = sampleDataDir + "/provenance/iter3_precommit/03_atlas/results.jsonl"
    static let q4kPath = sampleDataDir + "/provenance/iter5/precheck_q/atlas_train.jsonl"
    static let layerPath = sampleDataDir + "/provenance/iter5/precheck_l/atlas_train.jsonl"

    @Test func theResultsTableIsTheNotebooksRecordsOneRowPerMethod() throws {
        let sample = try ResultsTable.load(path: sampleDataDir + "/results/results.jsonl.zst", displayName: "results")
        let table = CompressionKinds.table(of: sample)
        #expect(TableFixtures.differences(table, frame: try frame("results:sample")) == [])
        #expect(table.rowCount == 12724)  // 12780 method entries, 56 of them not objects
        // NaN and ±inf, nulls, duplicate keys, escapes: as Python reads them.
        let edge = try ResultsTable.load(path: fixture("edge.jsonl.zst"), displayName: "edge")
        #expect(TableFixtures.differences(CompressionKinds.table(of: edge), frame: try frame("results:edge")) == [])
    }

    @Test func eachAtlasTableIsTheNotebooksRecordsOneRowPerLine() throws {
        let cases: [(String, DataTable)] = [
            (
                "atlas-bf16:sample",
                CompressionKinds.table(of: try AtlasBF16Table.load(path: Self.bf16Path, displayName: "a"))
            ),
            (
                "atlas-bf16:fixture",
                CompressionKinds.table(of: try AtlasBF16Table.load(path: fixture("atlas_bf16.jsonl"), displayName: "a"))
            ),
            (
                "atlas-q4k:sample",
                CompressionKinds.table(of: try AtlasQ4KTable.load(path: Self.q4kPath, displayName: "a"))
            ),
            (
                "atlas-q4k:fixture",
                CompressionKinds.table(of: try AtlasQ4KTable.load(path: fixture("atlas_q4k.jsonl"), displayName: "a"))
            ),
            (
                "atlas-layer:sample",
                CompressionKinds.table(of: try AtlasLayerTable.load(path: Self.layerPath, displayName: "a"))
            ),
            (
                "atlas-layer:fixture",
                CompressionKinds.table(
                    of: try AtlasLayerTable.load(path: fixture("atlas_layer.jsonl"), displayName: "a"))
            ),
        ]
        for (name, table) in cases {
            #expect(TableFixtures.differences(table, frame: try frame(name)) == [], "\(name)")
        }
    }

    func run(_ kind: StageKind, _ input: String, _ artifact: Artifact) throws -> DataTable {
        let output = try kind.run(
            StageContext(stageID: "t", parameters: Parameters([:]), artifacts: [input: artifact], files: [:]))
        let out = try #require(output.artifact)
        #expect(out.type == DataTable.artifactType)
        return try DataTable(decoding: out.bytes)
    }

    @Test func theKindsWriteTableArtifacts() throws {
        let results = try ResultsTable.load(path: fixture("edge.jsonl.zst"), displayName: "edge")
        #expect(
            try run(
                CompressionKinds.resultsTable, "results",
                Artifact(type: ResultsTable.artifactType, encoding: .binary, bytes: results.encoded()))
                == CompressionKinds.table(of: results))
        let bf16 = try AtlasBF16Table.load(path: Self.bf16Path, displayName: "a")
        let q4k = try AtlasQ4KTable.load(path: Self.q4kPath, displayName: "a")
        let layer = try AtlasLayerTable.load(path: Self.layerPath, displayName: "a")
        let kind = CompressionKinds.atlasTable
        #expect(
            try run(
                kind, "atlas", Artifact(type: AtlasBF16Table.artifactType, encoding: .binary, bytes: bf16.encoded()))
                == CompressionKinds.table(of: bf16))
        #expect(
            try run(kind, "atlas", Artifact(type: AtlasQ4KTable.artifactType, encoding: .binary, bytes: q4k.encoded()))
                == CompressionKinds.table(of: q4k))
        let layerTable = try run(
            kind, "atlas", Artifact(type: AtlasLayerTable.artifactType, encoding: .binary, bytes: layer.encoded()))
        #expect(layerTable == CompressionKinds.table(of: layer))
        #expect(layerTable.columns.map(\.name) == ["line", "model", "role", "corr_pearson"])
        #expect(layerTable.columns.map(\.values.type) == [.integer, .string, .string, .number])
    }
}
