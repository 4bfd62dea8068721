import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// The test kinds, with `test.render` addable as `"render": {…}` settings on any text stage.
private let registry: StageRegistry = {
    let kinds = TestKinds.all(log: InvocationLog())
    return StageRegistry(kinds).merging(kinds.filter { $0.name == "test.render" }.map { $0.addable(as: "render") })
}()

private func document(_ stages: [JSONValue], vars: JSONValue? = nil) -> JSONValue {
    guard case .object(var doc) = pipelineDocument(stages) else { return .null }
    if let vars { doc["vars"] = vars }
    return .object(doc)
}

private func parse(_ doc: JSONValue) throws(PipelineErrors) -> PipelineDefinition {
    try PipelineDefinition.parse(doc, file: "pipeline.json", baseDirectory: "/base", registry: registry, checkFiles: false)
}

/// The error lines of a document that must be refused.
private func errors(_ doc: JSONValue) -> [String] {
    do {
        _ = try parse(doc)
        Issue.record("the pipeline was accepted")
        return []
    } catch {
        return error.errors.map(\.description)
    }
}

private let source = stage("src", "test.source", inputs: ["file": "a.txt"])

@Suite struct Variables {
    @Test func typedAndInStringSubstitution() throws {
        let p = try parse(
            document(
                [
                    source,
                    [
                        "id": "c.${name}_eta_${eta}", "kind": "test.concat", "inputs": ["a": "src"],
                        "description": "eta ${eta}, ${n} times",
                        "params": ["repeat": "${n}", "scale": "${eta}", "separator": "-${name}-", "tags": "${tags}"],
                    ],
                ], vars: ["name": "x", "eta": 8e-06, "n": 2, "tags": ["a", "b"]]))
        let c = try #require(p["c.x_eta_8e-06"])
        #expect(c.parameters.values["repeat"] == 2)
        #expect(c.parameters.values["scale"] == .double(8e-06))
        #expect(c.parameters.values["separator"] == "-x-")
        #expect(c.parameters.values["tags"] == ["a", "b"])
        #expect(c.description == "eta 8e-06, 2 times")
    }

    @Test func aReferenceInAnInputOrAFilePath() throws {
        let p = try parse(
            document(
                [
                    stage("src", "test.source", inputs: ["file": "${dir}/a.txt"]),
                    stage("u", "test.upper", inputs: ["in": "${from}"]),
                ], vars: ["dir": "runs", "from": "src"]))
        #expect(p["src"]?.inputs.first?.source == .file(relative: "runs/a.txt", absolute: "/base/data/runs/a.txt"))
        #expect(p["u"]?.upstream == ["src"])
    }

    @Test func unknownVariableNamesTheStageAndField() {
        #expect(
            errors(document([source, stage("u", "test.upper", inputs: ["in": "${from}"])], vars: ["eta": 1]))
                == ["pipeline.json: stage 'u': inputs.in: unknown variable '${from}' (known: eta)"])
        #expect(
            errors(document([stage("s.${what}", "test.source", inputs: ["file": "a"])]))
                == ["pipeline.json: stage 's.${what}': id: unknown variable '${what}' (no variables are defined)"])
    }

    @Test func badVariables() {
        #expect(
            errors(document([source], vars: [1]))
                == ["pipeline.json: vars: expected an object of variables, got array"])
        #expect(
            errors(document([source], vars: ["1x": 1]))
                == [
                    "pipeline.json: vars.1x: invalid variable name (a letter or '_', then letters, digits, '_' and '-')"
                ])
    }
}

@Suite struct Loops {
    @Test func foreachOverValues() throws {
        let p = try parse(
            document([
                source,
                [
                    "foreach": ["a", "b", 3], "id": "u.${item}", "kind": "test.concat", "inputs": ["a": "src"],
                    "params": ["separator": "sep-${item}"],
                ],
            ]))
        #expect(p.stages.map(\.id) == ["src", "u.a", "u.b", "u.3"])
        #expect(p["u.3"]?.parameters.values["separator"] == "sep-3")
    }

    @Test func foreachOverObjects() throws {
        let p = try parse(
            document(
                [
                    source,
                    [
                        "foreach": "${runs}", "id": "c.${item.run}", "kind": "test.concat", "inputs": ["a": "src"],
                        "params": ["repeat": "${item.n}", "tags": ["${item.run}"]],
                    ],
                ], vars: ["runs": [["run": "run_01", "n": 1], ["run": "run_02", "n": 4]]]))
        #expect(p.stages.map(\.id) == ["src", "c.run_01", "c.run_02"])
        #expect(p["c.run_02"]?.parameters.values["repeat"] == 4)
        #expect(p["c.run_02"]?.parameters.values["tags"] == ["run_02"])
    }

