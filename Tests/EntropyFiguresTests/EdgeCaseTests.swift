import FigpipeBasics
import FigureModel
import Foundation
import Pipeline
import Testing

@testable import EntropyFigures

/// A small results.json: `n` sequences, the given etas, optional pieces left out.
func runJSON(n: Int = 8, etas: [Double] = [1e-6, 2e-6], perSequence: Bool = true, quadratic: Bool = true) -> String {
    let g = (0..<n).map { "{\"gdotv\": \(Double($0) - 3.5)}" }.joined(separator: ", ")
    let vh = (0..<n).map { "\(Double($0) * 10)" }.joined(separator: ", ")
    let entries = etas.map { eta in
        let w = (0..<n).map { _ in "\(1.0 / Double(n))" }.joined(separator: ", ")
        let t = (0..<n).map { "\(100 + $0)" }.joined(separator: ", ")
        let h = (0..<n).map { "\(Double(100 + $0) * 0.8 * (1 - eta * Double($0)))" }.joined(separator: ", ")
        return """
            {"eta": \(eta), "delta_h_true": \(-eta * 1000), "diagnostics": {"weights_sum": \(Double(n)),
             "normalized_weights": [\(w)], "token_counts": [\(t)], "h_new": [\(h)], "base_entropy": 0.8, "ess": 7.5}}
            """
    }.joined(separator: ", ")
    let quad =
        quadratic
        ? ", \"quadratic\": {\"gdotv\": -1.0, \"vHvv\": 5.0, \"per_sequence_vhvv\": [\(vh)], \"variance\": {\"se_gdotv\": 0.5, \"se_vHvv\": 2}}"
        : ""
    return """
        {"approx": {"delta_h_per_lr": -2.0, "per_sequence": [\(perSequence ? g : "")],
         "variance": {"se_shard": 0.25, "se_jackknife": 0.3, "num_shards": 4}\(quad)},
         "true": {"entries": [\(entries)]}}
        """
}

func runSet(_ jsons: [String], folder: String = "E_2048") throws -> EntropyRunSet {
    EntropyRunSet(
        folder: folder,
        runs: try jsons.enumerated().map { i, j in
            try EntropyRunLoader.parse(Array(j.utf8), displayName: "run_0\(i + 1)/results.json", id: "run_0\(i + 1)")
        })
}

func message(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return String(describing: error)
    }
}

@Suite struct LoaderTests {
    @Test func parsesTheFieldsTheNotebooksRead() throws {
        let s = try runSet([runJSON()])
        let r = s.runs[0]
        #expect(r.deltaHPerLr == .double(-2.0))
        #expect(r.gdotv.count == 8)
        #expect(r.numShards == .int(4))
        #expect(r.seVHvv == .int(2))
        #expect(r.entries.count == 2)
        #expect(r.entries[0].tokenCounts.count == 8)
        #expect(try EntropyRunSet(decoding: s.encoded()) == s)
    }

    @Test func errorsNameFileAndField() {
        let bad = runJSON().replacingOccurrences(of: "\"base_entropy\": 0.8", with: "\"base_entropy\": \"x\"")
        let m = message { try runSet([bad]) } ?? ""
        #expect(m.contains("run_01/results.json"))
        #expect(m.contains("true.entries[0].diagnostics.base_entropy"))
        #expect(m.contains("expected a number or null, found a string"))
        let missing = message { try runSet(["{\"approx\": {}}"]) } ?? ""
        #expect(missing.contains("'true'"))
        let syntax = message { try runSet(["{\"approx\": {]"]) } ?? ""
        #expect(syntax.contains("byte"))
    }

    @Test func sampleDataLoads() throws {
        let runs = try SampleRuns.shared.get()
        #expect(runs.e2048.runs.map(\.id) == ["run_01", "run_02", "run_03", "run_04"])
        #expect(runs.e256.runs.count == 6)
        #expect(runs.lin.runs[0].entries.count == 12)
    }
}

@Suite struct DataProblemTests {
    @Test func missingEtaListsWhatTheDataHas() throws {
        let s = try runSet([runJSON()])
        let m =
            message { try PostCorrection.summarizeTruncation(s, run: "run_01", eta: 8e-6, keepQuantile: 0.95) } ?? ""
        #expect(m.contains("eta=8e-06 not found in E_2048/run_01 (it has eta: 1e-06, 2e-06)"))
        let c =
            message {
                try ErrRel.compare(e2048: s, e256: s, eta: 8e-6, sampleSize: 4, numSamples: 3, seed: 0)
            } ?? ""
        #expect(c.contains("No reference DeltaH_true for eta=8e-06") && c.contains("1e-06, 2e-06"))
    }

    @Test func missingRunListsTheRuns() throws {
        let s = try runSet([runJSON(), runJSON()])
        let m = message { try EntropyFigureBuilders.normalizedAbsError(s, run: "run_09", eta: 1e-6) } ?? ""
        #expect(m.contains("run 'run_09' is not in E_2048 (it has: run_01, run_02)"))
    }

