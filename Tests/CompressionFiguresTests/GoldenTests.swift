import CairoBackend
import FigpipeBasics
import FigureModel
import FigureTesting
import Foundation
import Testing

@testable import CompressionFigures

/// The sample data's tables, loaded once.
struct SampleTables: Sendable {
    let results: ResultsTable
    let bf16: AtlasBF16Table
    let q4k: AtlasQ4KTable
    let layer: AtlasLayerTable

    static let shared: Result<SampleTables, any Error> = Result {
        SampleTables(
            results: try ResultsTable.load(
                path: sampleDataDir + "/results/results.jsonl.zst", displayName: "results.jsonl.zst"),
            bf16: try AtlasBF16Table.load(
                path: sampleDataDir + "/provenance/iter3_precommit/03_atlas/results.jsonl", displayName: "bf16"),
            q4k: try AtlasQ4KTable.load(
                path: sampleDataDir + "/provenance/iter5/precheck_q/atlas_train.jsonl", displayName: "q4k"),
            layer: try AtlasLayerTable.load(
                path: sampleDataDir + "/provenance/iter5/precheck_l/atlas_train.jsonl", displayName: "layer"))
    }
}

func referenceJSON(_ relative: String) throws -> JSONValue {
    try JSONValue(parsing: Array(try Data(contentsOf: URL(fileURLWithPath: fixture("reference/" + relative)))))
}

/// figpipe's dumps of fig1–fig5 for the sample data against the reference
/// notebook's (Fixtures/reference), field by field under compare.py's rules.
@Suite struct GoldenTests {
    static let figures: [String: @Sendable (SampleTables) throws -> Figure] = [
        "fig1": { CompressionFigureBuilders.fig1(atlas: $0.bf16) },
        "fig2": { CompressionFigureBuilders.fig2(results: $0.results, bf16: $0.bf16, q4k: $0.q4k) },
        "fig3": { try CompressionFigureBuilders.fig3(q4k: $0.q4k) },
        "fig4": { try CompressionFigureBuilders.fig4(layer: $0.layer) },
        "fig5": { CompressionFigureBuilders.fig5(results: $0.results) },
    ]

    @Test(arguments: ["fig1", "fig2", "fig3", "fig4", "fig5"])
    func dumpMatchesReference(_ name: String) throws {
        let tables = try SampleTables.shared.get()
        let build = try #require(Self.figures[name])
        let figure = try build(tables)
        let layout = FigureLayout.compute(figure, measurer: CairoBackend.measurer)
        let ours = FigureDump.json(layout)
        let ref = try referenceJSON("dump/\(name).json")
        let comparison = FigureComparison.mpl(ref: ref, ours: ours)
        #expect(comparison.fields > 20)
        #expect(
            comparison.ok,
            "\(name): \(comparison.differences.count) of \(comparison.fields) fields differ:\n\(comparison.differences.prefix(20).map(\.description).joined(separator: "\n"))"
        )
    }

    /// The comparator itself fails on a changed tick label, a moved bar and a
    /// missing line: the golden tests can fail.
    @Test func comparatorCatchesDifferences() throws {
        let ref = try referenceJSON("dump/fig1.json")
        guard case .object(var fig) = ref, case .array(var axes)? = fig["axes"], case .object(var ax) = axes[0],
            case .object(var yticks)? = ax["yticks"], case .array(var labels)? = yticks["labels"],
            case .array(var rects)? = ax["rectangles"], case .object(var rect) = rects[3],
            case .array(var lines)? = ax["lines"]
        else {
            Issue.record("unexpected dump shape")
            return
        }
        #expect(FigureComparison.mpl(ref: ref, ours: ref).ok)
        labels[1] = "2.0"
        yticks["labels"] = .array(labels)
        ax["yticks"] = .object(yticks)
        rect["height"] = .double((rect["height"]?.numberValue ?? 0) * 1.001)
        rects[3] = .object(rect)
        ax["rectangles"] = .array(rects)
        lines.removeLast()
        ax["lines"] = .array(lines)
        axes[0] = .object(ax)
        fig["axes"] = .array(axes)
        let c = FigureComparison.mpl(ref: ref, ours: .object(fig))
        let paths = c.differences.map(\.path)
        #expect(paths.contains("axes[0].yticks.labels[1]"))
        #expect(paths.contains { $0.hasPrefix("axes[0].rectangles") })
        #expect(paths.contains("axes[0].lines[6]"))
    }
}

/// The numbers behind the figures against the notebook's own variables
/// (Fixtures/reference/facts/compression.json).
@Suite struct FigureFactsTests {
    let facts: JSONValue
    let tables: SampleTables
    init() throws {
        facts = try referenceJSON("facts/compression.json")
        tables = try SampleTables.shared.get()
    }

    func numbers(_ v: JSONValue?) -> [Double] { (v?.arrayValue ?? []).compactMap(\.numberValue) }

    @Test func fig2Points() {
        let (bf, q4) = CompressionFigureBuilders.fig2Points(results: tables.results, bf16: tables.bf16, q4k: tables.q4k)
        let f = facts["fig2"]
        let refBF = (f?["pts_bf"]?.arrayValue ?? []).map(numbers)
        let refQ4 = (f?["pts_q4"]?.arrayValue ?? []).map(numbers)
        #expect(bf.count == refBF.count)
        #expect(q4.count == refQ4.count)
        #expect(zip(bf, refBF).allSatisfy { [$0.0.0, $0.0.1] == $0.1 })
        #expect(zip(q4, refQ4).allSatisfy { [$0.0.0, $0.0.1 ?? .nan] == $0.1 })
    }

    @Test func medians() throws {
        let nibble = try CompressionFigureBuilders.nibbleEntropies(tables.q4k)
        let corr = try CompressionFigureBuilders.correlations(tables.layer)
        #expect(nibble.count == facts["fig3"]?["n"]?.intValue)
        #expect(corr.count == facts["fig4"]?["n"]?.intValue)
    }

    @Test func fig5PointsAndPareto() {
        let points = CompressionFigureBuilders.fig5Points(results: tables.results)
        let ref = facts["fig5"]?["points"]?.arrayValue ?? []
        #expect(points.count == ref.count)
        for (p, r) in zip(points, ref) {
            #expect(r.arrayValue?[0].stringValue == p.corpus)
            #expect(r.arrayValue?[1].stringValue == p.method)
            #expect(r.arrayValue?[2].numberValue == p.ratio)
            #expect(r.arrayValue?[3].numberValue == p.mbps)
            #expect(r.arrayValue?[4].intValue == p.count)
        }
        let mask = CompressionFigureBuilders.paretoMask(points.map { ($0.mbps, $0.ratio) })
        #expect(mask == (facts["fig5"]?["pareto_mask"]?.arrayValue ?? []).compactMap(\.boolValue))
    }

    @Test func fig1Ticks() {
        let fig = CompressionFigureBuilders.fig1(atlas: tables.bf16)
        let f = facts["fig1"]
        #expect(fig.axes[0].x.ticks == numbers(f?["x_ticks"]))
        #expect(fig.axes[0].x.tickLabels == (f?["x_labels"]?.arrayValue ?? []).compactMap(\.stringValue))
        #expect(fig.axes[0].x.upper == Double(f?["n_bars"]?.intValue ?? 0) - 0.5)
    }

    @Test func paretoMaskRules() {
        // Dominated when another point is at least as good on both axes and better on one.
        #expect(CompressionFigureBuilders.paretoMask([(1, 1), (2, 2), (3, 1), (2, 2)]) == [false, true, true, true])
    }
}
