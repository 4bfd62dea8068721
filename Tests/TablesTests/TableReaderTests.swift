import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import FigureTesting
import Testing

@testable import Tables

private func fixture(_ name: String) throws -> [UInt8] {
    if name.hasPrefix("delphi/") {
        // The repository's sample data, reached from this file.
        let data = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../data")
        return Array(try Data(contentsOf: data.appendingPathComponent(name).standardizedFileURL))
    }
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
    return Array(try Data(contentsOf: url))
}

@Suite struct PandasInference {
    /// Tests/TablesTests/Fixtures/expected.json: pandas' reading of each
    /// fixture (scripts/make_table_fixtures.py; the pandas version is recorded in the file).
    @Test(arguments: ["types.csv", "records.json", "lines.jsonl", "delphi/runs.json"])
    func typesAndValuesMatchPandas(_ name: String) throws {
        let expected = try JSONValue(parsing: try fixture("expected.json"))
        let format = try #require(TableFormat.of(fileName: Paths.fileName(of: name))).format
        let table = try TableReader(shown: name).read(
            try fixture(name), format: format, recordsPath: name == "records.json" ? "data.rows" : "")
        let frame = try #require(expected["tables"]?[name]?.arrayValue)
        #expect(TableFixtures.differences(table, frame: frame) == [])
    }
}

@Suite struct FrameComparison {
    /// The comparison the pandas fixtures rely on sees a wrong type, a wrong
    /// value and a missing column.
    @Test func differencesAreFound() throws {
        let table = DataTable(columns: [
            Column(name: "a", values: .integers([1, 2])), Column(name: "b", values: .numbers([0.5, .nan])),
        ])
        let same: [JSONValue] = [
            ["name": "a", "dtype": "int64", "values": [1, 2]], ["name": "b", "dtype": "float64", "values": [0.5, nil]],
        ]
        #expect(TableFixtures.differences(table, frame: same) == [])
        let other: [JSONValue] = [
            ["name": "a", "dtype": "float64", "values": [1, 3]], ["name": "c", "dtype": "str", "values": ["x", "y"]],
        ]
        #expect(
            TableFixtures.differences(table, frame: other) == [
                "columns [\"a\", \"b\"] != pandas' [\"a\", \"c\"]", "a: integer, pandas float64",
                "a[1]: number(2.0), pandas 3",
            ])
    }
}

@Suite struct TableFiles {
    @Test func theBinaryArtifactRoundTrips() throws {
        let table = try TableReader(shown: "types.csv").read(try fixture("types.csv"), format: .csv)
        let artifact = table.artifact
        #expect(artifact.type == "table")
        #expect(try DataTable(decoding: artifact.bytes) == table)
        var corrupt = artifact.bytes
        corrupt.removeLast()
        #expect(throws: BinaryDecodingError.self) { try DataTable(decoding: corrupt) }
    }

    @Test func declaredColumnsConvertOrNameThePlace() throws {
        let csv = Array("a,b\n1,x\n2,3\n".utf8)
        let asStrings = try TableReader(shown: "t.csv", declared: ["a": .string]).read(csv, format: .csv)
        #expect(asStrings["a"]?.values == .objects([.string("1"), .string("2")]))
        #expect {
            _ = try TableReader(shown: "t.csv", declared: ["b": .number]).read(csv, format: .csv)
        } throws: { error in
            "\(error)" == "t.csv:2:3: column 'b' is declared number: 'x' is not a number"
        }
    }

    @Test func problemsNameTheFileLineAndColumn() throws {
        let reader = TableReader(shown: "t")
        #expect {
            _ = try reader.read(Array("a,b\n1,2\n3,4,5\n".utf8), format: .csv)
        } throws: { "\($0)" == "t:3:1: expected 2 fields (the header's), saw 3" }
        #expect {
            _ = try reader.read(Array("[{\"a\": 1},\n {\"a\": 2,}]".utf8), format: .json)
        } throws: { "\($0)".hasPrefix("t:2:10: ") }
        #expect {
            _ = try reader.read(Array("{\"a\": 1}\n\n[1]\n".utf8), format: .jsonl)
        } throws: { "\($0)" == "t:3:1: expected a record (a JSON object), got array" }
        #expect {
            _ = try reader.read(Array("{\"rows\": []}".utf8), format: .json, recordsPath: "data")
        } throws: { "\($0)" == "t:1:1: no key 'data' (params.path)" }
    }
}

