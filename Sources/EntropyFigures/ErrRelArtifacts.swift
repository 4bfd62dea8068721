import FigpipeBasics

// The err_rel computations as artifacts of their own. The batch-size notebook
// draws thousands of random subsets once and then plots and tabulates the same
// draws; here one stage draws them (`entropy.err-rel-comparison`,
// `entropy.err-rel-subsets`) and the figure and table stages read its artifact,
// so they always show the same draws, which are computed and cached once.

extension ErrRel.Comparison {
    /// The artifact type of `entropy.err-rel-comparison`.
    public static let artifactType = "entropy.err-rel-comparison"
    static let formatVersion: Int32 = 1

    /// The binary artifact: eta, then the synthetic and the actual err_rel values.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(
            artifactType: Self.artifactType, formatVersion: Self.formatVersion,
            reservingCapacity: 64 + 8 * (synthetic.count + actual.count))
        w.append(eta)
        w.append(synthetic)
        w.append(actual)
        return w.bytes
    }

    /// Reads what `encoded()` wrote.
    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        var r = try ByteReader(bytes: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion)
        eta = try r.readDouble()
        synthetic = try r.readDoubleArray()
        actual = try r.readDoubleArray()
    }
}

/// The subsets `sample_err_rel_across_runs` drew (the notebook's `subset_df`),
/// with the etas that were asked for, in order (the histograms' panels).
public struct ErrRelSampleSet: Sendable, Equatable {
    /// The artifact type of `entropy.err-rel-subsets`.
    public static let artifactType = "entropy.err-rel-samples"
    static let formatVersion: Int32 = 1

    public var etas: [Double]
    public var samples: [ErrRelSample]

    public init(etas: [Double], samples: [ErrRelSample]) {
        self.etas = etas
        self.samples = samples
    }

    /// The binary artifact: the etas, then the samples as three columns.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(
            artifactType: Self.artifactType, formatVersion: Self.formatVersion,
            reservingCapacity: 64 + 8 * etas.count + 32 * samples.count)
        w.append(etas)
        w.append(samples.map(\.run))
        w.append(samples.map(\.eta))
        w.append(samples.map(\.errRel))
        return w.bytes
    }

    /// Reads what `encoded()` wrote.
    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        var r = try ByteReader(bytes: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion)
        etas = try r.readDoubleArray()
        let runs = try r.readStringArray()
        let sampleEtas = try r.readDoubleArray()
        let errRels = try r.readDoubleArray()
        guard runs.count == sampleEtas.count, runs.count == errRels.count else {
            throw r.error("sample columns of different lengths (\(runs.count), \(sampleEtas.count), \(errRels.count))")
        }
        samples = (0..<runs.count).map { ErrRelSample(run: runs[$0], eta: sampleEtas[$0], errRel: errRels[$0]) }
    }
}
