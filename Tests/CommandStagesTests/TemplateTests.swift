import Testing

@testable import CommandStages

@Suite struct TemplateTests {
    @Test func placeholdersAndText() throws {
        let t = try Template(parsing: "--table={inputs.table.csv}:{outputs.fig}@{data}/{out}/{pipeline}")
        #expect(
            t.placeholders == [
                .input(name: "table", suffix: "csv"), .output(name: "fig"), .data, .out, .pipeline,
            ])
        #expect(!t.isSinglePlaceholder)
        let expanded = t.expanded { p in
            switch p {
            case .input(let name, let suffix): "I(\(name),\(suffix ?? "-"))"
            case .output(let name): "O(\(name))"
            case .data: "D"
            case .out: "U"
            case .pipeline: "P"
            }
        }
        #expect(expanded == "--table=I(table,csv):O(fig)@D/U/P")
    }

    @Test func suffixKeepsItsDots() throws {
        let t = try Template(parsing: "{inputs.fig.dump.json}")
        #expect(t.placeholders == [.input(name: "fig", suffix: "dump.json")])
        #expect(t.isSinglePlaceholder)
    }

    @Test func doubledBracesAreLiteral() throws {
        let t = try Template(parsing: "print({{'a': 1}})")
        #expect(t.placeholders.isEmpty)
        #expect(t.expanded { _ in "" } == "print({'a': 1})")
    }

    @Test(arguments: [
        ("{inputs}", "unknown placeholder '{inputs}'"),
        ("{outputs.a.b}", "unknown placeholder '{outputs.a.b}'"),
        ("{home}", "unknown placeholder '{home}'"),
        ("{inputs.x.}", "'{inputs.x.}' has an empty suffix"),
        ("a{b", "'{' without a closing '}'"),
        ("a}b", "'}' without an opening '{'"),
    ])
    func malformed(_ text: String, _ message: String) {
        #expect {
            _ = try Template(parsing: text)
        } throws: { error in
            (error as? Template.SyntaxError)?.description.hasPrefix(message) == true
        }
    }
}
