import CSV
import FigpipeBasics
import Foundation

/// A cell-level difference of two CSV tables: columns by name, rows by position.
public struct TableChange: Sendable, Equatable {
    /// One cell that differs: its row (0-based, after the header), column, and values.
    public struct Cell: Sendable, Equatable {
        public var row: Int
        public var column: String
        public var old: String
        public var new: String

        /// `new − old` when both are numbers.
        public var delta: Double? {
            guard let a = Double(old), let b = Double(new) else { return nil }
            return b - a
        }
    }

    public var addedColumns: [String]
    public var removedColumns: [String]
    public var oldRows: Int
    public var newRows: Int
    /// The cells that differ in the rows and columns both have, row by row.
    public var cells: [Cell]
    /// The table could not be read as CSV; the files are compared as bytes only.
    public var unreadable: String?

    /// How many differing cells the report lists for one table.
    public static let shownCells = 200

    public var summary: String {
        if let unreadable { return "not comparable as CSV (\(unreadable))" }
        var parts: [String] = []
        if oldRows != newRows { parts.append("rows \(oldRows) → \(newRows)") }
        if !addedColumns.isEmpty { parts.append("columns added: \(addedColumns.joined(separator: ", "))") }
        if !removedColumns.isEmpty { parts.append("columns removed: \(removedColumns.joined(separator: ", "))") }
        if !cells.isEmpty { parts.append("\(cells.count) cell\(cells.count == 1 ? "" : "s") changed") }
        return parts.isEmpty ? "same cells (formatting differs)" : parts.joined(separator: "; ")
    }

    public var json: JSONValue {
        var out: JSONValue = [
            "summary": .string(summary), "rows": [.int(oldRows), .int(newRows)],
            "addedColumns": .array(addedColumns.map { .string($0) }),
            "removedColumns": .array(removedColumns.map { .string($0) }),
            "changedCells": .int(cells.count),
            "cells": .array(
                cells.prefix(Self.shownCells).map { cell in
                    var c: JSONValue = [
                        "row": .int(cell.row), "column": .string(cell.column), "old": .string(cell.old),
                        "new": .string(cell.new),
                    ]
                    if let d = cell.delta { c["delta"] = .double(d) }
                    return c
                }),
        ]
        if let unreadable { out["unreadable"] = .string(unreadable) }
        return out
    }
}

public enum TableDiff {
    /// The header and rows of CSV text.
    static func read(_ bytes: [UInt8]) throws -> (header: [String], rows: [[String]]) {
        let reader = try CSVReader(string: String(decoding: bytes, as: UTF8.self), hasHeaderRow: true)
        var rows: [[String]] = []
        while let row = reader.next() { rows.append(row) }
        if let error = reader.error { throw error }
        return (reader.headerRow ?? [], rows)
    }

    public static func compare(_ old: [UInt8], _ new: [UInt8]) -> TableChange {
        let a: (header: [String], rows: [[String]])
        let b: (header: [String], rows: [[String]])
        do {
            a = try read(old)
            b = try read(new)
        } catch {
            return TableChange(
                addedColumns: [], removedColumns: [], oldRows: 0, newRows: 0, cells: [],
                unreadable: String(describing: error))
        }
        let shared = b.header.filter { a.header.contains($0) }
        var cells: [TableChange.Cell] = []
        for row in 0..<min(a.rows.count, b.rows.count) {
            for column in shared {
                guard let i = a.header.firstIndex(of: column), let j = b.header.firstIndex(of: column) else { continue }
                let x = i < a.rows[row].count ? a.rows[row][i] : ""
                let y = j < b.rows[row].count ? b.rows[row][j] : ""
                if x != y { cells.append(TableChange.Cell(row: row, column: column, old: x, new: y)) }
            }
        }
        return TableChange(
            addedColumns: b.header.filter { !a.header.contains($0) },
            removedColumns: a.header.filter { !b.header.contains($0) }, oldRows: a.rows.count, newRows: b.rows.count,
            cells: cells, unreadable: nil)
    }
}
