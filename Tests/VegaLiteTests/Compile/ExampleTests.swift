import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// The repository's root, found from this file.
func repositoryRoot(_ file: String = #filePath) -> URL {
    var url = URL(fileURLWithPath: file).deletingLastPathComponent()
    while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
        url.deleteLastPathComponent()
    }
    return url
}

func readJSON(_ url: URL) throws -> JSONValue {
    try JSONValue(parsing: Array(try Data(contentsOf: url)))
}

/// A table fixture (`{"columns": [{"name", "values"}]}`, make_table_fixtures.py) as a dataset.
func dataset(frame: JSONValue) -> Dataset {
    var columns: [(String, Column)] = []
    for c in frame["columns"]?.arrayValue ?? [] {
        let values: [FieldValue] = (c["values"]?.arrayValue ?? []).map { v in
            switch v {
            case .int(let i): .number(Double(i))
            case .double(let d): d.isNaN ? .null : .number(d)
            case .string(let s): .string(s)
            case .bool(let b): .boolean(b)
            default: .null
            }
        }
        columns.append((c["name"]?.stringValue ?? "", Column(values)))
    }
    return Dataset(columns: columns)
}

/// Rows of the listed columns, as comparable cells, sorted.
struct RowSet {
    var rows: [[FieldValue]]

    init(_ rows: [[FieldValue]]) {
        self.rows = rows.sorted { a, b in
            for (x, y) in zip(a, b) where Self.key(x) != Self.key(y) { return Self.key(x) < Self.key(y) }
            return false
        }
    }

    static func key(_ v: FieldValue) -> String {
        switch v {
        case .number(let d): String(format: "n%+.8e", d)
        default: "s" + v.text
        }
    }

    /// The first difference beyond `tolerance` (relative, or absolute near zero).
    func difference(from other: RowSet, tolerance: Double) -> String? {
        guard rows.count == other.rows.count else { return "\(rows.count) rows, expected \(other.rows.count)" }
        for (i, (a, b)) in zip(rows, other.rows).enumerated() {
            for (x, y) in zip(a, b) {
                switch (x, y) {
                case (.number(let p), .number(let q)):
                    if abs(p - q) > tolerance * max(1, abs(q)) { return "row \(i): \(p) ≠ \(q)" }
                default:
                    if x != y { return "row \(i): \(x.text) ≠ \(y.text)" }
                }
            }
        }
        return nil
    }
}

@Suite struct ExampleTests {
    static let root = repositoryRoot()
    static let fixture =
        (try? readJSON(root.appendingPathComponent("Tests/VegaLiteTests/Fixtures/examples.json"))) ?? .null
    static let tables: [String: Dataset] = [
        "delphi": dataset(
            frame: (try? readJSON(root.appendingPathComponent("Tests/DelphiFiguresTests/Fixtures/runs_table.json")))
                ?? .null),
        "entropy": dataset(
            frame: (try? readJSON(
                root.appendingPathComponent("Tests/EntropyFiguresTests/Fixtures/runs_table_E_512.json"))) ?? .null),
    ]
    static let names = (fixture["examples"]?.objectValue?.keys.sorted()) ?? []

    @Test func everyExampleHasAFixture() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: Self.root.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".vl.json") }.map { String($0.dropLast(".vl.json".count)) }.sorted()
        #expect(files.count >= 10)
        #expect(files == Self.names)
    }

    /// Each view draws the rows Vega-Lite computes (altair + vegafusion, or
    /// the generator's own regression/loess/errorbar computation): 1e-9 for
    /// deterministic transforms, 1e-6 for loess.
    @Test(arguments: names) func viewsMatchVegaLite(_ name: String) throws {
        let example = try #require(Self.fixture["examples"]?[name])
        let table = try #require(Self.tables[example["table"]?.stringValue ?? ""])
        let spec = try readJSON(Self.root.appendingPathComponent("examples/\(name).vl.json"))
        let compiled = try VegaLiteCompiler(tables: ["runs": table], theme: .matplotlib).compile(spec)
        let isLoess = spec.canonicalString().contains("\"loess\"")
        for view in example["views"]?.arrayValue ?? [] {
            let path = view["path"]?.stringValue ?? ""
            let columns = (view["columns"]?.arrayValue ?? []).compactMap(\.stringValue)
            let expected = RowSet(
                (view["rows"]?.arrayValue ?? []).map { row in
                    (row.arrayValue ?? []).map { v -> FieldValue in
                        switch v {
                        case .int(let i): .number(Double(i))
                        case .double(let d): .number(d)
                        case .string(let s): .string(s)
                        case .bool(let b): .boolean(b)
                        default: .null
                        }
                    }
                })
            let ours = compiled.views.filter { $0.path == path }
            try #require(!ours.isEmpty, "\(name): no view at '\(path)'")
            var rows: [[FieldValue]] = []
            let repeatIndex =
                example["views"]?.arrayValue?.filter { $0["path"]?.stringValue == path }.firstIndex { $0 == view } ?? 0
            let sameCount = example["views"]?.arrayValue?.filter { $0["path"]?.stringValue == path }.count ?? 1
            // A repeat's cells share a path, one fixture view per cell; a facet's cells are one fixture view.
            let mine = sameCount > 1 ? [ours[repeatIndex]] : ours
            for v in mine {
                for c in columns {
                    #expect(v.data[c] != nil, "\(name) \(path): no column '\(c)' (has \(v.data.fields))")
                }
                for i in 0..<v.data.count { rows.append(columns.map { v.data.value($0, i) }) }
            }
            let tolerance = isLoess && path.contains("[1]") ? 1e-6 : 1e-9
            let problem = RowSet(rows).difference(from: expected, tolerance: tolerance)
            #expect(problem == nil, "\(name) \(path): \(problem ?? "")")
        }
    }

    /// Each axis has Vega's ticks and labels (vl-convert's scenegraph): for
    /// each orient, the same distinct label lists (labels Vega hides for
    /// overlap compared too, with figpipe's overlap removal off).
    @Test(arguments: names) func axesMatchVega(_ name: String) throws {
        let example = try #require(Self.fixture["examples"]?[name])
        let table = try #require(Self.tables[example["table"]?.stringValue ?? ""])
        let spec = try readJSON(Self.root.appendingPathComponent("examples/\(name).vl.json"))
        var compiler = VegaLiteCompiler(tables: ["runs": table], theme: .matplotlib)
        compiler.removesOverlappingLabels = false
        let figure = try compiler.compile(spec).figure
        for orient in ["bottom", "left"] {
            let vega = Set(
                (example["axes"]?.arrayValue ?? []).filter { $0["orient"]?.stringValue == orient }
                    .map { ($0["labels"]?.arrayValue ?? []).compactMap(\.stringValue) })
            let ours = Set(
                figure.axes.filter(\.axisOn).map { orient == "bottom" ? $0.x : $0.y }.compactMap(\.tickLabels)
                    .filter { !$0.isEmpty })
            #expect(ours == vega, "\(name) \(orient): \(ours) vs Vega's \(vega)")
        }
    }
}
