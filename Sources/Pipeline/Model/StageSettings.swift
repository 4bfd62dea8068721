import FigpipeBasics
/// Settings: a stage whose output a settings kind reads may carry that kind's
/// settings under its key (`"render": {"path": "compression/fig1", "dpi": 150}`
/// on a `figure` stage), and figpipe adds the stage: id `<id>.<key>` (or
/// `<id>.<name>.<key>` with `"name"`), the kind `StageKind.settingsKey` names,
/// the settings as its parameters (but `name`, `description`, and the settings
/// of the added stage itself), its input bound to the carrying stage.
///
/// Settings may be an object or an array of objects (several added stages).
/// An added stage may carry settings in turn (`"static": {"render": {…}}`): it
/// adds `<id>[.<name>].render`, reading `<id>[.<name>].static`. Added stages
/// follow their block (see `Expansion`), in key order, each followed by what
/// its own settings add. Their parameters are validated like any stage's;
/// errors name the carrying stage and the settings' path (`render.dpi`).
extension Expansion {
    mutating func settingsStages(
        _ object: inout [String: JSONValue], id: String, kind: StageKind?, base: String, origin: StageOrigin,
        prefix: String
    ) -> [ExpandedStage] {
        var added: [ExpandedStage] = []
        let owner = origin.owner ?? id
        for (key, settingsKind) in registry.settingsKinds {
            guard let value = object.removeValue(forKey: key) else { continue }
            let path = prefix + key
            // An unknown kind is reported by the validator.
            guard let kind else { continue }
            guard let input = settingsKind.settingsInput, input.accepts.contains(kind.output) else {
                let wanted = settingsKind.settingsInput?.accepts.map { "'\($0)'" }.joined(separator: " or ") ?? "none"
                fail(
                    stage: owner, template: origin.template, field: path,
                    "'\(key)' settings need a stage producing \(wanted) (kind '\(kind.name)' produces '\(kind.output)')"
                )
                continue
            }
            let entries: [(path: String, value: JSONValue)]
            switch value {
            case .object: entries = [(path, value)]
            case .array(let items): entries = items.enumerated().map { ("\(path)[\($0.offset)]", $0.element) }
            default:
                fail(
                    stage: owner, template: origin.template, field: path,
                    "expected an object or an array of objects, got \(value.typeName)")
                continue
            }
            for entry in entries {
                guard case .object(var settings) = entry.value else {
                    fail(
                        stage: owner, template: origin.template, field: entry.path,
                        "expected an object, got \(entry.value.typeName)")
                    continue
                }
                var entryBase = base
                if let name = settings.removeValue(forKey: "name") {
                    guard let text = name.stringValue, !text.isEmpty else {
                        fail(
                            stage: owner, template: origin.template, field: "\(entry.path).name",
                            "expected a non-empty string (the added stage is <id>.<name>.\(key)), got \(name)")
                        continue
                    }
                    entryBase += "." + text
                }
                let addedID = "\(entryBase).\(key)"
                let addedOrigin = StageOrigin(
                    location: origin.location, template: origin.template, owner: owner, settings: entry.path)
                var stage: [String: JSONValue] = [
                    "id": .string(addedID), "kind": .string(settingsKind.name),
                    "inputs": .object([input.name: .string(id)]),
                ]
                if let d = settings.removeValue(forKey: "description") { stage["description"] = d }
                let nested = settingsStages(
                    &settings, id: addedID, kind: settingsKind, base: entryBase, origin: addedOrigin,
                    prefix: entry.path + ".")
                stage["params"] = .object(settings)
                added.append(ExpandedStage(object: stage, origin: addedOrigin))
                added += nested
            }
        }
        return added
    }
}
