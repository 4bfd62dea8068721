import Foundation
import Testing

@testable import Numerics

/// Fixtures written by `Fixtures/make_richards_fixtures.py` (scipy 1.17.1, numpy 2.4.6).
struct LSQFixture: Decodable {
    struct Problem: Decodable {
        var name: String
        var model: String
        var x: [Double]
        var y: [Double]
        var p0: [Double]
        var lb: [Double]
        var ub: [Double]
        var maxfev: Int
        var x_grid: [Double]
        var status: Int
        var nfev: Int
        var cost: Double
        var x_final: [Double]
        var success: Bool
        var popt: [Double]?
        var curve: [Double]?
        var floor: Double?
        var ceiling: Double?
        var exporter_result_k_x0_v_C: [Double]?
    }
    var problems: [Problem]?
    var fits: [Problem]?

    static func load(_ name: String) throws -> LSQFixture {
        let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        return try JSONDecoder().decode(LSQFixture.self, from: data)
    }
}

/// The test models, written in the same operation order as the fixture script's numpy code.
func lsqModel(_ name: String) -> ([Double], [Double]) -> [Double] {
    switch name {
    case "expdecay": return { x, p in x.map { p[0] * exp(-p[1] * $0) + p[2] } }
    case "logistic": return { x, p in x.map { p[0] / (1.0 + exp(-p[1] * ($0 - p[2]))) } }
    case "line": return { x, p in x.map { p[0] * $0 + p[1] } }
    case "richards_free_0.25":
        return { x, p in x.map { Richards.model($0, k: p[0], x0: p[1], v: p[2], c: p[3], floor: 0.25) } }
    default: fatalError("unknown model \(name)")
    }
}

func lsqRelClose(_ a: Double, _ b: Double, rel: Double, abs absTol: Double = 1e-12) -> Bool {
    abs(a - b) <= Swift.max(absTol, rel * Swift.max(abs(a), abs(b)))
}

func lsqMaxAbsDiff(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).reduce(0) { Swift.max($0, abs($1.0 - $1.1)) }
}

@Suite struct LeastSquaresTests {
    static let problems: [LSQFixture.Problem] = (try? LSQFixture.load("lsq_problems.json").problems ?? []) ?? []

    /// Problems whose final termination test is borderline (see `matchesScipyCurveFit`).
    static let borderlineStatus: Set<String> = ["expdecay_on_bound"]

    @Test func fixturesLoaded() {
        #expect(Self.problems.count >= 6)
    }

    @Test(arguments: problems.map(\.name))
    func matchesScipyCurveFit(name: String) throws {
        let p = try #require(Self.problems.first { $0.name == name })
        let model = lsqModel(p.model)
        do {
            let r = try LeastSquares.curveFit(
                model, x: p.x, y: p.y, p0: p.p0, lower: p.lb, upper: p.ub, maxfev: p.maxfev)
            #expect(p.success, "scipy failed but we succeeded")
            let popt = try #require(p.popt)
            for (a, b) in zip(r.popt, popt) { #expect(lsqRelClose(a, b, rel: 1e-6, abs: 1e-9), "\(a) vs \(b)") }
            // Both runs converge; which criterion fires last can differ where it is borderline:
            // on `expdecay_on_bound` scipy ends with optimality 1.09e-8 (just above gtol = 1e-8,
            // so its ftol status 2 stands) and we end just below it (gtol overrides: status 1).
            if Self.borderlineStatus.contains(name) {
                #expect(r.leastSquares.success)
            } else {
                #expect(r.leastSquares.status == p.status)
            }
            #expect(r.leastSquares.nfev == p.nfev)
            #expect(lsqRelClose(r.leastSquares.cost, p.cost, rel: 1e-9))
            let curve = try #require(p.curve)
            let mine = model(p.x_grid, r.popt)
            #expect(lsqMaxAbsDiff(mine, curve) <= 1e-6)
        } catch LeastSquaresError.optimalParametersNotFound(let status, let message, let nfev) {
            #expect(!p.success, "we failed but scipy succeeded")
            #expect(status == p.status)
            #expect(nfev == p.nfev)
            #expect(message == "The maximum number of function evaluations is exceeded.")
        }
    }
}
