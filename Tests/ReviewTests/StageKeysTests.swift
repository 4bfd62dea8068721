import FigpipeBasics
import Pipeline
import Testing

@testable import Review

@Suite struct StageKeysTests {
    func record(_ id: String, key: String, params: [String: JSONValue], inputs: [String: StageRecord.Input])
        -> StageRecord
    {
        StageRecord(id: id, key: key, kind: "k", version: 1, parameters: params, inputs: inputs)
    }

    @Test func aFigureChangedByAFitNamesTheFitsParameter() {
        let base = StageRecords(
            records: [
                "fit": record(
                    "fit", key: "k1", params: ["degree": 2], inputs: ["data": .init(source: "file:a.csv", hash: "aaaa")]
                ),
                "fig": record(
                    "fig", key: "k2", params: [:], inputs: ["fit": .init(source: "stage:fit", hash: "11111111")]),
            ], writers: ["f/fig.png": "fig"])
        let head = StageRecords(
            records: [
                "fit": record(
                    "fit", key: "k3", params: ["degree": 3], inputs: ["data": .init(source: "file:a.csv", hash: "aaaa")]
                ),
                "fig": record(
                    "fig", key: "k4", params: [:], inputs: ["fit": .init(source: "stage:fit", hash: "22222222")]),
            ], writers: ["f/fig.png": "fig"])
        #expect(
            StageKeyDiff.why("f/fig.png", base: base, head: head) == [
                StageKeyChange(
                    stage: "fig", reasons: ["input changed: stage 'fit' output (sha256 11111111 → 22222222)"]),
                StageKeyChange(stage: "fit", reasons: ["params changed: degree 2 → 3"]),
            ])
        #expect(StageKeyDiff.why("f/other.png", base: base, head: head).isEmpty)
        #expect(
            StageKeyDiff.why("f/fig.png", base: head, head: head) == [
                StageKeyChange(stage: "fig", reasons: ["stage key unchanged"])
            ])
    }

    @Test func fileInputsShowTheirPathAndHashes() {
        let old = record(
            "s", key: "a", params: [:], inputs: ["file": .init(source: "file:runs/r.json", hash: "0123456789")])
        let new = record(
            "s", key: "b", params: [:], inputs: ["file": .init(source: "file:runs/r.json", hash: "abcdef0123")])
        #expect(new.changes(since: old) == ["input changed: runs/r.json (sha256 01234567 → abcdef01)"])
    }
}
