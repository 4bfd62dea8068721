#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Errors raised while fitting or using a Gaussian process.
public enum GaussianProcessError: Error, Equatable, Sendable {
    /// `np.linalg.LinAlgError` from `fit`'s final Cholesky: "The kernel, …, is
    /// not returning a positive definite matrix. Try gradually increasing the
    /// 'alpha' parameter of your GaussianProcessRegressor estimator."
    case notPositiveDefinite(lengthScale: Double, noiseLevel: Double)
    /// `fit` on no samples.
    case noSamples
    /// Inputs of inconsistent shape (ragged rows, `y` of another length, a
    /// query with another number of features, a feature index out of range).
    case shapeMismatch(String)
    /// `ValueError`: `n_restarts_optimizer > 0` needs finite bounds.
    case infiniteBoundsWithRestarts
}

/// `sklearn.gaussian_process.GaussianProcessRegressor(kernel=Matern(nu=2.5) +
/// WhiteKernel(), alpha=..., optimizer='fmin_l_bfgs_b',
/// n_restarts_optimizer=..., normalize_y=False, random_state=seed)`.
///
/// `fit` mirrors sklearn 1.9.1: maximize the log-marginal likelihood over the
/// kernel's log hyperparameters with L-BFGS-B (scipy's defaults), first from
/// the kernel's initial `theta`, then from `n_restarts_optimizer` starts drawn
/// with `RandomState(random_state).uniform(bounds[:, 0], bounds[:, 1])`, and
/// keep the run with the smallest `-lml` (`np.argmin`, first on ties).
public struct GaussianProcessRegressor: Sendable {
    /// `kernel`: the initial kernel (cloned into `kernel_` by `fit`).
    public var kernel: MaternWhiteKernel
    /// `alpha`: added to the diagonal of the training kernel matrix.
    public var alpha: Double
    /// `n_restarts_optimizer`.
    public var nRestartsOptimizer: Int
    /// `random_state` (an integer seed for `np.random.RandomState`).
    public var randomState: UInt32
    /// The `options` passed to `scipy.optimize.minimize` (sklearn passes none:
    /// scipy's defaults).
    public var optimizerOptions: LBFGSB.Options

    /// `GaussianProcessRegressor(kernel=kernel, alpha=alpha,
    /// n_restarts_optimizer=nRestartsOptimizer, random_state=randomState)`.
    public init(
        kernel: MaternWhiteKernel = MaternWhiteKernel(), alpha: Double = 1e-10, nRestartsOptimizer: Int = 0,
        randomState: UInt32 = 0, optimizerOptions: LBFGSB.Options = LBFGSB.Options()
    ) {
        self.kernel = kernel
        self.alpha = alpha
        self.nRestartsOptimizer = nRestartsOptimizer
        self.randomState = randomState
        self.optimizerOptions = optimizerOptions
    }

    /// One `_constrained_optimization` call of `fit`.
    public struct OptimizerRun: Sendable, Equatable {
        /// The starting `theta` (`initial_theta`).
        public var initialTheta: [Double]
        /// `opt_res.x`.
        public var theta: [Double]
        /// `opt_res.fun`: the minimized `-log_marginal_likelihood`.
        public var negativeLogMarginalLikelihood: Double
        /// L-BFGS-B's iteration count and message for the run.
        public var iterations: Int
        /// `opt_res.message`.
        public var message: String
    }