    /// Every combination; keys in name order, the first varying slowest.
    @Test func matrixProduct() throws {
        let p = try parse(
            document([
                source,
                [
                    "matrix": ["run": ["r1", "r2"], "eta": [1e-06, 8e-06]], "id": "m.${run}.${eta}",
                    "kind": "test.concat", "inputs": ["a": "src"], "params": ["scale": "${eta}"],
                ],
            ]))
        #expect(p.stages.map(\.id) == ["src", "m.r1.1e-06", "m.r2.1e-06", "m.r1.8e-06", "m.r2.8e-06"])
        #expect(p["m.r2.8e-06"]?.parameters.values["scale"] == .double(8e-06))
    }

    @Test func foreachAndMatrixTogether() throws {
        let p = try parse(
            document([
                source,
                [
                    "foreach": ["x", "y"], "matrix": ["n": [1, 2]], "id": "t.${item}${n}", "kind": "test.upper",
                    "inputs": ["in": "src"],
                ],
            ]))
        #expect(p.stages.map(\.id) == ["src", "t.x1", "t.x2", "t.y1", "t.y2"])
    }

    @Test func errorsNameTheTemplateAndTheExpansion() {
        let lines = errors(
            document([
                source,
                [
                    "foreach": [1, "two"], "id": "c.${item}", "kind": "test.concat", "inputs": ["a": "src"],
                    "params": ["repeat": "${item}"],
                ],
            ]))
        #expect(
            lines == [
                #"pipeline.json: stage 'c.${item}' (expanded as 'c.two'): params.repeat: expected an integer, got string "two""#
            ])
        let missing = errors(
            document([
                ["foreach": ["a"], "id": "u.${item}", "kind": "test.upper", "inputs": ["in": "${item.x}"]]
            ]))
        #expect(
            missing == [
                "pipeline.json: stage 'u.${item}' (expanded as 'u.a'): inputs.in: '${item}' is a string, not an object"
            ])
    }

    @Test func duplicateIDsAfterExpansion() {
        #expect(
            errors(
                document([
                    source, ["foreach": ["a", "a"], "id": "u.${item}", "kind": "test.upper", "inputs": ["in": "src"]],
                ]))
                == [
                    "pipeline.json: stage 'u.${item}' (expanded as 'u.a'): id: duplicate id 'u.a' (stages[1] and stages[1])"
                ])
        #expect(
            errors(
                document([
                    source, stage("u.b", "test.upper", inputs: ["in": "src"]),
                    ["foreach": ["b"], "id": "u.${item}", "kind": "test.upper", "inputs": ["in": "src"]],
                ]))
                == [
                    "pipeline.json: stage 'u.${item}' (expanded as 'u.b'): id: duplicate id 'u.b' (stages[1] and stages[2])"
                ])
    }

    @Test func badLoops() {
        #expect(
            errors(document([["foreach": [], "id": "u.${item}", "kind": "test.upper"]]))
                == ["pipeline.json: stage 'u.${item}': foreach: expected a non-empty array, got []"])
        #expect(
            errors(document([["foreach": "x", "id": "u.${item}", "kind": "test.upper"]]))
                == [#"pipeline.json: stage 'u.${item}': foreach: expected a non-empty array, got "x""#])
        #expect(
            errors(document([["matrix": ["a": 1], "id": "u.${a}", "kind": "test.upper"]]))
                == ["pipeline.json: stage 'u.${a}': matrix.a: expected a non-empty array, got 1"])
        #expect(
            errors(document([["foreach": [1], "matrix": ["item": [1]], "id": "u.${item}", "kind": "test.upper"]]))
                == ["pipeline.json: stage 'u.${item}': matrix.item: 'item' is the foreach element's name"])
    }
}

