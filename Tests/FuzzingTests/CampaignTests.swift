import Foundation
import Fuzzing
import Testing

/// The fuzzer inside `make test`: 80 mutants of every input kind
/// (seeded, so every run makes the same ones), each run by the real figpipe
/// binary in a child process with a time limit. Fails when any mutant crashes,
/// hangs, leaves partial output or fails without a message. `make fuzz N=…`
/// runs longer campaigns (80 keeps `make test` inside its six minutes on two
/// cores). FIGPIPE_FUZZ_COUNT and FIGPIPE_FUZZ_SEED override
/// the count and the seed.
@Suite struct Campaigns {
    @Test func everyFamilySurvivesItsMutants() async throws {
        let figpipe = try figpipeBinary()
        let work = scratchDirectory("figpipe-fuzz")
        defer { try? FileManager.default.removeItem(atPath: work) }
        var options = CampaignOptions(repositoryRoot: repositoryRoot, figpipe: figpipe, workDirectory: work)
        options.seed = UInt64(environmentInt("FIGPIPE_FUZZ_SEED", 1))
        options.mutantsPerFamily = environmentInt("FIGPIPE_FUZZ_COUNT", 80)
        options.profile = .quick
        options.workers = 2
        options.timeLimit = 20
        options.failuresDirectory = repositoryRoot + "/.build/fuzz-failures"
        let chosen = options
        let report = try await onThread { try Campaign.run(chosen) }

        print("Fuzzing (Tests/FuzzingTests):\n" + report.table)
        #expect(report.setupProblems.isEmpty, "\(report.setupProblems.joined(separator: "\n"))")
        #expect(report.records.count == options.families.count * options.mutantsPerFamily)
        let failures = report.failures
        for f in failures.prefix(25) { Issue.record("\(f.summary)") }
        #expect(
            failures.isEmpty,
            "\(failures.count) mutants crashed, hung or left partial output; saved under \(options.failuresDirectory ?? "")"
        )
    }
}
