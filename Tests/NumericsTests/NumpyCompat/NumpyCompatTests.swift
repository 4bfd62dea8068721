import FigureTesting
import Foundation
import Testing

import Numerics

@Suite("NumpyCompat against numpy fixtures")
struct NumpyCompatTests {
    let fx: FixtureValue

    init() throws {
        fx = try Fixtures.load("numpy_fixtures.json")
    }

    @Test func linspaceIsBitExact() {
        #expect(!fx["linspace"].array.isEmpty)
        for c in fx["linspace"].array {
            let got = NP.linspace(c["start"].double, c["stop"].double, num: c["num"].int, endpoint: c["endpoint"].bool)
            #expect(
                sameDoubles(got, c["out"].doubles), "linspace \(c["start"].double) \(c["stop"].double) \(c["num"].int)")
        }
    }

    @Test func logspaceMatches() {
        #expect(!fx["logspace"].array.isEmpty)
        for c in fx["logspace"].array {
            let got = NP.logspace(
                c["start"].double, c["stop"].double, num: c["num"].int, endpoint: c["endpoint"].bool,
                base: c["base"].double)
            #expect(
                closeDoubles(got, c["out"].doubles, rel: 1e-15), "logspace \(c["start"].double) \(c["stop"].double)")
        }
    }

    @Test func polyfitMatches() {
        #expect(!fx["polyfit"].array.isEmpty)
        for c in fx["polyfit"].array {
            let got = NP.polyfit(c["x"].doubles, c["y"].doubles, deg: c["deg"].int)
            let want = c["out"].doubles
            // Ill-conditioned (x far from 0, quadratic) fits differ from LAPACK's dgelsd by
            // about cond * eps; the well-conditioned ones agree to 1e-12.
            let rel = c["x"].doubles.allSatisfy { $0 > 20 } ? 1e-10 : 1e-12
            #expect(
                closeDoubles(got, want, rel: rel),
                "polyfit deg \(c["deg"].int) n \(c["x"].array.count): \(got) vs \(want)")
        }
    }

    @Test func polyvalIsBitExact() {
        #expect(!fx["polyval"].array.isEmpty)
        for c in fx["polyval"].array {
            #expect(sameDoubles(NP.polyval(c["p"].doubles, c["x"].doubles), c["out"].doubles))
        }
    }

    @Test func sumMeanVarStdMedianAreBitExact() {
        #expect(!fx["stats"].array.isEmpty)
        for c in fx["stats"].array {
            let a = c["a"].doubles
            #expect(sameDouble(NP.sum(a), c["sum"].double), "sum n=\(a.count)")
            #expect(sameDouble(NP.mean(a), c["mean"].double), "mean n=\(a.count)")
            #expect(sameDouble(NP.variance(a), c["var0"].double), "var n=\(a.count)")
            #expect(sameDouble(NP.std(a), c["std0"].double), "std n=\(a.count)")
            if !c["var1"].isNull {
                #expect(sameDouble(NP.variance(a, ddof: 1), c["var1"].double), "var ddof=1 n=\(a.count)")
                #expect(sameDouble(NP.std(a, ddof: 1), c["std1"].double), "std ddof=1 n=\(a.count)")
            }
            #expect(sameDouble(NP.median(a), c["median"].double), "median n=\(a.count)")
        }
    }

    @Test func quantileAndPercentileAreBitExact() {
        #expect(!fx["quantile"].array.isEmpty)
        for c in fx["quantile"].array {
            let a = c["a"].doubles
            #expect(sameDoubles(NP.quantile(a, c["q"].doubles), c["quantile"].doubles), "quantile n=\(a.count)")
            #expect(sameDoubles(NP.percentile(a, c["p"].doubles), c["percentile"].doubles), "percentile n=\(a.count)")
        }
    }

    @Test func histogramMatches() throws {
        #expect(!fx["histogram"].array.isEmpty)
        for c in fx["histogram"].array {
            let a = c["a"].doubles
            var range: (Double, Double)? = nil
            if !c["range"].isNull { range = (c["range"].array[0].double, c["range"].array[1].double) }
            let h = try NP.histogram(a, bins: c["bins"].int, range: range)
            #expect(h.counts == c["counts"].ints.map(Double.init), "histogram n=\(a.count) bins=\(c["bins"].int)")
            #expect(sameDoubles(h.edges, c["edges"].doubles))
            if !a.isEmpty {
                let d = try NP.histogram(a, bins: c["bins"].int, range: range, density: true)
                #expect(sameDoubles(d.counts, c["density"].doubles))
            }
        }
        #expect(!fx["histogram_edges"].array.isEmpty)
        for c in fx["histogram_edges"].array {
            let h = try NP.histogram(c["a"].doubles, edges: c["edges"].doubles)
            #expect(h.counts == c["counts"].ints.map(Double.init))
        }
        #expect(throws: NumpyError.self) { try NP.histogram([1, .infinity], bins: 3) }
    }

    @Test func uniqueArgsortClipRoundSig() {
        #expect(!fx["unique"].array.isEmpty)
        for c in fx["unique"].array {
            #expect(sameDoubles(NP.unique(c["a"].doubles), c["out"].doubles))
        }
        #expect(!fx["argsort"].array.isEmpty)
        for c in fx["argsort"].array {
            #expect(NP.argsort(c["a"].doubles) == c["out"].ints)
        }
        #expect(!fx["clip"].array.isEmpty)
        for c in fx["clip"].array {
            #expect(sameDoubles(NP.clip(c["a"].doubles, c["lo"].double, c["hi"].double), c["out"].doubles))
        }
        #expect(!fx["round_sig"].array.isEmpty)
        for c in fx["round_sig"].array {
            let got = NP.roundSig(c["x"].double, sig: c["sig"].int)
            #expect(sameDouble(got, c["out"].double), "round_sig(\(c["x"].double), \(c["sig"].int))")
        }
    }

    @Test func lstsqSolvesSmallSystems() {
        // exact fit: y = 1 + 2 x, rank-deficient duplicate column gives the minimum-norm split
        let r = NP.lstsq([1, 1, 1, 2, 1, 3], rows: 3, cols: 2, [3, 5, 7])
        #expect(closeDoubles(r.solution, [1, 2], rel: 1e-14))
        #expect(r.rank == 2)
        let d = NP.lstsq([1, 1, 1, 1], rows: 2, cols: 2, [2, 2])
        #expect(d.rank == 1)
        #expect(closeDoubles(d.solution, [1, 1], rel: 1e-14))
    }
}
