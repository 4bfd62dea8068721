import FigpipeBasics
/// Where a stage of the expanded pipeline came from, so a validation error
/// names what the user wrote.
struct StageOrigin: Sendable, Equatable {
    /// Where it is written in the file: `stages[3]`, `stages[2].stages[0]`.
    var location: String
    /// The template's id as written (`entropy.trunc.${run}`), when the stage
    /// is an expansion of one (or the id of the stage whose settings added it
    /// came from a template).
    var template: String?
    /// A stage added by settings: the id of the stage carrying them, and the
    /// settings' path in it (`render`, `static[1].render`).
    var owner: String?
    var settings: String?

    /// As `figpipe list --origin` shows it; nil for a stage written out as itself.
    var shown: String? {
        if let owner, let settings { return "\(template ?? owner) \(settings)" }
        return template
    }
}

/// One concrete stage declaration: no references, loops or settings left.
struct ExpandedStage: Sendable {
    var object: [String: JSONValue]
    var origin: StageOrigin
}

/// Turns the `stages` of pipeline.json into plain stage declarations, in the
/// order the validator and the executor use:
///
/// - `vars` (top level) and loop bindings are substituted into every string of
///   a stage (`Substitution`);
/// - a stage or a group with `foreach` (a list; each element bound to
///   `${item}`) and/or `matrix` (an object of lists; every combination, keys in
///   name order, the first varying slowest, each key bound to `${key}`) is
///   repeated once per binding;
/// - a group (`{"stages": [...]}`) is a list of entries expanded in order;
/// - settings (`render`, `plotly`, `static`: the keys of `StageKind.settingsKey`)
///   add stages (`StageSettings.swift`).
///
/// Order: each top-level entry of `stages` makes blocks: a stage one block per
/// expansion, a group one block per expansion (all the stages inside it). A
/// block's own stages come first, then the stages their settings add, in the
/// order of the stages carrying them.
struct Expansion {
    let file: String
    let registry: StageRegistry
    var errors: [PipelineError] = []
    var stages: [ExpandedStage] = []

    /// A block: stages as written (expanded), then those their settings add.
    struct Block {
        var main: [ExpandedStage] = []
        var added: [ExpandedStage] = []
    }

    init(file: String, registry: StageRegistry) {
        self.file = file
        self.registry = registry
    }

    mutating func fail(stage: String? = nil, template: String? = nil, field: String, _ message: String) {
        errors.append(PipelineError(file: file, stage: stage, template: template, field: field, message: message))
    }

    /// The top-level `vars`: names to JSON values.
    mutating func variables(_ value: JSONValue?) -> Substitution.Bindings {
        guard let value else { return [:] }
        guard case .object(let members) = value else {
            fail(field: "vars", "expected an object of variables, got \(value.typeName)")
            return [:]
        }
        for name in members.keys.sorted() where !Substitution.isName(name) {
            fail(
                field: "vars.\(name)",
                "invalid variable name (a letter or '_', then letters, digits, '_' and '-')")
        }
        return members
    }

    /// Expands every entry of `stages` into `self.stages`.
    mutating func expand(_ entries: [JSONValue], bindings: Substitution.Bindings) {
        for (n, entry) in entries.enumerated() {
            for block in expand(entry, location: "stages[\(n)]", bindings: bindings) {
                stages += block.main + block.added
            }
        }
    }

    mutating func expand(_ entry: JSONValue, location: String, bindings: Substitution.Bindings) -> [Block] {
        guard case .object(let o) = entry else {
            fail(field: location, "expected an object, got \(entry.typeName)")
            return []
        }
        if o["stages"] != nil { return group(o, location: location, bindings: bindings) }
        let rawID = o["id"]?.stringValue
        let isLoop = o["foreach"] != nil || o["matrix"] != nil
        let template = isLoop || rawID?.contains("${") == true ? rawID ?? "\(location)" : nil
        guard let combos = loops(o, bindings: bindings, stage: template, field: { $0 }) else { return [] }
        var blocks: [Block] = []
        for combo in combos {
            let scope = bindings.merging(combo) { _, inner in inner }
            if let block = stage(o, location: location, template: template, bindings: scope) {
                blocks.append(block)
            }
        }
        return blocks
    }

    /// One expansion of a stage: references substituted, settings split off.
    private mutating func stage(
        _ o: [String: JSONValue], location: String, template: String?, bindings: Substitution.Bindings
    ) -> Block? {
        var object = o
        object["foreach"] = nil
        object["matrix"] = nil
        var problems: [Substitution.Problem] = []
        // Without a string id the validator names the problem by location.
        guard case .string(let rawID)? = o["id"] else {
            return Block(main: [ExpandedStage(object: object, origin: StageOrigin(location: location))])
        }
        let idValue = Substitution.substitute(.string(rawID), bindings, field: "id", problems: &problems)
        guard problems.isEmpty, let id = idValue.stringValue else {
            for p in problems { fail(stage: rawID, field: p.field, p.message) }
            if problems.isEmpty {
                fail(stage: rawID, field: "id", "expected a string, got \(idValue.typeName) \(idValue)")
            }
            return nil
        }
        object["id"] = .string(id)
        for key in o.keys.sorted() where !["id", "foreach", "matrix"].contains(key) {
            object[key] = Substitution.substitute(o[key] ?? .null, bindings, field: key, problems: &problems)
        }
        guard problems.isEmpty else {
            for p in problems { fail(stage: id, template: template, field: p.field, p.message) }
            return nil
        }
        let origin = StageOrigin(location: location, template: template)
        let kind = object["kind"]?.stringValue.flatMap { registry[$0] }
        let added = settingsStages(&object, id: id, kind: kind, base: id, origin: origin, prefix: "")
        return Block(main: [ExpandedStage(object: object, origin: origin)], added: added)
    }

