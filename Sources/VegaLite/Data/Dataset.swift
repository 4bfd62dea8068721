import Foundation

/// The data a Vega-Lite view works on: rows of fields, as Vega's datums, but
/// stored column by column so that a million rows stay small.
///
/// A field value is what Vega's JavaScript holds: a number, a string, a
/// boolean, or null. `nil` in a numeric column is null (a missing value);
/// NaN is a number that is not valid (Vega's `isValid` is false for both).

/// One field value of one datum.
public enum FieldValue: Hashable, Sendable {
    case null
    case number(Double)
    case string(String)
    case boolean(Bool)

    /// The value as JavaScript's unary `+` converts it: null → 0,
    /// booleans → 0/1, strings parsed as JavaScript parses numbers (NaN if
    /// they are not one).
    public var numeric: Double { JavaScript.toNumber(self) }

    /// The value as Vega's statistics take it: nil (missing) for null and
    /// "", else its number (NaN, invalid, for a string that is not one).
    public var statistic: Double? {
        switch self {
        case .null, .string(""): nil
        default: numeric
        }
    }

    /// Vega's `isValid`: neither null nor NaN.
    public var isValid: Bool {
        switch self {
        case .null: false
        case .number(let v): !v.isNaN
        default: true
        }
    }

    /// JavaScript's truthiness.
    public var truthy: Bool {
        switch self {
        case .null: false
        case .number(let v): v != 0 && !v.isNaN
        case .string(let s): !s.isEmpty
        case .boolean(let b): b
        }
    }

    /// The value as JavaScript's `String(v)` writes it (for labels and keys).
    public var text: String {
        switch self {
        case .null: "null"
        case .number(let v): JavaScriptNumber.string(v)
        case .string(let s): s
        case .boolean(let b): b ? "true" : "false"
        }
    }
}

/// JavaScript's `Number.prototype.toString()` for the values labels show.
public enum JavaScriptNumber {
    /// `Number::toString` (ECMA-262): the shortest digits that read back as
    /// `v` (`JavaScriptFormatting.shortestDigits`), written without an
    /// exponent from 1e-6 up to 1e21 (`0.000001`, `123`), with one outside
    /// (`1e-7`, `1.5e+21`).
    public static func string(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "Infinity" : "-Infinity" }
        if v == 0 { return "0" }
        let (digits, n) = JavaScriptFormatting.shortestDigits(abs(v))
        let d = String(digits.map { Character(Unicode.Scalar($0 + 48)) })
        let k = digits.count
        let body: String
        if k <= n && n <= 21 {
            body = d + String(repeating: "0", count: n - k)
        } else if 0 < n && n <= 21 {
            body = String(d.prefix(n)) + "." + String(d.dropFirst(n))
        } else if -6 < n && n <= 0 {
            body = "0." + String(repeating: "0", count: -n) + d
        } else {
            let e = n - 1
            body =
                String(d.prefix(1)) + (k > 1 ? "." + String(d.dropFirst()) : "") + "e" + (e < 0 ? "-" : "+")
                + String(abs(e))
        }
        return (v < 0 ? "-" : "") + body
    }
}

/// The values of one field, for every row.
public enum Column: Sendable {
    /// Numbers; nil is null.
    case numbers([Double?])
    /// Anything else (strings, booleans, mixed).
    case values([FieldValue])

    public var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .values(let v): v.count
        }
    }

    public subscript(row: Int) -> FieldValue {
        switch self {
        case .numbers(let v): v[row].map(FieldValue.number) ?? .null
        case .values(let v): v[row]
        }
    }

    /// The rows `rows`, in that order.
    public func select(_ rows: [Int]) -> Column {
        switch self {
        case .numbers(let v): .numbers(rows.map { v[$0] })
        case .values(let v): .values(rows.map { v[$0] })
        }
    }

    /// A column of `values`, stored as numbers when every one is a number or null.
    public init(_ values: [FieldValue]) {
        var numbers: [Double?] = []
        numbers.reserveCapacity(values.count)
        for v in values {
            switch v {
            case .null: numbers.append(nil)
            case .number(let d): numbers.append(d)
            default:
                self = .values(values)
                return
            }
        }
        self = .numbers(numbers)
    }
}

/// Rows of named fields. A field a datum lacks reads as null.
public struct Dataset: Sendable {
    /// The field names, in the order they were added.
    public private(set) var fields: [String]
    private var columns: [String: Column]
    /// The number of rows.
    public private(set) var count: Int

    public init(count: Int = 0) {
        fields = []
        columns = [:]
        self.count = count
    }

    /// A dataset of the given columns, which must all have the same length.
    public init(columns: [(String, Column)]) {
        self.init(count: columns.first?.1.count ?? 0)
        for (name, column) in columns { self[name] = column }
    }

    /// Rows given as field → value maps, as inline `data.values` are. Fields
    /// are ordered by their first appearance.
    public init(rows: [[(String, FieldValue)]]) {
        var order: [String] = []
        var seen: Set<String> = []
        for row in rows { for (k, _) in row where seen.insert(k).inserted { order.append(k) } }
        var cells: [String: [FieldValue]] = [:]
        for k in order { cells[k] = Array(repeating: .null, count: rows.count) }
        for (i, row) in rows.enumerated() { for (k, v) in row { cells[k]?[i] = v } }
        self.init(count: rows.count)
        for k in order { self[k] = Column(cells[k] ?? []) }
    }

    /// The column of a field, or nil if no datum has it.
    public subscript(field: String) -> Column? {
        get { columns[field] }
        set {
            guard let newValue else {
                columns[field] = nil
                fields.removeAll { $0 == field }
                return
            }
            precondition(newValue.count == count || fields.isEmpty, "column length differs from the dataset's")
            if fields.isEmpty { count = newValue.count }
            if columns[field] == nil { fields.append(field) }
            columns[field] = newValue
        }
    }

    /// The value of `field` in row `row` (null when the field is absent).
    public func value(_ field: String, _ row: Int) -> FieldValue {
        columns[field]?[row] ?? .null
    }

    /// Every row's value of `field` as a statistic (nil for null; see `FieldValue.statistic`).
    public func statistics(_ field: String) -> [Double?] {
        switch columns[field] {
        case .numbers(let v): v
        case .values(let v): v.map(\.statistic)
        case nil: Array(repeating: nil, count: count)
        }
    }

    /// The rows `rows`, in that order, with every field.
    public func select(_ rows: [Int]) -> Dataset {
        var out = Dataset(count: rows.count)
        for f in fields { if let c = columns[f] { out.fields.append(f); out.columns[f] = c.select(rows) } }
        return out
    }

    /// This dataset's rows followed by `other`'s (fields either lacks are null).
    public func appending(_ other: Dataset) -> Dataset {
        var out = Dataset(count: count + other.count)
        var names = fields
        for f in other.fields where !names.contains(f) { names.append(f) }
        for f in names {
            let a = (0..<count).map { value(f, $0) }
            let b = (0..<other.count).map { other.value(f, $0) }
            out.fields.append(f)
            out.columns[f] = Column(a + b)
        }
        return out
    }
}
