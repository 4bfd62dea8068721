import Foundation
import Numerics

/// The Delphi blog-figure script's fitting helpers (`delphi_export_figures.py`), ported with
/// the same numpy arithmetic: `round_sig`, `fit_parabola`, `_fit_power_at_linf`,
/// `fit_asymptotic_powerlaw_per_q`, `fit_asymptotic_powerlaw_shared_linf`,
/// `_bootstrap_scaling_fit_ci` and `_invert_richards`.
///
/// Transcendentals use the platform libm. numpy's SIMD `log`, `log10` and `exp` kernels
/// (AVX-512 builds) differ from libm in the last bit for a small fraction of inputs, so
/// results agree with the Python reference to ~1e-13 relative rather than bit for bit.
public enum DelphiFits {
    /// `round_sig(x, sig)`: `float(f"{x:.{sig}g}")`, with 0 and NaN returned unchanged.
    public static func roundSig(_ x: Double, sig: Int = 2) -> Double {
        NP.roundSig(x, sig: sig)
    }

    /// The `Fit` dataclass `fit_parabola` returns.
    public struct ParabolaFit: Sendable, Equatable {
        public var a: Double
        public var b: Double
        public var c: Double
        public var logTStar: Double
        public var tStar: Double
        public var lossStar: Double
        public var pStar: Double
        public var aUnder: Double
        public var aOver: Double
    }

    /// `fit_parabola(sub)`: `loss = a (log10 T)^2 + b log10 T + c` by `np.polyfit(logT, loss, 2)`;
    /// the vertex `-b / (2a)` clipped to the observed `logT` range; `T* = 10**logT*`;
    /// `loss* = a logT*^2 + b logT* + c`; `P* = 10**(m logT* + k)` from
    /// `np.polyfit(logT, log10 P, 1)`; and the one-sided curvatures `a_under` / `a_over`
    /// (`sum(r * dy) / sum(r * r)` with `r = dx**2` over `dx < 0` / `dx > 0`, falling back to
    /// `a` when a side is empty, `den <= 0`, or the result is not positive).
    ///
    /// The dot products are sequential sums, which is what numpy's `@` (OpenBLAS `ddot`) does
    /// for fewer than 16 elements; longer sides may differ from numpy in the last bits.
    public static func fitParabola(tokens: [Double], loss y: [Double], params: [Double]) -> ParabolaFit {
        let logT = tokens.map { Foundation.log10($0) }
        let abc = NP.polyfit(logT, y, deg: 2)
        let (a, b, c) = (abc[0], abc[1], abc[2])
        let logTStar = NP.clip(-b / (2 * a), NP.min(logT), NP.max(logT))
        let tStar = Foundation.pow(10.0, logTStar)
        let lossStar = a * (logTStar * logTStar) + b * logTStar + c
        let mk = NP.polyfit(logT, params.map { Foundation.log10($0) }, deg: 1)
        let pStar = Foundation.pow(10.0, mk[0] * logTStar + mk[1])
        let dx = logT.map { $0 - logTStar }
        let dy = y.map { $0 - lossStar }
        func sideA(_ keep: (Double) -> Bool) -> Double {
            var num = 0.0
            var den = 0.0
            var any = false
            for i in dx.indices where keep(dx[i]) {
                any = true
                let r = dx[i] * dx[i]
                num += r * dy[i]
                den += r * r
            }
            if !any { return a }
            let side = den > 0 ? num / den : a
            return side > 0 ? side : a
        }
        return ParabolaFit(
            a: a, b: b, c: c, logTStar: logTStar, tStar: tStar, lossStar: lossStar, pStar: pStar,
            aUnder: sideA { $0 < 0 }, aOver: sideA { $0 > 0 })
    }

    /// The dict `_fit_power_at_linf` and the asymptotic fits return:
    /// `loss(C) = L_inf + A * C**(-alpha)`.
    public struct PowerLawFit: Sendable, Equatable {
        public var ok: Bool
        public var lInf: Double
        public var a: Double
        public var alpha: Double
        /// Mean squared log-space residual (`sse_log`).
        public var sseLog: Double

        /// The script's `_FAIL`: `ok=False, L_inf=0, A=nan, alpha=nan, sse_log=inf`.
        public static let fail = PowerLawFit(ok: false, lInf: 0, a: .nan, alpha: .nan, sseLog: .infinity)

        /// `L_inf + A * C ** (-alpha)` (Python float power).
        public func predict(_ c: Double) -> Double {
            lInf + a * Foundation.pow(c, -alpha)
        }

