import DelphiFigures
import Foundation
import Testing

@Suite struct LoaderTests {
    @Test func namesFollowTheExporter() {
        // The adamh keys come before "nemo": AdamH optimal runs contain "nemotron".
        #expect(DelphiNames.quantizer("adamh-scaling-ladder-nemotron-optimal-1e+22-v5-seed7-x") == DelphiNames.adamH)
        #expect(DelphiNames.quantizer("nemotron-isoflop-3e+18-d576") == DelphiNames.cAdamC)
        #expect(DelphiNames.quantizer("other") == "Unknown")
        #expect(DelphiNames.runType("x-OPTIMAL-y") == "optimal")
        #expect(DelphiNames.seed("a-optimal-1e+22-v5-seed42-abc") == "42")
        #expect(DelphiNames.seed("a-optimal-1e+22-v5-abc") == "default")
        #expect(DelphiNames.seed("a-seedx-seed7-b") == "7")
    }

    @Test func runsDropRowsWithMissingNumbersAndMatchTheGrid() throws {
        let json = #"""
            [{"name": "adamh_scaling_v6-isoflop-a", "loss": 3, "tokens": 1e9, "params": 1e8, "total_gflops": 1.04e9},
             {"name": "nemotron-isoflop-b", "loss": 3, "tokens": 1e9, "params": 1e8, "total_gflops": 1.0e9},
             {"name": "nemotron-isoflop-c", "loss": 3, "tokens": 1e9, "params": 2e8, "total_gflops": 1.0e9},
             {"name": "nemotron-isoflop-d", "loss": null, "tokens": 1e9, "params": 1e8, "total_gflops": 1.0e9}]
            """#
        let runs = try DelphiRuns.load(bytes: Array(json.utf8), displayName: "runs.json")
        #expect(runs.loadedCount == 3)
        #expect(runs.runs.map(\.name) == ["adamh_scaling_v6-isoflop-a", "nemotron-isoflop-b"])
        #expect(!runs.hasState)
        #expect(runs.runs[0].gflopsQ == 1.0e9)
    }

    @Test func runsErrorsNameTheFileRowAndField() {
        let json = #"[{"name": "x", "loss": "high", "tokens": 1, "params": 1, "total_gflops": 1}]"#
        #expect(throws: DelphiDataError.self) { try DelphiRuns.load(bytes: Array(json.utf8), displayName: "runs.json") }
        do {
            _ = try DelphiRuns.load(bytes: Array(json.utf8), displayName: "runs.json")
        } catch let e as DelphiDataError {
            #expect(e.message == "runs.json: run 0 (x): field 'loss' must be a number, got string")
        } catch {}
    }

    @Test func sweepGatingGivesTheExporterMessages() throws {
        func skipped(_ bytes: [UInt8]?) throws -> String? {
            if case .skipped(let m) = try DelphiSweep.load(bytes: bytes, displayName: "hparam_sweep.json") { return m }
            return nil
        }
        #expect(try skipped(nil)?.hasPrefix("sweep cache not found at hparam_sweep.json") == true)
        #expect(
            try skipped(Array("[]".utf8)) == "sweep cache hparam_sweep.json is empty — skipping hparam-scaling figure.")
        #expect(
            try skipped(Array(#"[{"state": "finished", "tokens": 1}]"#.utf8))
                == "sweep cache missing columns ['eval/paloma/macro_loss', 'batch_size', 'hidden_dim', 'lr', 'adam_lr', 'epsilon', 'beta1', 'beta2'] — skipping hparam-scaling figure."
        )
    }

    @Test func evalGatingDropsViewsAndKeepsTheFigure() throws {
        var log: [String] = []
        let mmlu = #"[{"budget": 3e18, "shot": 0, "accuracy": 0.25, "choice_logprob": -1.3}]"#
        let evals = try DelphiEvals.load(
            mmlu: Array(mmlu.utf8), mmluExternal: nil, humaneval: Array("[]".utf8),
            humanevalExternal: Array(#"[{"display_name": "a"}]"#.utf8), gsm8k: nil, gsm8kExternal: nil,
            names: { $0 }, log: { log.append($0) })
        let e = try #require(evals)
        #expect(e.mmlu.count == 1 && e.humaneval == nil && e.gsm8k == nil && e.mmluExternal == nil)
        #expect(log.contains("humaneval cache humaneval.json is empty — skipping HumanEval dropdown."))
        #expect(log.contains("humaneval-external cache missing columns ['macro_bpb', 'pass_at_1'] — skipping."))
        #expect(log.contains { $0.hasPrefix("gsm8k cache not found at gsm8k.json") })
        var log2: [String] = []
        let none = try DelphiEvals.load(
            mmlu: nil, mmluExternal: nil, humaneval: nil, humanevalExternal: nil, gsm8k: nil, gsm8kExternal: nil,
            names: { $0 }, log: { log2.append($0) })
        #expect(none == nil)
        #expect(log2.first?.hasPrefix("mmlu cache not found at mmlu.json — skipping downstream-evals figure.") == true)
    }

    @Test func axisTickHelpers() {
        let (vals, text) = DelphiHparamSweep.logAxisTicks(log(0.99e-4), log(2.5e-3))
        #expect(text == ["1e-4", "2e-4", "5e-4", "1e-3", "2e-3"])
        #expect(vals.count == 5)
        let (bv, bt) = DelphiHparamSweep.betaAxisTicks(log(1 - 0.9999), log(1 - 0.9))
        #expect(bt.count <= 5 && bt.first == "0.9")
        #expect(bv.count == bt.count)
    }
}
