import FigpipeBasics
import Foundation
import Pipeline
import FigureTesting
import Tables
import Testing

@testable import DelphiFigures

@Suite struct RunsTable {
    /// Fixtures/runs_table.json: the exporter's own DataFrame after load_runs
    /// and subsample_cadamc_to_adamh_grid on the sample data
    /// (scripts/make_table_fixtures.py; the pandas version is in the file).
    @Test func theTableIsTheExportersDataFrame() throws {
        let expected = try JSONValue(parsing: try FileIO.read(fixture("runs_table.json")))
        let table = DelphiKinds.table(of: sampleLadderData.runs)
        #expect(TableFixtures.differences(table, frame: try #require(expected["columns"]?.arrayValue)) == [])
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