        public static func == (l: PowerLawFit, r: PowerLawFit) -> Bool {
            l.ok == r.ok && l.lInf.bitPattern == r.lInf.bitPattern && l.a.bitPattern == r.a.bitPattern
                && l.alpha.bitPattern == r.alpha.bitPattern && l.sseLog.bitPattern == r.sseLog.bitPattern
        }
    }

    /// `_fit_power_at_linf(C, y, Linf)`: with `z = y - Linf` (nil if any `z <= 0`), fit
    /// `log z = b0 + b1 log C` by `np.polyfit(..., 1)`; nil unless `alpha = -b1` is finite and
    /// positive; `sse_log = np.mean((logz - (b0 + b1 * logC))**2)`; `A = exp(b0)`.
    public static func fitPowerAtLinf(_ cs: [Double], _ y: [Double], lInf: Double) -> PowerLawFit? {
        var logz = [Double](repeating: 0, count: y.count)
        for i in y.indices {
            let z = y[i] - lInf
            if z <= 0 || z.isNaN { return nil }
            logz[i] = Foundation.log(z)
        }
        let logC = cs.map { Foundation.log($0) }
        return fitPowerLogs(logC, logz, lInf: lInf)
    }

    static func fitPowerLogs(_ logC: [Double], _ logz: [Double], lInf: Double) -> PowerLawFit? {
        var scratch = [Double](repeating: 0, count: logC.count)
        return fitPowerLogs(logC, logz, lInf: lInf, scratch: &scratch)
    }

    /// `_fit_power_at_linf` after the logs, with a caller-owned scratch buffer of `logC.count`.
    static func fitPowerLogs(_ logC: [Double], _ logz: [Double], lInf: Double, scratch: inout [Double])
        -> PowerLawFit?
    {
        var p: (Double, Double) = (0, 0)
        logC.withUnsafeBufferPointer { xp in
            logz.withUnsafeBufferPointer { yp in
                withUnsafeMutableBytes(of: &p) { raw in
                    let out = raw.bindMemory(to: Double.self)
                    NP.polyfitCore(xp, yp, order: 2, out: out)
                }
            }
        }
        let (b1, b0) = p
        let alpha = -b1
        if !alpha.isFinite || alpha <= 0 { return nil }
        for i in logC.indices {
            let d = logz[i] - (b0 + b1 * logC[i])
            scratch[i] = d * d
        }
        let sse = scratch.withUnsafeBufferPointer { NP.pairwiseSum($0) } / Double(logC.count)
        return PowerLawFit(ok: true, lInf: lInf, a: Foundation.exp(b0), alpha: alpha, sseLog: sse)
    }

    /// One optimizer's data for the asymptotic fits (the script's `per_q` dict entries,
    /// in the dict's insertion order).
    public struct Series: Sendable {
        public var name: String
        public var c: [Double]
        public var y: [Double]
        public init(name: String, c: [Double], y: [Double]) {
            self.name = name
            self.c = c
            self.y = y
        }
    }

    /// Sorts by `C` (`np.argsort(C)`; ties keep their order, which only matters for tied
    /// (C, y) pairs that are identical, as in bootstrap resamples).
    static func sortedByC(_ c: [Double], _ y: [Double]) -> ([Double], [Double]) {
        let order = NP.argsort(c)
        return (order.map { c[$0] }, order.map { y[$0] })
    }

    /// `fit_asymptotic_powerlaw_per_q(per_q, n_grid)` for one series: grid search of
    /// `L_inf` over `np.linspace(0, 0.95 * min(y), n_grid)` keeping the first strictly
    /// smallest `sse_log`; `fail` with fewer than two points or a non-positive upper bound.
    public static func fitAsymptoticPowerlaw(c: [Double], y: [Double], nGrid: Int = 400) -> PowerLawFit {
        let (cs, ys) = sortedByC(c, y)
        if cs.count < 2 { return .fail }
        let hi = 0.95 * NP.min(ys)
        if !(hi > 0) { return .fail }
        let logC = cs.map { Foundation.log($0) }
        var best: PowerLawFit? = nil
        var logz = [Double](repeating: 0, count: ys.count)
        var scratch = [Double](repeating: 0, count: ys.count)
        gridLoop: for lInf in NP.linspace(0, hi, num: nGrid) {
            for i in ys.indices {
                let z = ys[i] - lInf
                if z <= 0 || z.isNaN { continue gridLoop }
                logz[i] = Foundation.log(z)
            }
            guard let fit = fitPowerLogs(logC, logz, lInf: lInf, scratch: &scratch) else { continue }
            if best == nil || fit.sseLog < (best?.sseLog ?? .infinity) { best = fit }
        }
        return best ?? .fail
    }

