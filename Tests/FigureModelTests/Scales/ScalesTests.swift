import Foundation
import Testing

@testable import FigureModel

// Fixtures: Fixtures/make_scales_fixtures.py (matplotlib 3.11.2, numpy 2.4.6).
// Each figure's marks and axis settings are rebuilt as a `Figure`; its
// limits come from `Scales.limits`, its ticks from `Scales.ticks` with the
// axes size matplotlib laid out; both are compared with what matplotlib drew.

// MARK: - Fixture schema

struct ScalesFixtureFile: Decodable {
    let versions: [String: String]
    let figures: [ScalesFixtureFigure]
}

struct ScalesFixtureFigure: Decodable {
    let name: String
    let size_inches: [Double]
    let dpi: Double
    let rows: Int
    let cols: Int
    let sharex: Bool
    let sharey: Bool
    let axes: [ScalesFixtureAxes]
}

struct ScalesFixtureAxes: Decodable {
    let marks: [ScalesFixtureMark]
    let x: ScalesFixtureAxis
    let y: ScalesFixtureAxis
    let size_points: [Double]
    let out: ScalesFixtureOut
}

struct ScalesFixtureMark: Decodable {
    let kind: String
    let x: [Double?]?
    let y: [Double?]?
    let y1: [Double?]?
    let y2: [Double?]?
    let positions: [Double?]?
    let widths: [Double?]?
    let values: [Double?]?
    let bottoms: [Double?]?
    let align: String?
    let orientation: String?
    let histogram: Bool?
    let value: Double?
    let from: Double?
    let to: Double?
    let lower: Double?
    let upper: Double?
    let yerr_lower: [Double?]?
    let yerr_upper: [Double?]?
    let xerr_lower: [Double?]?
    let xerr_upper: [Double?]?
}

struct ScalesFixtureFormatter: Decodable {
    let kind: String
    let format: String?
    let xmax: Double?
    let decimals: Int?
}

struct ScalesFixtureAxis: Decodable {
    let scale: String
    let lower: Double?
    let upper: Double?
    let ticks: [Double?]?
    let ticklabels: [String]?
    let formatter: ScalesFixtureFormatter?
    let margin: Double?
    let inverted: Bool
}

struct ScalesFixtureMinor: Decodable {
    let values: [Double?]
    let labels: [String]
}

struct ScalesFixtureTicks: Decodable {
    let values: [Double?]
    let labels: [String]
    let minor: ScalesFixtureMinor
}

struct ScalesFixtureOut: Decodable {
    let xlim: [Double?]
    let ylim: [Double?]
    let xticks: ScalesFixtureTicks
    let yticks: ScalesFixtureTicks
    let xoffset: String
    let yoffset: String
}

// MARK: - Conversion to the figure model

private func nums(_ a: [Double?]?) -> [Double] { (a ?? []).map { $0 ?? .nan } }

extension ScalesFixtureMark {
    var mark: Mark? {
        switch kind {
        case "line": return .line(LineMark(x: nums(x), y: nums(y)))
        case "scatter": return .scatter(ScatterMark(x: nums(x), y: nums(y)))
        case "bars":
            return .bars(
                BarMark(
                    positions: nums(positions), values: nums(values), widths: nums(widths), bottoms: nums(bottoms),
                    align: align == "edge" ? .edge : .center,
                    orientation: orientation == "horizontal" ? .horizontal : .vertical,
                    isHistogram: histogram ?? false))
        case "vline": return .referenceLine(ReferenceLineMark(.vertical, at: value ?? 0, from: from ?? 0, to: to ?? 1))
        case "hline":
            return .referenceLine(ReferenceLineMark(.horizontal, at: value ?? 0, from: from ?? 0, to: to ?? 1))
        case "vspan": return .span(SpanMark(.vertical, lower ?? 0, upper ?? 0))
        case "hspan": return .span(SpanMark(.horizontal, lower ?? 0, upper ?? 0))
        case "band": return .fill(FillMark(band: nums(x), nums(y1), nums(y2)))
        case "polygon": return .fill(FillMark(polygon: nums(x), nums(y)))
        case "errorbar":
            var e = ErrorBarMark(x: nums(x), y: nums(y))
            e.yErrLower = yerr_lower.map { nums($0) }
            e.yErrUpper = yerr_upper.map { nums($0) }
            e.xErrLower = xerr_lower.map { nums($0) }
            e.xErrUpper = xerr_upper.map { nums($0) }
            return .errorBar(e)
        default: return nil
        }
    }
}

extension ScalesFixtureAxis {
    var axis: Axis {
        var a = Axis(
            scale: scale == "log" ? .log : .linear, lower: lower, upper: upper, ticks: ticks.map { nums($0) },
            tickLabels: ticklabels)
        a.margin = margin
        a.inverted = inverted
        if let f = formatter {
            switch f.kind {
            case "strMethod": a.formatter = .strMethod(f.format ?? "")
            case "percent": a.formatter = .percent(xmax: f.xmax ?? 100, decimals: f.decimals)
            case "plain": a.formatter = .plain
            default: break
            }
        }
        return a
    }
}

