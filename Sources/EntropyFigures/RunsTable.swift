import FigpipeBasics
import Pipeline
import Tables

extension EntropyKinds {
    /// `entropy.runs` → `table`: every run's `summary_from_run` rows (README
    /// notebook, cell 3) with a `run` column, as `pd.DataFrame(rows)` makes
    /// them, for declared figures and command stages.
    public static let runsTable = StageKind(
        name: "entropy.runs-table", version: 1,
        summary: "Every run's summary_from_run rows (eta, delta_true, delta_linear, delta_linquad) as a typed table",
        inputs: [runsInput("runs", "the runs (any entropy.load-runs stage)")], output: Tables.DataTable.artifactType
    ) { ctx in
        StageOutput(artifact: try table(of: try runs(ctx, "runs")).artifact)
    }

    /// One row per run and eta, runs in the set's order (sorted paths, as the
    /// notebook's `load_runs`). `delta_linquad` follows pandas' rule for
    /// records: numbers with None make float64 (NaN), None alone object.
    static func table(of set: EntropyRunSet) throws -> Tables.DataTable {
        var run: [TableValue] = []
        var eta: [Double] = []
        var deltaTrue: [Double] = []
        var deltaLinear: [Double] = []
        var deltaLinquad: [JSONValue?] = []
        for r in set.runs {
            for row in try EntropySummaries.summaryFromRun(r, folder: set.folder) {
                run.append(.string(r.id))
                eta.append(row.eta)
                deltaTrue.append(row.deltaTrue)
                deltaLinear.append(row.deltaLinear)
                deltaLinquad.append(row.deltaLinquad.map { .double($0) } ?? .null)
            }
        }
        return Tables.DataTable(columns: [
            Tables.Column(name: "run", values: .objects(run)),
            Tables.Column(name: "eta", values: .numbers(eta)),
            Tables.Column(name: "delta_true", values: .numbers(deltaTrue)),
            Tables.Column(name: "delta_linear", values: .numbers(deltaLinear)),
            Tables.Column(name: "delta_linquad", values: Inference.column(jsonValues: deltaLinquad)),
        ])
    }
}
