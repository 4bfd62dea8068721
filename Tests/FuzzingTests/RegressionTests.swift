import Foundation
import Fuzzing
import Testing

/// The inputs that crashed or hung figpipe (Fixtures/regressions/regressions.json):
/// each must end in a clean error that names the file (and the field and
/// value), with the other stages still finishing, or exit 2 before anything
/// runs for a pipeline.json defect.
@Suite(.serialized) struct Regressions {
    static let manifest =
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)
        .map { $0.appendingPathComponent("regressions/regressions.json").path } ?? ""

    static let all: [Regression] = (try? Regression.load(manifest)) ?? []

    @Test func theManifestLoads() throws {
        let loaded = try Regression.load(Self.manifest)
        #expect(loaded.count >= 17)
        #expect(Set(loaded.map(\.name)).count == loaded.count)
    }

    @Test(arguments: all)
    func endsInACleanError(_ regression: Regression) async throws {
        let figpipe = try figpipeBinary()
        let work = scratchDirectory("figpipe-regression")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let outcome = try await onThread {
            try regression.run(repositoryRoot: repositoryRoot, figpipe: figpipe, workDirectory: work)
        }
        #expect(
            outcome.problems.isEmpty,
            """
            \(regression.name) (\(regression.issue)): \(outcome.problems.joined(separator: "; "))
            figpipe \(outcome.arguments.joined(separator: " ")) → \(outcome.result.status)
            stderr: \(outcome.result.stderr.suffix(1500))
            """)
    }
}
