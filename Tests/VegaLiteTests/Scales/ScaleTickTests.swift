import FigpipeBasics
import FigureModel
import Foundation
import Testing

@testable import VegaLite

/// Fixtures/scales.json "axes": the x axis of 62 small Vega-Lite specs
/// (linear, log of bases 10, 2, 3 and e, pow, sqrt, symlog; formats, tick
/// counts, explicit values, nice and zero settings) as vl-convert draws it:
/// the scale's final domain, each tick's value, label and x position.
@Suite struct VegaAxisFixtures {
    static let fixture = fixtureJSON("scales")

    struct Case {
        var name: String
        var kind: ContinuousScale.Kind
        var extent: (Double, Double)
        var zero: Bool?
        var nice: VegaNice
        var domainMin: Double?
        var explicitDomain: (Double, Double)?
        var reverse: Bool
        var width: Double
        var tickCount: Double?
        var minStep: Double?
        var values: [Double]?
        var format: String?
        var domain: (Double, Double)
        var ticks: [Double]
        var labels: [String]
        var labelX: [Double]
    }

    static func cases() throws -> [Case] {
        let axes = try #require(fixture["axes"]?.arrayValue)
        return try axes.map { a in
            let vega = try #require(a["vegaScale"])
            let type = try #require(VegaLiteScaleDefaults.ScaleType(rawValue: vega["type"]?.stringValue ?? ""))
            let kind = VegaLiteScaleDefaults.kind(
                type, base: vega["base"]?.numberValue, exponent: vega["exponent"]?.numberValue,
                constant: vega["constant"]?.numberValue)
            let values = try #require(a["values"]?.arrayValue).compactMap(\.numberValue)
            let nice: VegaNice =
                vega["nice"]?.boolValue == true ? .on : vega["nice"]?.numberValue.map { .count($0) } ?? .off
            let explicit = a["scale"]?["domain"]?.arrayValue?.compactMap(\.numberValue)
            let width = try #require(a["width"]?.numberValue)
            var tickCount: Double? = a["vegaTickCount"]?.numberValue
            if a["vegaTickCount"]?.stringValue == "ceil(width/40)" { tickCount = (width / 40).rounded(.up) }
            let domain = try #require(a["domain"]?.arrayValue).compactMap(\.numberValue)
            return Case(
                name: a["name"]?.stringValue ?? "?", kind: kind,
                extent: (values.min() ?? 0, values.max() ?? 0), zero: vega["zero"]?.boolValue, nice: nice,
                domainMin: vega["domainMin"]?.numberValue, explicitDomain: explicit.map { ($0[0], $0[1]) },
                reverse: vega["reverse"]?.boolValue ?? false, width: width, tickCount: tickCount,
                minStep: a["axis"]?["tickMinStep"]?.numberValue,
                values: a["axis"]?["values"]?.arrayValue?.compactMap(\.numberValue),
                format: a["axis"]?["format"]?.stringValue, domain: (domain[0], domain[1]),
                ticks: try #require(a["ticks"]?.arrayValue).compactMap(\.numberValue),
                labels: try #require(a["labels"]?.arrayValue).compactMap(\.stringValue),
                labelX: try #require(a["labelX"]?.arrayValue).compactMap(\.numberValue))
        }
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        a == b || Swift.abs(a - b) <= 1e-9 * Swift.max(1, Swift.abs(a), Swift.abs(b))
    }

    @Test func domainsMatchVega() throws {
        let all = try Self.cases()
        #expect(all.count == 62)
        for c in all {
            let scale = ContinuousScale.vegaDomain(
                c.kind, extent: c.explicitDomain ?? c.extent, zero: c.zero, domainMin: c.domainMin, nice: c.nice)
            #expect(
                Self.close(scale.domain.0, c.domain.0) && Self.close(scale.domain.1, c.domain.1),
                "\(c.name): \(scale.domain) ≠ \(c.domain)")
        }
    }

