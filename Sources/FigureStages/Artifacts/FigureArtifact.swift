import Foundation
import FigureModel
import Pipeline

/// A `Figure` as a pipeline artifact: what figure-builder stages produce
/// and render stages consume. JSON with sorted keys (deterministic bytes);
/// non-finite numbers as the strings "nan", "inf", "-inf".
extension Figure {
    public static let artifactType = "figure"

    public func artifact() throws -> Artifact { try Artifact(type: Self.artifactType, encoding: self) }

    public init(artifact: Artifact) throws { self = try artifact.decoded(as: Self.artifactType) }
}
