import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// Every spec problem of a transform is a SpecError at its JSON path.
@Suite struct VegaTransformErrors {
    func error(_ json: JSONValue) -> SpecError? {
        do {
            _ = try Transform.parseAll(json, path: "transform")
            return nil
        } catch { return error }
    }

    @Test func parseErrorsNameThePath() {
        let cases: [(JSONValue, String)] = [
            (
                [["foo": 1]],
                "transform[0]: unknown transform with keys [foo]; expected one of filter, calculate, aggregate, joinaggregate, bin, fold, window, regression, loess"
            ),
            ([["density": "x"]], "transform[0].density: the density transform is not supported"),
            (
                [["filter": "true"], ["calculate": "1", "as": "a", "extra": 2]],
                "transform[1].extra: \"extra\" is not supported (expected one of as, calculate)"
            ),
            ([["calculate": "1"]], "transform[0].as: missing"),
            ([["filter": "bar(1)"]], "transform[0].filter: unsupported function 'bar' at position 0 of the expression"),
            (
                [["filter": ["field": "x", "lt": 1, "gt": 0]]],
                "transform[0].filter: a field predicate needs exactly one of equal, lt, lte, gt, gte, range, oneOf, valid, found 2"
            ),
            (
                [["filter": ["and": [["field": "x", "equal": ["year": 2000]]]]]],
                "transform[0].filter.and[0].equal: expected a number, string or boolean, found object"
            ),
            (
                [["filter": ["field": "x", "timeUnit": "year", "equal": 2000]]],
                "transform[0].filter.timeUnit: timeUnit predicates are not supported"
            ),
            (
                [["filter": ["not": ["field": "x", "between": 1]]]],
                "transform[0].filter.not.between: \"between\" is not supported in a field predicate (expected one of equal, field, gt, gte, lt, lte, oneOf, range, valid)"
            ),
            (
                [["aggregate": [["op": "modeish", "field": "x", "as": "m"]]]],
                "transform[0].aggregate[0].op: unsupported aggregate operation 'modeish'"
            ),
            (
                [["aggregate": [["op": "mean", "as": "m"]]]],
                "transform[0].aggregate[0].field: missing (mean needs a field)"
            ),
            (
                [["joinaggregate": [["op": "sum", "field": "x"]], "groupby": "g"]],
                "transform[0].groupby: expected an array of strings"
            ),
            (
                [["window": [["op": "lag", "field": "x"]]]],
                "transform[0].window[0].op: unsupported window operation 'lag'"
            ),
            (
                [["window": [["op": "rank"]], "frame": [1]]],
                "transform[0].frame: expected [start, end] offsets (numbers or null)"
            ),
            (
                [["window": [["op": "rank"]], "sort": [["field": "x", "order": "up"]]]],
                "transform[0].sort[0].order: expected ascending or descending"
            ),
            ([["fold": ["a"], "as": ["k"]]], "transform[0].as: expected two names [key, value]"),
            (
                [["bin": ["maxbin": 5], "field": "x"]],
                "transform[0].bin.maxbin: \"maxbin\" is not supported (expected one of anchor, base, divide, extent, maxbins, minstep, nice, span, step, steps)"
            ),
            ([["bin": "yes", "field": "x"]], "transform[0].bin: expected true or an object of bin parameters"),
            (
                [["regression": "y", "on": "x", "method": "spline"]],
                "transform[0].method: unsupported regression method 'spline'"
            ),
            (
                [["regression": "y", "on": "x", "order": 2]],
                "transform[0].order: order applies only to the poly method"
            ),
            ([["loess": "y", "on": "x", "bandwidth": 0]], "transform[0].bandwidth: expected a number in (0, 1]"),
            (
                [["regression": "y", "on": "x", "filter": "true"]],
                "transform[0]: a transform has one kind, found filter and regression"
            ),
            (["filter": "true"], "transform: expected an array of transforms"),
            ([3], "transform[0]: expected an object, found integer"),
        ]
        for (json, message) in cases {
            #expect(error(json)?.description == message, "\(json)")
        }
    }

    @Test func runtimeErrorsNameThePath() throws {
        let data = Dataset(columns: [("x", .numbers([1, 2, 3])), ("y", .numbers([1, 2, 4]))])
        let t = try Transform.parse(["regression": "yy", "on": "x"], path: "transform[2]")
        #expect(throws: SpecError("transform[2].regression", "field 'yy' is not in the data (fields: x, y)")) {
            try t.apply(to: data)
        }
        let l = try Transform.parse(["loess": "y", "on": "q"], path: "transform[0]")
        #expect(throws: SpecError("transform[0].loess", "field 'q' is not in the data (fields: x, y)")) {
            try l.apply(to: data)
        }
    }
}
