import FigpipeBasics

/// Vega-Lite's bin transform (`{"bin": true | {…}, "field": "x", "as": …}`):
/// Vega's bin over the field's extent (or the `extent` parameter), writing
/// each row's bin start and end.
public struct BinTransform: Sendable {
    public var field: String
    public var parameters: BinParameters
    /// The start and end fields.
    public var startName: String
    public var endName: String

    /// The parameters of a bin object, in the order figpipe writes them into
    /// default names (the spec's own key order is not kept by `JSONValue`).
    static let parameterKeys = [
        "anchor", "base", "divide", "extent", "maxbins", "minstep", "nice", "step", "steps", "span",
    ]

    static func parse(_ object: SpecObject) throws(SpecError) -> BinTransform {
        try object.only(["bin", "field", "as"])
        let field = try object.requiredString("field")
        guard let (p, key) = try parameters(object["bin"] ?? .null, path: object.path("bin")) else {
            throw SpecError(object.path("bin"), "expected true or an object of bin parameters")
        }
        let base = key + "_" + field
        var start = base
        var end = base + "_end"
        switch object["as"] {
        case nil: break
        case .string(let s)?:
            start = s
            end = s + "_end"
        case .array(let items)? where items.count == 2 && items.allSatisfy({ $0.stringValue != nil }):
            start = items[0].stringValue ?? start
            end = items[1].stringValue ?? end
        default: throw SpecError(object.path("as"), "expected a name or [start, end] names")
        }
        return BinTransform(field: field, parameters: p, startName: start, endName: end)
    }

    /// A `bin` value (true, or an object of parameters) as Vega's parameters
    /// and Vega-Lite's key for its field names (`bin_maxbins_10`); nil for
    /// false. `maxbins` is the default when the object gives neither
    /// maxbins nor step (an encoding's: 6 on color, size, shape, row, column).
    public static func parameters(
        _ value: JSONValue, path: String, maxbins: Double = 10
    ) throws(SpecError) -> (BinParameters, key: String)? {
        var p = BinParameters()
        p.maxbins = maxbins
        var nameParts: [String] = []
        switch value {
        case .bool(false): return nil
        case .bool(true): nameParts = ["maxbins_" + JavaScriptNumber.string(maxbins)]
        case .object:
            let bin = try SpecObject(value, path: path)
            if bin.has("binned") {
                throw SpecError(bin.path("binned"), "binned data is not supported")
            }
            try bin.only(Set(parameterKeys))
            if let v = try bin.number("maxbins") { p.maxbins = v }
            if let v = try bin.number("base") { p.base = v }
            if let v = try bin.number("step") { p.step = v }
            if let v = try bin.number("minstep") { p.minstep = v }
            if let v = try bin.number("anchor") { p.anchor = v }
            if let v = try bin.number("span") { p.span = v }
            if let v = try bin.bool("nice") { p.nice = v }
            if let v = try bin.pair("extent") { p.extent = v }
            p.divide = try numbers(bin, "divide") ?? p.divide
            p.steps = try numbers(bin, "steps")
            for key in parameterKeys {
                guard let v = bin[key] else { continue }
                nameParts.append(key + "_" + nameText(v))
            }
        default: throw SpecError(path, "expected true or an object of bin parameters")
        }
        return (p, "bin" + nameParts.map { varName("_" + $0) }.joined())
    }

    static func numbers(_ object: SpecObject, _ key: String) throws(SpecError) -> [Double]? {
        guard let v = object[key] else { return nil }
        guard let items = v.arrayValue, !items.isEmpty, items.allSatisfy({ $0.numberValue != nil }) else {
            throw SpecError(object.path(key), "expected an array of numbers")
        }
        return items.compactMap(\.numberValue)
    }

    /// JavaScript's `String(v)` of a parameter (arrays joined by ",").
    static func nameText(_ v: JSONValue) -> String {
        switch v {
        case .int(let i): String(i)
        case .double(let d): JavaScriptNumber.string(d)
        case .bool(let b): b ? "true" : "false"
        case .string(let s): s
        case .array(let items): items.map(nameText).joined(separator: ",")
        default: ""
        }
    }

    /// Vega-Lite's `varName`: every character that is not a word character becomes "_".
    static func varName(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") ? $0 : "_" })
    }

    func apply(to data: Dataset) -> Dataset {
        let values = data.statistics(field)
        var out = data
        guard let extent = parameters.extent.map({ (min: $0.0, max: $0.1) }) ?? Bins.extent(of: values) else {
            out[startName] = .numbers(Array(repeating: nil, count: data.count))
            out[endName] = .numbers(Array(repeating: nil, count: data.count))
            return out
        }
        let bins = Bins(parameters, extent: extent)
        let assigned = values.map { bins.bin($0) }
        out[startName] = .numbers(assigned.map { $0?.start })
        out[endName] = .numbers(assigned.map { $0?.end })
        return out
    }
}
