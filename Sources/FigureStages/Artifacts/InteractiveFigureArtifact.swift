import Foundation
import FigureModel
import Pipeline

/// An `InteractiveFigure` as a pipeline artifact: canonical plotly figure JSON,
/// plus the subplot grid under `_grid` (so layout updates by row and column
/// keep working on a figure read back from the cache).
extension InteractiveFigure {
    /// The artifact type interactive-figure builders produce.
    public static let artifactType = "interactive-figure"

    /// The figure as an artifact.
    public func artifact() -> Artifact {
        guard case .object(var o) = json else { return Artifact(type: Self.artifactType, json: json) }
        if let grid {
            o["_grid"] = .object([
                "rows": .int(grid.rows), "cols": .int(grid.cols), "h": .double(grid.horizontalSpacing),
                "v": .double(grid.verticalSpacing),
            ])
        }
        return Artifact(type: Self.artifactType, json: .object(o))
    }

    /// Reads a figure artifact back.
    public init(artifact: Artifact) throws {
        guard artifact.type == Self.artifactType else {
            throw StageError("expected a '\(Self.artifactType)' artifact, got '\(artifact.type)'")
        }
        do {
            try self.init(json: try artifact.json())
        } catch {
            throw StageError("the interactive figure artifact cannot be read (\(error)); rebuild it with --force")
        }
    }
}
