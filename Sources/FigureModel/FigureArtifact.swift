import Foundation
import Pipeline

/// A `Figure` as a pipeline artifact: what figure-builder stages produce
/// and render stages consume. JSON with sorted keys (deterministic bytes);
/// non-finite numbers as the strings "nan", "inf", "-inf".
extension Figure {
    public static let artifactType = "figure"

    public func artifact() throws -> Artifact {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return Artifact(type: Self.artifactType, encoding: .json, bytes: Array(try encoder.encode(self)))
        } catch {
            throw StageError("cannot encode the figure: \(error)")
        }
    }

    public init(artifact: Artifact) throws {
        guard artifact.type == Self.artifactType else {
            throw StageError("expected a '\(Self.artifactType)' artifact, got '\(artifact.type)'")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            self = try decoder.decode(Figure.self, from: Data(artifact.bytes))
        } catch {
            throw StageError("the figure artifact cannot be read (\(error)); rebuild it with --force")
        }
    }
}
