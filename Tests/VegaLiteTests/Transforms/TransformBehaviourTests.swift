import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// Names, defaults and the bootstrap interval, checked by hand.
@Suite struct VegaTransformBehaviour {
    /// Default names as vl-convert's `vegalite_to_vega` writes them.
    @Test func binNamesAsVegaLiteWritesThem() throws {
        func names(_ json: JSONValue) throws -> [String] {
            guard case .bin(let b) = try Transform.parse(json, path: "t").operation else { return [] }
            return [b.startName, b.endName]
        }
        #expect(try names(["bin": true, "field": "x"]) == ["bin_maxbins_10_x", "bin_maxbins_10_x_end"])
        #expect(try names(["bin": ["maxbins": 20], "field": "x"]) == ["bin_maxbins_20_x", "bin_maxbins_20_x_end"])
        #expect(try names(["bin": ["step": -1.5], "field": "x"]) == ["bin_step__1_5_x", "bin_step__1_5_x_end"])
        #expect(try names(["bin": ["nice": false], "field": "x"]) == ["bin_nice_false_x", "bin_nice_false_x_end"])
        #expect(try names(["bin": true, "field": "x", "as": "b"]) == ["b", "b_end"])
        #expect(try names(["bin": true, "field": "x", "as": ["lo", "hi"]]) == ["lo", "hi"])
    }

    @Test func defaultOutputNames() throws {
        let data = Dataset(columns: [("k", .numbers([1, 2])), ("v", .numbers([3, 4]))])
        let fold = try Transform.parse(["fold": ["k", "v"]], path: "t").apply(to: data)
        #expect(fold.fields == ["k", "v", "key", "value"] && fold.count == 4)
        let window = try Transform.parse(["window": [["op": "rank"], ["op": "sum", "field": "v"]]], path: "t")
        #expect(try window.apply(to: data).fields == ["k", "v", "rank", "sum_v"])
        let agg = try Transform.parse(["aggregate": [["op": "count"], ["op": "mean", "field": "v"]]], path: "t")
        let out = try agg.apply(to: data)
        #expect(out.fields == ["count", "mean_v"] && out.value("mean_v", 0) == .number(3.5))
        let reg = try Transform.parse(["regression": "v", "on": "k", "as": ["a", "b"]], path: "t")
        #expect(try reg.apply(to: data).fields == ["a", "b"])
    }

    /// Without sort, Vega's comparator says every row differs from the one before.
    @Test func ranksWithoutSortFollowTheRows() throws {
        let data = Dataset(columns: [("v", .numbers([5, 5, 1]))])
        let t = try Transform.parse(
            [
                "window": [
                    ["op": "rank", "as": "r"], ["op": "cume_dist", "as": "c"], ["op": "percent_rank", "as": "p"],
                ]
            ],
            path: "t")
        let out = try t.apply(to: data)
        #expect((0..<3).map { out.value("r", $0) } == [.number(1), .number(2), .number(3)])
        #expect((0..<3).map { out.value("c", $0).numeric } == [1.0 / 3, 2.0 / 3, 1])
        #expect((0..<3).map { out.value("p", $0).numeric } == [0, 0.5, 1])
    }

    /// The encoding-level helper gives what the transform gives.
    @Test func encodingAggregateHelper() {
        let data = Dataset(rows: [
            [("g", .string("a")), ("x", .number(1))], [("g", .string("b")), ("x", .null)],
            [("g", .string("a")), ("x", .number(3))],
        ])
        let out = Transform.aggregate(
            data, groupby: ["g"],
            measures: [(op: .mean, field: "x", as: "mean_x"), (op: .count, field: nil, as: "__count")])
        #expect(out.fields == ["g", "mean_x", "__count"])
        #expect(
            out.value("g", 0) == .string("a") && out.value("mean_x", 0) == .number(2)
                && out.value("__count", 0) == .number(2))
        #expect(out.value("mean_x", 1) == .null && out.value("__count", 1) == .number(1))
    }

    /// ci0/ci1: the seeded bootstrap is the same on every run, brackets the
    /// mean, and is close to the t-interval of the mean (1000 resamples).
    @Test func bootstrapIntervalIsDeterministicAndNearTheTInterval() {
        var g = MeanNormal(state: 12345)
        let values: [Double?] = (0..<200).map { _ in g.next() * 2 + 10 }
        let lo = AggregateOp.ci0.apply(values)
        let hi = AggregateOp.ci1.apply(values)
        #expect(lo == AggregateOp.ci0.apply(values) && hi == AggregateOp.ci1.apply(values))
        let mean = AggregateOp.mean.apply(values) ?? .nan
        let se = AggregateOp.stderr.apply(values) ?? .nan
        guard let lo, let hi else {
            Issue.record("no interval")
            return
        }
        #expect(lo < mean && mean < hi)
        // t(0.975, 199) ≈ 1.972; the bootstrap's endpoints within 15% of the half-width.
        let half = 1.972 * se
        #expect(Swift.abs((mean - lo) - half) < 0.15 * half && Swift.abs((hi - mean) - half) < 0.15 * half)
        #expect(AggregateOp.ci0.apply([nil, nil]) == nil)
        #expect(AggregateOp.ci1.apply([4]) == 4)
    }
}

/// Normal variates by Box–Muller on a 64-bit LCG, for test data.
struct MeanNormal {
    var state: UInt64
    mutating func uniform() -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return (Double(state >> 11) + 0.5) / 9_007_199_254_740_992
    }
    mutating func next() -> Double {
        (-2 * Foundation.log(uniform())).squareRoot() * Foundation.cos(2 * Double.pi * uniform())
    }
}
