import FigpipeBasics
import Pipeline

/// One cell of an `object` column: what a JSON value or a CSV field holds.
public enum TableValue: Sendable, Equatable {
    case null
    case number(Double)
    case string(String)
    case bool(Bool)
}

/// The type of a column, as pandas would infer it (`int64`, `float64`,
/// `bool`, `object`) or `params.columns` declares it.
public enum ColumnType: String, Sendable, Equatable, CaseIterable {
    /// pandas `int64`: whole numbers, no missing value.
    case integer
    /// pandas `float64`: numbers; a missing value is NaN.
    case number
    /// pandas `bool`: no missing value.
    case boolean
    /// pandas `object`: strings, and anything mixed; a missing value is null.
    case string

    /// The pandas dtype name, for messages and fixtures.
    public var pandasName: String {
        switch self {
        case .integer: "int64"
        case .number: "float64"
        case .boolean: "bool"
        case .string: "object"
        }
    }
}

/// A column's values, stored by type. Equal when their cells are, NaN
/// (a missing number) equal to NaN.
public enum ColumnValues: Sendable, Equatable {
    case integers([Int64])
    case numbers([Double])
    case booleans([Bool])
    case objects([TableValue])

    public var type: ColumnType {
        switch self {
        case .integers: .integer
        case .numbers: .number
        case .booleans: .boolean
        case .objects: .string
        }
    }

    public var count: Int {
        switch self {
        case .integers(let v): v.count
        case .numbers(let v): v.count
        case .booleans(let v): v.count
        case .objects(let v): v.count
        }
    }

    public static func == (a: ColumnValues, b: ColumnValues) -> Bool {
        switch (a, b) {
        case (.integers(let x), .integers(let y)): x == y
        case (.numbers(let x), .numbers(let y)):
            x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || $0.isNaN && $1.isNaN }
        case (.booleans(let x), .booleans(let y)): x == y
        case (.objects(let x), .objects(let y)): x == y
        default: false
        }
    }

    /// Row `i` as a cell (NaN numbers as null, as Vega-Lite's `isValid` sees them).
    public subscript(i: Int) -> TableValue {
        switch self {
        case .integers(let v): .number(Double(v[i]))
        case .numbers(let v): v[i].isNaN ? .null : .number(v[i])
        case .booleans(let v): .bool(v[i])
        case .objects(let v): v[i]
        }
    }
}

public struct Column: Sendable, Equatable {
    public var name: String
    public var values: ColumnValues

    public init(name: String, values: ColumnValues) {
        self.name = name
        self.values = values
    }
}

/// A typed table: named columns of equal length, in order. The artifact of
/// `table.load` (and of the families' tables), type `table`.
public struct DataTable: Sendable, Equatable {
    public static let artifactType = "table"

    public var columns: [Column]

    public init(columns: [Column]) { self.columns = columns }

    public var rowCount: Int { columns.first?.values.count ?? 0 }

    public subscript(name: String) -> Column? { columns.first { $0.name == name } }

    // MARK: Binary layout
    // The artifact header (type `table`, format 1), the column count, then per
    // column: the name, a type byte (0 integer, 1 number, 2 boolean, 3
    // object) and the values; an object cell is a tag byte (0 null, 1
    // number, 2 string, 3 bool) and its value.

    static let formatVersion: Int32 = 1

    public var artifact: Artifact {
        var w = ByteWriter(artifactType: Self.artifactType, formatVersion: Self.formatVersion)
        w.append(Int64(columns.count))
        for c in columns {
            w.append(c.name)
            switch c.values {
            case .integers(let v):
                w.append(UInt8(0))
                w.append(v)
            case .numbers(let v):
                w.append(UInt8(1))
                w.append(v)
            case .booleans(let v):
                w.append(UInt8(2))
                w.append(v.map { $0 ? UInt8(1) : 0 })
            case .objects(let v):
                w.append(UInt8(3))
                w.append(Int64(v.count))
                for x in v {
                    switch x {
                    case .null: w.append(UInt8(0))
                    case .number(let d):
                        w.append(UInt8(1))
                        w.append(d)
                    case .string(let s):
                        w.append(UInt8(2))
                        w.append(s)
                    case .bool(let b):
                        w.append(UInt8(3))
                        w.append(b)
                    }
                }
            }
        }
        return Artifact(type: Self.artifactType, encoding: .binary, bytes: w.bytes)
    }

    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        var r = try ByteReader(bytes: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion)
        let count = try r.readInt64()
        guard count >= 0 && count <= Int64(r.remaining) else { throw r.error("bad column count \(count)") }
        var columns: [Column] = []
        for _ in 0..<count {
            let name = try r.readString()
            switch try r.readUInt8() {
            case 0: columns.append(Column(name: name, values: .integers(try r.readInt64Array())))
            case 1: columns.append(Column(name: name, values: .numbers(try r.readDoubleArray())))
            case 2: columns.append(Column(name: name, values: .booleans(try r.readUInt8Array().map { $0 != 0 })))
            case 3:
                let n = try r.readInt64()
                guard n >= 0 && n <= Int64(r.remaining) else { throw r.error("bad row count \(n)") }
                var cells: [TableValue] = []
                cells.reserveCapacity(Int(n))
                for _ in 0..<n {
                    switch try r.readUInt8() {
                    case 0: cells.append(.null)
                    case 1: cells.append(.number(try r.readDouble()))
                    case 2: cells.append(.string(try r.readString()))
                    case 3: cells.append(.bool(try r.readBool()))
                    case let tag: throw r.error("bad cell tag \(tag)")
                    }
                }
                columns.append(Column(name: name, values: .objects(cells)))
            case let tag: throw r.error("bad column type \(tag)")
            }
        }
        try r.expectEnd()
        guard Set(columns.map(\.values.count)).count <= 1 else { throw r.error("columns of different lengths") }
        self.columns = columns
    }
}
