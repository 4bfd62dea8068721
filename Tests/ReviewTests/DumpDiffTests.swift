import FigpipeBasics
import Testing

@testable import Review

@Suite struct DumpDiffTests {
    static func dump(
        title: String = "ΔH", y: [JSONValue] = [1.0, 2.0, 3.0, 4.0, 5.0], tickLabels: [JSONValue] = ["0", "2", "4"],
        xlim: [JSONValue] = [0, 5]
    ) -> JSONValue {
        [
            "axes": [
                [
                    "title": .string(title),
                    "lines": [["label": "fit", "x": [1, 2, 3, 4, 5], "y": .array(y)]],
                    "xticks": ["values": [0, 2, 4], "labels": .array(tickLabels)],
                    "xlim": .array(xlim),
                ]
            ]
        ]
    }

    let base = Self.dump()

    @Test func identicalDumpsHaveNoChanges() {
        #expect(DumpDiff.changes(base, base).isEmpty)
    }

    @Test func numericArraysAreSummarizedWithTheLargestDifference() throws {
        let new = Self.dump(y: [1.0, 2.5, 3.0, 4.0, 4.0])
        let changes = DumpDiff.changes(base, new)
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.path == "axes[0].lines[0 \"fit\"].y")
        #expect(change.category == .marks)
        #expect(change.summary == "2 of 5 values changed, max |Δ| 1 at [4]: 5 → 4")
        #expect(change.maxDelta == 1)
    }

    @Test func ticksLabelsAndLimitsAreCategorized() {
        let changes = DumpDiff.changes(
            base, Self.dump(title: "ΔH (bits)", tickLabels: ["0", "2", "4", "6"], xlim: [0, 6]))
        let byPath = Dictionary(uniqueKeysWithValues: changes.map { ($0.path, $0) })
        #expect(byPath["axes[0].title"]?.summary == "\"ΔH\" → \"ΔH (bits)\"")
        #expect(byPath["axes[0].title"]?.category == .labels)
        #expect(byPath["axes[0].xlim"]?.category == .limits)
        #expect(byPath["axes[0].xlim"]?.summary == "[0, 5] → [0, 6], max |Δ| 1 at [1]: 5 → 6")
        #expect(byPath["axes[0].xticks.labels"]?.category == .ticks)
        #expect(byPath["axes[0].xticks.labels"]?.summary == "3 → 4 items")
    }

    @Test func addedAndRemovedKeysAreNamed() {
        let old: JSONValue = ["a": 1, "b": "x"]
        let new: JSONValue = ["a": 1.5, "c": true]
        #expect(
            DumpDiff.changes(old, new).map(\.summary) == ["1 → 1.5 (Δ +0.5)", "removed (was \"x\")", "added: true"])
    }
}
