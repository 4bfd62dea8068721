import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// A kind with a parameter of every type, with and without defaults.
private let everyType = StageKind(
    name: "t.every", version: 3, summary: "every parameter type",
    parameters: [
        ParameterSpec("i", .int, default: 7, help: "int"),
        ParameterSpec("d", .double, default: 2, help: "double (default written as an integer)"),
        ParameterSpec("s", .string, default: "x", help: "string"),
        ParameterSpec("b", .bool, default: false, help: "bool"),
        ParameterSpec("il", .intList, default: [1, 2], help: "ints"),
        ParameterSpec("dl", .doubleList, default: [1, 2.5], help: "doubles"),
        ParameterSpec("sl", .stringList, default: ["a"], help: "strings"),
        ParameterSpec("need", .int, help: "required"),
    ],
    inputs: [], output: "t.out"
) { _ in StageOutput(artifact: Artifact(type: "t.out", json: nil)) }

private let registry = StageRegistry(TestKinds.all(log: InvocationLog()) + [everyType])

private func parameters(_ params: [String: JSONValue]) throws -> Parameters {
    let doc = pipelineDocument([stage("e", "t.every", params: params)])
    let p = try PipelineDefinition.parse(doc, file: "p.json", baseDirectory: "/b", registry: registry, checkFiles: false)
    return try #require(p["e"]).parameters
}

private func error(_ params: [String: JSONValue]) -> String? {
    let doc = pipelineDocument([stage("e", "t.every", params: params)])
    do {
        _ = try PipelineDefinition.parse(doc, file: "p.json", baseDirectory: "/b", registry: registry, checkFiles: false)
        return nil
    } catch {
        return error.description
    }
}

@Suite struct ParameterValidation {
    @Test func defaultsAreFilledInAndNormalized() throws {
        let p = try parameters(["need": 1])
        #expect(
            p.values == [
                "i": .int(7), "d": .double(2), "s": "x", "b": false, "il": [1, 2], "dl": [.double(1), .double(2.5)],
                "sl": ["a"], "need": 1,
            ])
        #expect(try p.int("i") == 7)
        #expect(try p.double("d") == 2)
        #expect(try p.string("s") == "x")
        #expect(try p.bool("b") == false)
        #expect(try p.ints("il") == [1, 2])
        #expect(try p.doubles("dl") == [1, 2.5])
        #expect(try p.strings("sl") == ["a"])
        #expect(throws: StageError.self) { try p.int("nope") }
        #expect(throws: StageError.self) { try p.string("i") }
    }

    /// Integers written for a `double` become doubles, so `1` and `1.0` give
    /// the same canonical parameters (and the same cache key).
    @Test func integersForDoublesAreNormalized() throws {
        let a = try parameters(["need": 1, "d": 3, "dl": [1, 2]])
        let b = try parameters(["need": 1, "d": 3.0, "dl": [1.0, 2.0]])
        #expect(a == b)
        #expect(a.values["d"] == .double(3))
        #expect(a.values["dl"] == [.double(1), .double(2)])
        #expect(a.json.canonicalString() == b.json.canonicalString())
        #expect(a.json.canonicalString().contains(#""d":3.0"#))
    }

    @Test func givenValuesReplaceDefaults() throws {
        let p = try parameters(["need": -5, "i": 0, "s": "", "b": true, "il": [], "sl": ["p", "q"]])
        #expect(p.values["i"] == 0)
        #expect(p.values["s"] == "")
        #expect(p.values["b"] == true)
        #expect(p.values["il"] == [])
        #expect(p.values["sl"] == ["p", "q"])
        #expect(p.values["need"] == -5)
    }

    @Test(
        arguments: [
            (["need": JSONValue.int(1), "i": 1.5], "p.json: stage 'e': params.i: expected an integer, got number 1.5"),
            (["need": 1, "d": "1"], #"p.json: stage 'e': params.d: expected a number, got string "1""#),
            (["need": 1, "b": 1], "p.json: stage 'e': params.b: expected a boolean, got integer 1"),
            (
                ["need": 1, "il": [1, 2.5]],
                "p.json: stage 'e': params.il: expected an array of integers, got array [1,2.5]"
            ),
            (
                ["need": 1, "dl": [1, "2"]],
                #"p.json: stage 'e': params.dl: expected an array of numbers, got array [1,"2"]"#
            ),
            (["need": 1, "sl": "a"], #"p.json: stage 'e': params.sl: expected an array of strings, got string "a""#),
            ([:], "p.json: stage 'e': params.need: required parameter missing (an integer: required)"),
        ] as [([String: JSONValue], String)])
    func mistyped(_ params: [String: JSONValue], _ message: String) {
        #expect(error(params) == message)
    }

    @Test func nullIsNotAValue() {
        #expect(
            error(["need": nil])?.hasPrefix("p.json: stage 'e': params.need: expected an integer, got null") == true)
    }

    @Test func theKeyDependsOnCanonicalParametersKindAndVersionOnly() throws {
        let kind = try #require(registry["t.every"])
        let p1 = try parameters(["need": 1, "d": 2])
        let p2 = try parameters(["need": 1, "d": 2.0])
        let p3 = try parameters(["need": 2])
        let inputs = ["x": String(repeating: "a", count: 64)]
        let k1 = StageKey.compute(kind: kind, parameters: p1, inputHashes: inputs)
        #expect(k1 == StageKey.compute(kind: kind, parameters: p2, inputHashes: inputs))
        #expect(k1 != StageKey.compute(kind: kind, parameters: p3, inputHashes: inputs))
        #expect(
            k1 != StageKey.compute(kind: kind, parameters: p1, inputHashes: ["x": String(repeating: "b", count: 64)]))
        var bumped = kind
        bumped.version += 1
        #expect(k1 != StageKey.compute(kind: bumped, parameters: p1, inputHashes: inputs))
        var renamed = kind
        renamed.name = "t.other"
        #expect(k1 != StageKey.compute(kind: renamed, parameters: p1, inputHashes: inputs))
        #expect(Digest.isValid(k1))
    }
}
