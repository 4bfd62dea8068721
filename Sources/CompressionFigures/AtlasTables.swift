import FigpipeBasics

// The three provenance atlases: plain JSON lines, one row per line, of which
// the notebook reads a few string and number fields. They share one storage
// layout (`RowColumns`): a string pool, the line numbers, string-id columns
// and number columns, in an order each table fixes.

/// Rows of `provenance/iter3_precommit/03_atlas/results.jsonl` (the bf16
/// byte-entropy atlas; figures 1 and 2). Every row is kept, whatever its
/// dtype: the notebook filters on `r.get('dtype') == 'bf16'`.
public struct AtlasBF16Table: Sendable, Equatable, RandomAccessCollection {
    public static let artifactType = "compression.atlas-bf16"
    public static let formatVersion: Int32 = 1

    public struct Row: Sendable, Equatable {
        /// 1-based line number in the file.
        public var line: Int
        public var dtype: StringField
        public var tensorCategory: StringField
        /// Never `.absent` on a row whose dtype is "bf16" (the notebook's
        /// `r['tensor_name']` would raise KeyError; the loader rejects it).
        public var tensorName: StringField
        public var hByte1: NumberField
        public var hByte0: NumberField
        public var ceilingRatio: NumberField
        public var rMarginal: NumberField
        public var ratioCeilingByte: NumberField

        public init(
            line: Int, dtype: StringField, tensorCategory: StringField, tensorName: StringField,
            hByte1: NumberField, hByte0: NumberField, ceilingRatio: NumberField, rMarginal: NumberField,
            ratioCeilingByte: NumberField
        ) {
            self.line = line
            self.dtype = dtype
            self.tensorCategory = tensorCategory
            self.tensorName = tensorName
            self.hByte1 = hByte1
            self.hByte0 = hByte0
            self.ceilingRatio = ceilingRatio
            self.rMarginal = rMarginal
            self.ratioCeilingByte = ratioCeilingByte
        }
    }

    static let layout = RowLayout(
        texts: ["dtype", "tensor_category", "tensor_name"],
        numbers: ["H_byte1", "H_byte0", "ceiling_ratio", "R_marginal", "ratio_ceiling_byte"])

    let columns: RowColumns

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.line.count }

    public subscript(i: Int) -> Row {
        let c = columns
        return Row(
            line: Int(c.line[i]), dtype: c.text(0, i), tensorCategory: c.text(1, i), tensorName: c.text(2, i),
            hByte1: c.numbers[0][i], hByte0: c.numbers[1][i], ceilingRatio: c.numbers[2][i],
            rMarginal: c.numbers[3][i], ratioCeilingByte: c.numbers[4][i])
    }

    /// Loads the atlas. A `dtype == "bf16"` row without `tensor_name` is an
    /// error, as are bad JSON and fields of the wrong type (all bad lines
    /// are listed in one `JSONLinesError`).
    public static func load(path: String, displayName: String) throws -> AtlasBF16Table {
        let columns = try RowColumns.load(path: path, displayName: displayName, layout: layout) {
            (row, objectStart) throws(LineProblem) in
            // texts: 0 dtype, 2 tensor_name
            if row.textValue(0) == "bf16" && row.texts[2] == StringID.absent {
                throw LineProblem(
                    offset: objectStart,
                    message: "missing field 'tensor_name' (required on rows with dtype \"bf16\")")
            }
        }
        return AtlasBF16Table(columns: columns)
    }

    /// See `RowColumns.encoded` for the layout.
    public func encoded() -> [UInt8] {
        columns.encoded(artifactType: Self.artifactType, formatVersion: Self.formatVersion)
    }

    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        columns = try RowColumns(
            decoding: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion, layout: Self.layout)
    }

    init(columns: RowColumns) { self.columns = columns }

    public static func == (a: Self, b: Self) -> Bool { a.columns.isIdentical(to: b.columns) }
}

/// Rows of `provenance/iter5/precheck_q/atlas_train.jsonl` (the Q4_K nibble
/// atlas; figures 2 and 3).
public struct AtlasQ4KTable: Sendable, Equatable, RandomAccessCollection {
    public static let artifactType = "compression.atlas-q4k"
    public static let formatVersion: Int32 = 1

