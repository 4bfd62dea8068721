import FigpipeBasics
import Foundation
import Pipeline

/// A problem with what `figpipe diff` was asked to compare.
public struct ReviewError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One side of a comparison: an output tree, what it is called in the
/// report, and (when known) the stage records of the run that made it.
public struct ReviewSide: Sendable {
    public var label: String
    /// The commit, for a git revision.
    public var commit: String?
    public var root: String
    public var records: StageRecords

    public init(label: String, commit: String?, root: String, records: StageRecords) {
        self.label = label
        self.commit = commit
        self.root = root
        self.records = records
    }

    var json: JSONValue {
        var out: JSONValue = ["label": .string(label)]
        if let commit { out["commit"] = .string(commit) }
        out["stageKeys"] = .bool(!records.records.isEmpty)
        return out
    }
}

/// One figure (the files sharing a stem: `.png`, `.pdf`, `.svg`, `.json`,
/// `.dump.json`) that differs between the two trees.
public struct FigureChange: Sendable {
    public var stem: String
    /// Extension → `changed`, `added`, `removed` or `same`.
    public var files: [String: String]
    public var oldPNG: [UInt8]?
    public var newPNG: [UInt8]?
    public var pixels: PixelComparison?
    public var dump: [DumpChange]
    public var why: [StageKeyChange]
}

/// A CSV table that differs.
public struct TableFileChange: Sendable {
    public var path: String
    public var change: TableChange
    public var why: [StageKeyChange]
}

/// Everything that differs between two output trees.
public struct Comparison: Sendable {
    public var base: ReviewSide
    public var head: ReviewSide
    public var changedFigures: [FigureChange] = []
    public var addedFigures: [String] = []
    public var removedFigures: [String] = []
    public var unchangedFigures = 0
    public var changedTables: [TableFileChange] = []
    public var addedTables: [String] = []
    public var removedTables: [String] = []
    public var unchangedTables = 0
    /// Other files (the gallery page, plotly JSON without a figure, …).
    public var changedFiles: [String] = []
    public var addedFiles: [String] = []
    public var removedFiles: [String] = []
    public var unchangedFiles = 0

    public var differs: Bool {
        !(changedFigures.isEmpty && addedFigures.isEmpty && removedFigures.isEmpty && changedTables.isEmpty
            && addedTables.isEmpty && removedTables.isEmpty && changedFiles.isEmpty && addedFiles.isEmpty
            && removedFiles.isEmpty)
    }
}

public enum TreeComparison {
    /// The extensions of one figure's files, longest first so `.dump.json` wins over `.json`.
    static let figureExtensions = ["dump.json", "png", "pdf", "svg", "json"]

