import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

// The schema is checked against documents by a JSON Schema validator in
// FigpipeCLITests (SchemaTests.swift), which can also see the real registry;
// here: its shape for the test kinds.

private let registry = StageRegistry(TestKinds.all(log: InvocationLog()))

@Suite struct SchemaShape {
    let schema = PipelineSchema.generate(for: registry)

    @Test func deterministic() {
        #expect(PipelineSchema.generate(for: registry).canonicalBytes() == schema.canonicalBytes())
        let reversed = StageRegistry(Array(TestKinds.all(log: InvocationLog()).reversed()))
        #expect(PipelineSchema.generate(for: reversed).canonicalBytes() == schema.canonicalBytes())
    }

    @Test func topLevel() {
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["type"] == "object")
        #expect(schema["required"] == ["version", "data", "out", "stages"])
        #expect(schema["additionalProperties"] == false)
        #expect(schema["properties"]?["version"] == ["const": .int(PipelineDefinition.formatVersion)])
        #expect(schema["properties"]?["stages"]?["items"] == ["$ref": "#/$defs/entry"])
        #expect(schema["properties"]?["vars"]?["type"] == "object")
        // An entry is a group (it has `stages`) or a stage.
        #expect(schema["$defs"]?["entry"]?["then"] == ["$ref": "#/$defs/group"])
        #expect(schema["$defs"]?["entry"]?["else"] == ["$ref": "#/$defs/stage"])
    }

    @Test func kindsAreEnumeratedInOrder() {
        let stage = schema["$defs"]?["stage"]
        // A template's kind may be a `${…}` reference; otherwise one of the kinds.
        #expect(stage?["properties"]?["kind"]?["else"]?["enum"] == .array(registry.sortedNames.map { .string($0) }))
        #expect(stage?["allOf"]?.arrayValue?.count == registry.kinds.count)
        #expect(stage?["required"] == ["id", "kind"])
        #expect(
            stage?["properties"]?["id"]?["pattern"] == #"^([A-Za-z0-9]|\$\{[^}]*\})([A-Za-z0-9._-]|\$\{[^}]*\})*$"#)
        #expect(stage?["properties"]?["foreach"]?["else"]?["type"] == "array")
        #expect(
            stage?["properties"]?["matrix"]?["else"]?["additionalProperties"]?["else"] == [
                "type": "array", "minItems": 1,
            ])
    }

    /// The `then` branch of the `if kind == name` rule.
    func rule(_ kind: String) -> JSONValue? {
        schema["$defs"]?["stage"]?["allOf"]?.arrayValue?.first {
            $0["if"]?["properties"]?["kind"]?["const"] == .string(kind)
        }?["then"]
    }

    @Test func parametersWithTypesDefaultsAndRequired() throws {
        let concat = try #require(rule("test.concat"))
        let params = try #require(concat["properties"]?["params"])
        #expect(params["additionalProperties"] == false)
        #expect(params["required"] == [])
        // Each parameter: its type, or a string that is one `${…}` reference.
        #expect(
            params["properties"]?["repeat"] == [
                "default": 1, "description": "how many times to repeat a",
                "if": ["type": "string", "pattern": #"^\$\{[^}]*\}$"#], "else": ["type": "integer"],
            ])
        #expect(params["properties"]?["scale"]?["else"]?["type"] == "number")
        #expect(params["properties"]?["tags"]?["else"]?["items"] == ["type": "string"])
        #expect(params["properties"]?["separator"]?["default"] == "+")
        let render = try #require(rule("test.render"))
        #expect(render["properties"]?["params"]?["required"] == ["path"])
        #expect(render["properties"]?["params"]?["properties"]?["path"]?["default"] == nil)
        // A kind with a required parameter requires `params` itself.
        #expect(render["required"] == ["params", "inputs"])
    }

    @Test func inputsRequiredUnlessOptional() throws {
        let concat = try #require(rule("test.concat"))
        #expect(concat["properties"]?["inputs"]?["required"] == ["a"])
        #expect(concat["required"] == ["inputs"])
        #expect(concat["properties"]?["inputs"]?["properties"]?.objectValue?.keys.sorted() == ["a", "b"])
        #expect(concat["properties"]?["inputs"]?["additionalProperties"] == false)
        let optional = try #require(rule("test.optional-file"))
        #expect(optional["properties"]?["inputs"]?["required"] == [])
        #expect(optional["required"] == [])
        let source = try #require(rule("test.source"))
        let file = source["properties"]?["inputs"]?["properties"]?["file"]?["description"]?.stringValue ?? ""
        #expect(file.contains("a file, relative to the data root"))
        let upper = try #require(rule("test.upper"))
        let input = upper["properties"]?["inputs"]?["properties"]?["in"]?["description"]?.stringValue ?? ""
        #expect(input.contains("the id of a stage producing test.text"))
    }
}
