import Foundation
import Testing

@testable import Numerics

private struct LBFGSBFixture: Decodable {
    struct Options: Decodable {
        let maxiter: Int?
        let maxcor: Int?
        let ftol: Double?
        let gtol: Double?
        let maxls: Int?

        var lbfgsb: LBFGSB.Options {
            var o = LBFGSB.Options()
            if let maxiter { o.maxiter = maxiter }
            if let maxcor { o.maxcor = maxcor }
            if let ftol { o.ftol = ftol }
            if let gtol { o.gtol = gtol }
            if let maxls { o.maxls = maxls }
            return o
        }
    }
    struct Problem: Decodable {
        let name: String
        let kind: String
        let options: Options
        let x0: [Double]
        let lower: [Double?]
        let upper: [Double?]
        let x: [Double]
        let fun: Double
        let nit: Int
        let nfev: Int
        let status: Int
        let message: String
    }
    let quadratic_A: [[Double]]
    let quadratic_b: [Double]
    let problems: [Problem]
}

private func rosenbrock(_ x: [Double], _ g: inout [Double]) -> Double {
    var f = 0.0
    for i in 0..<(x.count - 1) {
        let a = x[i + 1] - x[i] * x[i]
        let b = 1.0 - x[i]
        f += 100.0 * a * a + b * b
        g[i] += -400.0 * x[i] * a - 2.0 * b
        g[i + 1] += 200.0 * a
    }
    return f
}

@Suite struct LBFGSBTests {
    @Test func matchesScipyOptima() throws {
        let fx = try GPFixtureLoader.load("lbfgsb_problems.json", as: LBFGSBFixture.self)
        let a = fx.quadratic_A
        let b = fx.quadratic_b
        for p in fx.problems {
            let bounds = zip(p.lower, p.upper).map { (lower: $0 ?? -.infinity, upper: $1 ?? .infinity) }
            let res = try LBFGSB.minimize(x0: p.x0, bounds: bounds, options: p.options.lbfgsb) { x, g in
                if p.kind == "rosenbrock" { return rosenbrock(x, &g) }
                var f = 0.0
                for i in 0..<x.count {
                    var ax = 0.0
                    for j in 0..<x.count { ax += a[i][j] * x[j] }
                    g[i] = ax + b[i]
                    f += 0.5 * x[i] * ax + b[i] * x[i]
                }
                return f
            }
            let rel = abs(res.fun - p.fun) / max(abs(p.fun), 1.0)
            #expect(rel <= 1e-8, "\(p.name): f \(res.fun) vs scipy \(p.fun)")
            for i in 0..<p.x.count {
                #expect(abs(res.x[i] - p.x[i]) <= 1e-5, "\(p.name): x[\(i)] \(res.x[i]) vs \(p.x[i])")
            }
            #expect(res.status.rawValue == p.status, "\(p.name)")
            #expect(res.message == p.message, "\(p.name)")
            print(
                "lbfgsb \(p.name): nit \(res.nit)/\(p.nit) nfev \(res.nfev)/\(p.nfev) f \(res.fun) vs \(p.fun) — \(res.message)"
            )
        }
    }

    @Test func rejectsBadBounds() {
        #expect(throws: LBFGSB.InputError.self) {
            _ = try LBFGSB.minimize(x0: [0, 0], bounds: [(lower: 1, upper: 0), (lower: 0, upper: 1)]) { _, _ in 0 }
        }
        #expect(throws: LBFGSB.InputError.self) {
            _ = try LBFGSB.minimize(x0: [0, 0], bounds: [(lower: 0, upper: 1)]) { _, _ in 0 }
        }
    }
}
