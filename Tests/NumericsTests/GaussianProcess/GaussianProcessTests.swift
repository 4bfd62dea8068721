import Foundation
import Testing

@testable import Numerics

private struct GPFixture: Decodable {
    struct PDP: Decodable {
        let feature_idx: Int
        let grid_resolution: Int
        let include_point: Double?
        let x_grid: [Double]
        let mean: [Double]
        let std: [Double]
    }
    struct Run: Decodable {
        let initial_theta: [Double]
        let theta: [Double]
        let neg_lml: Double
    }
    struct PredictCheck: Decodable {
        let X: [[Double]]
        let mean: [Double]
        let cov: [[Double]]
        let std: [Double]
    }
    struct Cell: Decodable {
        let batch_size: Int
        let hidden_dim: Int
        let token_bucket: String
        let keys: [String]
        let X_raw: [[Double]]
        let X: [[Double]]
        let y: [Double]
        let alpha: Double
        let n_restarts_optimizer: Int
        let random_state: UInt32
        let theta: [Double]
        let log_marginal_likelihood: Double
        let theta_initial: [Double]
        let lml_at_initial: Double
        let lml_grad_at_initial: [Double]
        let optimizer_runs: [Run]
        let alpha_vec: [Double]
        let pdp: [PDP]
        let predict_check: PredictCheck?

        var label: String { "B=\(batch_size) H=\(hidden_dim) T=\(token_bucket)" }
    }
    let cells: [Cell]
}

/// The Delphi figure's regressor: Matern(nu=2.5) + WhiteKernel(0.01), alpha 1e-6,
/// 3 restarts, random_state 42.
private func delphiRegressor(_ cell: GPFixture.Cell) -> GaussianProcessRegressor {
    GaussianProcessRegressor(
        kernel: MaternWhiteKernel(lengthScale: 1.0, noiseLevel: 0.01), alpha: cell.alpha,
        nRestartsOptimizer: cell.n_restarts_optimizer, randomState: cell.random_state)
}

private func loadCells() throws -> [GPFixture.Cell] {
    try GPFixtureLoader.load("gp_delphi_cells.json", as: GPFixture.self).cells
}

@Suite struct GaussianProcessTests {
    @Test func standardScalerMatchesSklearn() throws {
        for cell in try loadCells() {
            let scaler = try StandardScaler(fitting: cell.X_raw)
            let x = try scaler.transform(cell.X_raw)
            var worst = 0.0
            for (r, e) in zip(x, cell.X) {
                for (a, b) in zip(r, e) { worst = max(worst, abs(a - b)) }
            }
            #expect(worst <= 1e-12, "\(cell.label): scaled X differs by \(worst)")
        }
    }

    @Test func constantFeatureGetsUnitScale() throws {
        let scaler = try StandardScaler(fitting: [[1, 5], [2, 5], [3, 5]])
        #expect(scaler.scale[1] == 1)
        #expect(scaler.mean == [2, 5])
        #expect(try scaler.transform([[2, 7]]) == [[0, 2]])
    }

    @Test func logMarginalLikelihoodAndGradient() throws {
        for cell in try loadCells() {
            let gp = try delphiRegressor(cell).fit(cell.X, cell.y)
            let (v, g) = gp.logMarginalLikelihood(theta: cell.theta_initial)
            #expect(abs(v - cell.lml_at_initial) <= 1e-9 * max(1, abs(cell.lml_at_initial)), "\(cell.label)")
            for (a, b) in zip(g, cell.lml_grad_at_initial) {
                #expect(abs(a - b) <= 1e-8 * max(1, abs(b)), "\(cell.label): gradient \(a) vs \(b)")
            }
        }
    }

    @Test func predictMatchesSklearn() throws {
        let cells = try loadCells()
        guard let cell = cells.first(where: { $0.predict_check != nil }), let check = cell.predict_check else {
            Issue.record("no predict_check in the fixture")
            return
        }
        let gp = try delphiRegressor(cell).fit(cell.X, cell.y)
        let (mu, cov) = try gp.predictWithCovariance(check.X)
        let (mu2, sd) = try gp.predictWithStd(check.X)
        let mu3 = try gp.predict(check.X)
        for i in 0..<mu.count {
            #expect(abs(mu[i] - check.mean[i]) <= 1e-7)
            #expect(mu2[i] == mu[i] && mu3[i] == mu[i])
            #expect(abs(sd[i] - check.std[i]) <= 1e-7)
            for j in 0..<mu.count { #expect(abs(cov[i][j] - check.cov[i][j]) <= 1e-8) }
        }
    }

    @Test func delphiCellsMatchSklearn() throws {
        let cells = try loadCells()
        var worstLML = 0.0
        var worstTheta = 0.0
        var worstMean = 0.0
        var worstStd = 0.0
        let clock = ContinuousClock()
        var elapsed = Duration.zero
        for cell in cells {
            let start = clock.now
            let gp = try delphiRegressor(cell).fit(cell.X, cell.y)
            var pdps = [GaussianProcessPartialDependence]()
            for p in cell.pdp {
                pdps.append(
                    try gp.partialDependence(
                        cell.X, featureIndex: p.feature_idx, gridResolution: p.grid_resolution,
                        includePoint: p.include_point))
            }
            elapsed += clock.now - start

            let dl = abs(gp.logMarginalLikelihoodValue - cell.log_marginal_likelihood)
            worstLML = max(worstLML, dl)
            #expect(
                dl <= 1e-6, "\(cell.label): lml \(gp.logMarginalLikelihoodValue) vs \(cell.log_marginal_likelihood)")
            for (a, b) in zip(gp.kernel.theta, cell.theta) { worstTheta = max(worstTheta, abs(a - b)) }
            #expect(gp.optimizerRuns.map(\.initialTheta) == cell.optimizer_runs.map(\.initial_theta), "\(cell.label)")

            let range = (cell.y.max() ?? 0) - (cell.y.min() ?? 0)
            for (p, got) in zip(cell.pdp, pdps) {
                #expect(got.grid == p.x_grid, "\(cell.label) feature \(p.feature_idx): grid")
                for i in 0..<p.mean.count {
                    let dm = abs(got.mean[i] - p.mean[i]) / range
                    let ds = abs(got.std[i] - p.std[i]) / range
                    worstMean = max(worstMean, dm)
                    worstStd = max(worstStd, ds)
                }
            }
        }
        #expect(worstMean <= 1e-5)
        #expect(worstStd <= 1e-5)
        print(
            "gp: \(cells.count) cells, fits + PDPs \(elapsed); worst |Δlml| \(worstLML), |Δtheta| \(worstTheta), "
                + "PDP |Δmean|/range \(worstMean), |Δstd|/range \(worstStd)")
    }
}
