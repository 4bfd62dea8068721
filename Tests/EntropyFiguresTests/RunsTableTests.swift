import FigpipeBasics
import Foundation
import Pipeline
import FigureTesting
import Tables
import Testing

@testable import EntropyFigures

@Suite struct RunsTable {
    /// Fixtures/runs_table_E_512.json: pd.DataFrame of the E=512 runs'
    /// summary_from_run rows, made by the notebook's own load_runs and
    /// summary_from_run (scripts/make_table_fixtures.py; pandas' version is in the file).
    @Test func theTableIsTheNotebooksSummaryRows() throws {
        let expected = try JSONValue(parsing: try FileIO.read(fixture("runs_table_E_512.json")))
        let table = try EntropyKinds.table(of: try SampleRuns.load("E_512"))
        #expect(TableFixtures.differences(table, frame: try #require(expected["columns"]?.arrayValue)) == [])
    }

    /// Without `approx.quadratic.vHvv`, delta_linquad is None in every row:
    /// pandas makes that column object, all null.
    @Test func aRunWithoutTheQuadraticTermHasAnObjectColumn() throws {
        var set = try SampleRuns.load("E_512")
        set.runs = set.runs.map { run in
            var r = run
            r.quadratic = .absent
            return r
        }
        let table = try EntropyKinds.table(of: set)
        #expect(table["delta_linquad"]?.values == .objects(Array(repeating: .null, count: table.rowCount)))
    }
}
