import FigpipeBasics

/// A numeric field of a JSON record as the notebook sees it: missing, an
/// explicit `null`, or a number (also `NaN` / `±Infinity`, which Python's
/// `json` accepts).
///
/// Python's `'k' in r` is `isPresent`; `r.get('k')` is `value`;
/// `r.get('k', d)` is `get(default: d)` (an explicit null gives `None`, not
/// the default).
public enum NumberField: Sendable, Equatable {
    case absent
    case null
    case number(Double)

    /// `'key' in r`.
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// `r.get('key')`: the number, or nil when absent or null.
    public var value: Double? {
        if case .number(let d) = self { return d }
        return nil
    }

    /// `r.get('key', default)`: `default` when absent, nil for an explicit null.
    public func get(default defaultValue: Double) -> Double? {
        switch self {
        case .absent: defaultValue
        case .null: nil
        case .number(let d): d
        }
    }
}

/// A string field of a JSON record: missing, an explicit `null`, or a string.
/// Same `.get` semantics as `NumberField`.
public enum StringField: Sendable, Equatable {
    case absent
    case null
    case string(String)

    /// `'key' in r`.
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// `r.get('key')`: the string, or nil when absent or null.
    public var value: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// `r.get('key', default)`: `default` when absent, nil for an explicit null.
    public func get(default defaultValue: String) -> String? {
        switch self {
        case .absent: defaultValue
        case .null: nil
        case .string(let s): s
        }
    }
}

// MARK: - Columns (internal storage)

/// A column of `NumberField`s: one tag byte and one Double per row. The
/// Double is 0 unless the tag is `number`, so equal columns encode to equal
/// bytes. Equality compares bit patterns (a NaN equals the same NaN).
struct NumberColumn: Sendable {
    static let absentTag: UInt8 = 0
    static let nullTag: UInt8 = 1
    static let numberTag: UInt8 = 2

    private(set) var tags: [UInt8] = []
    private(set) var values: [Double] = []

    init() {}

    init(reservingCapacity n: Int) {
        tags.reserveCapacity(n)
        values.reserveCapacity(n)
    }

    var count: Int { tags.count }

    subscript(i: Int) -> NumberField {
        switch tags[i] {
        case NumberColumn.numberTag: .number(values[i])
        case NumberColumn.nullTag: .null
        default: .absent
        }
    }

    mutating func append(_ f: NumberField) {
        switch f {
        case .absent:
            tags.append(NumberColumn.absentTag)
            values.append(0)
        case .null:
            tags.append(NumberColumn.nullTag)
            values.append(0)
        case .number(let d):
            tags.append(NumberColumn.numberTag)
            values.append(d)
        }
    }

    mutating func set(_ i: Int, _ f: NumberField) {
        switch f {
        case .absent:
            tags[i] = NumberColumn.absentTag
            values[i] = 0
        case .null:
            tags[i] = NumberColumn.nullTag
            values[i] = 0
        case .number(let d):
            tags[i] = NumberColumn.numberTag
            values[i] = d
        }
    }

    mutating func removeLast(_ n: Int) {
        tags.removeLast(n)
        values.removeLast(n)
    }

    func encode(to w: inout ByteWriter) {
        w.append(tags)
        w.append(values)
    }

    init(from r: inout ByteReader, count: Int, name: String) throws(BinaryDecodingError) {
        let at = r.offset
        tags = try r.readUInt8Array()
        values = try r.readDoubleArray()
        guard tags.count == count, values.count == count else {
            throw r.error("column \(name) has \(tags.count) tags and \(values.count) values, expected \(count)", at: at)
        }
        if let bad = tags.first(where: { $0 > NumberColumn.numberTag }) {
            throw r.error("column \(name) has an invalid tag \(bad)", at: at)
        }
    }

    func isIdentical(to other: NumberColumn) -> Bool {
        tags == other.tags && values.elementsEqual(other.values) { $0.bitPattern == $1.bitPattern }
    }
}

/// String ids in a `StringColumn`-like `[Int32]`: an index into the table's
/// string pool, or one of these.
enum StringID {
    static let absent: Int32 = -1
    static let null: Int32 = -2

    static func field(_ id: Int32, _ pool: [String]) -> StringField {
        switch id {
        case absent: .absent
        case null: .null
        default: .string(pool[Int(id)])
        }
    }

    /// Checks that every id is `absent`, `null` or a pool index.
    static func validate(
        _ ids: [Int32], count: Int, poolCount: Int, name: String, reader r: ByteReader, at: Int,
        allowAbsentOrNull: Bool = true
    ) throws(BinaryDecodingError) {
        guard ids.count == count else {
            throw r.error("column \(name) has \(ids.count) entries, expected \(count)", at: at)
        }
        let low: Int32 = allowAbsentOrNull ? StringID.null : 0
        if let bad = ids.first(where: { $0 < low || Int($0) >= poolCount }) {
            throw r.error("column \(name) has an invalid string id \(bad) (pool of \(poolCount))", at: at)
        }
    }
}

/// Reads an `[Int32]` string-id column and validates it.
func readStringIDs(
    _ r: inout ByteReader, count: Int, poolCount: Int, name: String, allowAbsentOrNull: Bool = true
) throws(BinaryDecodingError) -> [Int32] {
    let at = r.offset
    let ids = try r.readInt32Array()
    try StringID.validate(
        ids, count: count, poolCount: poolCount, name: name, reader: r, at: at, allowAbsentOrNull: allowAbsentOrNull)
    return ids
}

/// Reads the line-number column (positive numbers, `count` of them).
func readLines(_ r: inout ByteReader, count: Int) throws(BinaryDecodingError) -> [Int32] {
    let at = r.offset
    let lines = try r.readInt32Array()
    guard lines.count == count else {
        throw r.error("column line has \(lines.count) entries, expected \(count)", at: at)
    }
    if let bad = lines.first(where: { $0 < 1 }) {
        throw r.error("column line has an invalid line number \(bad)", at: at)
    }
    return lines
}

/// Reads a non-negative row count.
func readCount(_ r: inout ByteReader) throws(BinaryDecodingError) -> Int {
    let at = r.offset
    let n = try r.readInt64()
    guard n >= 0, n <= Int64(Int32.max) else { throw r.error("invalid row count \(n)", at: at) }
    return Int(n)
}

/// Reads the string pool (each string at most once).
func readPool(_ r: inout ByteReader) throws(BinaryDecodingError) -> [String] {
    let at = r.offset
    let pool = try r.readStringArray()
    guard pool.count <= Int(Int32.max) else { throw r.error("string pool too large", at: at) }
    return pool
}
