import FigpipeBasics
import Tables

/// Compares a table with a pandas DataFrame as scripts/make_table_fixtures.py
/// writes it: `[{"name", "dtype", "values"}]`, NaN and None as null, infinities
/// as "inf"/"-inf". Numbers must be equal exactly (the same arithmetic).
public enum TableFixtures {
    /// Every difference, as `column: what`; empty when the table is the frame.
    public static func differences(_ table: DataTable, frame columns: [JSONValue]) -> [String] {
        var out: [String] = []
        let names = columns.compactMap { $0["name"]?.stringValue }
        if table.columns.map(\.name) != names {
            out.append("columns \(table.columns.map(\.name)) != pandas' \(names)")
        }
        for c in columns {
            guard let name = c["name"]?.stringValue, let ours = table[name] else { continue }
            let dtype = c["dtype"]?.stringValue ?? ""
            if ours.values.type != columnType(pandas: dtype) {
                out.append("\(name): \(ours.values.type.rawValue), pandas \(dtype)")
            }
            let values = c["values"]?.arrayValue ?? []
            if ours.values.count != values.count {
                out.append("\(name): \(ours.values.count) rows, pandas \(values.count)")
                continue
            }
            for (n, v) in values.enumerated() where ours.values[n] != cell(v) {
                out.append("\(name)[\(n)]: \(ours.values[n]), pandas \(v)")
            }
        }
        return out
    }

    /// pandas' dtype as a column type (pandas 3 calls its string dtype `str`).
    public static func columnType(pandas dtype: String) -> ColumnType? {
        switch dtype {
        case "int64": .integer
        case "float64": .number
        case "bool": .boolean
        case "object", "str": .string
        default: nil
        }
    }

    /// A fixture's cell as a table cell.
    static func cell(_ v: JSONValue) -> TableValue {
        switch v {
        case .int(let i): .number(Double(i))
        case .double(let d): .number(d)
        case .bool(let b): .bool(b)
        case .string("inf"): .number(.infinity)
        case .string("-inf"): .number(-.infinity)
        case .string(let s): .string(s)
        default: .null
        }
    }
}
