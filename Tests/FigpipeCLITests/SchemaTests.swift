import FigpipeBasics
import FigpipeCLI
import Foundation
import Pipeline
import PipelineTesting
import Testing

private let testRegistry = StageRegistry(TestKinds.all(log: InvocationLog()))
private let testSchema = JSONSchemaValidator(schema: PipelineSchema.generate(for: testRegistry))

private func document(_ stages: [JSONValue]) -> JSONValue {
    ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
}

/// The repository root, from this file's place in it (Tests/FigpipeCLITests/…).
private let repositoryRoot = Paths.directory(of: Paths.directory(of: Paths.directory(of: #filePath)))

@Suite struct PipelineSchemaValidation {
    @Test(arguments: [
        document([]),
        document([
            stage("a", "test.source", params: ["suffix": "!"], inputs: ["file": "a.txt"]),
            stage(
                "c", "test.concat", params: ["repeat": 2, "scale": 1, "tags": ["x"], "separator": "-"],
                inputs: ["a": "a", "b": "a"]),
            stage("c2", "test.concat", params: ["scale": 2.5], inputs: ["a": "a"]),
            stage("o", "test.optional-file"),
            stage("f", "test.fail"),
            stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "c"]),
        ]),
        [
            "$schema": "./pipeline.schema.json", "version": 1, "description": "d", "data": "d", "out": "o",
            "cache": ".c",
            "stages": [["id": "s_1.x-y", "kind": "test.upper", "description": "up", "inputs": ["in": "z"]]],
        ],
    ])
    func acceptsValidPipelines(_ doc: JSONValue) throws {
        #expect(testSchema.validate(doc) == [])
        // The pipeline validator agrees (references aside).
        if doc["stages"]?.arrayValue?.count == 6 {
            _ = try PipelineDefinition.parse(doc, file: "p.json", baseDirectory: "/b", registry: testRegistry, checkFiles: false)
        }
    }

    @Test(
        arguments: [
            (document([stage("a", "test.nope")]), "$.stages[0].kind: \"test.nope\" is not one of"),
            (
                document([stage("a", "test.source", params: ["bogus": 1], inputs: ["file": "a"])]),
                "$.stages[0].params: property 'bogus' is not allowed"
            ),
            (
                document([stage("c", "test.concat", params: ["repeat": "2"], inputs: ["a": "x"])]),
                "$.stages[0].params.repeat: expected \"integer\", got string"
            ),
            (
                document([stage("c", "test.concat", params: ["repeat": 1.5], inputs: ["a": "x"])]),
                "$.stages[0].params.repeat: expected \"integer\", got number"
            ),
            (
                document([stage("c", "test.concat", params: ["tags": ["a", 1]], inputs: ["a": "x"])]),
                "$.stages[0].params.tags[1]: expected \"string\", got integer"
            ),
            (
                document([stage("c", "test.concat", params: ["scale": "1"], inputs: ["a": "x"])]),
                "$.stages[0].params.scale: expected \"number\", got string"
            ),
            (document([stage("u", "test.upper")]), "$.stages[0]: required property 'inputs' is missing"),
            (
                document([stage("c", "test.concat", inputs: ["b": "x"])]),
                "$.stages[0].inputs: required property 'a' is missing"
            ),
            (
                document([stage("u", "test.upper", inputs: ["in": "x", "other": "y"])]),
                "$.stages[0].inputs: property 'other' is not allowed"
            ),
            (
                document([stage("r", "test.render", inputs: ["in": "x"])]),
                "$.stages[0]: required property 'params' is missing"
            ),
            (
                document([stage("r", "test.render", params: [:], inputs: ["in": "x"])]).replacingStage(
                    0, key: "params", with: [:]),
                "$.stages[0].params: required property 'path' is missing"
            ),
            (
                document([stage("u", "test.upper", inputs: ["in": "x"])]).replacingStage(
                    0, key: "inputs", with: ["in": 3]),
                "$.stages[0].inputs.in: expected \"string\", got integer"
            ),
            (document([stage("-u", "test.upper", inputs: ["in": "x"])]), "$.stages[0].id: \"-u\" does not match"),
            (document([["kind": "test.source"]]), "$.stages[0]: required property 'id' is missing"),
            (
                document([stage("u", "test.upper", inputs: ["in": "x"])]).replacingStage(0, key: "extra", with: 1),
                "$.stages[0]: property 'extra' is not allowed"
            ),
            (["version": 2, "data": "d", "out": "o", "stages": []], "$.version: expected 1, got 2"),
            (["version": 1, "data": "d", "stages": []], "$: required property 'out' is missing"),
            (["version": 1, "data": "d", "out": "o", "stages": [], "extra": 1], "$: property 'extra' is not allowed"),
        ] as [(JSONValue, String)])
    func rejectsInvalidPipelines(_ doc: JSONValue, _ expected: String) {
        let errors = testSchema.validate(doc)
        #expect(errors.contains { $0.hasPrefix(expected) }, "\(errors)")
        // figpipe's own validation rejects them too.
        #expect(throws: PipelineErrors.self) {
            _ = try PipelineDefinition.parse(doc, file: "p.json", baseDirectory: "/b", registry: testRegistry, checkFiles: false)
        }
    }

    @Test func theValidatorChecksPropertyNames() {
        let v = JSONSchemaValidator(schema: ["type": "object", "propertyNames": ["pattern": "^[a-z]+$"]])
        #expect(v.validate(["runs": 1]) == [])
        #expect(v.validate(["Runs!": 1]).count == 1)
    }

    @Test func theValidatorReportsKeywordsItDoesNotKnow() {
        let v = JSONSchemaValidator(schema: ["type": "object", "minProperties": 1])
        #expect(v.validate([:]) == ["$: unsupported schema keyword 'minProperties'"])
        #expect(
            JSONSchemaValidator(schema: ["$ref": "#/$defs/none"]).validate(1) == [
                "$: cannot resolve $ref \"#/$defs/none\""
            ])
    }

    /// The repository's pipeline.json is valid against its pipeline.schema.json,
    /// and that file is what `figpipe schema` generates for the registered kinds
    /// (run `make schema` after changing a kind).
    @Test func repositoryPipelineMatchesTheCommittedSchema() throws {
        let schemaPath = repositoryRoot + "/pipeline.schema.json"
        let pipelinePath = repositoryRoot + "/pipeline.json"
        let schemaBytes = try #require(FileManager.default.contents(atPath: schemaPath), "missing \(schemaPath)")
        let pipelineBytes = try #require(FileManager.default.contents(atPath: pipelinePath), "missing \(pipelinePath)")
        let committed = try JSONValue(parsing: Array(schemaBytes))
        let generated = PipelineSchema.generate(for: Figpipe.registry.current)
        #expect(committed == generated, "pipeline.schema.json is out of date: run `make schema`")
        let pipeline = try JSONValue(parsing: Array(pipelineBytes))
        #expect(JSONSchemaValidator(schema: committed).validate(pipeline) == [])
        // And figpipe itself accepts it (without looking for the data files).
        _ = try PipelineDefinition.parse(
            pipeline, file: "pipeline.json", baseDirectory: repositoryRoot,
            registry: Figpipe.registry.current, checkFiles: false)
    }
}

extension JSONValue {
    /// The document with one key of `stages[index]` replaced.
    fileprivate func replacingStage(_ index: Int, key: String, with value: JSONValue) -> JSONValue {
        guard case .object(var doc) = self, case .array(var stages)? = doc["stages"],
            case .object(var s) = stages[index]
        else { return self }
        s[key] = value
        stages[index] = .object(s)
        doc["stages"] = .array(stages)
        return .object(doc)
    }
}
