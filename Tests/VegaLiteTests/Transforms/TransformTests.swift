import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// A fixture's rows as a dataset.
func dataset(_ json: JSONValue?) -> Dataset {
    let rows = (json?.arrayValue ?? []).map { row in
        (row.objectValue ?? [:]).sorted { $0.key < $1.key }.map { (k, v) -> (String, FieldValue) in
            switch v {
            case .int(let i): (k, .number(Double(i)))
            case .double(let d): (k, .number(d))
            case .string(let s): (k, .string(s))
            case .bool(let b): (k, .boolean(b))
            default: (k, .null)
            }
        }
    }
    return Dataset(rows: rows)
}

/// Equal within 1e-9 of the larger magnitude (or 1e-9 absolutely near 0).
func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    a == b || Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

func same(_ a: FieldValue, _ b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.number(let x), .null): return x.isNaN
    case (.number(let x), _): return b.numberValue.map { close(x, $0) } ?? false
    case (.string(let s), .string(let t)): return s == t
    case (.boolean(let p), .bool(let q)): return p == q
    default: return false
    }
}

/// Fixtures/transforms.json: transform lists on small tables, as vegafusion
/// 2.0.3 runs them (two closed-range filters it cannot run, by pandas), and
/// regression and loess computed independently in Python (numpy least
/// squares, a recursive adaptive sampler, a direct loess); see
/// scripts/make_vega_fixtures.py.
@Suite struct VegaTransforms {
    static let fixture = fixtureJSON("transforms")

    @Test func everyCaseMatchesTheFixture() throws {
        let cases = try #require(Self.fixture["cases"]?.arrayValue)
        #expect(cases.count >= 30)
        for c in cases {
            let name = c["name"]?.stringValue ?? ""
            let transforms = try Transform.parseAll(c["transform"], path: "transform")
            let out = try Transform.apply(transforms, to: dataset(c["rows"]))
            // Rows vegafusion drops where Vega keeps them (a comparison with a
            // null field, which JavaScript takes as 0): the input rows, listed by the generator.
            let alsoKept = (c["vegaAlsoKeeps"]?.arrayValue ?? []).compactMap(\.numberValue)
            let inputs = c["rows"]?.arrayValue ?? []
            let expected =
                (c["expected"]?.arrayValue ?? [])
                + inputs.filter { r in alsoKept.contains(r["i"]?.numberValue ?? -1) }
            #expect(out.count == expected.count, "\(name): \(out.count) rows, expected \(expected.count)")
            guard out.count == expected.count else { continue }
            let sortFields = (c["sort"]?.arrayValue ?? []).compactMap(\.stringValue)
            let order = (0..<out.count).sorted { a, b in
                for f in sortFields {
                    let r = JavaScript.ascending(out.value(f, a), out.value(f, b))
                    if r != 0 { return r < 0 }
                }
                return a < b
            }
            let expectedSorted = expected.sorted { a, b in
                for f in sortFields {
                    let x = dataset(.array([a])).value(f, 0)
                    let y = dataset(.array([b])).value(f, 0)
                    let r = JavaScript.ascending(x, y)
                    if r != 0 { return r < 0 }
                }
                return false
            }
            let expectedFields = Set(expectedSorted.first?.objectValue?.keys.map { $0 } ?? [])
            if !expectedSorted.isEmpty { #expect(Set(out.fields) == expectedFields, "\(name): fields \(out.fields)") }
            for (row, want) in zip(order, expectedSorted) {
                for (field, value) in want.objectValue ?? [:] {
                    let got = out.value(field, row)
                    #expect(same(got, value), "\(name): row \(row) \(field) = \(got), expected \(value)")
                }
            }
        }
    }

    static func pair(_ json: JSONValue) -> (Double, Double) {
        let a = json.arrayValue ?? []
        return (a.first?.numberValue ?? .nan, a.count > 1 ? a[1].numberValue ?? .nan : .nan)
    }

    static func points(_ data: Dataset, x: String = "x", y: String = "y") -> [(Double, Double)] {
        (0..<data.count).map { (data.value(x, $0).numeric, data.value(y, $0).numeric) }
    }

    @Test func regressionMatchesNumpy() throws {
        let rows = dataset(Self.fixture["regression"]?["rows"])
        let cases = try #require(Self.fixture["regression"]?["cases"]?.arrayValue)
        #expect(cases.count == 9)
        for c in cases {
            let name = c["name"]?.stringValue ?? ""
            var spec = try #require(c["transform"]?.arrayValue)
            let curve = try Transform.apply(try Transform.parseAll(.array(spec), path: "transform"), to: rows)
            let want = (c["points"]?.arrayValue ?? []).map(Self.pair)
            let got = Self.points(curve)
            #expect(got.count == want.count, "\(name): \(got.count) points, expected \(want.count)")
            for (g, w) in zip(got, want) {
                #expect(close(g.0, w.0) && close(g.1, w.1, 1e-8), "\(name): \(g) vs \(w)")
            }
            // The same fit with params: true.
            if case .object(var r) = spec[1] {
                r["params"] = true
                spec[1] = .object(r)
            }
            let params = try Transform.apply(try Transform.parseAll(.array(spec), path: "transform"), to: rows)
            #expect(params.count == 1)
            let coef = (c["params"]?["coef"]?.arrayValue ?? []).compactMap(\.numberValue)
            for (i, w) in coef.enumerated() {
                let g = params.value("coef_\(i)", 0).numeric
                #expect(close(g, w, 1e-8), "\(name) coef \(i): \(g) vs \(w)")
            }
            let r2 = try #require(c["params"]?["rSquared"]?.numberValue)
            #expect(close(params.value("rSquared", 0).numeric, r2, 1e-8), "\(name) rSquared")
        }
    }

    @Test func loessMatchesADirectImplementation() throws {
        let rows = dataset(Self.fixture["loess"]?["rows"])
        let cases = try #require(Self.fixture["loess"]?["cases"]?.arrayValue)
        #expect(cases.count == 4)
        for c in cases {
            let name = c["name"]?.stringValue ?? ""
            let out = try Transform.apply(try Transform.parseAll(c["transform"], path: "transform"), to: rows)
            let want = (c["points"]?.arrayValue ?? []).map(Self.pair)
            let got = Self.points(out)
            #expect(got.count == want.count, "\(name)")
            for (g, w) in zip(got, want) {
                #expect(close(g.0, w.0, 1e-6) && close(g.1, w.1, 1e-6), "\(name): \(g) vs \(w)")
            }
        }
    }

    /// Regression groups: partitioned by groupby in order of first
    /// appearance, each with its groupby field; a group with no more rows
    /// than parameters (here one row for linear) is skipped.
    @Test func regressionGroupsAndSkipsSmallGroups() throws {
        let data = Dataset(columns: [
            ("g", .values([.string("b"), .string("a"), .string("b"), .string("c"), .string("a")])),
            ("x", .numbers([0, 1, 2, 5, 3])), ("y", .numbers([1, 2, 5, 0, 6])),
        ])
        let t = try Transform.parse(["regression": "y", "on": "x", "groupby": ["g"]], path: "transform[0]")
        let out = try t.apply(to: data)
        #expect(out.fields == ["g", "x", "y"])
        #expect((0..<out.count).map { out.value("g", $0) } == [.string("b"), .string("b"), .string("a"), .string("a")])
        #expect(Self.points(out).map(\.1) == [1, 5, 2, 6])
    }
}
