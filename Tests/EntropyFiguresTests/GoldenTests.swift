import CairoBackend
import FigpipeBasics
import FigureModel
import FigureTesting
import Foundation
import Testing

@testable import EntropyFigures

/// The sample data's four run folders, loaded once.
struct SampleRuns: Sendable {
    let e512: EntropyRunSet
    let e2048: EntropyRunSet
    let e256: EntropyRunSet
    let lin: EntropyRunSet

    static func load(_ folder: String) throws -> EntropyRunSet {
        let dir = sampleDataDir + "/" + folder
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix("run_") }.sorted()
        let files = runs.map { (relative: "\(folder)/\($0)/results.json", path: "\(dir)/\($0)/results.json") }
        return try EntropyRunLoader.load(files: files, folder: folder)
    }

    static let shared: Result<SampleRuns, any Error> = Result {
        SampleRuns(
            e512: try load("E_512"), e2048: try load("E_2048"), e256: try load("E_256"),
            lin: try load("data_for_lin_trend"))
    }
}

func referenceJSON(_ relative: String) throws -> JSONValue {
    try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: fixture("reference/" + relative)))))
}

/// Python's csv reader, enough for the tables: quoted cells with doubled quotes.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var it = Array(text).makeIterator()
    var pending: Character? = nil
    while let c = pending ?? it.next() {
        pending = nil
        if quoted {
            if c == "\"" {
                if let n = it.next() {
                    if n == "\"" { cell.append("\"") } else { quoted = false; pending = n }
                } else {
                    quoted = false
                }
            } else {
                cell.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(cell)
            cell = ""
        } else if c == "\n" {
            row.append(cell)
            rows.append(row)
            row = []
            cell = ""
        } else {
            cell.append(c)
        }
    }
    if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
    return rows
}

/// figpipe's figures and tables for the sample data against the reference
/// notebooks' (Fixtures/reference), every field, under compare.py's rules.
@Suite struct GoldenTests {
    typealias R = SampleRuns
    static let figures: [String: @Sendable (R) throws -> Figure] = [
        "delta_h_true_vs_eta_run01": {
            try EntropyFigureBuilders.deltaHTrueVsEta(.compute($0.lin), run: "run_01")
        },
        "delta_h_true_vs_eta_aggregate_loglog": { try EntropyFigureBuilders.deltaHTrueAggregate(.compute($0.lin)) },
        "delta_h_true_vs_eta_aggregate_linear": {
            try EntropyFigureBuilders.deltaHTrueLinearOverlay(.compute($0.lin))
        },
        "err_rel_distribution_eta_3.2e-6": {
            try EntropyFigureBuilders.errRelDistribution(
                $0.e2048, eta: 3.2e-6, subsetSize: 256, samplesPerRun: 500, seed: 42
            ).0
        },
        "delta_h_vs_eta_grid": { try EntropyFigureBuilders.deltaHVsEtaGrid($0.e512) },
        "delta_h_vs_eta_aggregate": { try EntropyFigureBuilders.deltaHVsEtaAggregate($0.e512) },
        "normalized_abs_error_run_01_eta_8e-06": {
            try EntropyFigureBuilders.normalizedAbsError($0.e2048, run: "run_01", eta: 8e-06)
        },
        "contribution_histograms_run_01_eta_8e-06": {
            try EntropyFigureBuilders.contributionHistograms($0.e2048, run: "run_01", eta: 8e-06)
        },
        "clip_sweep_run_01_eta_8e-06": { try EntropyFigureBuilders.clipSweep($0.e2048, run: "run_01", eta: 8e-06) },
        "truncation_ratio_run_01_eta_8e-06": {
            try EntropyFigureBuilders.truncationRatio($0.e2048, run: "run_01", eta: 8e-06)
        },
        "err_rel_compare_eta_1.6e-06": {
            try EntropyFigureBuilders.errRelCompare(
                ErrRel.compare(e2048: $0.e2048, e256: $0.e256, eta: 1.6e-06, sampleSize: 256, numSamples: 2000, seed: 0)
            )
        },
        "err_rel_compare_eta_3.2e-06": {
            try EntropyFigureBuilders.errRelCompare(
                ErrRel.compare(e2048: $0.e2048, e256: $0.e256, eta: 3.2e-06, sampleSize: 256, numSamples: 2000, seed: 0)
            )
        },
        "err_rel_histograms_eta_1.6e-06_3.2e-06": {
            try EntropyFigureBuilders.errRelHistograms(
                ErrRel.sampleAcrossRuns(
                    $0.e2048, etas: [1.6e-6, 3.2e-6], subsetSize: 256, samplesPerEta: 500, seed: 42),
                etas: [1.6e-6, 3.2e-6])
        },
    ]

