import Foundation
import FigureModel

/// One cell of a table, typed as the Python value the notebooks put there.
public enum Cell: Sendable, Equatable {
    case float(Double)
    case int(Int64)
    case bool(Bool)
    case string(String)
    /// Python `None` (missing: NaN in a numeric column).
    case none
    /// A Python list of floats (written as its repr).
    case floatList([Double])

    /// A `NumberField` as the raw value `dict.get` returns.
    init(_ f: NumberField) {
        switch f {
        case .absent, .null: self = .none
        case .double(let d): self = .float(d)
        case .int(let i): self = .int(i)
        }
    }

    /// An optional float (None when nil).
    init(_ d: Double?) { self = d.map { .float($0) } ?? .none }

    var isMissing: Bool {
        switch self {
        case .none: true
        case .float(let d): d.isNaN
        default: false
        }
    }
}

/// A pandas `DataFrame` built from a list of records (`pd.DataFrame(rows)`):
/// columns in order of first appearance, a key missing from a record is NaN.
public struct DataTable: Sendable, Equatable {
    public private(set) var columns: [String] = []
    /// Row-major cells, `columns.count` per row.
    public private(set) var rows: [[Cell]] = []

    public init() {}

    /// A table from records, each an ordered list of (column, value).
    public init(records: [[(String, Cell)]]) {
        for r in records { append(r) }
    }

    /// Appends one record; new columns are added at the end (earlier rows get `None`).
    public mutating func append(_ record: [(String, Cell)]) {
        var row = [Cell](repeating: .none, count: columns.count)
        for (k, v) in record {
            if let i = columns.firstIndex(of: k) {
                row[i] = v
            } else {
                columns.append(k)
                for j in rows.indices { rows[j].append(.none) }
                row.append(v)
            }
        }
        rows.append(row)
    }

    /// The cells of one column.
    public func column(_ name: String) -> [Cell]? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[i] }
    }

    /// `df.to_csv(index=False)`: the header, then one line per row, `\n`
    /// line ends, minimal quoting. Each column is written as pandas infers
    /// its dtype from the records: all ints → int64; numbers with missing
    /// values → float64 (`repr`, NaN empty); all bools → `True`/`False`;
    /// anything else → object (`str` of each value, None/NaN empty).
    public func csv() -> String {
        var formatted: [[String]] = []
        for c in columns.indices {
            formatted.append(Self.format(column: rows.map { $0[c] }))
        }
        var out = columns.map(Self.quote).joined(separator: ",") + "\n"
        out.reserveCapacity(rows.count * 24 * max(1, columns.count))
        for r in rows.indices {
            var first = true
            for c in columns.indices {
                if !first { out += "," }
                first = false
                out += Self.quote(formatted[c][r])
            }
            out += "\n"
        }
        return out
    }

    static func format(column cells: [Cell]) -> [String] {
        var ints = 0
        var floats = 0
        var bools = 0
        var missing = 0
        var other = 0
        for c in cells {
            switch c {
            case .int: ints += 1
            case .float(let d): if d.isNaN { missing += 1 } else { floats += 1 }
            case .bool: bools += 1
            case .none: missing += 1
            default: other += 1
            }
        }
        let n = cells.count
        if ints == n {
            return cells.map { if case .int(let i) = $0 { String(i) } else { "" } }
        }
        if other == 0 && bools == 0 && (ints + floats) > 0 {
            // float64: ints are converted, None is NaN (written empty).
            return cells.map {
                switch $0 {
                case .int(let i): PythonFormat.repr(Double(i))
                case .float(let d): d.isNaN ? "" : PythonFormat.repr(d)
                default: ""
                }
            }
        }
        if bools == n { return cells.map { if case .bool(let b) = $0 { b ? "True" : "False" } else { "" } } }
        return cells.map(Self.str)
    }

    /// Python's `str()` of an object-column value; None and NaN are empty.
    static func str(_ c: Cell) -> String {
        switch c {
        case .none: ""
        case .float(let d): d.isNaN ? "" : PythonFormat.repr(d)
        case .int(let i): String(i)
        case .bool(let b): b ? "True" : "False"
        case .string(let s): s
        case .floatList(let l): "[" + l.map(PythonFormat.repr).joined(separator: ", ") + "]"
        }
    }

    /// The csv module's QUOTE_MINIMAL.
    static func quote(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension DataTable {
    public static let artifactType = "entropy.table"
}
