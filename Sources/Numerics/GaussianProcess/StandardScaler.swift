/// `sklearn.preprocessing.StandardScaler()` (with_mean, with_std) fitted on a
/// dense matrix without NaNs: per-feature mean and population standard
/// deviation (`ddof=0`), computed as `_incremental_mean_and_var` does on a
/// first `partial_fit`; near-constant features get scale 1
/// (`_is_constant_feature` + `_handle_zeros_in_scale`).
public struct StandardScaler: Sendable, Equatable {
    /// `mean_`.
    public let mean: [Double]
    /// `var_`.
    public let variance: [Double]
    /// `scale_`: `sqrt(var_)`, or 1 for (near-)constant features.
    public let scale: [Double]
    /// `n_samples_seen_`.
    public let samplesSeen: Int

    /// Errors `StandardScaler.fit` raises.
    public enum ScalerError: Error, Equatable, Sendable {
        /// `fit` on an empty matrix.
        case noSamples
        /// Rows of different lengths (or a transform input of the wrong width).
        case raggedRows(row: Int, expected: Int, got: Int)
    }

    /// `StandardScaler().fit(X)` for `X` given as rows (`n_samples` rows of
    /// `n_features` values).
    public init(fitting rows: [[Double]]) throws {
        guard let first = rows.first else { throw ScalerError.noSamples }
        let d = first.count
        for (i, row) in rows.enumerated() where row.count != d {
            throw ScalerError.raggedRows(row: i, expected: d, got: row.count)
        }
        let n = Double(rows.count)
        var sum = [Double](repeating: 0, count: d)
        for row in rows {
            for j in 0..<d { sum[j] += row[j] }
        }
        // T = new_sum / new_sample_count; temp = X - T;
        // correction = sum(temp); unnormalized = sum(temp**2) - correction**2 / n
        var mean = [Double](repeating: 0, count: d)
        var correction = [Double](repeating: 0, count: d)
        var squares = [Double](repeating: 0, count: d)
        for j in 0..<d { mean[j] = sum[j] / n }
        for row in rows {
            for j in 0..<d {
                let t = row[j] - mean[j]
                correction[j] += t
                squares[j] += t * t
            }
        }
        var variance = [Double](repeating: 0, count: d)
        var scale = [Double](repeating: 0, count: d)
        let eps = Double.ulpOfOne
        for j in 0..<d {
            let unnormalized = squares[j] - correction[j] * correction[j] / n
            variance[j] = unnormalized / n
            // _is_constant_feature: var <= n*eps*var + (n*mean*eps)**2
            let bound = n * eps * variance[j] + (n * mean[j] * eps) * (n * mean[j] * eps)
            scale[j] = variance[j] <= bound ? 1.0 : variance[j].squareRoot()
        }
        self.mean = mean
        self.variance = variance
        self.scale = scale
        self.samplesSeen = rows.count
    }

    /// `StandardScaler.transform(X)`: `(X - mean_) / scale_` per feature.
    public func transform(_ rows: [[Double]]) throws -> [[Double]] {
        try rows.enumerated().map { i, row in
            guard row.count == mean.count else {
                throw ScalerError.raggedRows(row: i, expected: mean.count, got: row.count)
            }
            var out = row
            for j in 0..<row.count {
                out[j] = (row[j] - mean[j]) / scale[j]
            }
            return out
        }
    }
}
