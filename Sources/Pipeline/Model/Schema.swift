import FigpipeBasics
/// The JSON Schema (draft 2020-12) of pipeline.json for the kinds of a
/// registry: `figpipe schema` prints it and the repository keeps it as
/// `pipeline.schema.json` (a test checks the two agree).
public enum PipelineSchema {
    public static func generate(for registry: StageRegistry) -> JSONValue {
        let perKind = registry.sortedNames.compactMap { registry[$0] }.map { rule(for: $0, registry: registry) }
        return document(stage: stage(registry: registry, perKind: perKind), registry: registry)
    }

    /// `if kind == name then` its parameters, inputs and the settings it may carry.
    static func rule(for kind: StageKind, registry: StageRegistry) -> JSONValue {
        let name = kind.name
        var params: [String: JSONValue] = [:]
        var requiredParams: [JSONValue] = []
        for p in kind.parameters {
            params[p.name] = referenceable(schema(for: p))
            if p.defaultValue == nil { requiredParams.append(.string(p.name)) }
        }
        // Settings only on the stages whose output their kind reads.
        var settingsRules: [String: JSONValue] = [:]
        for (key, k) in registry.settingsKinds where k.settingsInput?.accepts.contains(kind.output) != true {
            settingsRules[key] = false
        }
        var inputs: [String: JSONValue] = [:]
        var requiredInputs: [JSONValue] = []
        for i in kind.inputs {
            let what: String
            switch i.source {
            case .file: what = "a file, relative to the data root"
            case .stage(let accepts): what = "the id of a stage producing " + accepts.joined(separator: " or ")
            case .stages(let accepts):
                what = "ids or glob patterns of stages producing " + accepts.joined(separator: " or ")
            case .fileGlob: what = "a glob pattern of files, relative to the data root"
            case .fileOrStage(let accepts):
                what =
                    "a file, relative to the data root, or the id of a stage producing "
                    + accepts.joined(separator: " or ")
            }
            if case .stages = i.source {
                inputs[i.name] = [
                    "type": "array", "items": ["type": "string"], "description": .string("\(i.help) (\(what))"),
                ]
            } else {
                inputs[i.name] = ["type": "string", "description": .string("\(i.help) (\(what))")]
            }
            if !i.isOptional { requiredInputs.append(.string(i.name)) }
        }
        var then: [String: JSONValue] = settingsRules
        then["params"] = [
            "type": "object", "properties": .object(params), "required": .array(requiredParams),
            "additionalProperties": false,
        ]
        then["inputs"] =
            kind.openInputs
            ? [
                "type": "object", "propertyNames": ["pattern": .string(InputSpec.namePattern)],
                "additionalProperties": [
                    "type": "string", "minLength": 1,
                    "description":
                        "a stage id, a file or glob pattern under the data root, or {pipeline}/path for a file beside pipeline.json",
                ],
            ]
            : [
                "type": "object", "properties": .object(inputs), "required": .array(requiredInputs),
                "additionalProperties": false,
            ]
        return [
            "if": ["properties": ["kind": ["const": .string(name)]], "required": ["kind"]],
            "then": [
                "properties": .object(then),
                // `params` and `inputs` must be present when they have required members.
                "required": .array(
                    (requiredParams.isEmpty ? [] : ["params"]) + (requiredInputs.isEmpty ? [] : ["inputs"])),
            ],
        ]
    }

    /// A stage (its keys; the kinds' rules in `allOf`), with the settings' definitions.
    static func stage(registry: StageRegistry, perKind: [JSONValue]) -> (stage: JSONValue, defs: [String: JSONValue]) {
        var stageProperties: [String: JSONValue] = [
            "id": [
                "type": "string", "pattern": .string(idPattern), "maxLength": .int(PipelineDefinition.maxIDLength),
            ],
            "kind": [
                "if": ["type": "string", "pattern": "\\$\\{"], "then": ["type": "string"],
                "else": ["enum": .array(registry.sortedNames.map { .string($0) })],
            ],
            "description": ["type": "string"],
            // Each kind's rule below types its parameters and inputs (a string, or an
            // array for a list input); a template may take either from a `${…}` reference.
            "params": referenceable(["type": "object"]),
            "inputs": referenceable(["type": "object"]),
            "foreach": referenceable([
                "type": "array", "minItems": 1,
                "description": "one stage per element, bound to ${item} (an object's keys to ${item.key})",
            ]),
            "matrix": matrixSchema,
        ]
        var defs: [String: JSONValue] = [:]
        for (key, k) in registry.settingsKinds {
            stageProperties[key] = settingsValue(key)
            defs["settings-\(key)"] = settings(for: k, registry: registry)
        }
        let stage: JSONValue = [
            "type": "object",
            "required": ["id", "kind"],
            "additionalProperties": false,
            "properties": .object(stageProperties),
            "allOf": .array(perKind),
        ]
        return (stage, defs)
    }