    /// Every regular file under `root`, as sorted relative paths; hidden
    /// folders (`.figpipe`) are skipped.
    public static func files(under root: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReviewError("'\(root)' is not a directory")
        }
        var out: [String] = []
        func walk(_ relative: String) throws {
            let folder = relative.isEmpty ? root : Paths.join(root, relative)
            for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where !name.hasPrefix(".")
            {
                let path = relative.isEmpty ? name : relative + "/" + name
                var folderFlag: ObjCBool = false
                guard FileManager.default.fileExists(atPath: Paths.join(root, path), isDirectory: &folderFlag) else {
                    continue
                }
                if folderFlag.boolValue {
                    try walk(path)
                } else if FileStat.of(Paths.join(root, path))?.isRegular == true {
                    out.append(path)
                }
            }
        }
        try walk("")
        return out.sorted()
    }

    static func split(_ path: String) -> (stem: String, ext: String)? {
        for ext in figureExtensions where path.hasSuffix("." + ext) {
            return (String(path.dropLast(ext.count + 1)), ext)
        }
        return nil
    }

    /// Groups paths into figures (stems with a `.png`, `.svg` or `.dump.json`),
    /// tables (`.csv`) and other files.
    static func classify(_ paths: [String]) -> (
        figures: [String: [String: String]], tables: Set<String>, other: Set<String>
    ) {
        var byStem: [String: [String: String]] = [:]
        for path in paths {
            if let (stem, ext) = split(path) { byStem[stem, default: [:]][ext] = path }
        }
        var figures: [String: [String: String]] = [:]
        var claimed = Set<String>()
        for (stem, files) in byStem where files["png"] != nil || files["svg"] != nil || files["dump.json"] != nil {
            figures[stem] = files
            claimed.formUnion(files.values)
        }
        var tables = Set<String>()
        var other = Set<String>()
        for path in paths where !claimed.contains(path) {
            if path.hasSuffix(".csv") { tables.insert(path) } else { other.insert(path) }
        }
        return (figures, tables, other)
    }

    public static func compare(base: ReviewSide, head: ReviewSide) throws -> Comparison {
        let a = classify(try files(under: base.root))
        let b = classify(try files(under: head.root))
        var result = Comparison(base: base, head: head)
        func read(_ root: String, _ path: String) throws -> [UInt8] { try FileIO.read(Paths.join(root, path)) }

        for stem in Set(a.figures.keys).union(b.figures.keys).sorted() {
            guard let old = a.figures[stem] else {
                result.addedFigures.append(stem)
                continue
            }
            guard let new = b.figures[stem] else {
                result.removedFigures.append(stem)
                continue
            }
            var states: [String: String] = [:]
            var bytes: [String: (old: [UInt8]?, new: [UInt8]?)] = [:]
            for ext in Set(old.keys).union(new.keys).sorted() {
                let x = try old[ext].map { try read(base.root, $0) }
                let y = try new[ext].map { try read(head.root, $0) }
                bytes[ext] = (x, y)
                states[ext] = x == nil ? "added" : y == nil ? "removed" : x == y ? "same" : "changed"
            }
            guard states.values.contains(where: { $0 != "same" }) else {
                result.unchangedFigures += 1
                continue
            }
            var change = FigureChange(
                stem: stem, files: states, oldPNG: bytes["png"]?.old, newPNG: bytes["png"]?.new, pixels: nil, dump: [],
                why: [])
            if let x = bytes["png"]?.old, let y = bytes["png"]?.new, x != y {
                change.pixels = PixelDiff.compare(x, y)
            }
            if let x = bytes["dump.json"]?.old, let y = bytes["dump.json"]?.new, x != y {
                if let u = try? JSONValue(parsing: x), let v = try? JSONValue(parsing: y) {
                    change.dump = DumpDiff.changes(u, v)
                } else {
                    change.dump = [
                        DumpChange(path: "", category: .other, summary: "a dump is not valid JSON", maxDelta: nil)
                    ]
                }
            }
            let anyFile = new.values.sorted().first ?? stem
            change.why = StageKeyDiff.why(anyFile, base: base.records, head: head.records)
            result.changedFigures.append(change)
        }

        for path in a.tables.union(b.tables).sorted() {
            guard a.tables.contains(path) else {
                result.addedTables.append(path)
                continue
            }
            guard b.tables.contains(path) else {
                result.removedTables.append(path)
                continue
            }
            let x = try read(base.root, path)
            let y = try read(head.root, path)
            if x == y {
                result.unchangedTables += 1
            } else {
                result.changedTables.append(
                    TableFileChange(
                        path: path, change: TableDiff.compare(x, y),
                        why: StageKeyDiff.why(path, base: base.records, head: head.records)))
            }
        }

        for path in a.other.union(b.other).sorted() {
            if !a.other.contains(path) {
                result.addedFiles.append(path)
            } else if !b.other.contains(path) {
                result.removedFiles.append(path)
            } else if try read(base.root, path) == read(head.root, path) {
                result.unchangedFiles += 1
            } else {
                result.changedFiles.append(path)
            }
        }
        return result
    }
}
