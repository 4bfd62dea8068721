import CSV
import FigpipeBasics
import Foundation

/// A problem in a table file, at a place in it: `file:line:column: message`.
public struct TableError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, or `file: message` when the problem is a
    /// record's rather than a place's (line 0).
    public var description: String { line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)" }
}

/// The file formats `table.load` reads, each optionally zstd-compressed.
public enum TableFormat: String, Sendable, CaseIterable {
    case csv, json, jsonl

    /// The format a file name says (`.csv`, `.json`, `.jsonl`/`.ndjson`, each
    /// optionally with `.zst`), and whether it is compressed.
    public static func of(fileName: String) -> (format: TableFormat, compressed: Bool)? {
        var name = fileName.lowercased()
        let compressed = name.hasSuffix(".zst")
        if compressed { name.removeLast(4) }
        if name.hasSuffix(".csv") { return (.csv, compressed) }
        if name.hasSuffix(".json") { return (.json, compressed) }
        if name.hasSuffix(".jsonl") || name.hasSuffix(".ndjson") { return (.jsonl, compressed) }
        return nil
    }
}

/// Reads tables, with pandas' type inference (`Inference`) unless `declared`
/// gives a column's type. `shown` is the file as errors name it.
public struct TableReader {
    public var shown: String
    public var declared: [String: ColumnType] = [:]

    public init(shown: String, declared: [String: ColumnType] = [:]) {
        self.shown = shown
        self.declared = declared
    }

    public func read(_ bytes: [UInt8], format: TableFormat, recordsPath: String = "") throws -> DataTable {
        switch format {
        case .csv: return try csv(bytes)
        case .json: return try json(bytes, recordsPath: recordsPath)
        case .jsonl: return try jsonLines(bytes)
        }
    }

    // MARK: CSV

    /// CSV with a header row (CSV.swift reads it). Rows with fewer fields are
    /// filled with missing values; more fields than the header is an error, as in pandas.
    func csv(_ bytes: [UInt8]) throws -> DataTable {
        if declared.isEmpty, let table = try PlainCSV.read(bytes, shown: shown) { return table }
        return try generalCSV(bytes)
    }

    /// Any CSV file, through CSV.swift (what `read` uses unless the file is
    /// plain: see `PlainCSV`; public for the benchmark that compares them).
    public func generalCSV(_ bytes: [UInt8]) throws -> DataTable {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TableError(file: shown, line: 1, column: 1, message: "not UTF-8 text")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            throw TableError(file: shown, line: 1, column: 1, message: "cannot read the header row: \(error)")
        }
        guard let header = reader.headerRow, !(header.count == 1 && header[0].isEmpty) else {
            throw TableError(file: shown, line: 1, column: 1, message: "no header row")
        }
        var line = 2 + header.reduce(0) { $0 + Self.newlines($1) }
        var fields = [[String]](repeating: [], count: header.count)
        var places: [[(line: Int, column: Int)]] = Array(repeating: [], count: header.count)
        while let row = reader.next() {
            if row.count == 1 && row[0].isEmpty {
                line += 1
                continue
            }
            if row.count > header.count {
                throw TableError(
                    file: shown, line: line, column: 1,
                    message: "expected \(header.count) fields (the header's), saw \(row.count)")
            }
            var column = 1
            for i in 0..<header.count {
                let field = i < row.count ? row[i] : ""
                fields[i].append(field)
                places[i].append((line, column))
                column += field.count + 1
            }
            line += 1 + row.reduce(0) { $0 + Self.newlines($1) }
        }
        var columns: [Column] = []
        for (i, name) in header.enumerated() {
            let values: ColumnValues
            if let type = declared[name] {
                values = try convert(fields[i], to: type, name: name) { places[i][$0] }
            } else {
                values = Inference.column(csvFields: fields[i])
            }
            columns.append(Column(name: name, values: values))
        }
        return DataTable(columns: columns)
    }

    static func newlines(_ s: String) -> Int { s.utf8.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

    /// CSV fields converted to a declared type; a field that does not convert
    /// is an error at its place.
    func convert(
        _ fields: [String], to type: ColumnType, name: String, place: (Int) -> (line: Int, column: Int)
    ) throws -> ColumnValues {
        func fail(_ n: Int, _ what: String) -> TableError {
            let p = place(n)
            return TableError(
                file: shown, line: p.line, column: p.column,
                message: "column '\(name)' is declared \(type.rawValue): '\(fields[n])' is not \(what)")
        }
        switch type {
        case .integer:
            return .integers(
                try fields.indices.map { n in
                    guard let i = Inference.integer(fields[n]) else { throw fail(n, "an integer") }
                    return i
                })
        case .number:
            return .numbers(
                try fields.indices.map { n in
                    if Inference.naValues.contains(fields[n]) { return .nan }
                    guard let d = Inference.number(fields[n]) else { throw fail(n, "a number") }
                    return d
                })
        case .boolean:
            return .booleans(
                try fields.indices.map { n in
                    if Inference.trueValues.contains(fields[n]) { return true }
                    if Inference.falseValues.contains(fields[n]) { return false }
                    throw fail(n, "a boolean (True or False)")
                })
        case .string:
            return .objects(fields.map { Inference.naValues.contains($0) ? .null : .string($0) })
        }
    }

    // MARK: JSON

    /// An array of records, at the top level or under the key `recordsPath`
    /// (dotted for nested objects: `data.rows`).
    func json(_ bytes: [UInt8], recordsPath: String) throws -> DataTable {
        try bytes.withUnsafeBufferPointer { buffer throws -> DataTable in
            var scanner = JSONScanner(buffer)
            var records = Records()
            do {
                try descend(&scanner, into: recordsPath.split(separator: ".").map(String.init))
                try scanner.beginArray()
                while try scanner.nextElement() {
                    try records.read(&scanner)
                }
                if recordsPath.isEmpty { try scanner.expectEnd() }
            } catch let e as JSONSyntaxError {
                let (line, column) = TextPosition.lineAndColumn(of: e.offset, in: bytes)
                throw TableError(file: shown, line: line, column: column, message: e.message)
            }
            return try records.table(declared: declared, shown: shown)
        }
    }

    private func descend(_ scanner: inout JSONScanner, into keys: [String]) throws {
        for key in keys {
            let at = scanner.position
            try scanner.beginObject()
            var found = false
            while let k = try scanner.nextKey() {
                if k.string == key {
                    found = true
                    break
                }
                try scanner.skipValue()
            }
            if !found { throw JSONSyntaxError(offset: at, message: "no key '\(key)' (params.path)") }
        }
    }

    /// JSON Lines: one record per line; blank lines are skipped.
    func jsonLines(_ bytes: [UInt8]) throws -> DataTable {
        var records = Records()
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            let line = Array(bytes[start..<end])
            start = end + 1
            if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
            try line.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer)
                do {
                    try records.read(&scanner)
                    try scanner.expectEnd()
                } catch let e as JSONSyntaxError {
                    throw TableError(file: shown, line: lineNumber, column: e.offset + 1, message: e.message)
                }
            }
        }
        return try records.table(declared: declared, shown: shown)
    }
}

