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

    /// The fields of one CSV column, as the inference reads them.
    protocol CSVFieldSource {
        var count: Int { get }
        func isMissing(_ i: Int) -> Bool
        func integer(_ i: Int) -> Int64?
        func number(_ i: Int) -> Double?
        /// true/false for pandas' boolean spellings, else nil.
        func boolean(_ i: Int) -> Bool?
        func string(_ i: Int) -> String
        /// Every field as a string cell, null where `missing`.
        func strings(missing: [Bool]) -> [TableValue]
    }

    /// Fields as strings (CSV.swift's rows).
    struct StringFields: CSVFieldSource {
        let fields: [String]
        var count: Int { fields.count }
        func isMissing(_ i: Int) -> Bool { naValues.contains(fields[i]) }
        func integer(_ i: Int) -> Int64? { Inference.integer(fields[i]) }
        func number(_ i: Int) -> Double? { Inference.number(fields[i]) }
        func boolean(_ i: Int) -> Bool? {
            trueValues.contains(fields[i]) ? true : falseValues.contains(fields[i]) ? false : nil
        }
        func string(_ i: Int) -> String { fields[i] }
        func strings(missing: [Bool]) -> [TableValue] {
            zip(fields, missing).map { f, m in m ? .null : .string(f) }
        }
    }

    public static func column(csvFields fields: [String]) -> ColumnValues {
        column(StringFields(fields: fields))
    }

    /// pandas' inference over any source of CSV fields: missing values, then
    /// integers, numbers, booleans, strings, each field parsed once per rule.
    static func column(_ fields: some CSVFieldSource) -> ColumnValues {
        let n = fields.count
        if n == 0 { return .objects([]) }
        let missing = (0..<n).map { fields.isMissing($0) }
        let missingCount = missing.reduce(0) { $0 + ($1 ? 1 : 0) }
        let anyMissing = missingCount > 0
        if missingCount == n { return .numbers(Array(repeating: .nan, count: n)) }
        var ints: [Int64] = []
        ints.reserveCapacity(n)
        var allInts = true
        for i in 0..<n {
            if missing[i] {
                ints.append(0)
            } else if let v = fields.integer(i) {
                ints.append(v)
            } else {
                allInts = false
                break
            }
        }
        if allInts {
            if !anyMissing { return .integers(ints) }
            return .numbers((0..<n).map { missing[$0] ? .nan : Double(ints[$0]) })
        }
        var numbers: [Double] = []
        numbers.reserveCapacity(n)
        var allNumbers = true
        for i in 0..<n {
            if missing[i] {
                numbers.append(.nan)
            } else if let v = fields.number(i) {
                numbers.append(v)
            } else {
                allNumbers = false
                break
            }
        }
        if allNumbers { return .numbers(numbers) }
        var bools: [Bool?] = []
        bools.reserveCapacity(n)
        var allBools = true
        for i in 0..<n {
            if missing[i] {
                bools.append(nil)
            } else if let b = fields.boolean(i) {
                bools.append(b)
            } else {
                allBools = false
                break
            }
        }
        if allBools {
            if !anyMissing { return .booleans(bools.map { $0 ?? false }) }
            return .objects(bools.map { $0.map(TableValue.bool) ?? .null })
        }
        return .objects(fields.strings(missing: missing))
    }

    /// A field as pandas' C parser reads an integer: optional spaces and sign, digits.
    static func integer(_ field: String) -> Int64? {
        var field = field
        return field.withUTF8 { integer(bytes: $0) }
    }

    /// A field as a number: decimal with an optional exponent, or inf / infinity
    /// in any case with a sign (never hexadecimal; NaN spellings are missing values).
    static func number(_ field: String) -> Double? {
        var field = field
        return field.withUTF8 { number(bytes: $0) }
    }

    static func integer(bytes field: UnsafeBufferPointer<UInt8>) -> Int64? {
        var u = trimmed(field)
        guard let sign = u.first else { return nil }
        let negative = sign == UInt8(ascii: "-")
        if negative || sign == UInt8(ascii: "+") { u = u.dropFirst() }
        guard !u.isEmpty else { return nil }
        // Accumulated negative, so that Int64.min parses; nil on overflow.
        var value: Int64 = 0
        for c in u {
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (d, o2) = m.subtractingReportingOverflow(Int64(c - 48))
            guard !o1 && !o2 else { return nil }
            value = d
        }
        if negative { return value }
        let (p, o) = Int64(0).subtractingReportingOverflow(value)
        return o ? nil : p
    }

    static func number(bytes field: UnsafeBufferPointer<UInt8>) -> Double? {
        let u = trimmed(field)
        guard let first = u.first else { return nil }
        var body = u
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { body = body.dropFirst() }
        if let c = body.first, c | 0x20 == UInt8(ascii: "i") {
            let word = String(decoding: body, as: UTF8.self).lowercased()
            guard word == "inf" || word == "infinity" else { return nil }
            return first == UInt8(ascii: "-") ? -.infinity : .infinity
        }
        // [+-]? digits* (. digits*)? ([eE] [+-]? digits+)?, with a digit before the exponent.
        var i = u.startIndex
        if first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { i += 1 }
        var mantissaDigits = 0
        while i < u.endIndex, u[i] &- 48 < 10 { i += 1; mantissaDigits += 1 }
        if i < u.endIndex, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.endIndex, u[i] &- 48 < 10 { i += 1; mantissaDigits += 1 }
        }
        guard mantissaDigits > 0 else { return nil }
        if i < u.endIndex, u[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i += 1 }
            var exponentDigits = 0
            while i < u.endIndex, u[i] &- 48 < 10 { i += 1; exponentDigits += 1 }
            guard exponentDigits > 0 else { return nil }
        }
        guard i == u.endIndex else { return nil }
        // JSON's syntax (no '+') goes the fast, correctly rounded way; the rest through strtod.
        if first != UInt8(ascii: "+"), let v = FastDouble.parse(UnsafeBufferPointer(rebasing: u)) { return v }
        return Double(String(decoding: u, as: UTF8.self))
    }

    /// The field without leading and trailing spaces and tabs.
    static func trimmed(_ field: UnsafeBufferPointer<UInt8>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var u = field[...]
        while let f = u.first, f == 32 || f == 9 { u = u.dropFirst() }
        while let l = u.last, l == 32 || l == 9 { u = u.dropLast() }
        return u
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
