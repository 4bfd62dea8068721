import FigpipeBasics
import Foundation
import Pipeline
import Tables
import Testing

@testable import DelphiFigures

@Suite struct RunsTable {
    /// Fixtures/runs_table.json: the exporter's own DataFrame after load_runs
    /// and subsample_cadamc_to_adamh_grid on the sample data
    /// (make_runs_table.py; the pandas version is in the file).
    @Test func theTableIsTheExportersDataFrame() throws {
        let expected = try JSONValue(parsing: try FileIO.read(fixture("runs_table.json")))
        let columns = try #require(expected["columns"]?.arrayValue)
        let table = DelphiKinds.table(of: sampleLadderData.runs)
        #expect(table.columns.map(\.name) == columns.compactMap { $0["name"]?.stringValue })
        for c in columns {
            let name = try #require(c["name"]?.stringValue)
            let ours = try #require(table[name])
            let dtype = try #require(c["dtype"]?.stringValue)
            #expect(ours.values.type == (dtype == "float64" ? .number : .string), "\(name)")
            let values = try #require(c["values"]?.arrayValue)
            #expect(ours.values.count == values.count)
            for (n, v) in values.enumerated() where n < ours.values.count {
                switch (ours.values[n], v) {
                case (.number(let a), _): #expect(a == v.numberValue, "\(name)[\(n)]")
                case (.string(let a), .string(let b)): #expect(a == b, "\(name)[\(n)]")
                case (let a, let b): Issue.record("\(name)[\(n)]: \(a) vs \(b)")
                }
            }
        }
    }

    @Test func theKindWritesItAsATableArtifact() throws {
        let artifact = try sampleLadderData.artifact()
        let context = StageContext(
            stageID: "t", parameters: Parameters([:]), artifacts: ["runs": artifact], files: [:])
        let output = try DelphiKinds.runsTable.run(context)
        let table = try DataTable(decoding: try #require(output.artifact).bytes)
        #expect(table == DelphiKinds.table(of: sampleLadderData.runs))
        #expect(table.rowCount == sampleLadderData.runs.runs.count)
    }
}