    /// `fit_asymptotic_powerlaw_per_q(per_q, n_grid=400)`: an independent fit per series.
    public static func fitAsymptoticPowerlawPerQ(_ perQ: [Series], nGrid: Int = 400) -> [String: PowerLawFit] {
        var out: [String: PowerLawFit] = [:]
        for s in perQ { out[s.name] = fitAsymptoticPowerlaw(c: s.c, y: s.y, nGrid: nGrid) }
        return out
    }

    /// `fit_asymptotic_powerlaw_shared_linf(per_q, n_grid=400)`: one `L_inf` on
    /// `np.linspace(0, 0.95 * min(all y), n_grid)` shared by every series (in order); the grid
    /// point minimising the sequential sum of per-series `sse_log` wins (first on ties);
    /// a grid point is skipped if any series has fewer than two points or fails.
    public static func fitAsymptoticPowerlawSharedLinf(_ perQ: [Series], nGrid: Int = 400) -> [String: PowerLawFit] {
        let failAll = Dictionary(perQ.map { ($0.name, PowerLawFit.fail) }, uniquingKeysWith: { a, _ in a })
        var sorted: [(String, [Double], [Double])] = []
        var allY: [Double] = []
        for s in perQ {
            let (cs, ys) = sortedByC(s.c, s.y)
            sorted.append((s.name, cs, ys))
            if s.c.count >= 2 { allY += s.y }
        }
        if allY.count < 2 { return failAll }
        let hi = 0.95 * NP.min(allY)
        if !(hi > 0) { return failAll }
        var bestTotal = Double.infinity
        var bestPerQ: [String: PowerLawFit]? = nil
        gridLoop: for lInf in NP.linspace(0, hi, num: nGrid) {
            var perQFit: [String: PowerLawFit] = [:]
            var total = 0.0
            for (name, cs, ys) in sorted {
                if cs.count < 2 { continue gridLoop }
                guard let fit = fitPowerAtLinf(cs, ys, lInf: lInf) else { continue gridLoop }
                perQFit[name] = fit
                total += fit.sseLog
            }
            if total < bestTotal {
                bestTotal = total
                bestPerQ = perQFit
            }
        }
        return bestPerQ ?? failAll
    }

    /// A bootstrap interval: `(np.percentile(f, low), np.percentile(f, 50), np.percentile(f, high))`.
    public struct BootstrapCI: Sendable, Equatable {
        public var low: Double
        public var median: Double
        public var high: Double
    }

    /// `_bootstrap_scaling_fit_ci(C, y, target_flops, n_boot, rng_seed, ci_levels)`:
    /// `rng = np.random.default_rng(rng_seed)`; each draw resamples `idx = rng.integers(0, n,
    /// size=n)`, skips draws with fewer than 3 distinct `C`, fits the per-series asymptotic
    /// power law with `n_grid=100`, skips failed fits, and records
    /// `L_inf + A * t ** (-alpha)` per target. Returns one interval per target (in order);
    /// NaN triples for targets without forecasts.
    public static func bootstrapScalingFitCI(
        c: [Double], y: [Double], targetFlops: [Double], nBoot: Int = 1000, rngSeed: UInt64 = 0,
        ciLevels: (Double, Double) = (2.5, 97.5)
    ) -> [BootstrapCI] {
        var rng = Generator(seed: rngSeed)
        let n = c.count
        var forecasts = [[Double]](repeating: [], count: targetFlops.count)
        for _ in 0..<nBoot {
            let idx = rng.integers(0, n, size: n)
            let cb = idx.map { c[$0] }
            let yb = idx.map { y[$0] }
            if NP.unique(cb).count < 3 { continue }
            let fit = fitAsymptoticPowerlaw(c: cb, y: yb, nGrid: 100)
            if !fit.ok { continue }
            for (k, t) in targetFlops.enumerated() {
                forecasts[k].append(fit.lInf + fit.a * Foundation.pow(t, -fit.alpha))
            }
        }
        return forecasts.map { f in
            if f.isEmpty { return BootstrapCI(low: .nan, median: .nan, high: .nan) }
            return BootstrapCI(
                low: NP.percentile(f, ciLevels.0), median: NP.percentile(f, 50), high: NP.percentile(f, ciLevels.1))
        }
    }

    /// `_invert_richards(k, x0, v, target=, floor=, ceiling=)`:
    /// `s = ((target - floor) / (ceiling - floor)) ** (1 / v)`, `x0 - log(1/s - 1) / k`.
    public static func invertRichards(
        k: Double, x0: Double, v: Double, target: Double, floor: Double, ceiling: Double
    ) -> Double {
        let s = Foundation.pow((target - floor) / (ceiling - floor), 1.0 / v)
        return x0 - Foundation.log(1.0 / s - 1.0) / k
    }
}
