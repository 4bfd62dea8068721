import FigpipeBasics
import Foundation

/// One problem with pipeline.json, printed as one line naming the file, the
/// stage and the field: `pipeline.json: stage 'fig1': params.n_boot: expected an integer, got string`.
/// A stage made from a template names both:
/// `stage 'entropy.trunc.${run}' (expanded as 'entropy.trunc.run_02'): params.keep_quantile: …`.
public struct PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var stage: String?
    /// The template's id as written, when `stage` is one of its expansions.
    public var template: String?
    public var field: String?
    public var message: String

    public init(file: String, stage: String? = nil, template: String? = nil, field: String? = nil, message: String) {
        self.file = file
        self.stage = stage
        self.template = template
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts = [file]
        if let stage, let template, template != stage {
            parts.append("stage '\(template)' (expanded as '\(stage)')")
        } else if let stage {
            parts.append("stage '\(stage)'")
        }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}

/// Every problem found in pipeline.json; nothing runs while there is one.
public struct PipelineErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [PipelineError]
    public init(_ errors: [PipelineError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Where a stage input comes from, after validation.
public enum ResolvedSource: Sendable, Equatable {
    /// A file: its path relative to the data root and its absolute path.
    case file(relative: String, absolute: String)
    case stage(String)
}

public struct ResolvedInput: Sendable, Equatable {
    public var name: String
    public var source: ResolvedSource
    public var isOptional: Bool
    /// For an element of a list input (`figures[3]`): the list's name (`figures`).
    public var list: String? = nil
}

/// A validated stage: known kind, typed parameters with defaults, bound inputs.
public struct ResolvedStage: Sendable {
    public let id: String
    public let kind: StageKind
    public let parameters: Parameters
    /// Sorted by input name.
    public let inputs: [ResolvedInput]
    /// Render stages: the files written, relative to the output root.
    public let outputFiles: [String]
    public let description: String?
    /// Where the stage is written, when it is not written out as itself: the
    /// template it expands (`entropy.trunc.${run}`), or the stage and key whose
    /// settings added it (`compression.fig1 render`). For `figpipe list --origin`.
    public var origin: String? = nil

    public var upstream: [String] {
        inputs.compactMap { if case .stage(let id) = $0.source { id } else { nil } }
    }
}

/// Roots given on the command line, overriding the file's.
public struct RootOverrides: Sendable {
    public var data: String?
    public var out: String?
    public var cache: String?
    public init(data: String? = nil, out: String? = nil, cache: String? = nil) {
        self.data = data
        self.out = out
        self.cache = cache
    }
}

/// A validated pipeline (the type is `PipelineDefinition`, so that `Pipeline`
/// names only the module): stages in a topological order (declaration order
/// wherever the dependencies allow), absolute roots.
public struct PipelineDefinition: Sendable {
    public static let formatVersion = 1
    public static let defaultCacheRoot = ".figpipe"
    /// The longest stage id: ids name files in the cache (`stages/<id>.json`,
    /// and temporaries with a suffix), which must stay within a file name's 255 bytes.
    public static let maxIDLength = 128

    public let file: String
    public let dataRoot: String
    public let outputRoot: String
    public let cacheRoot: String
    /// `remote_cache`: the remote cache's URL as the file gives it (checked
    /// by the `RemoteCache` module where a command uses it).
    public let remoteCache: String?
    /// The folder pipeline.json is in (`{pipeline}/` inputs are relative to it).
    public let pipelineDirectory: String
    public let stages: [ResolvedStage]
    public let index: [String: Int]
    /// Input files that are missing or not regular files, by stage id (see `inputProblems(of:)`).
    let inputFileProblems: [String: [PipelineError]]

    /// The input-file problems of `stages` (a command's selection with what it
    /// reads), in pipeline order: `run` and `run --dry-run` refuse to start
    /// while there is one, so a missing `delphi/` folder does not stop
    /// `figpipe run 'compression.*'`; `status` shows them per stage.
    public func inputProblems(of stages: [ResolvedStage]) -> [PipelineError] {
        stages.flatMap { inputFileProblems[$0.id] ?? [] }
    }

    public subscript(id: String) -> ResolvedStage? {
        index[id].map { stages[$0] }
    }

    /// Every stage that (transitively) reads `id`'s output.
    public func dependents(of id: String) -> Set<String> {
        var children: [String: [String]] = [:]
        for s in stages { for u in s.upstream { children[u, default: []].append(s.id) } }
        var seen = Set<String>()
        var stack = children[id] ?? []
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack.append(contentsOf: children[next] ?? []) }
        }
        return seen
    }

    /// `ids` and everything they (transitively) read from, in pipeline order.
    public func closure(of ids: Set<String>) -> [ResolvedStage] {
        var wanted = Set<String>()
        var stack = Array(ids)
        while let id = stack.popLast() {
            guard wanted.insert(id).inserted, let s = self[id] else { continue }
            stack.append(contentsOf: s.upstream)
        }
        return stages.filter { wanted.contains($0.id) }
    }

    /// Stage ids matching a target: an exact id or a shell glob (`fig.compression.*`).
    public func match(_ pattern: String) -> [String] {
        if index[pattern] != nil { return [pattern] }
        return stages.map(\.id).filter { fnmatch(pattern, $0, 0) == 0 }
    }
}