@Suite struct GroupsAndSettings {
    @Test func settingsAddAStageAfterTheirBlock() throws {
        let p = try parse(
            document([
                source,
                [
                    "stages": [
                        ["id": "a", "kind": "test.upper", "inputs": ["in": "src"], "render": ["path": "a.txt"]],
                        [
                            "id": "b", "kind": "test.upper", "inputs": ["in": "src"],
                            "render": ["path": "b.txt", "description": "B"],
                        ],
                    ]
                ],
                [
                    "foreach": ["x", "y"], "id": "t.${item}", "kind": "test.upper", "inputs": ["in": "src"],
                    "render": ["path": "${item}.txt"],
                ],
                [
                    "foreach": ["p", "q"],
                    "stages": [
                        [
                            "id": "g.${item}", "kind": "test.upper", "inputs": ["in": "src"],
                            "render": ["path": "g${item}.txt"],
                        ],
                        ["id": "h.${item}", "kind": "test.upper", "inputs": ["in": "g.${item}"]],
                    ],
                ],
            ]))
        #expect(
            p.stages.map(\.id) == [
                "src", "a", "b", "a.render", "b.render", "t.x", "t.x.render", "t.y", "t.y.render",
                "g.p", "h.p", "g.p.render", "g.q", "h.q", "g.q.render",
            ])
        let render = try #require(p["b.render"])
        #expect(render.kind.name == "test.render")
        #expect(render.parameters.values == ["path": "b.txt"])
        #expect(render.upstream == ["b"])
        #expect(render.outputFiles == ["b.txt"])
        #expect(render.description == "B")
        #expect(p["a.render"]?.description == nil)
    }

    @Test func severalSettingsWithNames() throws {
        let p = try parse(
            document([
                source,
                [
                    "id": "a", "kind": "test.upper", "inputs": ["in": "src"],
                    "render": [["path": "a.txt"], ["name": "copy", "path": "b.txt"]],
                ],
            ]))
        #expect(p.stages.map(\.id) == ["src", "a", "a.render", "a.copy.render"])
        #expect(p["a.copy.render"]?.outputFiles == ["b.txt"])
    }

    @Test func settingsErrorsNameTheStageAndTheKey() {
        func lines(_ render: JSONValue, id: String = "a", kind: String = "test.upper") -> [String] {
            errors(
                document([
                    source, ["id": .string(id), "kind": .string(kind), "inputs": ["in": "src"], "render": render],
                ]))
        }
        #expect(
            lines([:]) == [
                "pipeline.json: stage 'a': render.path: required parameter missing (a string: the file, relative to the output root)"
            ])
        #expect(
            lines(["path": "x", "dpi": 3]) == [
                "pipeline.json: stage 'a': render.dpi: unknown parameter of kind 'test.render' (it takes: path)"
            ])
        #expect(lines(["path": 3]) == ["pipeline.json: stage 'a': render.path: expected a string, got integer 3"])
        #expect(
            lines([["path": "x"], ["name": "n", "path": 3]]) == [
                "pipeline.json: stage 'a': render[1].path: expected a string, got integer 3"
            ])
        #expect(
            lines("x") == ["pipeline.json: stage 'a': render: expected an object or an array of objects, got string"])
        #expect(
            lines(["path": "x", "name": ""]).first?.hasPrefix(
                "pipeline.json: stage 'a': render.name: expected a non-empty string") == true)
        #expect(
            errors(
                document([
                    source,
                    [
                        "id": "r", "kind": "test.render", "params": ["path": "r"], "inputs": ["in": "src"],
                        "render": ["path": "x"],
                    ],
                ]))
                == [
                    "pipeline.json: stage 'r': render: 'render' settings need a stage producing 'test.text' (kind 'test.render' produces 'files')"
                ])
        // Two settings writing one file; an added id that is taken.
        #expect(
            lines([["path": "x"], ["name": "n", "path": "x"]])
                == ["pipeline.json: stage 'a': render[1]: output 'x' is also written by stage 'a.render'"])
        #expect(
            errors(
                document([
                    source, stage("a.render", "test.upper", inputs: ["in": "src"]),
                    ["id": "a", "kind": "test.upper", "inputs": ["in": "src"], "render": ["path": "x"]],
                ]))
                == ["pipeline.json: stage 'a': render: duplicate id 'a.render' (stages[1] and stages[2])"])
    }

    @Test func settingsOfATemplateNameBoth() {
        #expect(
            errors(
                document([
                    source,
                    [
                        "foreach": ["x", "y"], "id": "t.${item}", "kind": "test.upper", "inputs": ["in": "src"],
                        "render": ["path": "${item}.txt", "bogus": "${item}"],
                    ],
                ]))
                == [
                    "pipeline.json: stage 't.${item}' (expanded as 't.x'): render.bogus: unknown parameter of kind 'test.render' (it takes: path)",
                    "pipeline.json: stage 't.${item}' (expanded as 't.y'): render.bogus: unknown parameter of kind 'test.render' (it takes: path)",
                ])
    }

    @Test func badGroups() {
        #expect(
            errors(document([["stages": [source], "bogus": 1]]))
                == [
                    "pipeline.json: stages[0].bogus: unknown field of a group (expected stages, foreach, matrix, description)"
                ])
        #expect(
            errors(document([["stages": 1]])) == [
                "pipeline.json: stages[0].stages: expected an array of stages, got integer"
            ])
        #expect(
            errors(document([["stages": [source, ["kind": "test.upper"]]]]))
                == ["pipeline.json: stages[0].stages[1].id: missing"])
    }
}
