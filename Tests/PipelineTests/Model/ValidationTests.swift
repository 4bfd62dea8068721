import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

private let registry = StageRegistry(TestKinds.all(log: InvocationLog()))

/// The validation errors of a document (nil when it is valid).
private func errors(
    _ doc: JSONValue, base: String = "/nonexistent-base", checkFiles: Bool = false, file: String = "pipeline.json"
) -> [PipelineError]? {
    do {
        _ = try PipelineDefinition.parse(
            doc, file: file, baseDirectory: base, registry: registry, checkFiles: checkFiles)
        return nil
    } catch {
        return error.errors
    }
}

/// The one error of a document of `stages`.
private func onlyError(_ stages: [JSONValue], base: String = "/nonexistent-base", checkFiles: Bool = false)
    -> PipelineError?
{
    guard let errs = errors(pipelineDocument(stages), base: base, checkFiles: checkFiles) else {
        Issue.record("the pipeline was accepted")
        return nil
    }
    #expect(errs.count == 1, "\(errs.map(\.description))")
    return errs.first
}

private let source = stage("src", "test.source", inputs: ["file": "a.txt"])

@Suite struct Validation {
    @Test func aValidPipeline() throws {
        let doc = pipelineDocument([
            stage("fig", "test.render", params: ["path": "f/x.txt"], inputs: ["in": "up"]),
            stage("up", "test.upper", inputs: ["in": "src"]),
            source,
        ])
        let p = try PipelineDefinition.parse(
            doc, file: "pipeline.json", baseDirectory: "/base", registry: registry,
            checkFiles: false)
        // Topological order; declaration order where the dependencies allow.
        #expect(p.stages.map(\.id) == ["src", "up", "fig"])
        #expect(p.dataRoot == "/base/data")
        #expect(p.outputRoot == "/base/out")
        #expect(p.cacheRoot == "/base/.figpipe")
        #expect(p["fig"]?.outputFiles == ["f/x.txt"])
        #expect(p["up"]?.upstream == ["src"])
        let input = try #require(p["src"]?.inputs.first)
        #expect(input.name == "file")
        #expect(input.source == .file(relative: "a.txt", absolute: "/base/data/a.txt"))
        #expect(!input.isOptional)
        #expect(p.dependents(of: "src") == ["up", "fig"])
        #expect(p.closure(of: ["up"]).map(\.id) == ["src", "up"])
        #expect(p.match("fig") == ["fig"])
        #expect(p.match("*p") == ["up"])
        #expect(p.match("nope").isEmpty)
    }

