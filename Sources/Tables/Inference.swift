import FigpipeBasics
import Foundation

/// pandas' rules for a column's type.
///
/// CSV fields (`pd.read_csv`, the C parser's defaults): a field in
/// `naValues` is missing. A column whose other fields all parse as integers
/// is `int64`, or `float64` when a field is missing; one whose fields all
/// parse as numbers is `float64` (missing: NaN); one of only
/// `True`/`TRUE`/`true` and `False`/`FALSE`/`false` is `bool`, or `object`
/// when a field is missing; anything else is `object` (strings, missing:
/// null). A column of only missing fields is `float64`; an empty one `object`.
///
/// JSON values (`pd.DataFrame(records)`): JSON integers alone are `int64`;
/// with a null, a missing key or a JSON float, `float64`; booleans alone
/// `bool`; nulls alone, and anything else, `object`.
public enum Inference {
    /// pandas' default `na_values`.
    public static let naValues: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]
    static let trueValues: Set<String> = ["True", "TRUE", "true"]
    static let falseValues: Set<String> = ["False", "FALSE", "false"]

    public static func column(csvFields fields: [String]) -> ColumnValues {
        if fields.isEmpty { return .objects([]) }
        let missing = fields.map { naValues.contains($0) }
        let present = zip(fields, missing).filter { !$0.1 }.map(\.0)
        let anyMissing = present.count < fields.count
        if present.isEmpty { return .numbers(Array(repeating: .nan, count: fields.count)) }
        // Each field parsed once: nil for a missing field.
        let ints = zip(fields, missing).map { f, m in m ? nil : integer(f) }
        if zip(ints, missing).allSatisfy({ i, m in m || i != nil }) {
            if !anyMissing { return .integers(ints.compactMap { $0 }) }
            return .numbers(ints.map { $0.map(Double.init) ?? .nan })
        }
        let numbers = zip(fields, missing).map { f, m in m ? Double.nan : number(f) }
        if numbers.allSatisfy({ $0 != nil }) { return .numbers(numbers.map { $0 ?? .nan }) }
        if present.allSatisfy({ trueValues.contains($0) || falseValues.contains($0) }) {
            if !anyMissing { return .booleans(present.map { trueValues.contains($0) }) }
            return .objects(zip(fields, missing).map { f, m in m ? .null : .bool(trueValues.contains(f)) })
        }
        return .objects(zip(fields, missing).map { f, m in m ? .null : .string(f) })
    }

    /// A field as pandas' C parser reads an integer: optional spaces and sign, digits.
    static func integer(_ field: String) -> Int64? {
        let t = field.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        var digits = t[...]
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(t.first == "+" ? String(t.dropFirst()) : t)
    }

    /// A field as a number: decimal with an optional exponent, or inf / infinity
    /// in any case with a sign (never hexadecimal; NaN spellings are missing values).
    static func number(_ field: String) -> Double? {
        let t = field.trimmingCharacters(in: .whitespaces)
        guard !t.isEmpty else { return nil }
        let lower = t.lowercased()
        let unsigned = lower.hasPrefix("-") || lower.hasPrefix("+") ? String(lower.dropFirst()) : lower
        if unsigned == "inf" || unsigned == "infinity" { return lower.hasPrefix("-") ? -.infinity : .infinity }
        guard t.utf8.allSatisfy({ (48...57).contains($0) || "+-.eE".utf8.contains($0) }) else { return nil }
        return Double(t)
    }

    /// A column of JSON values (nil: the record lacks the key).
    public static func column(jsonValues values: [JSONValue?]) -> ColumnValues {
        if values.isEmpty { return .objects([]) }
        var allInts = true
        var allNumbers = true
        var allBools = true
        var anyMissing = false
        // A missing key is NaN, a JSON null is None: nulls alone stay object.
        var anyNumberOrNaN = false
        for v in values {
            switch v {
            case .int?:
                allBools = false
                anyNumberOrNaN = true
            case .double?:
                allInts = false
                allBools = false
                anyNumberOrNaN = true
            case .bool?:
                allInts = false
                allNumbers = false
            case nil:
                anyMissing = true
                anyNumberOrNaN = true
            case .null?: anyMissing = true
            default:
                allInts = false
                allNumbers = false
                allBools = false
            }
        }
        if allInts && !anyMissing { return .integers(values.map { Int64($0?.intValue ?? 0) }) }
        if allNumbers && anyNumberOrNaN { return .numbers(values.map { $0?.numberValue ?? .nan }) }
        if allBools && !anyMissing { return .booleans(values.map { $0?.boolValue ?? false }) }
        return .objects(values.map(cell))
    }

    static func cell(_ value: JSONValue?) -> TableValue {
        switch value {
        case .int(let i)?: .number(Double(i))
        case .double(let d)?: .number(d)
        case .string(let s)?: .string(s)
        case .bool(let b)?: .bool(b)
        case nil, .null?: .null
        case let other?: .string(other.description)
        }
    }
}
