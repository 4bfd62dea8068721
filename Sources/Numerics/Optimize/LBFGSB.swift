/// Bound-constrained limited-memory BFGS, as
/// `scipy.optimize.minimize(fun, x0, method='L-BFGS-B', jac=True, bounds=...)`
/// runs it (scipy 1.17: `_minimize_lbfgsb` driving the C translation of
/// L-BFGS-B 3.0, `scipy/optimize/src/lbfgsb.c`).
///
/// The port keeps the reference algorithm step for step: the generalized
/// Cauchy point (`cauchy`), subspace minimization by the direct primal method
/// with the Morales–Nocedal projection safeguard (`formk`, `cmprlb`,
/// `subsm`), the Moré–Thuente line search (`lnsrlb`, `dcsrch`, `dcstep`), the
/// compact limited-memory update (`matupd`, `formt`) and scipy's stopping
/// rules (`maxiter`, `maxfun`, `ftol`, `gtol`).
public enum LBFGSB {
    /// `scipy.optimize.minimize(..., method='L-BFGS-B', options=...)` options,
    /// with scipy's defaults.
    public struct Options: Sendable, Equatable {
        /// `maxcor`: the number of limited-memory corrections (`m`).
        public var maxcor: Int = 10
        /// `ftol`: stop when `(f^k - f^{k+1}) / max(|f^k|, |f^{k+1}|, 1) <= ftol`
        /// (scipy passes `factr = ftol / eps` to the Fortran/C code).
        public var ftol: Double = 2.220_446_049_250_313_1e-09
        /// `gtol`: stop when the projected gradient's max norm is `<= gtol`.
        public var gtol: Double = 1e-5
        /// `maxiter`: the maximum number of iterations.
        public var maxiter: Int = 15000
        /// `maxfun`: the maximum number of function evaluations.
        public var maxfun: Int = 15000
        /// `maxls`: the maximum number of line-search steps per iteration.
        public var maxls: Int = 20

        /// scipy's defaults.
        public init() {}
    }

    /// How the run ended (`OptimizeResult.status`).
    public enum Status: Int, Sendable, Equatable {
        /// `0`: converged (projected gradient or relative reduction of f).
        case converged = 0
        /// `1`: `maxiter` or `maxfun` reached.
        case limitReached = 1
        /// `2`: stopped for another reason (abnormal line search, error).
        case abnormal = 2
    }

    /// The `OptimizeResult` fields scipy fills for L-BFGS-B.
    public struct Result: Sendable, Equatable {
        /// `x`: the solution.
        public var x: [Double]
        /// `fun`: the objective at `x` (scipy returns the last evaluated value:
        /// after an abnormal line search that is the rejected trial point's).
        public var fun: Double
        /// `jac`: the last evaluated gradient (the gradient at `x` on convergence).
        public var jac: [Double]
        /// `nit`: the number of iterations.
        public var nit: Int
        /// `nfev`: the number of objective evaluations.
        public var nfev: Int
        /// `status`.
        public var status: Status
        /// `message`, as scipy spells it (e.g.
        /// `"CONVERGENCE: NORM OF PROJECTED GRADIENT <= PGTOL"`).
        public var message: String
        /// `success`: `status == .converged`.
        public var success: Bool { status == .converged }
    }

    /// Errors for inputs scipy rejects before optimizing.
    public enum InputError: Error, Equatable, Sendable {
        /// `ValueError('length of x0 != length of bounds')`.
        case boundsCountMismatch(x0: Int, bounds: Int)
        /// `ValueError('LBFGSB - one of the lower bounds is greater than an upper bound.')`.
        case lowerAboveUpper(index: Int)
        /// The objective returned a gradient of the wrong length.
        case gradientCountMismatch(expected: Int, got: Int)
        /// `maxcor`, `maxls` or the dimension is not positive.
        case invalidOption(String)
    }

