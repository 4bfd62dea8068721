import Foundation
import Numerics

/// The ΔH-vs-learning-rate fits of the entropy notebooks (`entropy_notebooks.py`, cells 8–10).
public enum EntropyFits {
    /// The log-log power-law fit `|ΔH_true| ~ exp(intercept) * eta**slope`.
    public struct LogLogFit: Codable, Sendable, Equatable {
        public var slope: Double
        public var intercept: Double
        /// `1 - ss_res / ss_tot`, NaN when `ss_tot == 0` (not `> 0`).
        public var rSquared: Double
        /// `np.sign(delta_true.mean()) or 1.0`.
        public var sign: Double
    }

    /// Cells 8/9: `log_eta = np.log(eta)`, `log_true = np.log(np.abs(delta_true))`,
    /// `slope, intercept = np.polyfit(log_eta, log_true, 1)`,
    /// `ss_tot = np.sum((log_true - log_true.mean())**2)`,
    /// `ss_res = np.sum((log_true - (slope * log_eta + intercept))**2)`,
    /// `r2 = 1 - ss_res/ss_tot if ss_tot > 0 else nan` (pairwise sums, as numpy).
    public static func logLogFit(eta: [Double], deltaTrue: [Double]) -> LogLogFit {
        let logEta = eta.map { Foundation.log($0) }
        let logTrue = deltaTrue.map { Foundation.log(Swift.abs($0)) }
        let p = NP.polyfit(logEta, logTrue, deg: 1)
        let (slope, intercept) = (p[0], p[1])
        let m = NP.mean(logTrue)
        let ssTot = NP.sum(logTrue.map { ($0 - m) * ($0 - m) })
        var res = [Double](repeating: 0, count: logEta.count)
        for i in logEta.indices {
            let d = logTrue[i] - (slope * logEta[i] + intercept)
            res[i] = d * d
        }
        let ssRes = NP.sum(res)
        let r2 = ssTot > 0 ? 1.0 - ssRes / ssTot : .nan
        let meanDelta = NP.mean(deltaTrue)
        // np.sign(x) or 1.0: sign 0 (and NaN, which is truthy, stays NaN)
        var sign: Double = meanDelta > 0 ? 1 : (meanDelta < 0 ? -1 : (meanDelta.isNaN ? .nan : 0))
        if sign == 0 { sign = 1 }
        return LogLogFit(slope: slope, intercept: intercept, rSquared: r2, sign: sign)
    }

    /// The fitted curve the notebook draws: `fit_eta = np.logspace(log10(eta.min()),
    /// log10(eta.max()), num)`, `fit_abs = np.exp(intercept) * fit_eta ** slope`.
    public static func logLogFitCurve(eta: [Double], fit: LogLogFit, num: Int = 200) -> (eta: [Double], abs: [Double]) {
        let fe = NP.logspace(Foundation.log10(NP.min(eta)), Foundation.log10(NP.max(eta)), num: num)
        let scale = Foundation.exp(fit.intercept)
        return (fe, fe.map { scale * Foundation.pow($0, fit.slope) })
    }

    /// The linear fit `ΔH_true ≈ slope * eta + intercept`.
    public struct LinearFit: Codable, Sendable, Equatable {
        public var slope: Double
        public var intercept: Double
        public var rSquared: Double
    }

    /// Cell 10: `coeffs = np.polyfit(eta, delta_true, 1)`, `fit = np.poly1d(coeffs)`,
    /// `ss_tot = np.sum((delta_true - delta_true.mean())**2)`,
    /// `ss_res = np.sum((delta_true - fit(eta))**2)` (Horner), `r2` as in ``logLogFit(eta:deltaTrue:)``.
    public static func linearFit(eta: [Double], deltaTrue: [Double]) -> LinearFit {
        let coeffs = NP.polyfit(eta, deltaTrue, deg: 1)
        let m = NP.mean(deltaTrue)
        let ssTot = NP.sum(deltaTrue.map { ($0 - m) * ($0 - m) })
        var res = [Double](repeating: 0, count: eta.count)
        for i in eta.indices {
            let d = deltaTrue[i] - NP.polyval(coeffs, eta[i])
            res[i] = d * d
        }
        let ssRes = NP.sum(res)
        let r2 = ssTot > 0 ? 1.0 - ssRes / ssTot : .nan
        return LinearFit(slope: coeffs[0], intercept: coeffs[1], rSquared: r2)
    }
}
