import Foundation
import Testing

@testable import FigureModel

/// plotly.js's autorange, auto ticks and tick labels (`autorange.js`,
/// `axes.js`), with the expected values worked out from its algorithms.
@Suite struct PlotlyAxesTests {
    func labels(_ spec: PlotlyTickSpec, _ range: (Double, Double), length: Double) -> [String] {
        PlotlyTicks.ticks(spec, range: range, length: length).map(\.label)
    }

    @Test func logDecadesReadAsPlotlysSuffixes() {
        // 10^8.5 … 10^13 over 610 px: 8.6 ticks wanted, 0.52 decades apart, so 1-2-5 ticks
        // ("D2"); the decades in exponentformat "B", the 2s and 5s as small digits.
        let ticks = PlotlyTicks.ticks(PlotlyTickSpec(log: true, isX: true), range: (8.5, 13), length: 610)
        let decades = ticks.filter { $0.sizeScale == 1 }
        #expect(decades.map(\.label) == ["1B", "10B", "100B", "1T", "10T"])
        #expect(decades.map(\.value) == [9, 10, 11, 12, 13])
        #expect(ticks.first.map { ($0.label, $0.sizeScale) } ?? ("", 0) == ("5", 0.75))
        // Beyond 10^14 no suffix exists: a power of ten, drawn larger.
        let big = PlotlyTicks.ticks(PlotlyTickSpec(log: true, isX: true), range: (18.4, 23.1), length: 275)
        #expect(big.map(\.label) == (19...23).map { "$\\mathdefault{10^{\($0)}}$" })
        #expect(big.allSatisfy { $0.sizeScale == 1.25 })
    }

    @Test func exponentFormats() {
        func decade(_ format: String) -> String {
            var spec = PlotlyTickSpec(log: true, isX: true)
            spec.exponentformat = format
            return PlotlyTicks.ticks(spec, range: (8.9, 9.1), length: 100).first { abs($0.value - 9) < 1e-9 }?.label
                ?? "-"
        }
        // A short log axis ticks linearly ("L" steps), so 10^9 is formatted as a number.
        #expect(decade("B") == "1B")
        #expect(decade("SI") == "1G")
        #expect(decade("e") == "1e+9")
        #expect(decade("power") == "$\\mathdefault{1\\times10^{9}}$")
        #expect(decade("none") == "1,000,000,000")
    }

    @Test func linearTicksAndNumbers() {
        // 0 … 5e9 on 200 px (y: one tick per 40 px, plus one): a step of 1e9, exponent 9.
        #expect(
            labels(PlotlyTickSpec(log: false, isX: false), (0, 5e9), length: 200) == [
                "0", "1B", "2B", "3B", "4B", "5B",
            ])
        // Negative values take the minus sign; decimals lose their trailing zeros.
        #expect(
            labels(PlotlyTickSpec(log: false, isX: true), (-1.05, 1.05), length: 300) == [
                "−1", "−0.5", "0", "0.5", "1",
            ])
        var percent = PlotlyTickSpec(log: false, isX: false)
        percent.tickformat = ".0%"
        #expect(
            labels(percent, (0.2, 1), length: 300) == ["20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "100%"])
        #expect(PlotlyTicks.separated("12345.5", thousands: false) == "12,345.5")
        #expect(PlotlyTicks.separated("1234", thousands: false) == "1234")
    }

    @Test func autorangeKeepsEveryPad() {
        // Padded data get 5 % of the axis' length at each end: 10 units over 90 px of 100.
        var e = PlotlyExtremes()
        e.add([0, 10], log: false, padLower: [0], padUpper: [0], padded: true)
        let r = e.autoRange(length: 100)
        #expect(abs((r?.0 ?? 0) + 10 * 5 / 90) < 1e-12 && abs((r?.1 ?? 0) - 10 - 10 * 5 / 90) < 1e-12)
        // A 10 px marker radius adds to it: 10 units over 100 - 2 × 15 px.
        var m = PlotlyExtremes()
        m.add([0, 10], log: false, padLower: [10], padUpper: [10], padded: true)
        let q = m.autoRange(length: 100)
        #expect(abs((q?.0 ?? 0) + 15.0 / 7) < 1e-12 && abs((q?.1 ?? 0) - 10 - 15.0 / 7) < 1e-12)
        // An extreme inside another with no more pad is dropped.
        m.add([5], log: false, padLower: [1], padUpper: [1], padded: false)
        #expect(m.lower.count == 1 && m.upper.count == 1)
        // A log axis works in decades.
        var l = PlotlyExtremes()
        l.add([10, 1000], log: true, padLower: [0], padUpper: [0], padded: false)
        #expect(l.autoRange(length: 100).map { [$0.0, $0.1] } == [1, 3])
    }

    @Test func aLegendBelowThePlotPushesTheBottomMargin() throws {
        // lucky-seeds' legend: one row (19 px + 2 × 5 px), anchored at its top 0.35 plot heights
        // below the plot; plotly's autoMargin solves b = (29 + 12 + 0.35 (450 - 40)) / 1.35.
        var fig = InteractiveFigure()
        fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([1, 2]), "name": "a", "mode": "markers"])
        fig.layout["margin"] = ["l": 90, "r": 30, "t": 40, "b": 90]
        fig.layout["legend"] = ["orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.35, "yanchor": "top"]
        let s = StaticFigure.figure(fig, measurer: FixedMeasurer())
        let bottom = ((29 + 12 + 0.35 * 410) / 1.35).rounded()
        #expect(bottom == 137)
        let position = try #require(s.axes.first?.position)
        #expect(abs(position[1] - bottom / 450) < 1e-12)
        #expect(abs(position[3] - (450 - 40 - bottom) / 450) < 1e-12)
    }
}
