#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `Matern(length_scale, nu=2.5) + WhiteKernel(noise_level)` from
/// `sklearn.gaussian_process.kernels`, with an isotropic length scale.
///
/// `theta` and `bounds` are in log space and ordered as sklearn's `Sum`
/// kernel orders them: `[log(length_scale), log(noise_level)]`.
public struct MaternWhiteKernel: Sendable, Equatable {
    /// The Matérn smoothness, fixed at 5/2 (`nu=2.5`).
    public static let nu = 2.5

    /// `k1__length_scale` (sklearn's default 1.0).
    public var lengthScale: Double
    /// `k1__length_scale_bounds` (sklearn's default (1e-5, 1e5)).
    public var lengthScaleBounds: ClosedRange<Double>
    /// `k2__noise_level` (sklearn's default 1.0).
    public var noiseLevel: Double
    /// `k2__noise_level_bounds` (sklearn's default (1e-5, 1e5)).
    public var noiseLevelBounds: ClosedRange<Double>

    /// `Matern(length_scale=lengthScale, nu=2.5) + WhiteKernel(noise_level=noiseLevel)`.
    public init(
        lengthScale: Double = 1.0, lengthScaleBounds: ClosedRange<Double> = 1e-5...1e5,
        noiseLevel: Double = 1.0, noiseLevelBounds: ClosedRange<Double> = 1e-5...1e5
    ) {
        self.lengthScale = lengthScale
        self.lengthScaleBounds = lengthScaleBounds
        self.noiseLevel = noiseLevel
        self.noiseLevelBounds = noiseLevelBounds
    }

    /// `kernel.theta`: `[log(length_scale), log(noise_level)]`; setting it
    /// exponentiates as sklearn's `theta` setter does.
    public var theta: [Double] {
        get { [log(lengthScale), log(noiseLevel)] }
        set {
            precondition(newValue.count == 2, "MaternWhiteKernel.theta has two entries")
            lengthScale = exp(newValue[0])
            noiseLevel = exp(newValue[1])
        }
    }

    /// `kernel.bounds`: the log of the hyperparameter bounds, one row per
    /// entry of `theta`.
    public var bounds: [(lower: Double, upper: Double)] {
        [
            (log(lengthScaleBounds.lowerBound), log(lengthScaleBounds.upperBound)),
            (log(noiseLevelBounds.lowerBound), log(noiseLevelBounds.upperBound)),
        ]
    }

    /// `kernel(X)`: the `n x n` matrix `Matern(X, X) + noise_level * I`
    /// (Matérn's diagonal is exactly 1, as `np.fill_diagonal(K, 1)` sets it).
    public func callAsFunction(_ x: [[Double]]) -> [[Double]] {
        let n = x.count
        let flat = Self.flatten(x)
        let d = x.first?.count ?? 0
        var out = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n {
            out[i][i] = 1.0 + noiseLevel
            for j in (i + 1)..<n {
                let v = Self.matern52(
                    distance: Self.scaledDistance(flat, i, flat, j, d: d, lengthScale: lengthScale))
                out[i][j] = v
                out[j][i] = v
            }
        }
        return out
    }

    /// `kernel(X, Y)`: `Matern(X, Y)` (the white kernel is zero between
    /// distinct inputs: `WhiteKernel(X, Y) = zeros`).
    public func callAsFunction(_ x: [[Double]], _ y: [[Double]]) -> [[Double]] {
        let d = x.first?.count ?? 0
        let fx = Self.flatten(x)
        let fy = Self.flatten(y)
        return (0..<x.count).map { i in
            (0..<y.count).map { j in
                Self.matern52(distance: Self.scaledDistance(fx, i, fy, j, d: d, lengthScale: lengthScale))
            }
        }
    }

    /// `kernel.diag(X)`: `1 + noise_level` for every row.
    public func diag(_ x: [[Double]]) -> [Double] {
        [Double](repeating: 1.0 + noiseLevel, count: x.count)
    }

    // MARK: - Internals shared with the regressor

    /// `math.sqrt(5)`.
    static let sqrt5 = 5.0.squareRoot()

    static func flatten(_ rows: [[Double]]) -> [Double] {
        var out = [Double]()
        out.reserveCapacity(rows.count * (rows.first?.count ?? 0))
        for r in rows { out.append(contentsOf: r) }
        return out
    }

    /// `cdist(X / length_scale, Y / length_scale)` for one pair of rows, as
    /// scipy computes it: scale each coordinate first, then the Euclidean norm.
    @inline(__always)
    static func scaledDistance(
        _ a: [Double], _ i: Int, _ b: [Double], _ j: Int, d: Int, lengthScale: Double
    ) -> Double {
        var s = 0.0
        for k in 0..<d {
            let t = a[i * d + k] / lengthScale - b[j * d + k] / lengthScale
            s += t * t
        }
        return s.squareRoot()
    }

    /// Matérn 5/2 of a scaled distance: `K = d*sqrt(5); (1 + K + K**2/3) * exp(-K)`.
    @inline(__always)
    static func matern52(distance: Double) -> Double {
        let k = distance * sqrt5
        return (1.0 + k + k * k / 3.0) * exp(-k)
    }
}
