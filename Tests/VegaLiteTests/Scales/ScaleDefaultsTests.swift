import FigpipeBasics
import Testing

@testable import VegaLite

/// Fixtures/scales.json "defaults": the `zero` and `nice` Vega-Lite writes
/// into the compiled Vega scale, for channels x, y, size and color × ten
/// mark types and orientations × scale types × binning × explicit domains.
@Suite struct VegaLiteScaleDefaultFixtures {
    static let fixture = fixtureJSON("scales")

    @Test func zeroAndNiceMatchVegaLite() throws {
        let cases = try #require(Self.fixture["defaults"]?.arrayValue)
        #expect(cases.count > 300)
        for c in cases {
            let channel = try #require(VegaLiteScaleDefaults.Channel(rawValue: c["channel"]?.stringValue ?? ""))
            let type = try #require(VegaLiteScaleDefaults.ScaleType(rawValue: c["scaleType"]?.stringValue ?? ""))
            let binned = c["binned"]?.boolValue ?? false
            let mark = c["mark"]?.stringValue ?? ""
            let orient = c["orient"]?.stringValue.flatMap(VegaLiteScaleDefaults.Orient.init(rawValue:))
            var domain = VegaLiteScaleDefaults.Domain.none
            if c["domain"]?.stringValue == "unaggregated" { domain = .unaggregated }
            if let d = c["domain"]?.arrayValue?.compactMap(\.numberValue), let first = d.first, let last = d.last {
                domain = .values(first: first, last: last)
            }
            let zero = VegaLiteScaleDefaults.zero(
                channel: channel, scaleType: type, fieldIsBinned: binned, markType: mark, orient: orient, domain: domain
            )
            let nice = VegaLiteScaleDefaults.nice(channel: channel, fieldIsBinned: binned, domain: domain)
            let label = "\(mark) \(orient?.rawValue ?? "-") \(channel) \(type) bin \(binned) \(domain)"
            #expect(zero == c["zero"]?.boolValue, "zero: \(label)")
            #expect(nice == c["nice"]?.boolValue, "nice: \(label)")
        }
    }

    @Test func axisTickCountDefaults() {
        #expect(
            VegaLiteScaleDefaults.axisTickCount(scaleType: .linear, size: 200, fieldIsBinned: false, hasValues: false)
                == 5)
        #expect(
            VegaLiteScaleDefaults.axisTickCount(scaleType: .linear, size: 201, fieldIsBinned: true, hasValues: false)
                == 21)
        #expect(
            VegaLiteScaleDefaults.axisTickCount(scaleType: .log, size: 200, fieldIsBinned: false, hasValues: false)
                == nil)
        #expect(
            VegaLiteScaleDefaults.axisTickCount(scaleType: .sqrt, size: 200, fieldIsBinned: false, hasValues: true)
                == nil)
        #expect(VegaLiteScaleDefaults.axisTickMinStep(format: "d") == 1)
        #expect(VegaLiteScaleDefaults.kind(.sqrt) == .pow(exponent: 0.5))
    }
}
