import FigpipeBasics

/// A fast path for the common CSV file: no quote and no carriage return
/// anywhere, so a row is a line and a field is what lies between commas.
/// It reads the bytes in place (no string per field) and gives exactly the
/// table the general reader (CSV.swift plus `Inference`) gives, which the
/// tests check on both paths; any other file takes the general reader.
/// `make bench` measures both on a million rows.
enum PlainCSV {
    /// The table, or nil when the file needs the general reader.
    static func read(_ bytes: [UInt8], shown: String) throws -> DataTable? {
        try bytes.withUnsafeBufferPointer { (buffer: UnsafeBufferPointer<UInt8>) throws -> DataTable? in
            guard buffer.count < Int(UInt32.max), !buffer.contains(where: { $0 == 34 || $0 == 13 }) else { return nil }
            if buffer.contains(where: { $0 >= 0x80 }), String(validating: buffer, as: UTF8.self) == nil {
                throw TableError(file: shown, line: 1, column: 1, message: "not UTF-8 text")
            }
            return try read(buffer, shown: shown)
        }
    }

    private static func read(_ buffer: UnsafeBufferPointer<UInt8>, shown: String) throws -> DataTable {
        let n = buffer.count
        var lineEnd = buffer.firstIndex(of: 10) ?? n
        let header = split(buffer, 0, lineEnd).map { String(decoding: buffer[$0.0..<$0.1], as: UTF8.self) }
        guard !(header.count == 1 && header[0].isEmpty) else {
            throw TableError(file: shown, line: 1, column: 1, message: "no header row")
        }
        let width = header.count
        // Every field's (start, end) offsets, row by row: rows × width pairs.
        var rowCount = 0
        for i in (lineEnd + 1)..<max(lineEnd + 1, n) where buffer[i] == 10 { rowCount += 1 }
        var offsets = [UInt32]()
        offsets.reserveCapacity((rowCount + 1) * width * 2)
        var line = 2
        var start = lineEnd + 1
        while start < n {
            lineEnd = start
            while lineEnd < n && buffer[lineEnd] != 10 { lineEnd += 1 }
            if lineEnd > start {
                var column = 0
                var fieldStart = start
                for i in start...lineEnd where i == lineEnd || buffer[i] == 44 {
                    guard column < width else {
                        let count = split(buffer, start, lineEnd).count
                        throw TableError(
                            file: shown, line: line, column: 1,
                            message: "expected \(width) fields (the header's), saw \(count)")
                    }
                    offsets.append(UInt32(fieldStart))
                    offsets.append(UInt32(i))
                    column += 1
                    fieldStart = i + 1
                }
                // A short row: the missing fields are empty (missing values).
                while column < width {
                    offsets.append(UInt32(lineEnd))
                    offsets.append(UInt32(lineEnd))
                    column += 1
                }
            }
            line += 1
            start = lineEnd + 1
        }
        var columns: [Column] = []
        for (c, name) in header.enumerated() {
            let fields = ByteFields(buffer: buffer, offsets: offsets, column: c, width: width)
            columns.append(Column(name: name, values: Inference.column(fields)))
        }
        return DataTable(columns: columns)
    }

    /// The comma-separated fields of `buffer[start..<end]`.
    private static func split(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var fieldStart = start
        for i in start...end where i == end || buffer[i] == 44 {
            out.append((fieldStart, i))
            fieldStart = i + 1
        }
        return out
    }

    /// pandas' missing-value spellings as bytes, by length (index: the length).
    static let missingByLength: [[[UInt8]]] = {
        let spellings = Inference.naValues.map { Array($0.utf8) }
        let longest = spellings.map(\.count).max() ?? 0
        return (0...longest).map { n in spellings.filter { $0.count == n } }
    }()
    static let booleans: [(bytes: [UInt8], value: Bool)] =
        Inference.trueValues.map { (Array($0.utf8), true) } + Inference.falseValues.map { (Array($0.utf8), false) }

    /// One column's fields in the buffer.
    struct ByteFields: Inference.CSVFieldSource {
        let buffer: UnsafeBufferPointer<UInt8>
        /// (start, end) per field, row-major over `width` columns.
        let offsets: [UInt32]
        let column: Int
        let width: Int

        var count: Int { offsets.count / (2 * width) }

        func field(_ i: Int) -> UnsafeBufferPointer<UInt8> {
            let k = 2 * (i * width + column)
            return UnsafeBufferPointer(rebasing: buffer[Int(offsets[k])..<Int(offsets[k + 1])])
        }

        func isMissing(_ i: Int) -> Bool {
            let f = field(i)
            guard f.count < PlainCSV.missingByLength.count else { return false }
            return PlainCSV.missingByLength[f.count].contains { $0.elementsEqual(f) }
        }

        func integer(_ i: Int) -> Int64? { Inference.integer(bytes: field(i)) }
        func number(_ i: Int) -> Double? { Inference.number(bytes: field(i)) }

        func boolean(_ i: Int) -> Bool? {
            let f = field(i)
            return PlainCSV.booleans.first { $0.bytes.elementsEqual(f) }?.value
        }

        func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

        /// The strings, made once per run of equal fields (a column of
        /// categories repeats its values row after row).
        func strings(missing: [Bool]) -> [TableValue] {
            var out: [TableValue] = []
            out.reserveCapacity(count)
            var previous: (bytes: UnsafeBufferPointer<UInt8>, value: TableValue)?
            for i in 0..<count {
                if missing[i] {
                    out.append(.null)
                    continue
                }
                let f = field(i)
                if let p = previous, p.bytes.elementsEqual(f) {
                    out.append(p.value)
                } else {
                    let value = TableValue.string(String(decoding: f, as: UTF8.self))
                    previous = (f, value)
                    out.append(value)
                }
            }
            return out
        }
    }
}