    static let tables: [String: @Sendable (R) throws -> DataTable] = [
        "delta_h_true_vs_eta_run01_fit_stats": {
            try EntropyFigureBuilders.fitStatsTable(.compute($0.lin), run: "run_01")
        },
        "delta_h_true_vs_eta_fit_stats_loglog": { try EntropyFigureBuilders.logLogFitStats(.compute($0.lin)) },
        "delta_h_true_vs_eta_fit_stats_linear": { try EntropyFigureBuilders.linearFitStats(.compute($0.lin)) },
        "err_rel_distribution_eta_3.2e-6": {
            try EntropyFigureBuilders.errRelDistribution(
                $0.e2048, eta: 3.2e-6, subsetSize: 256, samplesPerRun: 500, seed: 42
            ).1
        },
        "delta_h_vs_eta_summary": { try EntropySummaries.aggregateSummaryTable($0.e512) },
        "post_correction_summary_df": { try EntropySummaries.postCorrectionSummary($0.e2048) },
        "post_correction_se_df": { try EntropySummaries.standardErrors($0.e2048) },
        "post_correction_agreement_df": { try PostCorrection.agreementTable($0.e2048) },
        "post_correction_trunc_df": {
            try PostCorrection.batchTruncationSummary($0.e2048, keepQuantiles: [0.99, 0.95, 0.90])
        },
        "trunc_result_run_01_eta_8e-06": {
            PostCorrection.truncationTable(
                try PostCorrection.summarizeTruncation($0.e2048, run: "run_01", eta: 8e-06, keepQuantile: 0.95))
        },
        "clip_result_run_01_eta_8e-06": {
            PostCorrection.clippingTable(
                try PostCorrection.summarizeClipping($0.e2048, run: "run_01", eta: 8e-06, clipValue: 5e-4))
        },
        "compare_filtered_estimates_run_01_eta_8e-06": {
            try PostCorrection.compareFilteredEstimates(
                $0.e2048, run: "run_01", eta: 8e-06, keepQuantiles: [0.99, 0.95], clipThresholds: [5e-4, 1e-4])
        },
        "reference_true_totals": { EntropySummaries.referenceTrueTotalsTable($0.e2048) },
        "err_rel_compare_summary_eta_1.6e-06": {
            ErrRel.comparisonTable(
                try ErrRel.compare(
                    e2048: $0.e2048, e256: $0.e256, eta: 1.6e-06, sampleSize: 256, numSamples: 2000, seed: 0))
        },
        "err_rel_compare_summary_eta_3.2e-06": {
            ErrRel.comparisonTable(
                try ErrRel.compare(
                    e2048: $0.e2048, e256: $0.e256, eta: 3.2e-06, sampleSize: 256, numSamples: 2000, seed: 0))
        },
        "err_rel_subset_samples": {
            ErrRel.samplesTable(
                try ErrRel.sampleAcrossRuns(
                    $0.e2048, etas: [1.6e-6, 3.2e-6], subsetSize: 256, samplesPerEta: 500, seed: 42))
        },
        "err_rel_subset_summary": {
            ErrRel.summarize(
                try ErrRel.sampleAcrossRuns(
                    $0.e2048, etas: [1.6e-6, 3.2e-6], subsetSize: 256, samplesPerEta: 500, seed: 42))
        },
    ]

    @Test(arguments: Array(figures.keys).sorted())
    func dumpMatchesReference(_ name: String) throws {
        let runs = try SampleRuns.shared.get()
        let build = try #require(Self.figures[name])
        let layout = FigureLayout.compute(try build(runs), measurer: CairoBackend.measurer)
        let ours = FigureDump.json(layout)
        let comparison = FigureComparison.mpl(ref: try referenceJSON("dump/\(name).json"), ours: ours)
        #expect(comparison.fields > 20)
        #expect(
            comparison.ok,
            "\(name): \(comparison.differences.count) of \(comparison.fields) fields differ:\n\(comparison.differences.prefix(20).map(\.description).joined(separator: "\n"))"
        )
    }

    @Test(arguments: Array(tables.keys).sorted())
    func tableMatchesReference(_ name: String) throws {
        let runs = try SampleRuns.shared.get()
        let build = try #require(Self.tables[name])
        let ours = parseCSV(try build(runs).csv())
        let refText = try String(contentsOfFile: fixture("reference/tables/\(name).csv"), encoding: .utf8)
        let comparison = FigureComparison.table(ref: parseCSV(refText), ours: ours)
        #expect(
            comparison.ok,
            "\(name): \(comparison.differences.prefix(20).map(\.description).joined(separator: "\n"))")
    }

    /// The fixtures cover every figure and table the reference wrote.
    @Test func everyReferenceFileIsTested() throws {
        let fm = FileManager.default
        let dumps = try fm.contentsOfDirectory(atPath: fixture("reference/dump")).filter { $0.hasSuffix(".json") }
        let tables = try fm.contentsOfDirectory(atPath: fixture("reference/tables")).filter { $0.hasSuffix(".csv") }
        #expect(Set(dumps.map { String($0.dropLast(5)) }) == Set(Self.figures.keys))
        #expect(Set(tables.map { String($0.dropLast(4)) }) == Set(Self.tables.keys))
    }

    /// CSV bytes as pandas writes them (repr floats, empty None, quoted lists).
    @Test func csvIsByteIdenticalWhereTheReferenceIsExact() throws {
        let runs = try SampleRuns.shared.get()
        for name in ["post_correction_se_df", "err_rel_compare_summary_eta_1.6e-06", "post_correction_agreement_df"] {
            let build = try #require(Self.tables[name])
            let ours = try build(runs).csv()
            let ref = try String(contentsOfFile: fixture("reference/tables/\(name).csv"), encoding: .utf8)
            #expect(ours == ref, "\(name)")
        }
    }
}
