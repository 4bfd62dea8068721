import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// Fixtures/aggregate.json: every aggregate operation on six groups, as
/// vegafusion computes it (product and stderr, which it does not run, by
/// numpy; scripts/make_vega_fixtures.py).
@Suite struct VegaAggregate {
    static let fixture = fixtureJSON("aggregate")

    /// Where vegafusion 2.0.3 departs from Vega (vega-transforms
    /// AggregateOps, as vl-convert 1.9.0's Vega draws it), which figpipe
    /// follows: Vega leaves variancep and stdevp undefined for a single value
    /// (`valid > 1`), and a sum over no valid value undefined too.
    static let vegaDiffers: [String: [String: Double?]] = [
        "single": ["variancep": nil, "stdevp": nil],
        "all null": ["sum": nil],
    ]

    @Test func everyOperationMatches() throws {
        let groups = try #require(Self.fixture["groups"]?.arrayValue)
        #expect(groups.count == 6)
        for g in groups {
            let name = try #require(g["group"]?.stringValue)
            let values = (g["values"]?.arrayValue ?? []).map(\.numberValue)
            let results = try #require(g["results"]?.objectValue)
            #expect(results.count == 17)
            for (opName, expected) in results {
                let op = try #require(AggregateOp(rawValue: opName), "\(opName)")
                let override = Self.vegaDiffers[name].flatMap { $0.keys.contains(opName) ? $0[opName] : nil }
                let want: Double? = override ?? expected.numberValue
                let got = op.apply(values)
                switch (got, want) {
                case (nil, nil): break
                case (let a?, let b?):
                    #expect(
                        a == b || Swift.abs(a - b) <= 1e-9 * Swift.max(Swift.abs(a), Swift.abs(b)), "\(name) \(opName)")
                default: Issue.record("\(name) \(opName): \(String(describing: got)) vs \(String(describing: want))")
                }
            }
        }
    }

    @Test func namesAsVegaLiteWritesThem() {
        #expect(AggregateOp.mean.fieldName(of: "loss") == "mean_loss")
        #expect(AggregateOp.count.fieldName(of: nil) == "__count")
    }
}
