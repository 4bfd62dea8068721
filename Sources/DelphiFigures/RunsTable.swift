import Pipeline
import Tables

extension DelphiKinds {
    /// `delphi-runs` → `table`: the runs the figures use as the exporter's
    /// DataFrame after `load_runs` and `subsample_cadamc_to_adamh_grid`,
    /// for declared figures and command stages.
    public static let runsTable = StageKind(
        name: "delphi.runs-table", version: 1,
        summary: "The runs the Delphi figures use (load_runs, subsample_cadamc_to_adamh_grid) as a typed table",
        inputs: [runsInput], output: DataTable.artifactType
    ) { ctx in
        StageOutput(artifact: table(of: try ladderData(ctx).runs).artifact)
    }

    /// The DataFrame's columns, in its order: the cache's (`state` only when
    /// it has one), then `quantizer`, `run_type` and `gflops_q`.
    static func table(of runs: DelphiRuns) -> DataTable {
        let r = runs.runs
        var columns = [Column(name: "name", values: .objects(r.map { .string($0.name) }))]
        if runs.hasState {
            columns.append(Column(name: "state", values: .objects(r.map { $0.state.map { .string($0) } ?? .null })))
        }
        columns += [
            Column(name: "loss", values: .numbers(r.map(\.loss))),
            Column(name: "tokens", values: .numbers(r.map(\.tokens))),
            Column(name: "params", values: .numbers(r.map(\.params))),
            Column(name: "total_gflops", values: .numbers(r.map(\.totalGflops))),
            Column(name: "quantizer", values: .objects(r.map { .string($0.quantizer) })),
            Column(name: "run_type", values: .objects(r.map { .string($0.runType) })),
            Column(name: "gflops_q", values: .numbers(r.map(\.gflopsQ))),
        ]
        return DataTable(columns: columns)
    }
}