extension ScalesFixtureFigure {
    var figure: Figure {
        var fig = Figure(
            widthInches: size_inches[0], heightInches: size_inches[1], dpi: dpi, rows: rows, cols: cols,
            sharex: sharex, sharey: sharey)
        fig.axes = axes.map { fa in
            var ax = Axes()
            ax.x = fa.x.axis
            ax.y = fa.y.axis
            ax.marks = fa.marks.compactMap(\.mark)
            return ax
        }
        return fig
    }
}

// MARK: - Comparison (the rules of shared/reference/compare.py)

enum ScalesCompare {
    static func normalize(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{2212}", with: "-").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func valuesClose(_ a: Double, _ b: Double, rtol: Double = 1e-6, atol: Double = 1e-12) -> Bool {
        if a.isNaN && b.isNaN { return true }
        return abs(a - b) <= max(atol, rtol * max(abs(a), abs(b)))
    }

    static func limitsClose(_ ref: [Double], _ ours: [Double], linear: Bool, rtol: Double = 1e-3) -> Bool {
        guard ref.count == 2, ours.count == 2 else { return false }
        let span = abs(ref[1] - ref[0])
        for (a, b) in zip(ref, ours) {
            let scale = linear ? max(abs(a), abs(b), span) : max(abs(a), abs(b))
            if !(abs(a - b) <= max(1e-12, rtol * scale)) { return false }
        }
        return true
    }

    /// Differences between matplotlib's ticks and ours, as messages.
    static func ticks(_ where_: String, ref: ScalesFixtureTicks, ours: ResolvedAxis) -> [String] {
        var out: [String] = []
        let rv = nums(ref.values)
        let ov = ours.major.map(\.value)
        if rv.count != ov.count || zip(rv, ov).contains(where: { !valuesClose($0, $1) }) {
            out.append("\(where_) major values: ref \(rv) ours \(ov)")
        }
        let rl = ref.labels.map(normalize)
        let ol = ours.major.map { normalize($0.label) }
        if rl != ol { out.append("\(where_) major labels: ref \(rl) ours \(ol)") }
        let rmv = nums(ref.minor.values)
        let omv = ours.minor.map(\.value)
        if rmv.count != omv.count || zip(rmv, omv).contains(where: { !valuesClose($0, $1) }) {
            out.append("\(where_) minor values: ref \(rmv) ours \(omv)")
        }
        let rml = ref.minor.labels.map(normalize)
        let oml = ours.minor.map { normalize($0.label) }
        if rml != oml { out.append("\(where_) minor labels: ref \(rml) ours \(oml)") }
        return out
    }

    /// Runs one fixture figure through `Scales` and lists every difference.
    /// `exactLimits` also reports limits that differ by more than 1e-12
    /// relative (the port aims at bit-for-bit limits).
    static func check(_ f: ScalesFixtureFigure, exactLimits: Bool = false) -> [String] {
        let fig = f.figure
        let limits = Scales.limits(fig)
        var out: [String] = []
        for (i, fa) in f.axes.enumerated() {
            let tag = "\(f.name)[\(i)]"
            let ours = limits[i]
            for (isX, ref, lim) in [(true, nums(fa.out.xlim), ours.x), (false, nums(fa.out.ylim), ours.y)] {
                let axis = Scales.effectiveAxis(fig, axesIndex: i, isX: isX)
                let name = isX ? "xlim" : "ylim"
                let mine = [lim.lower, lim.upper]
                if !limitsClose(ref, mine, linear: axis.scale == .linear) {
                    out.append("\(tag) \(name): ref \(ref) ours \(mine)")
                } else if exactLimits, !limitsClose(ref, mine, linear: false, rtol: 1e-12) {
                    out.append("\(tag) \(name) (not exact): ref \(ref) ours \(mine)")
                }
                let resolved = Scales.ticks(
                    axis, limits: ViewLimits(lower: ref[0], upper: ref[1]), isX: isX,
                    lengthPoints: isX ? fa.size_points[0] : fa.size_points[1],
                    tickLabelSize: isX ? fig.theme.xTickLabelSize : fig.theme.yTickLabelSize, theme: fig.theme,
                    labelsVisible: Scales.labelsVisible(fig, axesIndex: i, isX: isX))
                out += ticks("\(tag) \(isX ? "x" : "y")ticks", ref: isX ? fa.out.xticks : fa.out.yticks, ours: resolved)
                let refOffset = normalize(isX ? fa.out.xoffset : fa.out.yoffset)
                if normalize(resolved.offsetText) != refOffset {
                    out.append("\(tag) \(isX ? "x" : "y") offset: ref '\(refOffset)' ours '\(resolved.offsetText)'")
                }
                // End to end: ticks on our own limits.
                let endToEnd = Scales.ticks(
                    axis, limits: lim, isX: isX, lengthPoints: isX ? fa.size_points[0] : fa.size_points[1],
                    tickLabelSize: isX ? fig.theme.xTickLabelSize : fig.theme.yTickLabelSize, theme: fig.theme,
                    labelsVisible: Scales.labelsVisible(fig, axesIndex: i, isX: isX))
                if endToEnd.major.map({ normalize($0.label) }) != resolved.major.map({ normalize($0.label) })
                    || endToEnd.major.count != resolved.major.count
                {
                    out.append("\(tag) \(isX ? "x" : "y") ticks differ on our own limits")
                }
            }
        }
        return out
    }
}