/// Records as they are read: the keys in order of first appearance (pandas'
/// column order) and each record's values.
struct Records {
    var keys: [String] = []
    var index: [String: Int] = [:]
    var rows: [[String: JSONValue]] = []

    mutating func read(_ scanner: inout JSONScanner) throws {
        let at = scanner.position
        guard scanner.peek() == UInt8(ascii: "{") else {
            throw JSONSyntaxError(
                offset: at, message: "expected a record (a JSON object), got \(scanner.nextValueType())")
        }
        try scanner.beginObject()
        var row: [String: JSONValue] = [:]
        while let key = try scanner.nextKey() {
            let name = key.string
            if index[name] == nil {
                index[name] = keys.count
                keys.append(name)
            }
            row[name] = try scanner.readValue()
        }
        rows.append(row)
    }

    func table(declared: [String: ColumnType], shown: String) throws -> DataTable {
        var columns: [Column] = []
        for name in keys {
            let values = rows.map { $0[name] }
            if let type = declared[name] {
                columns.append(Column(name: name, values: try convert(values, to: type, name: name, shown: shown)))
            } else {
                columns.append(Column(name: name, values: Inference.column(jsonValues: values)))
            }
        }
        return DataTable(columns: columns)
    }

    /// JSON values converted to a declared type; a value that does not
    /// convert is an error naming the record (`[12].x`).
    func convert(_ values: [JSONValue?], to type: ColumnType, name: String, shown: String) throws -> ColumnValues {
        func fail(_ n: Int, _ what: String) -> TableError {
            TableError(
                file: shown, line: 0, column: 0,
                message:
                    "[\(n)].\(name): declared \(type.rawValue), but \(values[n]?.description ?? "missing") is not \(what)"
            )
        }
        switch type {
        case .integer:
            return .integers(
                try values.indices.map { n in
                    guard let i = values[n]?.intValue else { throw fail(n, "an integer") }
                    return Int64(i)
                })
        case .number:
            return .numbers(
                try values.indices.map { n in
                    if values[n] == nil || values[n] == .null { return .nan }
                    guard let d = values[n]?.numberValue else { throw fail(n, "a number") }
                    return d
                })
        case .boolean:
            return .booleans(
                try values.indices.map { n in
                    guard let b = values[n]?.boolValue else { throw fail(n, "a boolean") }
                    return b
                })
        case .string:
            return .objects(values.map { v in v?.stringValue.map { .string($0) } ?? Inference.cell(v) })
        }
    }
}