    @Test func unknownKind() {
        let e = onlyError([stage("s1", "test.nope")])
        #expect(
            e?.description.hasPrefix("pipeline.json: stage 's1': kind: unknown kind 'test.nope' (known: test.concat,")
                == true,
            "\(e?.description ?? "")")
        #expect(e?.stage == "s1")
        #expect(e?.field == "kind")
    }

    @Test func unknownParameter() {
        let e = onlyError([source, stage("c", "test.concat", params: ["sep": "-"], inputs: ["a": "src"])])
        #expect(
            e?.description
                == "pipeline.json: stage 'c': params.sep: unknown parameter of kind 'test.concat' (it takes: separator, repeat, scale, tags)"
        )
        let none = onlyError([source, stage("u", "test.upper", params: ["x": 1], inputs: ["in": "src"])])
        #expect(
            none?.description
                == "pipeline.json: stage 'u': params.x: unknown parameter of kind 'test.upper' (it takes none)")
    }

    @Test(arguments: [
        ("repeat", JSONValue.string("two"), #"params.repeat: expected an integer, got string "two""#),
        ("repeat", JSONValue.double(1.5), "params.repeat: expected an integer, got number 1.5"),
        ("repeat", JSONValue.double(2.0), "params.repeat: expected an integer, got number 2.0"),
        ("scale", JSONValue.bool(true), "params.scale: expected a number, got boolean true"),
        ("separator", JSONValue.int(1), "params.separator: expected a string, got integer 1"),
        ("tags", JSONValue.array(["a", 1]), #"params.tags: expected an array of strings, got array ["a",1]"#),
        ("tags", JSONValue.string("a"), #"params.tags: expected an array of strings, got string "a""#),
    ])
    func mistypedParameter(_ name: String, _ value: JSONValue, _ expected: String) {
        let e = onlyError([source, stage("c", "test.concat", params: [name: value], inputs: ["a": "src"])])
        #expect(e?.description == "pipeline.json: stage 'c': " + expected)
    }

    @Test func requiredParameterMissing() {
        let e = onlyError([source, stage("fig", "test.render", inputs: ["in": "src"])])
        #expect(
            e?.description
                == "pipeline.json: stage 'fig': params.path: required parameter missing (a string: the file, relative to the output root)"
        )
    }

    @Test func paramsNotAnObject() {
        let e = onlyError([source, .object(["id": "u", "kind": "test.upper", "params": [1], "inputs": ["in": "src"]])])
        #expect(e?.description == "pipeline.json: stage 'u': params: expected an object, got array")
    }

    @Test func missingInputFile() throws {
        let dir = TemporaryDirectory()
        try dir.write("data/present.txt", "x")
        try FileManager.default.createDirectory(atPath: dir.file("data/folder"), withIntermediateDirectories: true)
        let missing = onlyError(
            [stage("s", "test.source", inputs: ["file": "absent.txt"])], base: dir.path,
            checkFiles: true)
        #expect(
            missing?.description
                == "pipeline.json: stage 's': inputs.file: no such file: \(Paths.display(dir.file("data/absent.txt")))")
        let folder = onlyError(
            [stage("s", "test.source", inputs: ["file": "folder"])], base: dir.path,
            checkFiles: true)
        #expect(
            folder?.description
                == "pipeline.json: stage 's': inputs.file: not a regular file (a directory): \(Paths.display(dir.file("data/folder")))"
        )
        #expect(
            errors(
                pipelineDocument([stage("s", "test.source", inputs: ["file": "present.txt"])]), base: dir.path,
                checkFiles: true) == nil)
        // An optional file may be absent.
        #expect(
            errors(
                pipelineDocument([stage("o", "test.optional-file", inputs: ["file": "absent.txt"])]),
                base: dir.path, checkFiles: true) == nil)
    }

    @Test func inputPathOutsideTheDataRoot() {
        let e = onlyError([stage("s", "test.source", inputs: ["file": "../etc/passwd"])])
        #expect(
            e?.description
                == "pipeline.json: stage 's': inputs.file: '../etc/passwd' is not a path inside the data root")
        let abs = onlyError([stage("s", "test.source", inputs: ["file": "/etc/passwd"])])
        #expect(abs?.field == "inputs.file")
    }

    @Test func unknownStageReference() {
        let e = onlyError([stage("u", "test.upper", inputs: ["in": "ghost"])])
        #expect(e?.description == "pipeline.json: stage 'u': inputs.in: unknown stage 'ghost'")
    }

    @Test func wrongArtifactType() {
        let e = onlyError([
            source, stage("fig", "test.render", params: ["path": "x"], inputs: ["in": "src"]),
            stage("u", "test.upper", inputs: ["in": "fig"]),
        ])
        #expect(
            e?.description
                == "pipeline.json: stage 'u': inputs.in: stage 'fig' (kind test.render) produces 'files', expected 'test.text'"
        )
    }

    @Test func requiredInputMissingAndUnknownInput() {
        let missing = onlyError([stage("u", "test.upper")])
        #expect(
            missing?.description == "pipeline.json: stage 'u': inputs.in: required input missing (a stage id: text)")
        let missingFile = onlyError([stage("s", "test.source")])
        #expect(
            missingFile?.description
                == "pipeline.json: stage 's': inputs.file: required input missing (a file under the data root: any text file)"
        )
        let unknown = onlyError([source, stage("u", "test.upper", inputs: ["in": "src", "extra": "src"])])
        #expect(
            unknown?.description
                == "pipeline.json: stage 'u': inputs.extra: unknown input of kind 'test.upper' (it takes: in)")
        let notString = onlyError([source, .object(["id": "u", "kind": "test.upper", "inputs": ["in": 3]])])
        #expect(notString?.description == "pipeline.json: stage 'u': inputs.in: expected a string, got integer")
    }

    @Test func duplicateID() {
        let e = onlyError([source, stage("src", "test.source", inputs: ["file": "b.txt"])])
        #expect(e?.description == "pipeline.json: stage 'src': id: duplicate id (stages[0] and stages[1])")
    }

    @Test func invalidAndMissingIDs() {
        let bad = onlyError([stage("-x", "test.source", inputs: ["file": "a"])])
        #expect(bad?.description.hasPrefix("pipeline.json: stage '-x': id: invalid id") == true)
        let spaces = onlyError([stage("a b", "test.source", inputs: ["file": "a"])])
        #expect(spaces?.stage == "a b")
        let missing = onlyError([.object(["kind": "test.source"])])
        #expect(missing?.description == "pipeline.json: stages[0].id: missing")
        let number = onlyError([.object(["id": 5, "kind": "test.source"])])
        #expect(number?.description == "pipeline.json: stages[0].id: expected a string, got integer")
        let noKind = onlyError([.object(["id": "k"])])
        #expect(noKind?.description == "pipeline.json: stage 'k': kind: missing")
        let notObject = onlyError([.string("src")])
        #expect(notObject?.description == "pipeline.json: stages[0]: expected an object, got string")
    }

    @Test func unknownStageField() {
        let e = onlyError([.object(["id": "s", "kind": "test.source", "inputs": ["file": "a"], "param": [:]])])
        #expect(
            e?.description
                == "pipeline.json: stage 's': param: unknown field (expected id, kind, params, inputs, description, foreach, matrix)"
        )
    }

    @Test func twoStagesWritingOneOutput() {
        let e = onlyError([
            source, stage("f1", "test.render", params: ["path": "x.txt"], inputs: ["in": "src"]),
            stage("f2", "test.render", params: ["path": "./x.txt"], inputs: ["in": "src"]),
        ])
        #expect(e?.description == "pipeline.json: stage 'f2': params: output './x.txt' is also written by stage 'f1'")
        let plain = onlyError([
            source, stage("f1", "test.render", params: ["path": "x.txt"], inputs: ["in": "src"]),
            stage("f2", "test.render", params: ["path": "x.txt"], inputs: ["in": "src"]),
        ])
        #expect(plain?.description == "pipeline.json: stage 'f2': params: output 'x.txt' is also written by stage 'f1'")
    }

    @Test func outputOutsideTheOutputRoot() {
        let e = onlyError([source, stage("f", "test.render", params: ["path": "../x.txt"], inputs: ["in": "src"])])
        #expect(e?.description == "pipeline.json: stage 'f': params: output path '../x.txt' leaves the output root")
    }

    @Test func topLevelProblems() {
        let errs = errors(["version": 2, "data": 1, "stages": [:], "extra": true]) ?? []
        #expect(
            errs.map(\.description) == [
                "pipeline.json: extra: unknown field (expected version, data, out, cache, remote_cache, description, vars, stages)",
                "pipeline.json: version: unsupported version 2; this figpipe reads version 1",
                "pipeline.json: data: expected a string, got integer",
                "pipeline.json: out: missing (the output root folder)",
                "pipeline.json: stages: expected an array, got object",
            ])
        #expect(
            errors(["data": "d", "out": "o", "stages": []])?.map(\.description)
                == ["pipeline.json: version: missing (expected 1)"])
        #expect(
            errors(["version": 1, "data": "d", "out": "o"])?.map(\.description)
                == ["pipeline.json: stages: missing (an array of stages)"])
        #expect(errors([1, 2])?.map(\.description) == ["pipeline.json: expected a JSON object at the top level"])
        #expect(
            errors(["version": "1", "data": "d", "out": "o", "stages": []])?.map(\.description)
                == ["pipeline.json: version: expected an integer, got string"])
    }

    /// Every problem is reported, one per line, not just the first.
    @Test func severalErrorsAtOnce() {
        let errs =
            errors(
                pipelineDocument([
                    source,
                    stage("k", "test.nope"),
                    stage("c", "test.concat", params: ["repeat": "x", "bogus": 1], inputs: ["a": "ghost"]),
                    stage("src", "test.source", inputs: ["file": "b.txt"]),
                    stage("fig", "test.render", inputs: ["in": "src"]),
                ])) ?? []
        let lines = errs.map(\.description)
        #expect(lines.count == 6, "\(lines)")
        #expect(lines.contains("pipeline.json: stage 'src': id: duplicate id (stages[0] and stages[3])"))
        #expect(lines.contains { $0.hasPrefix("pipeline.json: stage 'k': kind: unknown kind 'test.nope'") })
        #expect(
            lines.contains(
                "pipeline.json: stage 'c': params.bogus: unknown parameter of kind 'test.concat' (it takes: separator, repeat, scale, tags)"
            ))
        #expect(lines.contains(#"pipeline.json: stage 'c': params.repeat: expected an integer, got string "x""#))
        #expect(lines.contains("pipeline.json: stage 'c': inputs.a: unknown stage 'ghost'"))
        #expect(lines.contains { $0.hasPrefix("pipeline.json: stage 'fig': params.path: required parameter missing") })
        #expect(!lines.contains { $0.contains("\n") })
        #expect(PipelineErrors(errs).description == lines.joined(separator: "\n"))
    }

    @Test func twoStageCycle() {
        let e = onlyError([
            stage("a", "test.upper", inputs: ["in": "b"]),
            stage("b", "test.upper", inputs: ["in": "a"]),
        ])
        // The cycle is printed along the data flow, closing on its first stage.
        #expect(e?.description == "pipeline.json: stage 'b': inputs.in: cycle: b → a → b")
    }

    @Test func longerCycleBehindAValidPrefix() {
        let e = onlyError([
            source,
            stage("x", "test.concat", inputs: ["a": "src", "b": "z"]),
            stage("y", "test.upper", inputs: ["in": "x"]),
            stage("z", "test.length", inputs: ["in": "y"]),
            stage("after", "test.upper", inputs: ["in": "z"]),
        ])
        let text = e?.description ?? ""
        #expect(text.hasPrefix("pipeline.json: stage '"))
        // The three stages of the cycle, in data-flow order, each once, closing on the first.
        let cycle = text.components(separatedBy: "cycle: ").last?.components(separatedBy: " → ") ?? []
        #expect(cycle.count == 4)
        #expect(cycle.first == cycle.last)
        #expect(Set(cycle) == ["x", "y", "z"])
        let rotations = [["x", "y", "z", "x"], ["y", "z", "x", "y"], ["z", "x", "y", "z"]]
        #expect(rotations.contains(cycle), "\(text)")
        // The field named is the input of the first stage that reads the previous one.
        let expectedField = ["x": "inputs.b", "y": "inputs.in", "z": "inputs.in"][cycle.first ?? ""] ?? "?"
        #expect(text.hasPrefix("pipeline.json: stage '\(cycle.first ?? "")': \(expectedField): cycle: "))
    }

    @Test func selfCycle() {
        let e = onlyError([stage("me", "test.upper", inputs: ["in": "me"])])
        #expect(e?.description == "pipeline.json: stage 'me': inputs.in: cycle: me → me")
    }

    @Test func loadReportsTheFileAndJSONSyntaxErrorsWithLineAndColumn() throws {
        let dir = TemporaryDirectory()
        try dir.write("p.json", "{\n  \"version\": 1,\n  \"data\": \"d\" \"out\": \"o\"\n}")
        do {
            _ = try PipelineDefinition.load(path: dir.file("p.json"), registry: registry)
            Issue.record("accepted")
        } catch {
            #expect(
                error.errors.map(\.description)
                    == [
                        "\(Paths.display(dir.file("p.json"))): invalid JSON at line 3, column 15: expected ',' or '}', found '\"'"
                    ])
        }
        do {
            _ = try PipelineDefinition.load(path: dir.file("missing.json"), registry: registry)
            Issue.record("accepted")
        } catch {
            #expect(error.errors.map(\.description) == ["\(Paths.display(dir.file("missing.json"))): no such file"])
        }
    }

    @Test func loadNamesTheFileInEveryError() throws {
        let dir = TemporaryDirectory()
        try dir.write(
            "sub/my-pipeline.json",
            pipelineDocument([
                stage("a", "test.upper", inputs: ["in": "ghost"]), stage("b", "test.nope"),
            ]).prettyString())
        do {
            _ = try PipelineDefinition.load(path: dir.file("sub/my-pipeline.json"), registry: registry)
            Issue.record("accepted")
        } catch {
            let shown = Paths.display(dir.file("sub/my-pipeline.json"))
            #expect(error.errors.count == 2)
            for e in error.errors {
                #expect(e.file == shown)
                #expect(e.description.hasPrefix(shown + ": stage '"))
            }
        }
    }

    @Test func rootsAreRelativeToTheFileAndOverridable() throws {
        let dir = TemporaryDirectory()
        try dir.write("sub/p.json", #"{"version": 1, "data": "../d", "out": "o", "cache": "/abs/cache", "stages": []}"#)
        let p = try PipelineDefinition.load(path: dir.file("sub/p.json"), registry: registry)
        #expect(p.dataRoot == dir.file("d"))
        #expect(p.outputRoot == dir.file("sub/o"))
        #expect(p.cacheRoot == "/abs/cache")
        let q = try PipelineDefinition.load(
            path: dir.file("sub/p.json"), registry: registry,
            overrides: RootOverrides(data: "/x/data", out: "/x/out", cache: "/x/cache"))
        #expect([q.dataRoot, q.outputRoot, q.cacheRoot] == ["/x/data", "/x/out", "/x/cache"])
    }
}