    public struct Row: Sendable, Equatable {
        public var line: Int
        /// Never `.absent`: the notebook reads `r['tensor_name']` on every row.
        public var tensorName: StringField
        public var hNibble: NumberField
        public var hByte: NumberField
        public var ggmlType: StringField

        public init(line: Int, tensorName: StringField, hNibble: NumberField, hByte: NumberField, ggmlType: StringField)
        {
            self.line = line
            self.tensorName = tensorName
            self.hNibble = hNibble
            self.hByte = hByte
            self.ggmlType = ggmlType
        }
    }

    static let layout = RowLayout(texts: ["tensor_name", "ggml_type"], numbers: ["H_nibble", "H_byte"])

    let columns: RowColumns

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.line.count }

    public subscript(i: Int) -> Row {
        let c = columns
        return Row(
            line: Int(c.line[i]), tensorName: c.text(0, i), hNibble: c.numbers[0][i], hByte: c.numbers[1][i],
            ggmlType: c.text(1, i))
    }

    /// Loads the atlas; a row without `tensor_name` is an error.
    public static func load(path: String, displayName: String) throws -> AtlasQ4KTable {
        let columns = try RowColumns.load(path: path, displayName: displayName, layout: layout) {
            (row, objectStart) throws(LineProblem) in
            if row.texts[0] == StringID.absent {
                throw LineProblem(offset: objectStart, message: "missing field 'tensor_name' (required on every row)")
            }
        }
        return AtlasQ4KTable(columns: columns)
    }

    public func encoded() -> [UInt8] {
        columns.encoded(artifactType: Self.artifactType, formatVersion: Self.formatVersion)
    }

    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        columns = try RowColumns(
            decoding: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion, layout: Self.layout)
        if let i = columns.texts[0].firstIndex(of: StringID.absent) {
            throw BinaryDecodingError(
                artifactType: Self.artifactType, offset: 0, message: "row \(i) has no tensor_name")
        }
    }

    init(columns: RowColumns) { self.columns = columns }

    public static func == (a: Self, b: Self) -> Bool { a.columns.isIdentical(to: b.columns) }
}

/// Rows of `provenance/iter5/precheck_l/atlas_train.jsonl` (the inter-layer
/// correlation atlas; figure 4).
public struct AtlasLayerTable: Sendable, Equatable, RandomAccessCollection {
    public static let artifactType = "compression.atlas-layer"
    public static let formatVersion: Int32 = 1

    public struct Row: Sendable, Equatable {
        public var line: Int
        public var corrPearson: NumberField
        public var model: StringField
        public var role: StringField

        public init(line: Int, corrPearson: NumberField, model: StringField, role: StringField) {
            self.line = line
            self.corrPearson = corrPearson
            self.model = model
            self.role = role
        }
    }

    static let layout = RowLayout(texts: ["model", "role"], numbers: ["corr_pearson"])

    let columns: RowColumns

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.line.count }

    public subscript(i: Int) -> Row {
        let c = columns
        return Row(line: Int(c.line[i]), corrPearson: c.numbers[0][i], model: c.text(0, i), role: c.text(1, i))
    }

    public static func load(path: String, displayName: String) throws -> AtlasLayerTable {
        AtlasLayerTable(columns: try RowColumns.load(path: path, displayName: displayName, layout: layout) { _, _ in })
    }

    public func encoded() -> [UInt8] {
        columns.encoded(artifactType: Self.artifactType, formatVersion: Self.formatVersion)
    }

    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        columns = try RowColumns(
            decoding: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion, layout: Self.layout)
    }

    init(columns: RowColumns) { self.columns = columns }

    public static func == (a: Self, b: Self) -> Bool { a.columns.isIdentical(to: b.columns) }
}

// MARK: - Shared storage

/// The JSON keys a table keeps: string fields, then number fields.
struct RowLayout: Sendable {
    var texts: [StaticString]
    var numbers: [StaticString]
}

/// One row while it is parsed, for a table's checks.
struct PendingRow {
    var texts: [Int32]
    var numbers: [NumberField]
    let pool: [String]