    @Test func ticksLabelsAndPositionsMatchVega() throws {
        for c in try Self.cases() {
            let scale = ContinuousScale(c.kind, domain: c.domain)
            let range = c.reverse ? (c.width, 0.0) : (0.0, c.width)
            let ticks = try VegaAxisTicks.ticks(
                scale: scale, range: range, count: c.tickCount, minStep: c.minStep, values: c.values,
                specifier: c.format)
            #expect(ticks.count == c.ticks.count, "\(c.name): \(ticks.map(\.value)) ≠ \(c.ticks)")
            for (t, (value, (label, x))) in zip(ticks, zip(c.ticks, zip(c.labels, c.labelX))) {
                #expect(Self.close(t.value, value), "\(c.name): tick \(t.value) ≠ \(value)")
                #expect(t.label == label, "\(c.name): label of \(value) \"\(t.label)\" ≠ \"\(label)\"")
                let at = scale.scale(t.value, range: range)
                #expect(Swift.abs(at - x) <= 1e-9 * Swift.max(1, Swift.abs(x)), "\(c.name): x of \(value) \(at) ≠ \(x)")
            }
        }
    }
}

@Suite struct D3ScaleBehaviour {
    @Test func linearTicks() {
        #expect(D3Ticks.ticks(0, 1, count: 5) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(D3Ticks.ticks(1, 0, count: 5) == [1, 0.8, 0.6, 0.4, 0.2, 0])
        #expect(D3Ticks.ticks(-4, 18, count: 5) == [0, 5, 10, 15])
        #expect(D3Ticks.ticks(3, 3, count: 5) == [3])
        #expect(D3Ticks.ticks(0, 1, count: 0).isEmpty)
        #expect(D3Ticks.tickIncrement(0, 1, count: 10) == -10)
        #expect(D3Ticks.tickStep(0, 1, count: 10) == 0.1)
        #expect(D3Ticks.tickStep(10, 0, count: 5) == -2)
    }

    @Test func linearNice() {
        #expect(ContinuousScale(.linear, domain: (0.13, 97.2)).nice(count: 10).domain == (0, 100))
        #expect(ContinuousScale(.linear, domain: (17, -3.2)).nice(count: 10).domain == (18, -4))
    }

    @Test func transformsAndInverses() {
        let kinds: [ContinuousScale.Kind] = [
            .linear, .log(base: 10), .log(base: 2), .pow(exponent: 2), .pow(exponent: 0.5), .symlog(constant: 3),
        ]
        for kind in kinds {
            let s = ContinuousScale(kind, domain: (1, 100))
            for v in [1.0, 2.5, 40, 100] {
                #expect(Swift.abs(s.inverse(s.transform(v)) - v) < 1e-12 * v, "\(kind) \(v)")
                #expect(Swift.abs(s.invert(s.scale(v, range: (0, 300)), range: (0, 300)) - v) < 1e-9 * v)
            }
        }
        #expect(ContinuousScale(.symlog(constant: 1), domain: (-10, 10)).transform(-10) == -log1p(10))
        #expect(ContinuousScale(.pow(exponent: 3), domain: (-5, 5)).transform(-2) == -8)
        // A negative log domain is reflected.
        let negative = ContinuousScale(.log(base: 10), domain: (-1000, -1))
        #expect(Swift.abs(negative.scale(-10, range: (0, 300)) - 200) < 1e-9)
    }

    /// d3's log tick format: `s` for base 10, blanking labels past
    /// count/10 per decade (d3's own, not Vega's axes).
    @Test func d3LogTickFormat() throws {
        let s = ContinuousScale(.log(base: 10), domain: (1, 1e4))
        let f = try s.tickFormat(count: 10, specifier: nil)
        // 37 ticks: k = 10 × 10 / 37, so 1 and 2 of each decade.
        #expect(s.ticks(count: 10).count == 37)
        #expect(s.ticks(count: 10).map(f).prefix(10) == ["1", "2", "", "", "", "", "", "", "", "10"])
        let few = try s.tickFormat(count: 40, specifier: nil)
        #expect(s.ticks(count: 10).map(few).prefix(10) == ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"])
        let g = try s.tickFormat(count: 10, specifier: "+,")
        #expect(g(2000) == "+2,000")
    }

    @Test func d3TickFormatAlwaysPrefixes() throws {
        // d3 scales to the largest magnitude's prefix even with a precision; Vega does not.
        let d3 = try ContinuousScale(.linear, domain: (0, 2e6)).tickFormat(count: 5, specifier: ".1s")
        #expect(d3(500_000) == "0.5M")
        let vega = try VegaAxisTicks.formatSpan(0, 2e6, count: 5, specifier: ".1s")
        #expect(vega(500_000) == "500k")
    }
}
