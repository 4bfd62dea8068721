import Foundation
import Pipeline
import PipelineTesting
import Testing

/// Which ready stage starts first: the costliest path to the end of the
/// pipeline (`StageKind.cost`), then pipeline order.
@Suite struct SchedulingTests {
    /// `test.upper` under another name, declared costly.
    static func costlyUpper(log: InvocationLog) throws -> StageKind {
        var kind = try #require(TestKinds.all(log: log).first { $0.name == "test.upper" })
        kind.name = "test.costly-upper"
        kind.cost = 5
        return kind
    }

    /// Sources a, b, c; x reads a; y (of kind `yKind`) reads c. Returns the start order with --jobs 1.
    func startOrder(yKind: String) throws -> [String] {
        let p = Project()
        p.registry = p.registry.merging([try Self.costlyUpper(log: p.log)])
        for name in ["a", "b", "c"] { try p.writeData("\(name).txt", name) }
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("b", "test.source", inputs: ["file": "b.txt"]),
            stage("c", "test.source", inputs: ["file": "c.txt"]),
            stage("x", "test.upper", inputs: ["in": "a"]),
            stage("y", yKind, inputs: ["in": "c"]),
        ])
        let observer = RecordingObserver()
        let summary = try p.run(jobs: 1, observer: observer)
        #expect(summary.failed == 0)
        return observer.started
    }

    @Test func theCostliestChainStartsFirst() throws {
        // c leads to the costly y: it starts first, and y as soon as it is ready.
        #expect(try startOrder(yKind: "test.costly-upper") == ["c", "y", "a", "b", "x"])
    }

    @Test func withoutCostsStagesStartInPipelineOrder() throws {
        #expect(try startOrder(yKind: "test.upper") == ["a", "b", "c", "x", "y"])
    }
}