    static func document(stage: (stage: JSONValue, defs: [String: JSONValue]), registry: StageRegistry) -> JSONValue {
        var defs = stage.defs
        defs["stage"] = stage.stage
        defs["entry"] = [
            "if": ["type": "object", "required": ["stages"]], "then": ["$ref": "#/$defs/group"],
            "else": ["$ref": "#/$defs/stage"],
        ]
        defs["group"] = [
            "type": "object", "required": ["stages"], "additionalProperties": false,
            "description":
                "a block of stages: the stages their settings add come after the whole group (once per foreach/matrix element)",
            "properties": [
                "stages": ["type": "array", "items": ["$ref": "#/$defs/entry"]],
                "description": ["type": "string"],
                "foreach": referenceable([
                    "type": "array", "minItems": 1, "description": "the group once per element, bound to ${item}",
                ]),
                "matrix": matrixSchema,
            ],
        ]
        return [
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "figpipe pipeline",
            "description": "Generated by `figpipe schema` from the registered stage kinds; do not edit by hand.",
            "type": "object",
            "required": ["version", "data", "out", "stages"],
            "additionalProperties": false,
            "properties": [
                "$schema": ["type": "string"],
                "version": ["const": .int(PipelineDefinition.formatVersion)],
                "description": ["type": "string"],
                "data": ["type": "string", "description": "the data root, relative to this file"],
                "out": ["type": "string", "description": "the output root, relative to this file"],
                "cache": [
                    "type": "string", "description": "the cache folder, relative to this file (default .figpipe)",
                ],
                "remote_cache": [
                    "type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]",
                    "description":
                        "a remote cache (Bazel's HTTP remote cache protocol) runs read after the local cache; --remote-cache and FIGPIPE_REMOTE_CACHE override it",
                ],
                "vars": [
                    "type": "object",
                    "description":
                        "variables: ${name} in a stage's strings; a string that is only ${name} takes the value's type",
                ],
                "stages": ["type": "array", "items": ["$ref": "#/$defs/entry"]],
            ],
            "$defs": .object(defs),
        ]
    }

    /// A stage id, where `${…}` references may stand for parts.
    static let idPattern = #"^([A-Za-z0-9]|\$\{[^}]*\})([A-Za-z0-9._-]|\$\{[^}]*\})*$"#

    /// A string that is exactly one `${…}` reference (it takes its value's type).
    static let referencePattern = #"^\$\{[^}]*\}$"#

    static let matrixSchema: JSONValue = referenceable([
        "type": "object", "additionalProperties": referenceable(["type": "array", "minItems": 1]),
        "description": "one stage per combination of the arrays' elements, each bound to ${key}",
    ])

    /// A parameter's schema, or a `${name}` reference standing for its value.
    static func referenceable(_ schema: JSONValue) -> JSONValue {
        guard case .object(var typed) = schema else { return schema }
        var out: [String: JSONValue] = [:]
        for key in ["description", "default"] { out[key] = typed.removeValue(forKey: key) }
        out["if"] = ["type": "string", "pattern": .string(referencePattern)]
        out["else"] = .object(typed)
        return .object(out)
    }

    /// A settings key's value: one object or an array of them.
    static func settingsValue(_ key: String) -> JSONValue {
        [
            "if": ["type": "array"],
            "then": ["minItems": 1, "items": ["$ref": .string("#/$defs/settings-\(key)")]],
            "else": ["$ref": .string("#/$defs/settings-\(key)")],
        ]
    }

    /// The settings of one kind: its parameters, `name`, `description`, and
    /// the settings the added stage may carry in turn.
    static func settings(for kind: StageKind, registry: StageRegistry) -> JSONValue {
        let key = kind.settingsKey ?? ""
        var properties: [String: JSONValue] = [
            "name": [
                "type": "string", "minLength": 1,
                "description": .string("the added stage is <id>.<name>.\(key) instead of <id>.\(key)"),
            ],
            "description": ["type": "string", "description": "the added stage's description"],
        ]
        var required: [JSONValue] = []
        for p in kind.parameters {
            properties[p.name] = referenceable(schema(for: p))
            if p.defaultValue == nil { required.append(.string(p.name)) }
        }
        for (key, k) in registry.settingsKinds where k.settingsInput?.accepts.contains(kind.output) == true {
            properties[key] = settingsValue(key)
        }
        return [
            "type": "object", "additionalProperties": false, "properties": .object(properties),
            "required": .array(required),
            "description": .string("adds a \(kind.name) stage: \(kind.summary)"),
        ]
    }

    /// The schema of one parameter: its type, help, default and value constraints.
    public static func schema(for p: ParameterSpec) -> JSONValue {
        guard case .object(var o) = schema(for: p.type) else { return schema(for: p.type) }
        o["description"] = .string(p.help)
        if let d = p.defaultValue { o["default"] = d }
        var rules = p.constraints.schemaKeywords
        if p.constraints.nonEmpty {
            if case .object = o["items"] {
                o["minItems"] = 1
            } else if case .object = o["additionalProperties"] {
                o["minProperties"] = 1
            } else {
                rules["minLength"] = 1
            }
        }
        if case .object(var items)? = o["items"] {
            items.merge(rules) { _, new in new }
            o["items"] = .object(items)
        } else if case .object(var members)? = o["additionalProperties"] {
            members.merge(rules) { _, new in new }
            o["additionalProperties"] = .object(members)
            if !p.constraints.keysAreNames { o["propertyNames"] = nil }
        } else {
            o.merge(rules) { _, new in new }
        }
        return .object(o)
    }

    static func schema(for type: ParameterType) -> JSONValue {
        switch type {
        case .int: ["type": "integer"]
        case .double: ["type": "number"]
        case .string: ["type": "string"]
        case .bool: ["type": "boolean"]
        case .intList: ["type": "array", "items": ["type": "integer"]]
        case .doubleList: ["type": "array", "items": ["type": "number"]]
        case .stringList: ["type": "array", "items": ["type": "string"]]
        case .object: ["type": "object"]
        case .stringMap:
            [
                "type": "object", "propertyNames": ["pattern": .string(InputSpec.namePattern)],
                "additionalProperties": ["type": "string"],
            ]
        }
    }
}
