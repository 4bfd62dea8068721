#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A partial-dependence curve with its ±1σ band (`_gp_pdp`'s
/// `(x_grid, pdp_mean, pdp_std)`).
public struct GaussianProcessPartialDependence: Sendable, Equatable {
    /// `x_grid`: `np.linspace(x_lo, x_hi, grid_resolution)`.
    public var grid: [Double]
    /// `pdp_mean`: per grid value, the mean over rows of the predicted mean.
    public var mean: [Double]
    /// `pdp_std`: per grid value, `sqrt(max(mean(cov), 0))`.
    public var std: [Double]
}

extension FittedGaussianProcess {
    /// `_gp_pdp(gp, X, feature_idx, grid_resolution, include_point)` from the
    /// Delphi figure exporter (`delphi_export_figures.py`): for each value of a
    /// `linspace` grid over `X[:, featureIndex]` (widened to cover
    /// `includePoint`), set that column of every row to the grid value, call
    /// `gp.predict(X_mod, return_cov=True)`, and average: the mean of the
    /// predicted means, and `sqrt(max(cov.mean(), 0))`.
    ///
    /// Computed without materializing the covariance: `mean(cov) =
    /// mean(kernel_(X_mod)) - |V 1|² / m²` with `V 1 = L⁻¹ K_transᵀ 1`, and
    /// `kernel_(X_mod)` does not depend on the grid value (every row shares it).
    public func partialDependence(
        _ x: [[Double]], featureIndex: Int, gridResolution: Int = 80, includePoint: Double? = nil
    ) throws -> GaussianProcessPartialDependence {
        let m = x.count
        guard m > 0 else { throw GaussianProcessError.noSamples }
        guard featureIndex >= 0 && featureIndex < d else {
            throw GaussianProcessError.shapeMismatch("feature index \(featureIndex) out of range 0..<\(d)")
        }
        for (i, row) in x.enumerated() where row.count != d {
            throw GaussianProcessError.shapeMismatch("query row \(i) has \(row.count) features, expected \(d)")
        }
        guard gridResolution >= 0 else {
            throw GaussianProcessError.shapeMismatch("grid resolution \(gridResolution) is negative")
        }
        let j = featureIndex
        var lo = x[0][j]
        var hi = x[0][j]
        for row in x {
            lo = Swift.min(lo, row[j])
            hi = Swift.max(hi, row[j])
        }
        if let p = includePoint {
            lo = Swift.min(lo, p)
            hi = Swift.max(hi, p)
        }
        let grid = NP.linspace(lo, hi, num: gridResolution)
        let ls = kernel.lengthScale
        let noise = kernel.noiseLevel

        // Scaled coordinates (X / length_scale) of the queries and the training set.
        var q = [Double](repeating: 0, count: m * d)
        for a in 0..<m {
            for k in 0..<d { q[a * d + k] = x[a][k] / ls }
        }
        var t = [Double](repeating: 0, count: n * d)
        for i in 0..<(n * d) { t[i] = xTrain[i] / ls }

        // Squared scaled distances over every feature but `j`.
        var partial = [Double](repeating: 0, count: m * n)
        for a in 0..<m {
            for b in 0..<n {
                var s = 0.0
                for k in 0..<d where k != j {
                    let u = q[a * d + k] - t[b * d + k]
                    s += u * u
                }
                partial[a * n + b] = s
            }
        }
        // mean(kernel_(X_mod)): column j is equal in every row.
        var kssSum = Double(m) * (1.0 + noise)
        for a in 0..<m {
            var b = a + 1
            while b < m {
                var s = 0.0
                for k in 0..<d where k != j {
                    let u = q[a * d + k] - q[b * d + k]
                    s += u * u
                }
                kssSum += 2.0 * MaternWhiteKernel.matern52(distance: s.squareRoot())
                b += 1
            }
        }
        let mm = Double(m) * Double(m)
        let kssMean = kssSum / mm

        var meanOut = [Double](repeating: 0, count: grid.count)
        var stdOut = [Double](repeating: 0, count: grid.count)
        var colTerm = [Double](repeating: 0, count: n)
        var colSum = [Double](repeating: 0, count: n)
        l.withUnsafeBufferPointer { lp in
            colSum.withUnsafeMutableBufferPointer { sp in
                guard let lb = lp.baseAddress, let sb = sp.baseAddress else { return }
                for (gi, g) in grid.enumerated() {
                    let gs = g / ls
                    for b in 0..<n {
                        let u = gs - t[b * d + j]
                        colTerm[b] = u * u
                        sb[b] = 0
                    }
                    // s_b = sum_a K_trans[a, b]
                    for a in 0..<m {
                        let row = a * n
                        for b in 0..<n {
                            let dist = (partial[row + b] + colTerm[b]).squareRoot()
                            let kk = dist * MaternWhiteKernel.sqrt5
                            sb[b] += (1.0 + kk + kk * kk / 3.0) * exp(-kk)
                        }
                    }
                    var muSum = 0.0
                    for b in 0..<n { muSum += sb[b] * alphaVector[b] }
                    meanOut[gi] = muSum / Double(m)
                    GPLinearAlgebra.solveLower(lb, n: n, sb)
                    var vv = 0.0
                    for b in 0..<n { vv += sb[b] * sb[b] }
                    let covMean = kssMean - vv / mm
                    stdOut[gi] = Swift.max(covMean, 0.0).squareRoot()
                }
            }
        }
        return GaussianProcessPartialDependence(grid: grid, mean: meanOut, std: stdOut)
    }
}