    /// `scipy.optimize.minimize(fun, x0, method='L-BFGS-B', jac=True, bounds=bounds)`.
    ///
    /// - Parameters:
    ///   - x0: the starting point; clipped into the bounds as scipy does.
    ///   - bounds: `(lower, upper)` per variable; use `-.infinity`/`.infinity`
    ///     for an unbounded side (scipy's `None`). `nil` means no bounds.
    ///   - options: scipy's `options=` (defaults as scipy's).
    ///   - objective: returns `f(x)` and writes `∇f(x)` into its second
    ///     argument (an array of `x.count` zeros on entry).
    public static func minimize(
        x0: [Double],
        bounds: [(lower: Double, upper: Double)]? = nil,
        options: Options = Options(),
        objective: (_ x: [Double], _ gradient: inout [Double]) throws -> Double
    ) throws -> Result {
        let n = x0.count
        guard n > 0 else { throw InputError.invalidOption("x0 must not be empty") }
        guard options.maxcor > 0 else { throw InputError.invalidOption("maxcor must be positive") }
        guard options.maxls > 0 else { throw InputError.invalidOption("maxls must be positive.") }
        var lower = [Double](repeating: 0, count: n)
        var upper = [Double](repeating: 0, count: n)
        var nbd = [Int](repeating: 0, count: n)
        var x = x0
        if let bounds {
            guard bounds.count == n else { throw InputError.boundsCountMismatch(x0: n, bounds: bounds.count) }
            for i in 0..<n where bounds[i].lower > bounds[i].upper {
                throw InputError.lowerAboveUpper(index: i)
            }
            // x0 = np.clip(x0, bounds[0], bounds[1])
            for i in 0..<n {
                x[i] = Swift.min(Swift.max(x[i], bounds[i].lower), bounds[i].upper)
            }
            for i in 0..<n {
                let lo = bounds[i].lower
                let hi = bounds[i].upper
                let hasLower = !lo.isInfinite
                let hasUpper = !hi.isInfinite
                if hasLower { lower[i] = lo }
                if hasUpper { upper[i] = hi }
                nbd[i] = hasLower ? (hasUpper ? 2 : 1) : (hasUpper ? 3 : 0)
            }
        }
        let factr = options.ftol / LBFGSBCore.epsmach
        let core = LBFGSBCore(
            n: n, m: options.maxcor, x: x, l: lower, u: upper, nbd: nbd, factr: factr, pgtol: options.gtol,
            maxls: options.maxls)

        var nfev = 0
        var nIterations = 0
        // scipy's driver rebinds its `f` and `g` to each evaluation's result, so
        // `OptimizeResult.fun`/`jac` are the last evaluated values, even when the
        // C code restores x (and its own f) after an abnormal line search.
        var lastF = 0.0
        var lastG = [Double](repeating: 0, count: n)
        func evaluate() throws {
            let xa = core.currentX()
            var ga = [Double](repeating: 0, count: n)
            let f = try objective(xa, &ga)
            guard ga.count == n else { throw InputError.gradientCountMismatch(expected: n, got: ga.count) }
            nfev += 1
            lastF = f
            lastG = ga
            core.setFG(f: f, g: ga)
        }

        var request = core.start()
        loop: while true {
            switch request {
            case .evaluate:
                try evaluate()
                request = core.resume()
            case .newX:
                nIterations += 1
                if nIterations >= options.maxiter {
                    core.stop(message: "STOP: TOTAL NO. OF ITERATIONS REACHED LIMIT")
                    break loop
                } else if nfev > options.maxfun {
                    core.stop(message: "STOP: TOTAL NO. OF F,G EVALUATIONS EXCEEDS LIMIT")
                    break loop
                }
                request = core.resume()
            case .done:
                break loop
            }
        }
        let status: Status
        if core.converged {
            status = .converged
        } else if nfev > options.maxfun || nIterations >= options.maxiter {
            status = .limitReached
        } else {
            status = .abnormal
        }
        return Result(
            x: core.currentX(), fun: lastF, jac: lastG, nit: nIterations, nfev: nfev, status: status,
            message: core.message)
    }
}