    /// An empty approx.per_sequence: what does not need it works, the rest says why it cannot.
    @Test func emptyPerSequence() throws {
        let s = try runSet([runJSON(perSequence: false), runJSON()])
        #expect(s.runs[0].perSequence == .empty)
        _ = try EntropySummaries.postCorrectionSummary(s)
        _ = try EntropySummaries.standardErrors(s)
        _ = try PostCorrection.agreementTable(s)
        _ = try EntropySummaries.aggregateSummaryTable(s)
        _ = try EntropyFigureBuilders.deltaHVsEtaGrid(s)
        _ = try EntropyFigureBuilders.deltaHTrueAggregate(.compute(s))
        let m = message { try PostCorrection.batchTruncationSummary(s, keepQuantiles: [0.9]) } ?? ""
        #expect(
            m.contains(
                "E_2048/run_01: approx.per_sequence is empty; batch_truncation_summary needs the per-sequence linear terms"
            ))
        let h = message { try EntropyFigureBuilders.contributionHistograms(s, run: "run_01", eta: 1e-6) } ?? ""
        #expect(h.contains("approx.per_sequence is empty"))
        let e = message { try ErrRel.sampleAcrossRuns(s, etas: [1e-6], subsetSize: 4, samplesPerEta: 2, seed: 0) } ?? ""
        #expect(e.contains("approx.per_sequence is empty"))
        // run_02 alone is fine
        _ = try EntropyFigureBuilders.contributionHistograms(s, run: "run_02", eta: 1e-6)
    }

    @Test func withoutQuadraticNoLinquad() throws {
        let s = try runSet([runJSON(quadratic: false)])
        let t = try PostCorrection.batchTruncationSummary(s, keepQuantiles: [0.5])
        #expect(!t.columns.contains("delta_linquad_trunc"))
        let f = try EntropyFigureBuilders.contributionHistograms(s, run: "run_01", eta: 1e-6)
        #expect(f.axes.count == 2)
        let csv = try EntropySummaries.standardErrors(s).csv()
        // se_gdotv_raw etc. are all None: empty cells; num_shards stays an integer column.
        #expect(csv.split(separator: "\n")[1].hasSuffix("3e-07,,,,7.5,4"))
    }
}

@Suite struct TableFormatTests {
    @Test func pandasDtypes() {
        var t = DataTable()
        t.append([("i", .int(16)), ("mixed", .int(3)), ("b", .bool(true)), ("bn", .bool(false)), ("s", .string("a,b"))])
        t.append([("i", .int(2)), ("mixed", .none), ("b", .bool(false)), ("bn", .float(.nan)), ("s", .string("x"))])
        t.append([("late", .floatList([1e-06, 0.5]))])
        #expect(
            t.csv() == """
                i,mixed,b,bn,s,late
                16.0,3.0,True,False,"a,b",
                2.0,,False,,x,
                ,,,,,"[1e-06, 0.5]"

                """)
    }
}

@Suite struct StageTests {
    func context(_ runs: EntropyRunSet, _ params: [String: JSONValue], kind: StageKind) throws -> StageContext {
        var values: [String: JSONValue] = [:]
        for p in kind.parameters { values[p.name] = params[p.name] ?? p.defaultValue }
        let a = Artifact(type: EntropyRunSet.artifactType, encoding: .binary, bytes: runs.encoded())
        return StageContext(stageID: "t", parameters: Parameters(values), artifacts: ["runs": a], files: [:])
    }

    @Test func requestedEtaNotInDataFailsTheStage() throws {
        let s = try runSet([runJSON()])
        let kind = EntropyKinds.clipSweep
        let err = message { try kind.run(try context(s, [:], kind: kind)) } ?? ""
        #expect(err.contains("eta=8e-06 not found") && err.contains("1e-06, 2e-06"))
        _ = try kind.run(try context(s, ["eta": .double(2e-6)], kind: kind))
    }

    @Test func tableStageWritesCSV() throws {
        let s = try runSet([runJSON()])
        let kind = EntropyKinds.agreement
        let out = try kind.run(try context(s, [:], kind: kind))
        let csv = String(
            decoding: try #require(out.files["entropy/tables/post_correction_agreement_df.csv"]), as: UTF8.self)
        #expect(csv.hasPrefix("run,eta,delta_true,delta_linear,se_true,se_linear,diff,combined_se,within_1sigma\n"))
    }

    @Test func everyKindIsRegisteredOnce() {
        let names = EntropyKinds.all.map(\.name)
        #expect(Set(names).count == names.count)
        #expect(names.count == 33)  // 31 + entropy.delta-h-true-fits + entropy.runs-table
    }

    @Test func drawArtifactsRoundTrip() throws {
        let c = ErrRel.Comparison(eta: 1.6e-6, synthetic: [0.5, -0.25, .nan], actual: [1e-3])
        let back = try ErrRel.Comparison(decoding: c.encoded())
        #expect(back.eta == c.eta && back.actual == c.actual)
        #expect(back.synthetic.count == 3 && back.synthetic[0] == 0.5 && back.synthetic[2].isNaN)
        let set = ErrRelSampleSet(
            etas: [1.6e-6, 3.2e-6],
            samples: [.init(run: "run_01", eta: 1.6e-6, errRel: 0.1), .init(run: "run_02", eta: 3.2e-6, errRel: -0.2)])
        #expect(try ErrRelSampleSet(decoding: set.encoded()) == set)
        // The other type's bytes are refused.
        #expect(throws: BinaryDecodingError.self) { try ErrRelSampleSet(decoding: c.encoded()) }
    }
}
