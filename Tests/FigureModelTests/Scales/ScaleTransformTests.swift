import Foundation
import Testing

@testable import FigureModel

/// The scales declared figures add (log in any base, d3's symlog, power):
/// where points land, what the dump calls them, and that figures without
/// them encode as before.
@Suite struct ScaleTransformTests {
    /// One axes with x on `scale` from `lower` to `upper` (fixed ticks, as
    /// the Vega-Lite compiler sets them) and a linear y.
    static func figure(_ x: Axis) -> Figure {
        var fig = Figure(widthInches: 4, heightInches: 3)
        fig.axes[0].x = x
        fig.axes[0].y = Axis(lower: 0, upper: 1, ticks: [0, 1], tickLabels: ["0", "1"])
        fig.axes[0].marks = [.scatter(ScatterMark(x: [x.lower ?? 1, x.upper ?? 2], y: [0.5, 0.5]))]
        return fig
    }

    static func axis(_ scale: Scale, _ lower: Double, _ upper: Double) -> Axis {
        Axis(scale: scale, lower: lower, upper: upper, ticks: [lower, upper], tickLabels: ["a", "b"])
    }

    /// The x position `f` puts `v` at, on the axes box from `lower` to `upper`.
    static func expected(_ v: Double, _ f: (Double) -> Double, _ a: AxesLayout, _ lower: Double, _ upper: Double)
        -> Double
    {
        a.box.x + a.box.width * (f(v) - f(lower)) / (f(upper) - f(lower))
    }

    @Test func symlogPlacesPointsByTheTransform() throws {
        var x = Self.axis(.symlog, -1000, 1000)
        x.symlogConstant = 10
        let a = try #require(FigureLayout.compute(Self.figure(x), measurer: FixedMeasurer()).axes.first)
        let f = { (v: Double) in (v < 0 ? -1 : v > 0 ? 1 : 0) * log1p(abs(v / 10)) }
        for v in [-1000.0, -55, -1, 0, 3, 10, 400, 1000] {
            let at = a.xMap.position(v)
            #expect(abs(at - Self.expected(v, f, a, -1000, 1000)) < 1e-9, "symlog \(v)")
        }
        // Symmetric: 0 in the middle, ±10 mirrored.
        #expect(abs(a.xMap.position(0) - (a.box.x + a.box.width / 2)) < 1e-9)
        #expect(abs(a.xMap.position(10) + a.xMap.position(-10) - 2 * a.xMap.position(0)) < 1e-9)
        #expect(a.x.transform.constant == 10)
    }