    func textValue(_ column: Int) -> String? {
        let id = texts[column]
        return id >= 0 ? pool[Int(id)] : nil
    }
}

/// Column storage of an atlas table.
struct RowColumns: Sendable {
    var strings: [String] = []
    var line: [Int32] = []
    /// String-id columns, in the layout's order.
    var texts: [[Int32]]
    /// Number columns, in the layout's order.
    var numbers: [NumberColumn]

    init(layout: RowLayout) {
        texts = Array(repeating: [], count: layout.texts.count)
        numbers = Array(repeating: NumberColumn(), count: layout.numbers.count)
    }

    func text(_ column: Int, _ row: Int) -> StringField { StringID.field(texts[column][row], strings) }

    /// Reads a JSON-lines file keeping the layout's fields; `check` may reject
    /// a row (it gets the row and the offset of its `{`).
    static func load(
        path: String, displayName: String, layout: RowLayout,
        check: (PendingRow, Int) throws(LineProblem) -> Void
    ) throws -> RowColumns {
        var out = RowColumns(layout: layout)
        var interner = Interner()
        try forEachJSONObjectLine(path: path, displayName: displayName) {
            (s, lineNumber, objectStart) throws(LineProblem) in
            var texts = [Int32](repeating: StringID.absent, count: layout.texts.count)
            var numbers = [NumberField](repeating: .absent, count: layout.numbers.count)
            keys: while let key = try wrap({ () throws(JSONSyntaxError) in try s.nextKey() }) {
                for (i, name) in layout.texts.enumerated() where key.equals(name) {
                    texts[i] = try s.readStringFieldID(name.description, &interner)
                    continue keys
                }
                for (i, name) in layout.numbers.enumerated() where key.equals(name) {
                    numbers[i] = try s.readNumberField(name.description)
                    continue keys
                }
                try s.skip()
            }
            try check(PendingRow(texts: texts, numbers: numbers, pool: interner.strings), objectStart)
            guard lineNumber <= Int32.max, out.line.count < Int32.max else {
                throw LineProblem(offset: objectStart, message: "too many rows for one table")
            }
            out.line.append(Int32(lineNumber))
            for i in texts.indices { out.texts[i].append(texts[i]) }
            for i in numbers.indices { out.numbers[i].append(numbers[i]) }
        }
        out.strings = interner.strings
        return out
    }

    /// After the `ByteWriter` header:
    ///
    ///     strings [String]; count Int64; line [Int32]
    ///     each string column: [Int32] string ids (-1 absent, -2 null)
    ///     each number column: tags [UInt8] (0 absent, 1 null, 2 number), values [Double]
    ///
    /// in the table's column order. Deterministic.
    func encoded(artifactType: String, formatVersion: Int32) -> [UInt8] {
        var w = ByteWriter(
            artifactType: artifactType, formatVersion: formatVersion,
            reservingCapacity: 64 + line.count * (4 + 4 * texts.count + 9 * numbers.count)
                + strings.reduce(0) { $0 + $1.utf8.count + 8 })
        w.append(strings)
        w.append(Int64(line.count))
        w.append(line)
        for t in texts { w.append(t) }
        for n in numbers { n.encode(to: &w) }
        return w.bytes
    }

    init(decoding bytes: [UInt8], artifactType: String, formatVersion: Int32, layout: RowLayout)
        throws(BinaryDecodingError)
    {
        var r = try ByteReader(bytes: bytes, artifactType: artifactType, formatVersion: formatVersion)
        strings = try readPool(&r)
        let n = try readCount(&r)
        line = try readLines(&r, count: n)
        texts = []
        for name in layout.texts {
            texts.append(try readStringIDs(&r, count: n, poolCount: strings.count, name: name.description))
        }
        numbers = []
        for name in layout.numbers {
            numbers.append(try NumberColumn(from: &r, count: n, name: name.description))
        }
        try r.expectEnd()
    }

    func isIdentical(to o: RowColumns) -> Bool {
        strings == o.strings && line == o.line && texts == o.texts && numbers.count == o.numbers.count
            && zip(numbers, o.numbers).allSatisfy { $0.isIdentical(to: $1) }
    }
}