    /// A group: its entries, once per loop binding, each time one block.
    private mutating func group(_ o: [String: JSONValue], location: String, bindings: Substitution.Bindings)
        -> [Block]
    {
        let allowed = ["stages", "foreach", "matrix", "description"]
        for key in o.keys.sorted() where !allowed.contains(key) {
            fail(field: "\(location).\(key)", "unknown field of a group (expected \(allowed.joined(separator: ", ")))")
        }
        if let d = o["description"], d.stringValue == nil {
            fail(field: "\(location).description", "expected a string, got \(d.typeName)")
        }
        guard case .array(let entries)? = o["stages"] else {
            fail(field: "\(location).stages", "expected an array of stages, got \(o["stages"]?.typeName ?? "nothing")")
            return []
        }
        guard let combos = loops(o, bindings: bindings, stage: nil, field: { "\(location).\($0)" }) else { return [] }
        var blocks: [Block] = []
        for combo in combos {
            let scope = bindings.merging(combo) { _, inner in inner }
            var block = Block()
            for (n, entry) in entries.enumerated() {
                for inner in expand(entry, location: "\(location).stages[\(n)]", bindings: scope) {
                    block.main += inner.main
                    block.added += inner.added
                }
            }
            blocks.append(block)
        }
        return blocks
    }

    /// The bindings of an entry's `foreach` and `matrix` (one empty binding
    /// without them), or nil after reporting a problem.
    private mutating func loops(
        _ o: [String: JSONValue], bindings: Substitution.Bindings, stage: String?, field: (String) -> String
    ) -> [Substitution.Bindings]? {
        var combos: [Substitution.Bindings] = [[:]]
        /// The loop key's value with its references substituted; nil (reported) on a problem.
        func substituted(_ raw: JSONValue, _ key: String) -> JSONValue? {
            var problems: [Substitution.Problem] = []
            let value = Substitution.substitute(raw, bindings, field: key, problems: &problems)
            for p in problems { fail(stage: stage, field: field(p.field), p.message) }
            return problems.isEmpty ? value : nil
        }
        if let raw = o["foreach"] {
            guard let value = substituted(raw, "foreach") else { return nil }
            guard case .array(let items) = value, !items.isEmpty else {
                fail(stage: stage, field: field("foreach"), "expected a non-empty array, got \(value)")
                return nil
            }
            combos = items.map { ["item": $0] }
        }
        if let raw = o["matrix"] {
            guard let value = substituted(raw, "matrix") else { return nil }
            guard case .object(let axes) = value, !axes.isEmpty else {
                fail(stage: stage, field: field("matrix"), "expected an object of arrays, got \(value)")
                return nil
            }
            for name in axes.keys.sorted() {
                guard Substitution.isName(name), !(name == "item" && o["foreach"] != nil) else {
                    fail(
                        stage: stage, field: field("matrix.\(name)"),
                        name == "item"
                            ? "'item' is the foreach element's name"
                            : "invalid name (a letter or '_', then letters, digits, '_' and '-')")
                    return nil
                }
                guard case .array(let values)? = axes[name], !values.isEmpty else {
                    fail(
                        stage: stage, field: field("matrix.\(name)"),
                        "expected a non-empty array, got \(axes[name] ?? .null)")
                    return nil
                }
                combos = combos.flatMap { combo in values.map { combo.merging([name: $0]) { _, new in new } } }
            }
        }
        return combos
    }
}

extension PipelineDefinition {
    /// The document with its variables, loops and figure settings applied:
    /// `stages` is the flat list of plain stage objects the pipeline runs (the
    /// stages `figpipe list` shows, in its order) and `vars` is gone. For
    /// tools that work on stage objects, such as the fuzzer.
    public static func expandedDocument(_ json: JSONValue, file: String = "pipeline.json", registry: StageRegistry)
        throws(PipelineErrors) -> JSONValue
    {
        guard case .object(var top) = json else {
            throw PipelineErrors([PipelineError(file: file, message: "expected a JSON object at the top level")])
        }
        var expansion = Expansion(file: file, registry: registry)
        let variables = expansion.variables(top["vars"])
        expansion.expand(top["stages"]?.arrayValue ?? [], bindings: variables)
        if !expansion.errors.isEmpty { throw PipelineErrors(expansion.errors) }
        top["vars"] = nil
        top["stages"] = .array(expansion.stages.map { .object($0.object) })
        return .object(top)
    }
}