    /// `GaussianProcessRegressor.fit(X, y)`.
    ///
    /// - Parameters:
    ///   - x: `n_samples` rows of `n_features` values.
    ///   - y: `n_samples` targets.
    public func fit(_ x: [[Double]], _ y: [Double]) throws -> FittedGaussianProcess {
        guard let first = x.first else { throw GaussianProcessError.noSamples }
        let d = first.count
        for (i, row) in x.enumerated() where row.count != d {
            throw GaussianProcessError.shapeMismatch("row \(i) has \(row.count) features, expected \(d)")
        }
        guard y.count == x.count else {
            throw GaussianProcessError.shapeMismatch("y has \(y.count) values for \(x.count) samples")
        }
        let flat = MaternWhiteKernel.flatten(x)
        var evaluator = GPLikelihoodEvaluator(n: x.count, d: d, x: flat, y: y, alpha: alpha)
        let bounds = kernel.bounds

        func optimize(from theta0: [Double]) throws -> OptimizerRun {
            let res = try LBFGSB.minimize(x0: theta0, bounds: bounds, options: optimizerOptions) { theta, grad in
                let (lml, g) = evaluator.evaluate(theta: theta, wantGradient: true)
                for i in 0..<grad.count { grad[i] = -g[i] }
                return -lml
            }
            return OptimizerRun(
                initialTheta: theta0, theta: res.x, negativeLogMarginalLikelihood: res.fun, iterations: res.nit,
                message: res.message)
        }

        var runs = [try optimize(from: kernel.theta)]
        if nRestartsOptimizer > 0 {
            guard bounds.allSatisfy({ $0.lower.isFinite && $0.upper.isFinite }) else {
                throw GaussianProcessError.infiniteBoundsWithRestarts
            }
            var rng = RandomState(seed: randomState)
            let low = bounds.map(\.lower)
            let high = bounds.map(\.upper)
            for _ in 0..<nRestartsOptimizer {
                let start = rng.uniform(low: low, high: high)
                runs.append(try optimize(from: start))
            }
        }
        // np.argmin: the first minimum (NaN counts as the minimum, as numpy's argmin does).
        var best = 0
        for i in 1..<runs.count {
            let v = runs[i].negativeLogMarginalLikelihood
            let b = runs[best].negativeLogMarginalLikelihood
            if b.isNaN { break }
            if v.isNaN || v < b { best = i }
        }
        var fitted = kernel
        fitted.theta = runs[best].theta
        let lmlValue = -runs[best].negativeLogMarginalLikelihood

        // Precompute for predictions: L = cholesky(K + alpha I), alpha_ = cho_solve(L, y).
        let n = x.count
        var l = [Double](repeating: 0, count: n * n)
        GPLikelihoodEvaluator.fillKernel(
            into: &l, x: flat, n: n, d: d, lengthScale: fitted.lengthScale, diagonal: 1.0 + fitted.noiseLevel + alpha)
        let ok = l.withUnsafeMutableBufferPointer { p -> Bool in
            guard let base = p.baseAddress else { return false }
            return GPLinearAlgebra.choleskyLower(base, n: n)
        }
        guard ok else {
            throw GaussianProcessError.notPositiveDefinite(
                lengthScale: fitted.lengthScale, noiseLevel: fitted.noiseLevel)
        }
        // Zero the strict upper triangle so L is a clean lower factor.
        for i in 0..<n {
            for j in (i + 1)..<n { l[i * n + j] = 0 }
        }
        var alphaVector = y
        l.withUnsafeBufferPointer { lp in
            alphaVector.withUnsafeMutableBufferPointer { ap in
                if let lb = lp.baseAddress, let ab = ap.baseAddress {
                    GPLinearAlgebra.choSolve(lb, n: n, ab)
                }
            }
        }
        return FittedGaussianProcess(
            kernel: fitted, alpha: alpha, logMarginalLikelihoodValue: lmlValue, optimizerRuns: runs,
            n: n, d: d, xTrain: flat, yTrain: y, l: l, alphaVector: alphaVector)
    }
}

/// A fitted `GaussianProcessRegressor`: `kernel_`, `log_marginal_likelihood_value_`,
/// `L_`, `alpha_`, and the predictions made from them.
public struct FittedGaussianProcess: Sendable {
    /// `kernel_`: the kernel with the optimized hyperparameters.
    public let kernel: MaternWhiteKernel
    /// `alpha` (the regularization added to the diagonal).
    public let alpha: Double
    /// `log_marginal_likelihood_value_`.
    public let logMarginalLikelihoodValue: Double
    /// Every optimizer run of `fit`, in sklearn's order.
    public let optimizerRuns: [GaussianProcessRegressor.OptimizerRun]

    let n: Int
    let d: Int
    let xTrain: [Double]
    let yTrain: [Double]
    /// `L_`, row-major lower triangular.
    let l: [Double]
    /// `alpha_`.
    public let alphaVector: [Double]

    /// The number of training samples.
    public var trainingCount: Int { n }
    /// The number of features.
    public var featureCount: Int { d }

    /// `gpr.log_marginal_likelihood(theta, eval_gradient=True)` on the
    /// training data: the value and its gradient with respect to `theta`
    /// (`-inf` and zeros when the Cholesky factorization fails, as sklearn).
    public func logMarginalLikelihood(theta: [Double]) -> (value: Double, gradient: [Double]) {
        var evaluator = GPLikelihoodEvaluator(n: n, d: d, x: xTrain, y: yTrain, alpha: alpha)
        let (v, g) = evaluator.evaluate(theta: theta, wantGradient: true)
        return (v, g)
    }