@Suite struct TableLoadStage {
    private func project() -> Project { Project(extraKinds: TableKinds.all) }

    @Test func aCompressedFileReadsAsItsText() throws {
        let p = project()
        try p.dir.write("data/t.csv.zst", try Zstd.compress(try fixture("types.csv")))
        try p.writePipeline([stage("t", "table.load", inputs: ["file": "t.csv.zst"])])
        let summary = try p.run()
        #expect(summary.ranIDs == ["t"], "\(summary.failures)")
        let entry = try #require(p.entry(of: "t"))
        let table = try DataTable(decoding: try #require(p.store.get(entry.artifactHash)))
        #expect(table == (try TableReader(shown: "").read(try fixture("types.csv"), format: .csv)))
    }

    @Test func aDeclaredColumnTheFileLacksFailsTheStage() throws {
        let p = project()
        try p.writeData("t.csv", "a,b\n1,2\n")
        try p.writePipeline([
            stage("t", "table.load", params: ["columns": ["c": "number"]], inputs: ["file": "t.csv"])
        ])
        let summary = try p.run()
        guard case .failed(let e)? = summary.outcomes["t"] else {
            Issue.record("expected a failure")
            return
        }
        #expect(
            e.description == "params.columns.c: no column 'c' in \(Paths.display(p.dataPath("t.csv"))) (it has a, b)")
    }

    @Test func declaredColumnsMayHaveAnyName() throws {
        let p = project()
        try p.writeData("t.csv", "loss (nats),step\n1,2\n")
        try p.writePipeline([
            stage("t", "table.load", params: ["columns": ["loss (nats)": "string"]], inputs: ["file": "t.csv"])
        ])
        #expect(try p.run().ranIDs == ["t"])
        let entry = try #require(p.entry(of: "t"))
        let table = try DataTable(decoding: try #require(p.store.get(entry.artifactHash)))
        #expect(table["loss (nats)"]?.values == .objects([.string("1")]))
        #expect(table["step"]?.values == .integers([2]))
    }

    @Test func aStagesFileIsReadAsATable() throws {
        let p = project()
        try p.writeData("in.txt", "a,b\n1,2.5\n")
        try p.writePipeline([
            stage("csv", "test.render", params: ["path": "made/table.csv"], inputs: ["in": "src"]),
            stage("src", "test.source", inputs: ["file": "in.txt"]),
            stage("t", "table.load", inputs: ["file": "csv"]),
        ])
        let summary = try p.run()
        #expect(summary.failed == 0, "\(summary.failures)")
        let entry = try #require(p.entry(of: "t"))
        let table = try DataTable(decoding: try #require(p.store.get(entry.artifactHash)))
        // test.render writes its input's text to made/table.csv; table.load reads that file.
        #expect(
            table.columns == [Column(name: "a", values: .integers([1])), Column(name: "b", values: .numbers([2.5]))])
    }

    @Test func anUnknownTypeIsAValidationError() throws {
        let p = project()
        try p.writeData("t.csv", "a\n1\n")
        try p.writePipeline([
            stage("t", "table.load", params: ["columns": ["a": "float"]], inputs: ["file": "t.csv"])
        ])
        #expect {
            _ = try p.load()
        } throws: {
            "\($0)".contains("params.columns.a: expected one of 'integer', 'number', 'boolean', 'string', got 'float'")
        }
    }
}
