/// A problem with a Vega-Lite spec: the JSON path of the offending value
/// (`layer[1].encoding.x.scale.type`, relative to the spec) and what is wrong.
/// The stage kind prefixes the path with where the spec came from
/// (`stages[42].params.spec` or the `.vl.json` file).
public struct SpecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The JSON path inside the spec; "" is the spec itself.
    public var path: String
    public var message: String

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The path of a member: `a.b`, or `b` at the top.
    public static func join(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The path of an array element: `a[3]`.
    public static func join(_ path: String, _ index: Int) -> String { "\(path)[\(index)]" }
}
