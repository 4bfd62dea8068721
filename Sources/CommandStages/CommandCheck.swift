import Pipeline

/// The checks of a command stage that need more than one parameter: every
/// placeholder of `run` and `cwd` names something the stage has, and a stage
/// input's placeholder selects exactly one file. Run by the validator, so a
/// mistake is an error before anything runs.
struct CommandCheck {
    let stage: ResolvedStage
    /// The files each input stage writes (empty for a data artifact).
    let upstreamFiles: [String: [String]]

    /// How an input name is bound.
    enum Binding {
        case file
        /// A glob: any number of files, spliced in as separate arguments.
        case glob
        /// A stage: the files it writes (empty for a data artifact).
        case stage(id: String, files: [String])
    }

    var bindings: [String: Binding] {
        var out: [String: Binding] = [:]
        for input in stage.inputs {
            if let open = input.name.firstIndex(of: "<") {
                out[String(input.name[..<open])] = .glob
                continue
            }
            switch input.source {
            case .file: out[input.name] = .file
            case .stage(let id): out[input.name] = .stage(id: id, files: upstreamFiles[id] ?? [])
            }
        }
        return out
    }

    func problems() -> [(field: String, message: String)] {
        var problems: [(field: String, message: String)] = []
        let params = stage.parameters
        let outputs = Set(CommandKind.outputs(params).map(\.name))
        let bindings = self.bindings
        let run = (try? params.strings("run")) ?? []
        var strings = run.enumerated().map { ("params.run[\($0.offset)]", $0.element, true) }
        strings.append(("params.cwd", (try? params.string("cwd")) ?? "", false))
        for (field, string, isArgument) in strings {
            let template: Template
            do {
                template = try Template(parsing: string)
            } catch {
                problems.append((field, error.description))
                continue
            }
            for placeholder in template.placeholders {
                if let message = problem(
                    placeholder, bindings: bindings, outputs: outputs,
                    whole: isArgument && template.isSinglePlaceholder)
                {
                    problems.append((field, message))
                }
            }
        }
        if let first = run.first,
            (try? Template(parsing: first))?.placeholders.contains(where: { $0 == .data || $0 == .out }) == true
        {
            problems.append(("params.run[0]", "the program cannot be a root folder"))
        }
        for (n, name) in ((try? params.strings("env")) ?? []).enumerated() where !ProgramEnvironment.isValidName(name) {
            problems.append(("params.env[\(n)]", "'\(name)' is not an environment variable name"))
        }
        for (n, tool) in ((try? params.strings("tools")) ?? []).enumerated()
        where tool.isEmpty || tool.contains("/") && !tool.hasPrefix("/") {
            problems.append(
                ("params.tools[\(n)]", "expected a program name (looked up on PATH) or an absolute path, got '\(tool)'")
            )
        }
        return problems
    }

    private func problem(_ p: Template.Placeholder, bindings: [String: Binding], outputs: Set<String>, whole: Bool)
        -> String?
    {
        switch p {
        case .data, .out, .pipeline: return nil
        case .output(let name):
            return outputs.contains(name)
                ? nil : "\(p.spelled) names no output (outputs: \(outputs.sorted().joined(separator: ", ")))"
        case .input(let name, let suffix):
            guard let binding = bindings[name] else {
                let known = bindings.keys.sorted()
                return "\(p.spelled) names no input"
                    + (known.isEmpty ? " (the stage has none)" : " (inputs: \(known.joined(separator: ", ")))")
            }
            switch binding {
            case .file:
                return suffix == nil
                    ? nil : "\(p.spelled): input '\(name)' is one file; a suffix selects among a stage's files"
            case .glob:
                if suffix != nil {
                    return "\(p.spelled): input '\(name)' is a glob; a suffix selects among a stage's files"
                }
                return whole
                    ? nil
                    : "\(p.spelled) is a glob of several files: use it as a whole argument, where it becomes one argument per file"
            case .stage(let id, let files):
                if files.isEmpty {
                    return suffix == nil
                        ? nil : "\(p.spelled): stage '\(id)' writes no files (its output is a data artifact)"
                }
                let selected = StageContext.files(files, endingIn: suffix)
                if selected.count == 1 { return nil }
                let listing = files.sorted().joined(separator: ", ")
                if selected.isEmpty {
                    return
                        "\(p.spelled): stage '\(id)' writes no file ending in .\(suffix ?? "") (it writes \(listing))"
                }
                return suffix == nil
                    ? "\(p.spelled): stage '\(id)' writes \(files.count) files (\(listing)); select one by its suffix, e.g. {inputs.\(name).\(Self.suffixExample(files))}"
                    : "\(p.spelled): stage '\(id)' writes several files ending in .\(suffix ?? "") (\(listing)); use a longer suffix"
            }
        }
    }

    private static func suffixExample(_ files: [String]) -> String {
        let name = files.sorted().first.map { String($0.split(separator: "/").last ?? "") } ?? ""
        return name.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init) ?? "png"
    }
}
