import Foundation

/// `Codable` values as JSON artifacts, one coding for every family: sorted keys
/// (the same value always gives the same bytes) and non-finite numbers as the
/// strings "nan", "inf" and "-inf".
extension Artifact {
    /// `value` as a JSON artifact of type `type`.
    public init<T: Encodable>(type: String, encoding value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            self.init(type: type, encoding: .json, bytes: Array(try encoder.encode(value)))
        } catch {
            throw StageError("cannot encode the \(type) artifact: \(error)")
        }
    }

    /// The value an artifact of type `type` holds (as `init(type:encoding:)` wrote it).
    public func decoded<T: Decodable>(as type: String) throws -> T {
        guard self.type == type else { throw StageError("expected a '\(type)' artifact, got '\(self.type)'") }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch {
            throw StageError("the \(type) artifact cannot be read (\(error)); rebuild it with --force")
        }
    }
}
