import FigpipeBasics
import FigureModel
import Foundation
import Testing

@testable import VegaLite

/// The compiler on small inline data: what each construct of the subset
/// puts into the figure model.
@Suite struct CompilerTests {
    static let rows: JSONValue = [
        ["g": "a", "h": "p", "x": 1, "y": 2, "e": 0.5],
        ["g": "a", "h": "q", "x": 2, "y": 4, "e": 0.5],
        ["g": "b", "h": "p", "x": 3, "y": 8, "e": 1],
        ["g": "b", "h": "q", "x": 4, "y": 16, "e": 1],
    ]

    func compile(_ spec: JSONValue, theme: Theme = .matplotlib) throws -> Figure {
        var s = spec
        if s["data"] == nil && s["datasets"] == nil { s["data"] = ["values": Self.rows] }
        var compiler = VegaLiteCompiler(tables: [:], theme: theme)
        compiler.removesOverlappingLabels = false
        return try compiler.compile(s).figure
    }

    func error(_ spec: JSONValue) -> String? {
        do {
            _ = try compile(spec)
            return nil
        } catch let e as SpecError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    func q(_ field: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = ["field": .string(field), "type": "quantitative"]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    func n(_ field: String, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var o: [String: JSONValue] = ["field": .string(field), "type": "nominal"]
        for (k, v) in extra { o[k] = v }
        return .object(o)
    }

    @Test func scaleTypesReachTheAxes() throws {
        let f = try compile([
            "hconcat": [
                [
                    "mark": "point",
                    "encoding": [
                        "x": q("x", ["scale": ["type": "symlog", "constant": 2]]),
                        "y": q("y", ["scale": ["type": "log", "base": 2]]),
                    ],
                ],
                [
                    "mark": "point",
                    "encoding": [
                        "x": q("x", ["scale": ["type": "sqrt"]]),
                        "y": q("y", ["scale": ["type": "pow", "exponent": 3]]),
                    ],
                ],
            ]
        ])
        #expect(f.axes[0].x.scale == .symlog && f.axes[0].x.symlogConstant == 2)
        #expect(f.axes[0].y.scale == .log && f.axes[0].y.logBase == 2)
        // d3's log ticks in base 2 over the niced domain [2, 16]: the four
        // powers are under half of Vega's count (10), so d3 takes linear ticks.
        #expect(f.axes[0].y.lower == 2 && f.axes[0].y.upper == 16)
        #expect(f.axes[0].y.ticks == (2...16).map(Double.init))
        #expect(f.axes[1].x.scale == .pow && f.axes[1].x.powExponent == 0.5)
        #expect(f.axes[1].y.powExponent == 3)
        // sqrt and pow keep Vega-Lite's zero.
        #expect(f.axes[1].x.lower == 0)
    }

    @Test func domainZeroNiceAndReverse() throws {
        let f = try compile([
            "vconcat": [
                ["mark": "point", "encoding": ["x": q("x"), "y": q("y")]],
                [
                    "mark": "point",
                    "encoding": [
                        "x": q("x", ["scale": ["zero": false, "nice": false]]),
                        "y": q("y", ["scale": ["domain": [0, 20], "reverse": true]]),
                    ],
                ],
            ]
        ])
        // zero and nice: [0, 4] and [0, 16].
        #expect(f.axes[0].x.lower == 0 && f.axes[0].x.upper == 4)
        #expect(f.axes[0].y.lower == 0 && f.axes[0].y.upper == 16)
        #expect(f.axes[1].x.lower == 1 && f.axes[1].x.upper == 4)
        // reversed: the limits swapped, as invert_yaxis.
        #expect(f.axes[1].y.lower == 20 && f.axes[1].y.upper == 0)
        #expect(f.rows == 2 && f.cols == 1)
    }

    @Test func axisProperties() throws {
        let f = try compile([
            "mark": "point",
            "encoding": [
                "x": q(
                    "x",
                    [
                        "axis": [
                            "values": [1, 2.5, 4], "format": ".1f", "title": "the x", "labelAngle": -45, "grid": true,
                        ]
                    ]),
                "y": q("y", ["axis": ["tickCount": 2, "format": ".0%"]]),
            ],
        ])
        #expect(f.axes[0].x.ticks == [1, 2.5, 4])
        #expect(f.axes[0].x.tickLabels == ["1.0", "2.5", "4.0"])
        #expect(f.axes[0].x.label == "the x")
        #expect(f.axes[0].x.tickLabelRotation == 45)
        #expect(f.axes[0].grid != nil)
        // d3's ticks(0, 16, 2): a step of 10.
        #expect(f.axes[0].y.tickLabels == ["0%", "1000%"])
    }

    @Test func categoriesLegendsAndThemes() throws {
        let spec: JSONValue = [
            "mark": "line",
            "encoding": [
                "x": q("x"), "y": q("y"), "color": n("g", ["legend": ["title": "group", "orient": "top-left"]]),
            ],
        ]
        let plain = try compile(spec)
        let legend = try #require(plain.axes[0].legend)
        #expect(legend.title == "group" && legend.loc == 2 && legend.bboxToAnchor == nil)
        #expect(legend.entries?.map(\.label) == ["a", "b"])
        guard case .line(let first) = plain.axes[0].marks[0], case .line(let second) = plain.axes[0].marks[1] else {
            Issue.record("expected two lines")
            return
        }
        #expect(first.color == Color.tab10[0] && second.color == Color.tab10[1])
        #expect(first.x == [1, 2] && second.y == [8, 16])
        let seaborn = try compile(spec, theme: .seaborn)
        if case .line(let l) = seaborn.axes[0].marks[1] { #expect(l.color == Theme.seaborn.colorCycle[1]) }
        var tableau = spec
        tableau["encoding"]?["color"]?["scale"] = ["scheme": "tableau10"]
        if case .line(let l) = try compile(tableau).axes[0].marks[0] { #expect(l.color == Palettes.tableau10[0]) }
        var hidden = spec
        hidden["encoding"]?["color"]?["legend"] = .null
        #expect(try compile(hidden).axes[0].legend == nil)
    }

    @Test func pointChannels() throws {
        let f = try compile([
            "mark": "point",
            "encoding": [
                "x": q("x"), "y": q("y"), "shape": n("h"), "size": q("y"),
                "tooltip": [n("g"), q("y", ["format": ".1f"])],
            ],
        ])
        let scatters = f.axes[0].marks.compactMap { if case .scatter(let s) = $0 { s } else { nil } }
        #expect(scatters.map(\.marker) == [.circle, .square])
        // Sizes: Vega-Lite's 9…361 px² over [0, 16], as points².
        let pp = 0.72 * 0.72
        let pixels: [Double] = (scatters[0].sizes ?? []).map { ($0 / pp).rounded() }
        let expected: [Double] = [53, 185]  // 9 + 352 × 2/16, 9 + 352 × 8/16
        #expect(pixels == expected)
        #expect(scatters[0].hoverTexts == ["g: a<br>y: 2.0", "g: b<br>y: 8.0"])
        // point marks are hollow, at Vega-Lite's 0.7 opacity.
        #expect(scatters[0].colors == [.none])
    }

    /// Vega's labelOverlap: greedy on log axes, parity elsewhere; labels are
    /// blanked until no two (estimated) boxes come within 3 pixels.
    @Test func overlappingLabelsAreBlanked() throws {
        let values: JSONValue = .array((0...12).map { ["v": .double(pow(10, Double($0))), "w": .int($0 * 1000)] })
        let spec: JSONValue = [
            "data": ["values": values], "width": 120, "mark": "point",
            "encoding": ["x": q("v", ["scale": ["type": "log"]]), "y": q("w")],
        ]
        let all = try compile(spec)
        let thinned = try VegaLiteCompiler(tables: [:], theme: .matplotlib).compile(spec).figure
        let allX = try #require(all.axes[0].x.tickLabels)
        let keptX = try #require(thinned.axes[0].x.tickLabels)
        #expect(allX.count == keptX.count)
        #expect(keptX.first == allX.first)
        #expect(keptX.filter { !$0.isEmpty }.count < allX.filter { !$0.isEmpty }.count)
        // Parity on the linear y axis: every other label, from the first.
        let allY = try #require(all.axes[0].y.tickLabels)
        let keptY = try #require(thinned.axes[0].y.tickLabels)
        for (i, label) in keptY.enumerated() where !label.isEmpty { #expect(label == allY[i]) }
    }

    @Test func textFormatsAndPositions() throws {
        let f = try compile([
            "mark": ["type": "text", "align": "left", "dx": 5],
            "encoding": ["x": q("x"), "y": q("y"), "text": q("e", ["format": ".2f"])],
        ])
        let texts = f.axes[0].marks.compactMap { if case .text(let t) = $0 { t } else { nil } }
        #expect(texts.map(\.text) == ["0.50", "0.50", "1.00", "1.00"])
        #expect(texts[0].horizontalAlignment == .left && texts[0].offsetX == 5 * 0.72)
    }

    @Test func barsStackNormalizeAndHorizontal() throws {
        let f = try compile([
            "mark": "bar",
            "encoding": ["y": n("h"), "x": q("y", ["stack": "normalize"]), "color": n("g")],
        ])
        let bars = f.axes[0].marks.compactMap { if case .bars(let b) = $0 { b } else { nil } }
        #expect(bars.allSatisfy { $0.orientation == .horizontal })
        // p: 2/10 and 8/10; q: 4/20 and 16/20; stacked by g descending (b first).
        let b = try #require(bars.first { $0.color == Color.tab10[1] })
        #expect(b.bottoms == [0, 0] && b.values.map { ($0 * 100).rounded() } == [80, 80])
        #expect(f.axes[0].x.upper == 1)
        // The discrete y axis lists its first value at the top.
        #expect(f.axes[0].y.lower ?? 0 > f.axes[0].y.upper ?? 0)
    }

    @Test func errorbarsFromGivenErrors() throws {
        let f = try compile([
            "mark": "errorbar", "encoding": ["x": q("x"), "y": q("y"), "yError": q("e")],
        ])
        guard case .errorBar(let e) = f.axes[0].marks[0] else {
            Issue.record("no error bar")
            return
        }
        #expect(e.yErrLower == [0.5, 0.5, 1, 1] && e.y == [2, 4, 8, 16])
    }

    @Test func facetsRowsAndColumns() throws {
        let f = try compile([
            "mark": "point",
            "encoding": ["x": q("x"), "y": q("y"), "row": n("g"), "column": n("h")],
        ])
        #expect(f.rows == 2 && f.cols == 2)
        #expect(f.axes.map(\.title) == ["g = a, h = p", "g = a, h = q", "g = b, h = p", "g = b, h = q"])
        // Shared scales: the same limits in every cell.
        #expect(Set(f.axes.map(\.y.upper)).count == 1)
    }

    @Test func concatResolveAndWrap() throws {
        let a: JSONValue = [
            "mark": "point", "encoding": ["x": q("x"), "y": q("y")], "transform": [["filter": "datum.g == 'a'"]],
        ]
        let b: JSONValue = [
            "mark": "point", "encoding": ["x": q("x"), "y": q("y")], "transform": [["filter": "datum.g == 'b'"]],
        ]
        let independent = try compile(["hconcat": [a, b]])
        #expect(independent.axes[0].y.upper != independent.axes[1].y.upper)
        let shared = try compile(["hconcat": [a, b], "resolve": ["scale": ["y": "shared"]]])
        #expect(shared.axes[0].y.upper == shared.axes[1].y.upper)
        let wrapped = try compile(["concat": [a, b, a], "columns": 2])
        #expect(wrapped.rows == 2 && wrapped.cols == 2 && wrapped.axes[3].axisOn == false)
    }

    @Test func titlesAndSizes() throws {
        let small = try compile([
            "mark": "point", "encoding": ["x": q("x"), "y": q("y")], "title": ["text": "T", "subtitle": "S"],
            "width": 200,
        ])
        #expect(small.axes[0].title == "T\nS")
        let wide = try compile(["mark": "point", "encoding": ["x": q("x"), "y": q("y")], "width": 600])
        #expect(wide.widthInches - small.widthInches == 4)
    }

    @Test func altairDatasetsAndPlainValues() throws {
        let f = try compile([
            "datasets": ["data-1": [5, 6, 7]], "data": ["name": "data-1"], "mark": "tick",
            "encoding": ["x": q("data")],
        ])
        guard case .scatter(let s) = f.axes[0].marks[0] else {
            Issue.record("no ticks")
            return
        }
        #expect(s.x == [5, 6, 7] && s.marker == .vline)
    }

    @Test(
        arguments: [
            (
                ["mark": "point", "encoding": ["x": ["field": ["repeat": "row"], "type": "quantitative"]]] as JSONValue,
                "encoding.x.field.repeat: \"row\" is not repeated here (no enclosing repeat over row)"
            ),
            (
                [
                    "mark": "point",
                    "encoding": ["color": ["field": "g", "type": "nominal", "scale": ["scheme": "rainbow"]]],
                ],
                "encoding.color.scale.scheme: \"rainbow\" is not supported (supported: category10, tableau10, deep, blog)"
            ),
            (
                [
                    "mark": ["type": "point", "color": "not-a-color"],
                    "encoding": ["x": ["field": "x", "type": "quantitative"]],
                ],
                "mark.color: \"not-a-color\" is not a color"
            ),
            (
                [
                    "mark": "point",
                    "encoding": ["x": ["field": "x", "type": "quantitative", "axis": ["format": ".2.3f"]]],
                ],
                "encoding.x.axis.format"
            ),
            (
                ["mark": "point", "encoding": ["shape": ["field": "x", "type": "quantitative"]]],
                "encoding.shape: a quantitative field on shape is not supported; use nominal or ordinal"
            ),
            (
                ["mark": "point", "encoding": ["x": ["field": "nope", "type": "quantitative"]]],
                "encoding.x.field: no field 'nope' in the data (fields: e, g, h, x, y)"
            ),
            (["layer": [["mark": "point"], ["hconcat": []]]], "layer[1]"),
            (
                ["layer": [["mark": "point"]], "resolve": ["scale": ["y": "independent"]]],
                "resolve: independent scales in a layer (a second axis) are not supported"
            ),
            (
                ["hconcat": [["mark": "point"]], "resolve": ["legend": ["color": "independent"]]],
                "resolve.legend.color: \"independent\" is not supported"
            ),
        ] as [(JSONValue, String)])
    func errorsNameTheirPath(_ spec: JSONValue, _ expected: String) {
        let message = error(spec) ?? "no error"
        #expect(message.hasPrefix(expected), "\(message)")
    }
}
