extension NP {
    /// The result of `np.histogram`: `(hist, bin_edges)`.
    public struct HistogramResult: Sendable, Equatable {
        /// Counts per bin (numpy's `intp` counts), or densities when requested.
        public var counts: [Double]
        /// The `bins + 1` edges.
        public var edges: [Double]
    }

    /// `np.histogram(a, bins=bins, range=range)` with an integer bin count, as
    /// `numpy/lib/_histograms_impl.py` computes it:
    /// - range: `(a.min(), a.max())` unless given; an empty range becomes `(x - 0.5, x + 0.5)`;
    ///   an empty array uses `(0, 1)`; a non-finite range is numpy's `ValueError`.
    /// - edges: `np.linspace(first, last, bins + 1)`.
    /// - counting: numpy's uniform-bin fast path: values outside `[first, last]` (and NaN) are
    ///   dropped; `index = int((x - first) / (last - first) * bins)`, `bins` is moved to
    ///   `bins - 1`, then one step down if `x < edges[index]` and one step up if
    ///   `x >= edges[index + 1]` (except in the last bin, which is closed).
    /// - `density`: `counts / diff(edges) / counts.sum()`.
    public static func histogram(
        _ a: [Double], bins: Int, range: (Double, Double)? = nil, density: Bool = false
    ) throws -> HistogramResult {
        guard bins >= 1 else { throw NumpyError.valueError("`bins` must be positive, when an integer") }
        var first: Double
        var last: Double
        if let r = range {
            (first, last) = r
            guard first <= last else {
                throw NumpyError.valueError("max must be larger than min in range parameter.")
            }
            guard first.isFinite && last.isFinite else {
                throw NumpyError.valueError("supplied range of [\(first), \(last)] is not finite")
            }
        } else if a.isEmpty {
            (first, last) = (0, 1)
        } else {
            (first, last) = (min(a), max(a))
            guard first.isFinite && last.isFinite else {
                throw NumpyError.valueError("autodetected range of [\(first), \(last)] is not finite")
            }
        }
        if first == last {
            first -= 0.5
            last += 0.5
        }
        let edges = linspace(first, last, num: bins + 1, endpoint: true)
        var n = [Int](repeating: 0, count: bins)
        let normDenom = last - first
        let normNumerator = Double(bins)
        for x in a {
            guard x >= first && x <= last else { continue }
            var idx = Int((x - first) / normDenom * normNumerator)
            if idx == bins { idx -= 1 }
            if x < edges[idx] { idx -= 1 }
            if x >= edges[idx + 1] && idx != bins - 1 { idx += 1 }
            n[idx] += 1
        }
        return finishHistogram(n, edges: edges, density: density)
    }

    /// `np.histogram(a, bins=edges)` with explicit, monotonically increasing edges: numpy's
    /// cumulative path (`searchsorted` left on all edges but the last, right on the last), so
    /// bin `i` counts `edges[i] <= x < edges[i + 1]` and the last bin also counts `x == edges[-1]`.
    /// NaN is never counted.
    public static func histogram(_ a: [Double], edges: [Double], density: Bool = false) throws -> HistogramResult {
        guard edges.count >= 2 else { throw NumpyError.valueError("`bins` must have at least 2 edges") }
        for i in 1..<edges.count where edges[i] < edges[i - 1] {
            throw NumpyError.valueError("`bins` must increase monotonically, when an array")
        }
        let s = a.filter { !$0.isNaN }.sorted()
        func searchLeft(_ v: Double) -> Int {
            var lo = 0
            var hi = s.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if s[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        func searchRight(_ v: Double) -> Int {
            var lo = 0
            var hi = s.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if s[mid] <= v { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var cum = edges.dropLast().map { searchLeft($0) }
        cum.append(searchRight(edges[edges.count - 1]))
        let n = (0..<(edges.count - 1)).map { cum[$0 + 1] - cum[$0] }
        return finishHistogram(n, edges: edges, density: density)
    }

    private static func finishHistogram(_ n: [Int], edges: [Double], density: Bool) -> HistogramResult {
        if !density { return HistogramResult(counts: n.map(Double.init), edges: edges) }
        // numpy: db = np.diff(bin_edges); n / db / n.sum()
        let total = Double(n.reduce(0, +))
        let d = (0..<n.count).map { Double(n[$0]) / (edges[$0 + 1] - edges[$0]) / total }
        return HistogramResult(counts: d, edges: edges)
    }
}
