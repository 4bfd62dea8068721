import Foundation
import Testing

@testable import Numerics

/// Loads the JSON fixtures written by `Fixtures/make_gp_fixtures.py`.
enum GPFixtureLoader {
    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        let data = try Data(contentsOf: dir.appendingPathComponent(name))
        return try JSONDecoder().decode(T.self, from: data)
    }
}

private struct MTFixture: Decodable {
    struct Case: Decodable {
        let seed: UInt32
        let random_sample: [Double]
        let uniform_low: [Double]
        let uniform_high: [Double]
        let uniform_draws: [[Double]]
    }
    let cases: [Case]
    let seed42_state_head: [UInt32]
    let gp_restart_bounds: [[Double]]
    let gp_restart_thetas: [[Double]]
}

@Suite struct MT19937Tests {
    @Test func seedingMatchesNumpyState() throws {
        let fx = try GPFixtureLoader.load("mt_random_state.json", as: MTFixture.self)
        let mt = MT19937(seed: 42)
        #expect(Array(mt.key.prefix(8)) == fx.seed42_state_head)
        #expect(mt.pos == 624)
    }

    @Test func randomSampleIsBitExact() throws {
        let fx = try GPFixtureLoader.load("mt_random_state.json", as: MTFixture.self)
        for c in fx.cases {
            var rs = RandomState(seed: c.seed)
            let got = rs.randomSample(c.random_sample.count)
            #expect(got == c.random_sample, "seed \(c.seed)")
        }
    }

    @Test func uniformArraysAreBitExact() throws {
        let fx = try GPFixtureLoader.load("mt_random_state.json", as: MTFixture.self)
        for c in fx.cases {
            var rs = RandomState(seed: c.seed)
            for draw in c.uniform_draws {
                #expect(rs.uniform(low: c.uniform_low, high: c.uniform_high) == draw, "seed \(c.seed)")
            }
        }
    }

    @Test func scikitLearnRestartThetas() throws {
        let fx = try GPFixtureLoader.load("mt_random_state.json", as: MTFixture.self)
        var rng = RandomState(seed: 42)
        let low = fx.gp_restart_bounds.map { $0[0] }
        let high = fx.gp_restart_bounds.map { $0[1] }
        #expect(low == [(1e-5).logNatural, (1e-5).logNatural])
        for expected in fx.gp_restart_thetas {
            #expect(rng.uniform(low: low, high: high) == expected)
        }
    }
}

extension Double {
    fileprivate var logNatural: Double { Foundation.log(self) }
}