    @Test func powerAndSquareRootPlacePointsByTheTransform() throws {
        for (exponent, lower, upper) in [(0.5, 0.0, 900.0), (2.0, -5.0, 12.0), (3.0, -5.0, 5.0), (0.3, 0.0, 50.0)] {
            var x = Self.axis(.pow, lower, upper)
            x.powExponent = exponent
            let a = try #require(FigureLayout.compute(Self.figure(x), measurer: FixedMeasurer()).axes.first)
            let f = { (v: Double) in v < 0 ? -pow(-v, exponent) : pow(v, exponent) }
            for k in 0...8 {
                let v = lower + (upper - lower) * Double(k) / 8
                #expect(
                    abs(a.xMap.position(v) - Self.expected(v, f, a, lower, upper)) < 1e-9, "pow \(exponent) \(v)")
            }
        }
        // sqrt: a quarter of the domain is half the width.
        var x = Self.axis(.pow, 0, 400)
        x.powExponent = 0.5
        let a = try #require(FigureLayout.compute(Self.figure(x), measurer: FixedMeasurer()).axes.first)
        #expect(abs(a.xMap.position(100) - (a.box.x + a.box.width / 2)) < 1e-9)
    }

    @Test func logBaseTwoPlacesPointsByTheTransform() throws {
        var x = Self.axis(.log, 1, 128)
        x.logBase = 2
        let a = try #require(FigureLayout.compute(Self.figure(x), measurer: FixedMeasurer()).axes.first)
        for k in 0...7 {
            let v = pow(2, Double(k))
            let expected = a.box.x + a.box.width * Double(k) / 7
            #expect(abs(a.xMap.position(v) - expected) < 1e-9, "log2 \(v)")
        }
        #expect(a.x.transform.base == 2)
        #expect(a.x.major.map(\.label) == ["a", "b"])
    }

    @Test func transformsInvert() {
        let transforms = [
            ScaleTransform(scale: .log, base: 2), ScaleTransform(scale: .log, base: M_E),
            ScaleTransform(scale: .symlog, constant: 0.5), ScaleTransform(scale: .pow, exponent: 0.5),
            ScaleTransform(scale: .pow, exponent: 3), ScaleTransform(scale: .linear),
        ]
        for t in transforms {
            for v in [0.25, 1, 7.5, 300] {
                #expect(abs(t.inverse(t.forward(v)) - v) <= 1e-12 * v, "\(t) \(v)")
            }
        }
        #expect(ScaleTransform(scale: .log, base: 2).forward(8) == 3)
        #expect(ScaleTransform(scale: .log).forward(0) == -.infinity)
        #expect(ScaleTransform(scale: .symlog, constant: 2).forward(-2) == -log1p(1))
        #expect(ScaleTransform(scale: .pow, exponent: 2).forward(-3) == -9)
    }

    /// Without explicit ticks or limits the new scales autoscale and get
    /// linear default ticks inside the view, without trapping.
    @Test func defaultLocatorsDoNotTrap() throws {
        for (scale, tweak) in [
            (Scale.symlog, { (a: inout Axis) in a.symlogConstant = 1 }), (.pow, { $0.powExponent = 0.5 }),
            (.log, { $0.logBase = 2 }),
        ] {
            var x = Axis(scale: scale)
            tweak(&x)
            var fig = Figure(widthInches: 4, heightInches: 3)
            fig.axes[0].x = x
            fig.axes[0].marks = [.line(LineMark(x: [1, 10, 100], y: [0, 1, 2]))]
            let a = try #require(FigureLayout.compute(fig, measurer: FixedMeasurer()).axes.first)
            #expect(a.x.limits.lower < 1 && a.x.limits.upper > 100, "\(scale)")
            #expect(!a.x.major.isEmpty, "\(scale)")
            #expect(a.x.major.allSatisfy { $0.value >= a.x.limits.lower && $0.value <= a.x.limits.upper })
        }
    }

    @Test func dumpNamesScalesAsMatplotlib() throws {
        var x = Self.axis(.pow, 0, 4)
        x.powExponent = 0.5
        var y = Self.axis(.symlog, -1, 1)
        y.symlogConstant = 1
        var fig = Self.figure(x)
        fig.axes[0].y = y
        let d = FigureDump.json(FigureLayout.compute(fig, measurer: FixedMeasurer()))
        let a = try #require(d["axes"]?.arrayValue?.first)
        #expect(a["xscale"] == "function")
        #expect(a["yscale"] == "symlog")
        #expect(Scale.allCasesNames == ["linear", "log", "symlog", "function"])
    }

    /// Old figures' axes encode exactly as before: the new parameters are
    /// nil and left out.
    @Test func existingAxesEncodeUnchanged() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var old = Axis(scale: .log, lower: 1, upper: 1000, label: "MB/s", ticks: [1, 10], tickLabels: ["1", "10"])
        old.inverted = true
        let text = String(decoding: try encoder.encode(old), as: UTF8.self)
        #expect(
            text
                == #"{"inverted":true,"label":"MB\/s","lower":1,"scale":"log","tickLabels":["1","10"],"ticks":[1,10],"upper":1000}"#
        )
        let linear = String(decoding: try encoder.encode(Axis()), as: UTF8.self)
        #expect(linear == #"{"inverted":false,"label":"","scale":"linear"}"#)
        var new = Axis(scale: .symlog)
        new.symlogConstant = 5
        let round = try JSONDecoder().decode(Axis.self, from: encoder.encode(new))
        #expect(round == new)
        #expect(round.transform == ScaleTransform(scale: .symlog, constant: 5))
    }
}

extension Scale {
    fileprivate static var allCasesNames: [String] {
        [Scale.linear, .log, .symlog, .pow].map(\.matplotlibName)
    }
}
