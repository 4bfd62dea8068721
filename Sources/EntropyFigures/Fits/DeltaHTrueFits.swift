import Foundation
import Pipeline

/// The README helper's ΔH_true-vs-eta fits of every run of a set, as an
/// artifact of their own (`entropy.delta-h-true-fits`): the log-log power law
/// of cells 8/9 and the straight line of cell 10, with the points they were
/// fitted to. The fit-stats tables read this artifact instead of building a
/// figure to get at its fit, and the figures draw from it, so each fit runs
/// once and can be cached, diffed and reused.
public struct DeltaHTrueFits: Codable, Sendable, Equatable {
    public static let artifactType = "entropy.delta-h-true-fits"

    /// One run: its points, and its fits or why there are none.
    public struct Run: Codable, Sendable, Equatable {
        public var id: String
        /// `summary_from_run(...)`'s eta and delta_true columns.
        public var eta: [Double]
        public var deltaTrue: [Double]
        public var logLog: EntropyFits.LogLogFit?
        public var linear: EntropyFits.LinearFit?
        /// Why the run has no fits (its summary failed, or it has no points): the
        /// stages that need this run fail with it; the others are not affected.
        public var problem: String?

        public init(
            id: String, eta: [Double], deltaTrue: [Double], logLog: EntropyFits.LogLogFit? = nil,
            linear: EntropyFits.LinearFit? = nil, problem: String? = nil
        ) {
            self.id = id
            self.eta = eta
            self.deltaTrue = deltaTrue
            self.logLog = logLog
            self.linear = linear
            self.problem = problem
        }
    }

    /// The runs' folder, for messages.
    public var folder: String
    /// In the run set's order.
    public var runs: [Run]

    /// Fits every run of `set`.
    public static func compute(_ set: EntropyRunSet) -> DeltaHTrueFits {
        DeltaHTrueFits(
            folder: set.folder,
            runs: set.runs.map { run in
                let df: [SummaryRow]
                do {
                    df = try EntropySummaries.summaryFromRun(run, folder: set.folder)
                } catch {
                    return Run(id: run.id, eta: [], deltaTrue: [], problem: String(describing: error))
                }
                let eta = df.map(\.eta)
                let deltaTrue = df.map(\.deltaTrue)
                guard !eta.isEmpty else {
                    return Run(
                        id: run.id, eta: [], deltaTrue: [],
                        problem: "\(set.folder)/\(run.id) has no true.entries to fit")
                }
                return Run(
                    id: run.id, eta: eta, deltaTrue: deltaTrue,
                    logLog: EntropyFits.logLogFit(eta: eta, deltaTrue: deltaTrue),
                    linear: EntropyFits.linearFit(eta: eta, deltaTrue: deltaTrue))
            })
    }

    /// The fitted runs in order; the first run without fits throws its problem.
    public func fitted() throws(EntropyDataError) -> [FittedRun] {
        try runs.map { r throws(EntropyDataError) in try Self.fitted(r) }
    }

    /// Run `id`, fitted; an unknown run lists the runs there are.
    public func fitted(_ id: String) throws(EntropyDataError) -> FittedRun {
        guard let r = runs.first(where: { $0.id == id }) else {
            throw EntropyDataError(
                "run '\(id)' is not in \(folder) (it has: \(runs.map(\.id).joined(separator: ", ")))")
        }
        return try Self.fitted(r)
    }

    /// A run with both fits.
    public struct FittedRun: Sendable {
        public var id: String
        public var eta: [Double]
        public var deltaTrue: [Double]
        public var logLog: EntropyFits.LogLogFit
        public var linear: EntropyFits.LinearFit
    }

    static func fitted(_ r: Run) throws(EntropyDataError) -> FittedRun {
        guard let logLog = r.logLog, let linear = r.linear else {
            throw EntropyDataError(r.problem ?? "run '\(r.id)' has no fits")
        }
        return FittedRun(id: r.id, eta: r.eta, deltaTrue: r.deltaTrue, logLog: logLog, linear: linear)
    }

    public func artifact() throws -> Artifact { try Artifact(type: Self.artifactType, encoding: self) }

    public init(artifact: Artifact) throws { self = try artifact.decoded(as: Self.artifactType) }

    public init(folder: String, runs: [Run]) {
        self.folder = folder
        self.runs = runs
    }
}