    private func checkedFlatten(_ x: [[Double]]) throws -> [Double] {
        for (i, row) in x.enumerated() where row.count != d {
            throw GaussianProcessError.shapeMismatch("query row \(i) has \(row.count) features, expected \(d)")
        }
        return MaternWhiteKernel.flatten(x)
    }

    /// `K_trans = kernel_(X, X_train_)`, row-major `m x n`.
    private func crossKernel(_ q: [Double], m: Int) -> [Double] {
        var kt = [Double](repeating: 0, count: m * n)
        let ls = kernel.lengthScale
        for a in 0..<m {
            for b in 0..<n {
                kt[a * n + b] = MaternWhiteKernel.matern52(
                    distance: MaternWhiteKernel.scaledDistance(q, a, xTrain, b, d: d, lengthScale: ls))
            }
        }
        return kt
    }

    /// `V = solve_triangular(L_, K_trans.T, lower=True)`, stored row-major as
    /// `m` rows of `n` (row `a` is the column `V[:, a]`).
    private func solveV(_ kt: [Double], m: Int) -> [Double] {
        var v = kt
        l.withUnsafeBufferPointer { lp in
            v.withUnsafeMutableBufferPointer { vp in
                guard let lb = lp.baseAddress, let vb = vp.baseAddress else { return }
                for a in 0..<m { GPLinearAlgebra.solveLower(lb, n: n, vb + a * n) }
            }
        }
        return v
    }

    private func mean(_ kt: [Double], m: Int) -> [Double] {
        (0..<m).map { a in
            var s = 0.0
            for b in 0..<n { s += kt[a * n + b] * alphaVector[b] }
            return s
        }
    }

    /// `gpr.predict(X)`: the posterior mean `K_trans @ alpha_`.
    public func predict(_ x: [[Double]]) throws -> [Double] {
        let q = try checkedFlatten(x)
        return mean(crossKernel(q, m: x.count), m: x.count)
    }

    /// `gpr.predict(X, return_cov=True)`: the mean and
    /// `y_cov = kernel_(X) - V.T @ V`.
    public func predictWithCovariance(_ x: [[Double]]) throws -> (mean: [Double], covariance: [[Double]]) {
        let m = x.count
        let q = try checkedFlatten(x)
        let kt = crossKernel(q, m: m)
        let mu = mean(kt, m: m)
        let v = solveV(kt, m: m)
        let kxx = kernel(x)
        var cov = kxx
        for a in 0..<m {
            for b in 0..<m {
                var s = 0.0
                for k in 0..<n { s += v[a * n + k] * v[b * n + k] }
                cov[a][b] = kxx[a][b] - s
            }
        }
        return (mu, cov)
    }

    /// `gpr.predict(X, return_std=True)`: the mean and
    /// `sqrt(kernel_.diag(X) - einsum("ij,ji->i", V.T, V))`, negative
    /// variances set to 0 as sklearn does.
    public func predictWithStd(_ x: [[Double]]) throws -> (mean: [Double], std: [Double]) {
        let m = x.count
        let q = try checkedFlatten(x)
        let kt = crossKernel(q, m: m)
        let mu = mean(kt, m: m)
        let v = solveV(kt, m: m)
        let diag = kernel.diag(x)
        let sd = (0..<m).map { a -> Double in
            var s = 0.0
            for k in 0..<n { s += v[a * n + k] * v[a * n + k] }
            let variance = diag[a] - s
            return variance < 0 ? 0 : variance.squareRoot()
        }
        return (mu, sd)
    }
}

/// `GaussianProcessRegressor.log_marginal_likelihood(theta, eval_gradient=True)`
/// with reusable buffers (one per `fit`).
struct GPLikelihoodEvaluator {
    let n: Int
    let d: Int
    let x: [Double]
    let y: [Double]
    let alpha: Double
    private var k: [Double]
    private var kGrad: [Double]
    private var kInv: [Double]
    private var a: [Double]
    private var scaled: [Double]

    init(n: Int, d: Int, x: [Double], y: [Double], alpha: Double) {
        self.n = n
        self.d = d
        self.x = x
        self.y = y
        self.alpha = alpha
        k = [Double](repeating: 0, count: n * n)
        kGrad = [Double](repeating: 0, count: n * n)
        kInv = [Double](repeating: 0, count: n * n)
        a = [Double](repeating: 0, count: n)
        scaled = [Double](repeating: 0, count: n * d)
    }

