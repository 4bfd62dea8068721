import Foundation
import Testing

/// The import rules of `docs/ARCHITECTURE.md`, read from its module table and
/// checked against every `import` under `Sources/`: a module may import only
/// what its row lists (and the system's modules).
@Suite struct ImportRules {
    /// The repository root, from this file's place in it (Tests/ArchitectureTests/…).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let system: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization", "Musl"]

    /// Module → the modules it may import, from the table's rows
    /// (`| \`A\`, \`B\` | owns | \`X\`, \`Y\` |`).
    static func rules() throws -> [String: Set<String>] {
        let text = try String(contentsOfFile: root + "/docs/ARCHITECTURE.md", encoding: .utf8)
        // The table of the "## Modules" section.
        let section = text.components(separatedBy: "\n## Modules\n").dropFirst().first?
            .components(separatedBy: "\n## ").first ?? ""
        var rules: [String: Set<String>] = [:]
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard cells.count >= 4 else { continue }
            let modules = names(cells[1])
            let allowed = Set(names(cells[3]))
            for m in modules { rules[m] = allowed }
        }
        return rules
    }

    /// The names in backticks in a table cell.
    static func names(_ cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap {
            $0.offset % 2 == 1 ? String($0.element) : nil
        }
    }

    static func sourceModules() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root + "/Sources").filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Every `import X` in the module's Swift files, with where it is.
    static func imports(of module: String) throws -> [(module: String, at: String)] {
        let dir = root + "/Sources/" + module
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [(String, String)] = []
        for case let file as String in walker where file.hasSuffix(".swift") {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                var words = line.split(separator: " ").map(String.init)
                while let first = words.first, first.hasPrefix("@") { words.removeFirst() }
                guard words.count == 2, words[0] == "import" else { continue }
                out.append((words[1], "Sources/\(module)/\(file):\(n + 1)"))
            }
        }
        return out
    }

    @Test func everyModuleHasARowAndEveryRowAModule() throws {
        let rules = try Self.rules()
        let modules = try Self.sourceModules()
        #expect(rules.count >= 10, "the module table was not found in docs/ARCHITECTURE.md")
        for m in modules { #expect(rules[m] != nil, "Sources/\(m) has no row in docs/ARCHITECTURE.md") }
        for m in rules.keys { #expect(modules.contains(m), "docs/ARCHITECTURE.md lists \(m), which Sources/ has not") }
    }

    @Test func everyImportIsAllowed() throws {
        let rules = try Self.rules()
        var checked = 0
        for module in try Self.sourceModules() {
            let allowed = rules[module] ?? []
            for (imported, at) in try Self.imports(of: module) {
                checked += 1
                #expect(
                    Self.system.contains(imported) || allowed.contains(imported),
                    "\(at): \(module) imports \(imported), which docs/ARCHITECTURE.md does not allow it")
            }
        }
        #expect(checked > 100)
    }

    /// The rules the restructuring set, stated outright as well.
    @Test func theFigureModelAndTheBackEndsStayBelowThePipeline() throws {
        let rules = try Self.rules()
        #expect(rules["FigureModel"]?.contains("Pipeline") == false)
        #expect(rules["FigureModel"]?.contains("Numerics") == false)
        for backEnd in ["CairoBackend", "PlotlyBackend"] { #expect(rules[backEnd]?.contains("Pipeline") == false) }
        for module in ["FigureModel", "CairoBackend", "PlotlyBackend"] {
            let imported = Set(try Self.imports(of: module).map(\.module))
            #expect(!imported.contains("Pipeline") && !imported.contains("Numerics"), "\(module): \(imported)")
        }
    }
}