func loadScalesFixture(_ name: String) throws -> ScalesFixtureFile {
    let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    let data = try Data(contentsOf: dir.appendingPathComponent(name))
    return try JSONDecoder().decode(ScalesFixtureFile.self, from: data)
}

// MARK: - Tests

@Suite struct ScalesFixtureTests {
    @Test func fixturesComeFromTheReferenceVersions() throws {
        for name in ["scales_cases.json", "scales_compression.json"] {
            let file = try loadScalesFixture(name)
            #expect(file.versions["matplotlib"] == "3.11.2")
            #expect(file.versions["numpy"] == "2.4.6")
        }
    }

    @Test func syntheticCasesMatchMatplotlib() throws {
        let file = try loadScalesFixture("scales_cases.json")
        #expect(file.figures.count >= 40)
        for f in file.figures {
            for problem in ScalesCompare.check(f) { Issue.record(Comment(rawValue: problem)) }
        }
    }

    @Test func compressionFiguresMatchMatplotlib() throws {
        let file = try loadScalesFixture("scales_compression.json")
        #expect(file.figures.map(\.name) == ["fig1", "fig2", "fig3", "fig4", "fig5"])
        for f in file.figures {
            for problem in ScalesCompare.check(f, exactLimits: true) { Issue.record(Comment(rawValue: problem)) }
        }
    }

    @Test func syntheticLimitsAreExact() throws {
        let file = try loadScalesFixture("scales_cases.json")
        var inexact: [String] = []
        for f in file.figures {
            inexact += ScalesCompare.check(f, exactLimits: true).filter { $0.contains("not exact") }
        }
        #expect(inexact.isEmpty, "\(inexact.joined(separator: "\n"))")
    }
}

// MARK: - Python formatting (StrMethodFormatter's format specs, repr)

struct PythonFormatFixture: Decodable {
    enum Cell: Decodable {
        case string(String)
        case number(Double)
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) {
                self = .number(d)
            } else {
                self = .string(try c.decode(String.self))
            }
        }
        var string: String {
            if case .string(let s) = self { return s }
            return ""
        }
        var number: Double {
            if case .number(let d) = self { return d }
            return .nan
        }
    }
    let format: [[Cell]]
    let repr: [[Cell]]
}

@Suite struct ScalesPythonFormatTests {
    func load() throws -> PythonFormatFixture {
        let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: dir.appendingPathComponent("scales_pyformat.json"))
        return try JSONDecoder().decode(PythonFormatFixture.self, from: data)
    }

    @Test func formatSpecsMatchPython() throws {
        let fixture = try load()
        #expect(fixture.format.count > 500)
        for row in fixture.format {
            let spec = row[0].string
            let value = row[1].number
            let expected = row[2].string
            let parsed = try #require(PythonFormatSpec(spec), "spec \(spec)")
            #expect(parsed.format(value) == expected, "format(\(value), '\(spec)')")
        }
    }

    @Test func reprMatchesPython() throws {
        for row in try load().repr {
            #expect(PythonFormat.repr(row[0].number) == row[1].string)
        }
    }

    @Test func templatesApplyUnicodeMinus() {
        #expect(PythonFormatSpec.formatTemplate("{x:.1f} km", x: -2.25, pos: 0) == "\u{2212}2.2 km")
        #expect(PythonFormatSpec.formatTemplate(",.0f", x: 1_234_567, pos: nil) == "1,234,567")
        #expect(PythonFormatSpec.formatTemplate("{{{x}}} #{pos}", x: 0.5, pos: 3) == "{0.5} #3")
    }

    @Test func divmodFollowsPython() {
        #expect(PythonFormat.divmod(7, 2) == (3, 1))
        #expect(PythonFormat.divmod(-7, 2) == (-4, 1))
        #expect(PythonFormat.divmod(7, -2) == (-4, -1))
        #expect(PythonFormat.divmod(0.3, 0.1).0 == 2)
        #expect(PythonFormat.npRound(2.5, decimals: 0) == 2)
        #expect(PythonFormat.round(2.675, digits: 2) == 2.67)
    }
}