extension PipelineDefinition {
    /// Reads and validates pipeline.json; every problem is collected, and any
    /// problem throws before anything runs.
    ///
    /// With `checkFiles` false, missing input files (and inputs that are not
    /// regular files) are not errors here: they are kept per stage, for
    /// `inputProblems(of:)` to report for the stages a command selects.
    public static func load(
        path: String, registry: StageRegistry, overrides: RootOverrides = .init(), checkFiles: Bool = true
    ) throws(PipelineErrors) -> PipelineDefinition {
        let display = Paths.display(Paths.absolute(path))
        let data: [UInt8]
        do {
            data = try FileIO.read(path)
        } catch let e as FileError {
            let why = e.isNotFound ? "no such file" : "cannot be read: \(e.reason ?? String(cString: strerror(e.code)))"
            throw PipelineErrors([PipelineError(file: display, message: why)])
        } catch {
            throw PipelineErrors([PipelineError(file: display, message: "cannot be read: \(error)")])
        }
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            let (line, column) = TextPosition.lineAndColumn(of: error.offset, in: data)
            throw PipelineErrors([
                PipelineError(
                    file: display, message: "invalid JSON at line \(line), column \(column): \(error.message)")
            ])
        }
        let base = Paths.directory(of: Paths.absolute(path))
        return try parse(
            json, file: display, baseDirectory: base, registry: registry, overrides: overrides,
            files: checkFiles ? .all : .withOtherProblems)
    }

    /// Validates an already parsed pipeline document. Relative roots in the
    /// document are relative to `baseDirectory`; overrides to the working directory.
    public static func parse(
        _ json: JSONValue, file: String, baseDirectory: String, registry: StageRegistry,
        overrides: RootOverrides = .init(), checkFiles: Bool = true
    ) throws(PipelineErrors) -> PipelineDefinition {
        try parse(
            json, file: file, baseDirectory: baseDirectory, registry: registry, overrides: overrides,
            files: checkFiles ? .all : .never)
    }

    /// Which input-file problems make validation fail.
    enum FileCheck {
        /// Every stage's.
        case all
        /// None: they are kept for `inputProblems(of:)`.
        case never
        /// None on their own; when the file has other problems, all of them
        /// are listed with those (nothing runs either way).
        case withOtherProblems
    }

    static func parse(
        _ json: JSONValue, file: String, baseDirectory: String, registry: StageRegistry,
        overrides: RootOverrides, files fileCheck: FileCheck
    ) throws(PipelineErrors) -> PipelineDefinition {
        var v = Validator(file: file, registry: registry)
        guard let top = json.objectValue else {
            throw PipelineErrors([PipelineError(file: file, message: "expected a JSON object at the top level")])
        }
        checkTopLevelFields(top, &v)
        func root(_ key: String, _ override: String?, _ fallback: String?) -> String {
            if let override { return Paths.absolute(override) }
            switch top[key] {
            case .string(let s)?: return Paths.absolute(s, relativeTo: baseDirectory)
            case nil:
                if let fallback { return Paths.absolute(fallback, relativeTo: baseDirectory) }
                v.fail(field: key, "missing (the \(key == "data" ? "data" : "output") root folder)")
            case let other?: v.fail(field: key, "expected a string, got \(other.typeName)")
            }
            return baseDirectory
        }
        let dataRoot = root("data", overrides.data, nil)
        let outputRoot = root("out", overrides.out, nil)
        let cacheRoot = root("cache", overrides.cache, defaultCacheRoot)
        if let d = top["description"], d.stringValue == nil {
            v.fail(field: "description", "expected a string, got \(d.typeName)")
        }
        if let r = top["remote_cache"], r.stringValue == nil {
            v.fail(field: "remote_cache", "expected a string (an http:// or https:// URL), got \(r.typeName)")
        }
        // Variables, loops and settings first: the rest checks plain stages.
        let declared = try declaredStages(top, file: file, registry: registry, &v)
        // Ids first, so inputs can refer to stages declared later.
        let ids = stageIDs(declared, &v)
        let kindsByID = stageKinds(declared, ids: ids, registry: registry, &v)
        let resolved = resolveStages(
            declared, ids: ids, kindsByID: kindsByID, roots: (dataRoot, baseDirectory), &v)
        checkAcrossStages(resolved, &v)
        // With other problems, the file problems are listed too: nothing runs either way.
        if fileCheck == .all || fileCheck == .withOtherProblems && !v.errors.isEmpty {
            for id in declared.compactMap({ ids[$0.0] }) { v.errors += v.inputProblems[id] ?? [] }
        }
        if !v.errors.isEmpty { throw PipelineErrors(v.errors) }
        let stages = try ordered(resolved, file: file)
        var index: [String: Int] = [:]
        for (n, s) in stages.enumerated() { index[s.id] = n }
        return PipelineDefinition(
            file: file, dataRoot: dataRoot, outputRoot: outputRoot, cacheRoot: cacheRoot,
            remoteCache: top["remote_cache"]?.stringValue, pipelineDirectory: baseDirectory, stages: stages,
            index: index, inputFileProblems: v.inputProblems)
    }

    /// The top level's unknown fields and its `version`.
    private static func checkTopLevelFields(_ top: [String: JSONValue], _ v: inout Validator) {
        for key in top.keys.sorted()
        where !["$schema", "version", "data", "out", "cache", "remote_cache", "description", "vars", "stages"].contains(
            key)
        {
            v.fail(
                field: key,
                "unknown field (expected version, data, out, cache, remote_cache, description, vars, stages)")
        }
        switch top["version"] {
        case .int(let n) where n == formatVersion: break
        case .int(let n):
            v.fail(field: "version", "unsupported version \(n); this figpipe reads version \(formatVersion)")
        case nil: v.fail(field: "version", "missing (expected \(formatVersion))")
        case let other?: v.fail(field: "version", "expected an integer, got \(other.typeName)")
        }
    }

    /// The plain stages `stages` expands to (variables, loops and settings
    /// applied), with their positions; their origins go to `v.origins`.
    private static func declaredStages(
        _ top: [String: JSONValue], file: String, registry: StageRegistry, _ v: inout Validator
    ) throws(PipelineErrors) -> [(Int, [String: JSONValue])] {
        var expansion = Expansion(file: file, registry: registry)
        let variables = expansion.variables(top["vars"])
        switch top["stages"] {
        case .array(let items)?: expansion.expand(items, bindings: variables)
        case nil: v.fail(field: "stages", "missing (an array of stages)")
        case let other?: v.fail(field: "stages", "expected an array, got \(other.typeName)")
        }
        v.errors += expansion.errors
        // A stage that cannot be expanded is missing below: report what is wrong with the
        // expansion alone rather than the unknown stages that would follow from it.
        if !expansion.errors.isEmpty { throw PipelineErrors(v.errors) }
        v.origins = expansion.stages.map(\.origin)
        return expansion.stages.enumerated().map { ($0.offset, $0.element.object) }
    }

    /// The valid, unique ids, by stage position.
    private static func stageIDs(_ declared: [(Int, [String: JSONValue])], _ v: inout Validator) -> [Int: String] {
        var ids: [Int: String] = [:]
        var firstIndex: [String: Int] = [:]
        for (n, o) in declared {
            let origin = v.origins[n]
            guard let idValue = o["id"] else {
                v.fail(field: "\(origin.location).id", "missing")
                continue
            }
            guard let id = idValue.stringValue else {
                v.fail(field: "\(origin.location).id", "expected a string, got \(idValue.typeName)")
                continue
            }
            guard isValidID(id) else {
                v.fail(
                    stage: id, origin: origin, field: "id",
                    "invalid id '\(id)' (letters, digits, '.', '_' and '-', starting with a letter or digit)")
                continue
            }
            guard id.utf8.count <= maxIDLength else {
                v.fail(
                    stage: String(id.prefix(40)) + "…", origin: origin, field: "id",
                    "id of \(id.utf8.count) characters is longer than \(maxIDLength) (ids name files in the cache)")
                continue
            }
            if let first = firstIndex[id] {
                let what = origin.template == nil && origin.owner == nil ? "" : " '\(id)'"
                v.fail(
                    stage: id, origin: origin, field: "id",
                    "duplicate id\(what) (\(v.origins[first].location) and \(origin.location))")
                continue
            }
            firstIndex[id] = n
            ids[n] = id
            v.originByID[id] = origin
        }
        return ids
    }

    /// The registered kind of each stage with a valid id.
    private static func stageKinds(
        _ declared: [(Int, [String: JSONValue])], ids: [Int: String], registry: StageRegistry, _ v: inout Validator
    ) -> [String: StageKind] {
        var kindsByID: [String: StageKind] = [:]
        for (n, o) in declared {
            guard let id = ids[n], let kindValue = o["kind"] else {
                if let id = ids[n] { v.fail(stage: id, field: "kind", "missing") }
                continue
            }
            guard let kindName = kindValue.stringValue else {
                v.fail(stage: id, field: "kind", "expected a string, got \(kindValue.typeName)")
                continue
            }
            guard let kind = registry[kindName] else {
                v.fail(
                    stage: id, field: "kind", "unknown kind '\(kindName)'\(suggestion(kindName, registry.sortedNames))")
                continue
            }
            kindsByID[id] = kind
        }
        return kindsByID
    }

    /// Each stage's fields, parameters, inputs and output files (no file
    /// written by two stages, none outside the output root).
    private static func resolveStages(
        _ declared: [(Int, [String: JSONValue])], ids: [Int: String], kindsByID: [String: StageKind],
        roots: (data: String, pipeline: String), _ v: inout Validator
    ) -> [ResolvedStage] {
        var resolved: [ResolvedStage] = []
        var outputOwners: [String: String] = [:]
        for (n, o) in declared {
            guard let id = ids[n] else { continue }
            for key in o.keys.sorted() where !["id", "kind", "params", "inputs", "description"].contains(key) {
                let settings = v.registry.settingsKinds.map(\.key)
                v.fail(
                    stage: id, field: key,
                    "unknown field (expected id, kind, params, inputs, description, foreach, matrix"
                        + (settings.isEmpty ? ")" : "; settings: \(settings.joined(separator: ", ")))"))
            }
            guard let kind = kindsByID[id] else { continue }
            let params = v.parameters(o["params"], kind: kind, stage: id)
            let inputs =
                kind.openInputs
                ? v.openInputs(o["inputs"], stage: id, roots: roots, kindsByID: kindsByID)
                : v.inputs(
                    o["inputs"], kind: kind, stage: id, dataRoot: roots.data, kindsByID: kindsByID,
                    orderedIDs: declared.compactMap { ids[$0.0] })
            let description = o["description"]?.stringValue
            if let d = o["description"], description == nil {
                v.fail(stage: id, field: "description", "expected a string, got \(d.typeName)")
            }
            guard let params, let inputs else { continue }
            let outputs = kind.isRender ? kind.outputFiles(params) : []
            for out in outputs {
                // Compared normalized, so `x.txt` and `./x.txt` are one file.
                let normalized = Paths.absolute(out, relativeTo: "/")
                if !Paths.isContained(out) {
                    v.fail(stage: id, field: "params", "output path '\(out)' leaves the output root")
                } else if let owner = outputOwners[normalized] {
                    v.fail(stage: id, field: "params", "output '\(out)' is also written by stage '\(owner)'")
                } else {
                    outputOwners[normalized] = id
                }
            }
            resolved.append(
                ResolvedStage(
                    id: id, kind: kind, parameters: params, inputs: inputs, outputFiles: outputs,
                    description: description, origin: v.originByID[id]?.shown))
        }
        return resolved
    }

    /// The kinds' own checks (`StageKind.check`), which may look at other stages.
    private static func checkAcrossStages(_ resolved: [ResolvedStage], _ v: inout Validator) {
        let byID = Dictionary(resolved.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for stage in resolved {
            guard let check = stage.kind.check else { continue }
            for problem in check(stage, { byID[$0] }) { v.fail(stage: stage.id, field: problem.field, problem.message) }
        }
    }

    /// The stages in dependency order, or the error naming a cycle.
    static func ordered(_ resolved: [ResolvedStage], file: String) throws(PipelineErrors) -> [ResolvedStage] {
        let order = topologicalOrder(resolved)
        if let cycle = order.cycle {
            // The cycle runs along the data flow, so the first stage reads the last.
            let stage = cycle[0]
            let previous = cycle[cycle.count - 1]
            let field =
                resolved.first { $0.id == stage }?.inputs.first { $0.source == .stage(previous) }
                .map { "inputs.\($0.name)" } ?? "inputs"
            throw PipelineErrors([
                PipelineError(
                    file: file, stage: stage, field: field,
                    message: "cycle: " + (cycle + [stage]).joined(separator: " → "))
            ])
        }
        return order.stages
    }

    static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "." || $0 == "_" || $0 == "-" }
    }

    /// Kahn's algorithm, taking the earliest-declared ready stage first; on a
    /// cycle, returns one cycle (as a list of ids along the input edges).
    static func topologicalOrder(_ stages: [ResolvedStage]) -> (stages: [ResolvedStage], cycle: [String]?) {
        var position: [String: Int] = [:]
        for (n, s) in stages.enumerated() { position[s.id] = n }
        var remaining = stages.map { Set($0.upstream).count }
        var children = Array(repeating: [Int](), count: stages.count)
        for (n, s) in stages.enumerated() {
            for u in Set(s.upstream) { if let p = position[u] { children[p].append(n) } }
        }
        var ready = Set((0..<stages.count).filter { remaining[$0] == 0 })
        var out: [ResolvedStage] = []
        while let next = ready.min() {
            ready.remove(next)
            out.append(stages[next])
            for c in children[next] {
                remaining[c] -= 1
                if remaining[c] == 0 { ready.insert(c) }
            }
        }
        if out.count == stages.count { return (out, nil) }
        // Walk input edges among the unfinished stages until one repeats.
        let done = Set(out.map(\.id))
        var path: [String] = []
        var seenAt: [String: Int] = [:]
        var current = stages.first { !done.contains($0.id) }?.id
        while let id = current {
            if let at = seenAt[id] { return (out, Array(path[at...]).reversed()) }
            seenAt[id] = path.count
            path.append(id)
            let stage = stages[position[id] ?? 0]
            current = stage.upstream.sorted().first { !done.contains($0) }
        }
        return (out, path)
    }

    static func suggestion(_ name: String, _ candidates: [String]) -> String {
        let prefix = name.split(separator: ".").first.map(String.init) ?? name
        let near = candidates.filter { $0.hasPrefix(prefix) }
        if near.isEmpty { return "" }
        return " (known: \(near.prefix(8).joined(separator: ", ")))"
    }
}