    /// Fills `k` (row-major `n x n`) with the Matérn 5/2 matrix of `x` at
    /// `lengthScale`, with `diagonal` on the diagonal.
    static func fillKernel(
        into k: inout [Double], x: [Double], n: Int, d: Int, lengthScale: Double, diagonal: Double
    ) {
        for i in 0..<n {
            k[i * n + i] = diagonal
            for j in (i + 1)..<n {
                let v = MaternWhiteKernel.matern52(
                    distance: MaternWhiteKernel.scaledDistance(x, i, x, j, d: d, lengthScale: lengthScale))
                k[i * n + j] = v
                k[j * n + i] = v
            }
        }
    }

    /// The log-marginal likelihood at `theta` and, if asked, its gradient.
    mutating func evaluate(theta: [Double], wantGradient: Bool) -> (Double, [Double]) {
        let n = self.n
        let d = self.d
        let lengthScale = exp(theta[0])
        let noise = exp(theta[1])
        let diagonal = (1.0 + noise) + alpha
        let lml: Double? = k.withUnsafeMutableBufferPointer { kp -> Double? in
            guard let kb = kp.baseAddress else { return nil }
            return kGrad.withUnsafeMutableBufferPointer { gp -> Double? in
                guard let gb = gp.baseAddress else { return nil }
                return scaled.withUnsafeMutableBufferPointer { sp -> Double? in
                    guard let sb = sp.baseAddress else { return nil }
                    // X / length_scale, then pdist (as sklearn's Matern.__call__).
                    for i in 0..<(n * d) { sb[i] = x[i] / lengthScale }
                    for i in 0..<n {
                        kb[i * n + i] = diagonal
                        gb[i * n + i] = 0
                        var j = i + 1
                        while j < n {
                            var s = 0.0
                            for t in 0..<d {
                                let u = sb[i * d + t] - sb[j * d + t]
                                s += u * u
                            }
                            let dist = s.squareRoot()
                            let kk = dist * MaternWhiteKernel.sqrt5
                            let kv = (1.0 + kk + kk * kk / 3.0) * exp(-kk)
                            kb[i * n + j] = kv
                            kb[j * n + i] = kv
                            if wantGradient {
                                // D = dists**2; tmp = sqrt(5 D); 5/3 * D * (tmp + 1) * exp(-tmp)
                                let dd = dist * dist
                                let tmp = (5.0 * dd).squareRoot()
                                let gv = 5.0 / 3.0 * dd * (tmp + 1.0) * exp(-tmp)
                                gb[i * n + j] = gv
                                gb[j * n + i] = gv
                            }
                            j += 1
                        }
                    }
                    guard GPLinearAlgebra.choleskyLower(kb, n: n) else { return nil }
                    return a.withUnsafeMutableBufferPointer { ap -> Double? in
                        guard let ab = ap.baseAddress else { return nil }
                        var yAlpha = 0.0
                        for i in 0..<n { ab[i] = y[i] }
                        GPLinearAlgebra.choSolve(kb, n: n, ab)
                        for i in 0..<n { yAlpha += y[i] * ab[i] }
                        var logDiag = 0.0
                        for i in 0..<n { logDiag += log(kb[i * n + i]) }
                        var value = -0.5 * yAlpha
                        value -= logDiag
                        value -= Double(n) / 2.0 * log(2.0 * Double.pi)
                        return value
                    }
                }
            }
        }
        guard let value = lml else {
            return (-Double.infinity, [Double](repeating: 0, count: theta.count))
        }
        guard wantGradient else { return (value, []) }

        // K_inv = cho_solve((L, True), eye(n)); column c stored as row c.
        var g0 = 0.0
        var g1 = 0.0
        k.withUnsafeBufferPointer { kp in
            kInv.withUnsafeMutableBufferPointer { ip in
                guard let kb = kp.baseAddress, let ib = ip.baseAddress else { return }
                for c in 0..<n {
                    let col = ib + c * n
                    for r in 0..<n { col[r] = 0 }
                    col[c] = 1
                    GPLinearAlgebra.choSolve(kb, n: n, col)
                }
                // 0.5 * einsum("ijl,jik->kl", alpha alpha' - K_inv, K_gradient)
                for i in 0..<n {
                    let ai = a[i]
                    for j in 0..<n {
                        let inner = ai * a[j] - ib[j * n + i]
                        g0 += inner * kGrad[j * n + i]
                    }
                    g1 += (ai * ai - ib[i * n + i]) * noise
                }
            }
        }
        return (value, [0.5 * g0, 0.5 * g1])
    }
}