/// List inputs (`.stages`): ids and glob patterns expanded in pipeline order.
@Suite struct ListInputs {
    let stages: [JSONValue] = [
        stage("b", "test.source", inputs: ["file": "b.txt"]),
        stage("a", "test.source", inputs: ["file": "a.txt"]),
        stage("a.len", "test.length", inputs: ["in": "a"]),
    ]

    @Test func idsAndPatternsExpandInPipelineOrder() throws {
        let doc = pipelineDocument(stages + [stage("all", "test.join-all", lists: ["parts": ["a*", "b", "a"]])])
        let p = try PipelineDefinition.parse(
            doc, file: "pipeline.json", baseDirectory: "/base", registry: registry, checkFiles: false)
        let inputs = try #require(p["all"]?.inputs)
        // "a*" gives a and a.len (pipeline order), "b" adds b, the repeated "a" adds nothing.
        #expect(inputs.map(\.name) == ["parts[0]", "parts[1]", "parts[2]"])
        #expect(inputs.map(\.source) == [.stage("a"), .stage("a.len"), .stage("b")])
        #expect(p.stages.last?.id == "all")
    }

    @Test func aPatternSkipsStagesOfOtherTypesButAnIdMustFit() throws {
        let doc = pipelineDocument(
            stages + [
                stage("r", "test.render", params: ["path": "x.txt"], inputs: ["in": "a"]),
                stage("all", "test.join-all", lists: ["parts": ["*"]]),
            ])
        let p = try PipelineDefinition.parse(
            doc, file: "pipeline.json", baseDirectory: "/base", registry: registry, checkFiles: false)
        #expect(p["all"]?.inputs.map(\.source) == [.stage("b"), .stage("a"), .stage("a.len")])

        let bad = onlyError(
            stages + [
                stage("r", "test.render", params: ["path": "x.txt"], inputs: ["in": "a"]),
                stage("all", "test.join-all", lists: ["parts": ["r"]]),
            ])
        #expect(
            bad?.description.contains("stage 'all': inputs.parts[0]: stage 'r' (kind test.render) produces 'files'")
                == true)
    }

    @Test func unknownIdsEmptyPatternsAndWrongShapesAreErrors() {
        #expect(
            onlyError(stages + [stage("all", "test.join-all", lists: ["parts": ["zz*"]])])?.description.contains(
                "inputs.parts[0]: 'zz*' matches no stage") == true)
        #expect(
            onlyError(stages + [stage("all", "test.join-all", lists: ["parts": ["nope"]])])?.description.contains(
                "inputs.parts[0]: unknown stage 'nope'") == true)
        #expect(
            onlyError(stages + [stage("all", "test.join-all", inputs: ["parts": "a"])])?.description.contains(
                "inputs.parts: expected an array of stage ids or patterns, got string") == true)
    }
}