/// Collects validation problems for one pipeline file.
private struct Validator {
    let file: String
    let registry: StageRegistry
    var errors: [PipelineError] = []

    /// Problems with the input files on disk, by stage: reported only for the
    /// stages a command selects (`Pipeline.inputProblems(of:)`).
    var inputProblems: [String: [PipelineError]] = [:]

    /// Where each expanded stage came from, by position and (once its id is
    /// known to be unique) by id.
    var origins: [StageOrigin] = []
    var originByID: [String: StageOrigin] = [:]

    mutating func fail(stage: String? = nil, origin: StageOrigin? = nil, field: String, _ message: String) {
        errors.append(error(stage: stage, origin: origin, field: field, message))
    }

    mutating func inputProblem(stage: String, field: String, _ message: String) {
        inputProblems[stage, default: []].append(error(stage: stage, field: field, message))
    }

    /// The error as the user wrote the stage: a template's expansion names
    /// the template too; a stage added by settings is named by the stage
    /// carrying them and the settings' path (`params.dpi` → `render.dpi`).
    func error(stage: String?, origin: StageOrigin? = nil, field: String, _ message: String) -> PipelineError {
        guard let stage, let o = origin ?? originByID[stage] else {
            return PipelineError(file: file, stage: stage, field: field, message: message)
        }
        guard let owner = o.owner, let settings = o.settings else {
            return PipelineError(file: file, stage: stage, template: o.template, field: field, message: message)
        }
        let mapped = field.hasPrefix("params.") ? settings + "." + field.dropFirst("params.".count) : settings
        return PipelineError(file: file, stage: owner, template: o.template, field: mapped, message: message)
    }

    mutating func parameters(_ value: JSONValue?, kind: StageKind, stage: String) -> Parameters? {
        let given: [String: JSONValue]
        switch value {
        case nil: given = [:]
        case .object(let o)?: given = o
        case let other?:
            fail(stage: stage, field: "params", "expected an object, got \(other.typeName)")
            return nil
        }
        var ok = true
        let specs = Dictionary(kind.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for key in given.keys.sorted() where specs[key] == nil {
            let known = kind.parameters.map(\.name)
            fail(
                stage: stage, field: "params.\(key)",
                "unknown parameter of kind '\(kind.name)'"
                    + (known.isEmpty ? " (it takes none)" : " (it takes: \(known.joined(separator: ", ")))"))
            ok = false
        }
        var values: [String: JSONValue] = [:]
        for spec in kind.parameters {
            if let v = given[spec.name] {
                if let normalized = spec.type.normalize(v) {
                    if let problem = spec.constraints.problem(with: normalized) {
                        fail(stage: stage, field: "params.\(spec.name)\(problem.element)", problem.message)
                        ok = false
                    }
                    values[spec.name] = normalized
                } else {
                    fail(
                        stage: stage, field: "params.\(spec.name)",
                        "expected \(spec.type.article), got \(v.typeName) \(v)")
                    ok = false
                }
            } else if let d = spec.defaultValue {
                values[spec.name] = spec.type.normalize(d) ?? d
            } else {
                fail(
                    stage: stage, field: "params.\(spec.name)",
                    "required parameter missing (\(spec.type.article): \(spec.help))")
                ok = false
            }
        }
        return ok ? Parameters(values) : nil
    }

    mutating func inputs(
        _ value: JSONValue?, kind: StageKind, stage: String, dataRoot: String, kindsByID: [String: StageKind],
        orderedIDs: [String]
    ) -> [ResolvedInput]? {
        guard let given = inputsObject(value, stage: stage) else { return nil }
        var ok = true
        let specs = Dictionary(kind.inputs.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for key in given.keys.sorted() where specs[key] == nil {
            let known = kind.inputs.map(\.name)
            fail(
                stage: stage, field: "inputs.\(key)",
                "unknown input of kind '\(kind.name)'"
                    + (known.isEmpty ? " (it takes none)" : " (it takes: \(known.joined(separator: ", ")))"))
            ok = false
        }
        var out: [ResolvedInput] = []
        for spec in kind.inputs.sorted(by: { $0.name < $1.name }) {
            guard let v = given[spec.name] else {
                if !spec.isOptional {
                    let what =
                        spec.source == .file
                        ? "a file under the data root"
                        : spec.source == .fileGlob
                            ? "a glob pattern of files under the data root"
                            : spec.isFileOrStage ? "a file under the data root or a stage id" : "a stage id"
                    fail(stage: stage, field: "inputs.\(spec.name)", "required input missing (\(what): \(spec.help))")
                    ok = false
                }
                continue
            }
            if case .fileGlob = spec.source {
                guard let pattern = v.stringValue, Paths.isContained(pattern) else {
                    fail(
                        stage: stage, field: "inputs.\(spec.name)",
                        "expected a glob pattern of files inside the data root, got \(v)")
                    ok = false
                    continue
                }
                out += globInput(
                    spec.name, matches: Self.globFiles(pattern, under: dataRoot), of: pattern, root: dataRoot,
                    stage: stage)
                continue
            }
            if case .stages(let accepts) = spec.source {
                guard
                    let list = listInput(
                        v, spec: spec, accepts: accepts, stage: stage, kindsByID: kindsByID, orderedIDs: orderedIDs)
                else {
                    ok = false
                    continue
                }
                out += list
                continue
            }
            guard let ref = v.stringValue else {
                fail(stage: stage, field: "inputs.\(spec.name)", "expected a string, got \(v.typeName)")
                ok = false
                continue
            }
            // A file-or-stage input is a stage when a stage has that id.
            var source = spec.source
            if case .fileOrStage(let accepts) = source {
                source = kindsByID[ref] != nil ? .stage(accepts: accepts) : .file
            }
            switch source {
            case .file:
                guard Paths.isContained(ref) else {
                    fail(stage: stage, field: "inputs.\(spec.name)", "'\(ref)' is not a path inside the data root")
                    ok = false
                    continue
                }
                let absolute = Paths.join(dataRoot, ref)
                if let problem = Self.fileProblem(absolute, optional: spec.isOptional) {
                    inputProblem(stage: stage, field: "inputs.\(spec.name)", "\(problem.reason): \(problem.path)")
                }
                out.append(
                    ResolvedInput(
                        name: spec.name, source: .file(relative: ref, absolute: absolute),
                        isOptional: spec.isOptional))
            case .stage(let accepts):
                guard let upstream = kindsByID[ref] else {
                    fail(stage: stage, field: "inputs.\(spec.name)", "unknown stage '\(ref)'")
                    ok = false
                    continue
                }
                if !accepts.contains(upstream.output) {
                    fail(
                        stage: stage, field: "inputs.\(spec.name)",
                        "stage '\(ref)' (kind \(upstream.name)) produces '\(upstream.output)', expected \(accepts.map { "'\($0)'" }.joined(separator: " or "))"
                    )
                    ok = false
                    continue
                }
                out.append(ResolvedInput(name: spec.name, source: .stage(ref), isOptional: spec.isOptional))
            case .stages, .fileGlob, .fileOrStage: continue  // handled above
            }
        }
        return ok ? out : nil
    }

    /// A stage's `inputs` object (absent: none); nil, with the error, when it is not an object.
    mutating func inputsObject(_ value: JSONValue?, stage: String) -> [String: JSONValue]? {
        switch value {
        case nil: return [:]
        case .object(let o)?: return o
        case let other?:
            fail(stage: stage, field: "inputs", "expected an object, got \(other.typeName)")
            return nil
        }
    }

    /// The files glob input `name` binds: each match of `pattern` under
    /// `root` (relative paths, as `globFiles` gives them), named
    /// `name<label>`; a match that is not a regular file is an input problem.
    mutating func globInput(
        _ name: String, matches: [String], of pattern: String, root: String, labelPrefix: String = "", stage: String
    ) -> [ResolvedInput] {
        var out: [ResolvedInput] = []
        for relative in matches {
            if let problem = Self.fileProblem(Paths.join(root, relative), optional: false) {
                inputProblem(
                    stage: stage, field: "inputs.\(name)",
                    "'\(pattern)' matches \(problem.path), which is \(problem.reason)")
            }
            let label = labelPrefix + relative
            out.append(
                ResolvedInput(
                    name: InputSpec.globElementName(name, label),
                    source: .file(relative: label, absolute: Paths.join(root, relative)), isOptional: false))
        }
        return out
    }

    /// The inputs of a kind with open inputs (`StageKind.openInputs`): any
    /// valid names; each value a stage id, a file or glob under the data root,
    /// or a file beside pipeline.json (`{pipeline}/scripts/fit.py`).
    mutating func openInputs(
        _ value: JSONValue?, stage: String, roots: (data: String, pipeline: String), kindsByID: [String: StageKind]
    ) -> [ResolvedInput]? {
        guard let given = inputsObject(value, stage: stage) else { return nil }
        var ok = true
        var out: [ResolvedInput] = []
        for name in given.keys.sorted() {
            let field = "inputs.\(name)"
            guard InputSpec.isValidName(name) else {
                fail(stage: stage, field: field, "not a valid input name (\(InputSpec.nameRule))")
                ok = false
                continue
            }
            guard let ref = given[name]?.stringValue, !ref.isEmpty else {
                fail(
                    stage: stage, field: field,
                    "expected a stage id, a file or glob under the data root, or {pipeline}/path, got \(given[name] ?? .null)"
                )
                ok = false
                continue
            }
            if kindsByID[ref] != nil {
                if ref == stage {
                    fail(stage: stage, field: field, "a stage cannot read its own output")
                    ok = false
                } else {
                    out.append(ResolvedInput(name: name, source: .stage(ref), isOptional: false))
                }
                continue
            }
            let prefix = InputSpec.pipelinePrefix
            let (root, path) =
                ref.hasPrefix(prefix) ? (roots.pipeline, String(ref.dropFirst(prefix.count))) : (roots.data, ref)
            let rootName = ref.hasPrefix(prefix) ? "the pipeline's folder" : "the data root"
            guard Paths.isContained(path) else {
                fail(stage: stage, field: field, "'\(ref)' is not a path inside \(rootName)")
                ok = false
                continue
            }
            if path.contains(where: { "*?[".contains($0) }) {
                let matches = Self.globFiles(path, under: root)
                if matches.isEmpty { inputProblem(stage: stage, field: field, "'\(ref)' matches no file") }
                out += globInput(
                    name, matches: matches, of: ref, root: root, labelPrefix: ref.hasPrefix(prefix) ? prefix : "",
                    stage: stage)
                continue
            }
            let absolute = Paths.join(root, path)
            if let problem = Self.fileProblem(absolute, optional: false) {
                let hint = ref.hasPrefix(prefix) || ref.contains("/") ? "" : " (and no stage has this id)"
                inputProblem(stage: stage, field: field, "\(problem.reason): \(problem.path)\(hint)")
            }
            out.append(ResolvedInput(name: name, source: .file(relative: ref, absolute: absolute), isOptional: false))
        }
        return ok ? out : nil
    }

    /// The paths matching `pattern` (relative to `root`), as paths relative to
    /// `root`, sorted; none when nothing matches. Every match is kept, whatever
    /// it is: one that is not a regular file is an input problem naming it,
    /// never silently dropped.
    static func globFiles(_ pattern: String, under root: String) -> [String] {
        var g = glob_t()
        defer { globfree(&g) }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard glob(prefix + pattern, 0, nil, &g) == 0 else { return [] }
        var out: [String] = []
        for i in 0..<Int(g.gl_pathc) {
            guard let c = g.gl_pathv[i], let path = String(validatingCString: c), path.hasPrefix(prefix)
            else { continue }
            out.append(String(path.dropFirst(prefix.count)))
        }
        return out.sorted()
    }

    /// What is wrong with input file `absolute`: missing (unless optional) or
    /// not a regular file (a directory, a FIFO, …; found by `stat`, which never blocks).
    static func fileProblem(_ absolute: String, optional: Bool) -> (reason: String, path: String)? {
        var st = stat()
        guard stat(absolute, &st) == 0 else { return optional ? nil : ("no such file", Paths.display(absolute)) }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return ("not a regular file (\(FileStat.kindName(mode: st.st_mode)))", Paths.display(absolute))
        }
        return nil
    }

    /// A list input: an array of stage ids and glob patterns, expanded in
    /// pipeline order without repeats (a stage never lists itself).
    mutating func listInput(
        _ value: JSONValue, spec: InputSpec, accepts: [String], stage: String, kindsByID: [String: StageKind],
        orderedIDs: [String]
    ) -> [ResolvedInput]? {
        let field = "inputs.\(spec.name)"
        guard case .array(let items) = value else {
            fail(stage: stage, field: field, "expected an array of stage ids or patterns, got \(value.typeName)")
            return nil
        }
        var ids: [String] = []
        var ok = true
        for (n, item) in items.enumerated() {
            guard let ref = item.stringValue else {
                fail(stage: stage, field: "\(field)[\(n)]", "expected a string, got \(item.typeName)")
                ok = false
                continue
            }
            let isPattern = ref.contains { "*?[".contains($0) }
            let matched = orderedIDs.filter {
                $0 != stage && (isPattern ? fnmatch(ref, $0, 0) == 0 : $0 == ref)
            }
            if matched.isEmpty {
                fail(
                    stage: stage, field: "\(field)[\(n)]",
                    isPattern ? "'\(ref)' matches no stage" : "unknown stage '\(ref)'")
                ok = false
            }
            for id in matched where !ids.contains(id) {
                guard let upstream = kindsByID[id] else { continue }
                if accepts.contains(upstream.output) {
                    ids.append(id)
                } else if !isPattern {
                    fail(
                        stage: stage, field: "\(field)[\(n)]",
                        "stage '\(id)' (kind \(upstream.name)) produces '\(upstream.output)', expected \(accepts.map { "'\($0)'" }.joined(separator: " or "))"
                    )
                    ok = false
                }
            }
        }
        guard ok else { return nil }
        return ids.enumerated().map {
            ResolvedInput(
                name: InputSpec.listElementName(spec.name, $0.offset), source: .stage($0.element), isOptional: false,
                list: spec.name)
        }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIIAlphanumeric: Bool {
        ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
    }
}
