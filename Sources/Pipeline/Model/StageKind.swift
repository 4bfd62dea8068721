import FigpipeBasics
/// The type of a stage parameter, as pipeline.json must spell it.
public enum ParameterType: String, Sendable, Equatable, CaseIterable {
    case int, double, string, bool
    case intList = "int[]"
    case doubleList = "double[]"
    case stringList = "string[]"
    /// A JSON object of strings: names (`outputs.table`) to values.
    case stringMap = "{string}"
    /// Any JSON object (an inline Vega-Lite spec); its own kind checks its contents.
    case object

    /// Checks `value` against the type; an integer is a valid `double`.
    /// Returns the normalized value (integers written for a `double` become doubles).
    func normalize(_ value: JSONValue) -> JSONValue? {
        switch (self, value) {
        case (.int, .int), (.string, .string), (.bool, .bool), (.double, .double): return value
        case (.double, .int(let i)): return .double(Double(i))
        case (.intList, .array(let items)):
            // Not `cond ? value : nil`: JSONValue is ExpressibleByNilLiteral, so that
            // `nil` would be `.null`, accepting any array as JSON null.
            guard items.allSatisfy({ $0.intValue != nil }) else { return nil }
            return value
        case (.doubleList, .array(let items)):
            var out: [JSONValue] = []
            for item in items {
                guard let d = item.numberValue else { return nil }
                out.append(.double(d))
            }
            return .array(out)
        case (.stringList, .array(let items)):
            guard items.allSatisfy({ $0.stringValue != nil }) else { return nil }
            return value
        case (.object, .object): return value
        case (.stringMap, .object(let members)):
            guard members.values.allSatisfy({ $0.stringValue != nil }) else { return nil }
            return value
        default: return nil
        }
    }

    var article: String {
        switch self {
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .bool: "a boolean"
        case .intList: "an array of integers"
        case .doubleList: "an array of numbers"
        case .stringList: "an array of strings"
        case .stringMap: "an object of strings"
        case .object: "an object"
        }
    }
}

/// What a parameter's value must be beyond its type: checked by the
/// validator with every other pipeline.json problem, before anything runs
/// (`run`, `run --dry-run` and `status` alike), and written into
/// `pipeline.schema.json` so an editor flags it too. For a list parameter the
/// value rules apply to each element.
public struct ValueConstraints: Sendable, Equatable {
    /// The strings allowed (JSON Schema `enum`).
    public var allowed: [String]?
    /// Numbers: inclusive and exclusive bounds (`minimum`, `exclusiveMinimum`, `maximum`).
    public var minimum: Double?
    public var exclusiveMinimum: Double?
    public var maximum: Double?
    /// A string of at least one character, a list of at least one element.
    public var nonEmpty = false
    /// A `{string}` parameter's keys must be names (`InputSpec.isValidName`);
    /// false for keys that are data's names (a table's column names).
    public var keysAreNames = true
    /// A relative path that ends in a file name: no empty component, and a
    /// last component that is neither empty nor hidden (`compression/` or ""
    /// would write `compression/.png`).
    public var endsInFileName = false

    public init() {}

    /// The JSON Schema pattern of `endsInFileName`.
    public static let fileNamePattern = "^([^/]+/)*[^/.][^/]*$"

    /// Why `value` (already of the parameter's type) breaks a rule, or nil:
    /// the element (`[2]`, or "" for the value itself) and the message.
    func problem(with value: JSONValue) -> (element: String, message: String)? {
        if case .object(let members) = value {
            if nonEmpty && members.isEmpty { return ("", "expected at least one member, got {}") }
            for name in members.keys.sorted() {
                if keysAreNames && !InputSpec.isValidName(name) {
                    return (".\(name)", "not a valid name (\(InputSpec.nameRule))")
                }
                if let item = members[name], let p = elementProblem(item, isListElement: true) {
                    return (".\(name)", p)
                }
            }
            return nil
        }
        if case .array(let items) = value {
            if nonEmpty && items.isEmpty { return ("", "expected at least one element, got []") }
            for (n, item) in items.enumerated() {
                if let p = elementProblem(item, isListElement: true) { return ("[\(n)]", p) }
            }
            return nil
        }
        return elementProblem(value, isListElement: false).map { ("", $0) }
    }

    /// `nonEmpty` is about the list itself for a list (`minItems`), about the
    /// string for a string (`minLength`), as the schema says.
    private func elementProblem(_ value: JSONValue, isListElement: Bool) -> String? {
        switch value {
        case .string(let s):
            if let allowed, !allowed.contains(s) {
                return "expected one of \(allowed.map { "'\($0)'" }.joined(separator: ", ")), got '\(s)'"
            }
            if nonEmpty && !isListElement && s.isEmpty { return "expected a non-empty string" }
            if endsInFileName && !Self.endsInFileName(s) {
                return "expected a relative path that ends in a file name (not hidden), got '\(s)'"
            }
        case .int, .double:
            guard let d = value.numberValue else { return nil }
            let shown = value.description
            if d.isNaN { return "expected a number, got \(shown)" }
            if let m = minimum, !(d >= m) { return "expected \(rangeText), got \(shown)" }
            if let m = exclusiveMinimum, !(d > m) { return "expected \(rangeText), got \(shown)" }
            if let m = maximum, !(d <= m) { return "expected \(rangeText), got \(shown)" }
        default: break
        }
        return nil
    }

    /// The rules in words (`one of png, pdf, svg; not empty`), nil when there are none.
    public var summary: String? {
        var parts: [String] = []
        if let allowed { parts.append("one of " + allowed.joined(separator: ", ")) }
        if minimum != nil || exclusiveMinimum != nil || maximum != nil {
            parts.append(String(rangeText.dropFirst("a value ".count)))
        }
        if nonEmpty { parts.append("not empty") }
        if endsInFileName { parts.append("ends in a file name") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// `a value > 0 and ≤ 10000`, `a value ≥ 1`.
    var rangeText: String {
        var parts: [String] = []
        if let m = exclusiveMinimum { parts.append("> \(Self.number(m))") }
        if let m = minimum { parts.append("≥ \(Self.number(m))") }
        if let m = maximum { parts.append("≤ \(Self.number(m))") }
        return "a value " + parts.joined(separator: " and ")
    }

    static func number(_ d: Double) -> String {
        if let i = Int(exactly: d) { return String(i) }
        return JSONValue.format(d)
    }

    static func endsInFileName(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let last = parts.last, !last.isEmpty, !last.hasPrefix(".") else { return false }
        return parts.allSatisfy { !$0.isEmpty }
    }

    /// The rules as JSON Schema keywords, for the value (or a list's items).
    var schemaKeywords: [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if let allowed { out["enum"] = .array(allowed.map { .string($0) }) }
        if let minimum { out["minimum"] = Self.schemaNumber(minimum) }
        if let exclusiveMinimum { out["exclusiveMinimum"] = Self.schemaNumber(exclusiveMinimum) }
        if let maximum { out["maximum"] = Self.schemaNumber(maximum) }
        if endsInFileName { out["pattern"] = .string(Self.fileNamePattern) }
        return out
    }

    private static func schemaNumber(_ d: Double) -> JSONValue { Int(exactly: d).map { .int($0) } ?? .double(d) }
}

/// A parameter a stage kind declares.
public struct ParameterSpec: Sendable {
    public var name: String
    public var type: ParameterType
    /// The value used when pipeline.json omits the parameter; nil makes it required.
    public var defaultValue: JSONValue?
    public var help: String
    /// What the value must be beyond its type.
    public var constraints = ValueConstraints()
    /// False for a parameter that cannot change what the stage computes (how
    /// many slots it takes, how long it may run): it is left out of the key.
    public var isInKey = true

    public init(_ name: String, _ type: ParameterType, default defaultValue: JSONValue? = nil, help: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Only these strings (each element, for a string list).
    public func oneOf(_ allowed: [String]) -> ParameterSpec {
        var copy = self
        copy.constraints.allowed = allowed
        return copy
    }

    /// A number in `minimum … maximum` (either bound optional).
    public func range(min minimum: Double? = nil, max maximum: Double? = nil) -> ParameterSpec {
        var copy = self
        copy.constraints.minimum = minimum
        copy.constraints.maximum = maximum
        return copy
    }

    /// A number > 0, at most `maximum`.
    public func positive(max maximum: Double? = nil) -> ParameterSpec {
        var copy = self
        copy.constraints.exclusiveMinimum = 0
        copy.constraints.maximum = maximum
        return copy
    }

    /// A non-empty string or list.
    public func nonEmpty() -> ParameterSpec {
        var copy = self
        copy.constraints.nonEmpty = true
        return copy
    }

    /// A `{string}` parameter whose keys may be any strings (see `keysAreNames`).
    public func anyKeys() -> ParameterSpec {
        var copy = self
        copy.constraints.keysAreNames = false
        return copy
    }

    /// Left out of the cache key (see `isInKey`).
    public func notInKey() -> ParameterSpec {
        var copy = self
        copy.isInKey = false
        return copy
    }

    /// An output path relative to the output root that ends in a file name.
    public func filePath() -> ParameterSpec {
        var copy = self
        copy.constraints.endsInFileName = true
        return copy
    }
}

/// An input a stage kind declares: a file under the data root, or the output
/// artifact of another stage of one of the accepted artifact types.
public struct InputSpec: Sendable {
    public enum Source: Sendable, Equatable {
        case file
        case stage(accepts: [String])
        /// A list of stages (ids or glob patterns over ids, expanded in the
        /// pipeline's order), each producing one of the accepted types. The
        /// run function reads them with `StageContext.artifactList(_:)`.
        case stages(accepts: [String])
        /// Every regular file matching a glob pattern under the data root
        /// (`entropy/E_2048/run_*/results.json`), in sorted path order; no
        /// match binds no file. The run function reads them with
        /// `StageContext.fileList(_:)`; each file's content is part of the key.
        case fileGlob
        /// A file under the data root, or (when the value is a stage's id) a
        /// stage producing one of the accepted types; the kind reads which
        /// with `StageContext.filePath(_:)` and `outputFiles(ofInput:)`.
        case fileOrStage(accepts: [String])
    }

    public var name: String
    public var source: Source
    /// An optional input may be left out of pipeline.json, and an optional file
    /// may be missing on disk (the stage then runs without it).
    public var isOptional: Bool
    public var help: String

    public static func file(_ name: String, optional: Bool = false, help: String) -> InputSpec {
        InputSpec(name: name, source: .file, isOptional: optional, help: help)
    }

    public static func stage(_ name: String, accepts types: [String], optional: Bool = false, help: String)
        -> InputSpec
    {
        InputSpec(name: name, source: .stage(accepts: types), isOptional: optional, help: help)
    }

    public static func stages(_ name: String, accepts types: [String], help: String) -> InputSpec {
        InputSpec(name: name, source: .stages(accepts: types), isOptional: true, help: help)
    }

    /// A file under the data root, or a stage's output (its id).
    public static func fileOrStage(_ name: String, accepts types: [String], help: String) -> InputSpec {
        InputSpec(name: name, source: .fileOrStage(accepts: types), isOptional: false, help: help)
    }

    var isFileOrStage: Bool {
        if case .fileOrStage = source { return true }
        return false
    }

    /// Files matching a glob pattern under the data root, in sorted order.
    public static func fileGlob(_ name: String, help: String) -> InputSpec {
        InputSpec(name: name, source: .fileGlob, isOptional: false, help: help)
    }

    /// The name a glob input's file is bound under: its path relative to the
    /// data root, so a renamed file changes the stage's key.
    public static func globElementName(_ name: String, _ relative: String) -> String { "\(name)<\(relative)>" }

    /// The name a list input's `index`th stage is bound under.
    public static func listElementName(_ name: String, _ index: Int) -> String { "\(name)[\(index)]" }

    /// The names a kind with open inputs (`StageKind.openInputs`) and a
    /// `{string}` parameter accept: a letter or `_`, then letters, digits, `_`
    /// and `-`. No dot, so `{inputs.fig.png}` reads as input `fig`, suffix `.png`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCIILetter || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// How an open input names a file beside pipeline.json.
    public static let pipelinePrefix = "{pipeline}/"

    /// `isValidName`'s rule in words, and as a JSON Schema pattern.
    public static let nameRule = "a letter or _, then letters, digits, _ or -"
    public static let namePattern = "^[A-Za-z_][A-Za-z0-9_-]*$"
}

extension Unicode.Scalar {
    var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

/// How an artifact's bytes are to be read.
public enum ArtifactEncoding: String, Sendable, Equatable {
    /// Canonical JSON (sorted keys), see `JSONValue.canonicalBytes()`.
    case json
    /// A family's own binary layout, documented with its type.
    case binary
}

/// A stage's output: bytes of a declared type and encoding.
public struct Artifact: Sendable, Equatable {
    /// The artifact type, e.g. `compression.results`; inputs accept types.
    public var type: String
    public var encoding: ArtifactEncoding
    public var bytes: [UInt8]

    public init(type: String, encoding: ArtifactEncoding, bytes: [UInt8]) {
        self.type = type
        self.encoding = encoding
        self.bytes = bytes
    }

    public init(type: String, json: JSONValue) {
        self.init(type: type, encoding: .json, bytes: json.canonicalBytes())
    }

    /// The artifact parsed as JSON.
    public func json() throws -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw StageError("artifact of type \(type) is not valid JSON: \(error)")
        }
    }
}

/// The artifact type of a render stage: the canonical JSON manifest of the
/// files it wrote, `{"files": {"relative/path": "sha256"}}`.
public let filesArtifactType = "files"

/// What a program a stage ran wrote to stdout and stderr: kept with the
/// stage's cached result (or its failure) for `figpipe log`.
public struct StageLogs: Sendable, Equatable {
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public init(stdout: [UInt8], stderr: [UInt8]) {
        self.stdout = stdout
        self.stderr = stderr
    }
}

/// What a stage's run function returns.
public struct StageOutput: Sendable {
    /// The data artifact; render stages leave it nil and return `files`.
    public var artifact: Artifact?
    /// Render stages: file contents by path relative to the output root. They
    /// must be exactly the paths the kind declared for the stage.
    public var files: [String: [UInt8]]
    /// The logs of the program the stage ran, if it ran one.
    public var logs: StageLogs? = nil

    public init(artifact: Artifact) {
        self.artifact = artifact
        self.files = [:]
    }

    public init(files: [String: [UInt8]]) {
        self.artifact = nil
        self.files = files
    }
}

/// Why a stage failed: the stage, the field the problem is in (a parameter
/// `params.dpi`, an input `inputs.runs`; nil when it is about the stage as a
/// whole or the message names a data file's own field) and what is wrong. A
/// run function throws it (or any error, which the executor wraps); the
/// executor fills in the stage, and the reporter formats it
/// (`FAILED <stage>   <field>: <message>`).
public struct StageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var stage: String?
    public var field: String?
    public var message: String
    /// The logs of the program the stage ran, kept with the failure for `figpipe log`.
    public var logs: StageLogs?

    public init(_ message: String, field: String? = nil, stage: String? = nil, logs: StageLogs? = nil) {
        self.message = message
        self.field = field
        self.stage = stage
        self.logs = logs
    }

    /// `field: message`, or the message alone (the stage is shown beside it).
    public var description: String { field.map { "\($0): \(message)" } ?? message }

    /// `error` as a stage error of `stage`: a `StageError` keeps its field,
    /// any other error becomes its description.
    public static func of(_ error: any Error, stage: String) -> StageError {
        var e = (error as? StageError) ?? StageError(String(describing: error))
        if e.stage == nil { e.stage = stage }
        return e
    }
}

/// What a stage's run function throws when its inputs leave nothing to make: an
/// optional cache that is missing, empty or lacks a column. It is not an error:
/// the stage's outcome is `skipped` with this message, the stages that need its
/// output are skipped too (a list input or an optional stage input just leaves
/// it out), nothing is written for them, and the run still succeeds. A skip is
/// cached under the stage's key like an output, so it must depend only on the
/// stage's inputs and parameters.
public struct StageSkipped: Error, Sendable, CustomStringConvertible {
    /// What the user sees on the stage's line, e.g. the exporter's
    /// `sweep cache not found at … — skipping hparam-scaling figure.`
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A member of a list input that failed in this run: it is left out of the
/// list, and the kind sees it here (the gallery shows its error on its card).
public struct ListFailure: Sendable, Equatable {
    /// The list input's name (`figures`).
    public var list: String
    /// The failed stage.
    public var stage: String
    /// Its error (for a stage that did not run because its input failed, that input's error).
    public var message: String
    /// The files it would have written, relative to the output root.
    public var outputFiles: [String]

    public init(list: String, stage: String, message: String, outputFiles: [String]) {
        self.list = list
        self.stage = stage
        self.message = message
        self.outputFiles = outputFiles
    }

    /// What the failures add to the reading stage's key: one entry per failed
    /// member, so a stage that shows the errors reruns when they change.
    static func keyHashes(_ failures: [ListFailure]) -> [String: String] {
        var out: [String: String] = [:]
        for f in failures {
            out["\(f.list)!failed<\(f.stage)>"] = Digest.sha256(Array("\(f.stage)\n\(f.message)".utf8))
        }
        return out
    }
}

/// Everything a run function may read: its parameters, its input artifacts,
/// its input files. A run function must not read anything else.
public struct StageContext: Sendable {
    public let stageID: String
    public let parameters: Parameters
    let artifacts: [String: Artifact]
    let artifactHashes: [String: String]
    let files: [String: String]
    let filesForDisplay: [String: String]
    let failures: [ListFailure]
    let progressHandler: @Sendable (String) -> Void
    /// Kinds that run programs (`StageKind.usesScratch`): a private, empty
    /// folder for this run of the stage, removed when it ends.
    public internal(set) var scratchDirectory: String? = nil
    /// The roots, for kinds that pass paths to programs.
    public internal(set) var roots = StageRoots(data: "", output: "", pipeline: "")
    /// For each stage input whose stage wrote files: those files (path relative
    /// to the output root → absolute path), in place and matching the cache.
    var upstreamFiles: [String: [String: String]] = [:]

    public init(
        stageID: String, parameters: Parameters, artifacts: [String: Artifact], artifactHashes: [String: String] = [:],
        files: [String: String], filesForDisplay: [String: String] = [:], failedMembers: [ListFailure] = [],
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.stageID = stageID
        self.parameters = parameters
        self.artifacts = artifacts
        self.artifactHashes = artifactHashes
        self.files = files
        self.filesForDisplay = filesForDisplay
        self.failures = failedMembers
        self.progressHandler = progress
    }

    /// The members of list input `name` that failed in this run, in the list's
    /// order: they are not in `artifactList(name)`.
    public func failedMembers(_ name: String) -> [ListFailure] { failures.filter { $0.list == name } }

    /// The artifact bound to stage input `name`; nil for an optional input left out.
    public func artifact(_ name: String) -> Artifact? { artifacts[name] }

    /// The artifacts bound to list input `name`, in the order pipeline.json lists them.
    public func artifactList(_ name: String) -> [Artifact] {
        var out: [Artifact] = []
        while let a = artifacts[InputSpec.listElementName(name, out.count)] { out.append(a) }
        return out
    }

    /// The SHA-256 of the artifact bound to stage input `name` (nil when the
    /// caller did not say): a key for kinds that keep a decoded artifact for
    /// the other stages of the run that read the same bytes.
    public func artifactHash(_ name: String) -> String? { artifactHashes[name] }

    /// The artifact bound to required stage input `name`, decoded by `decode`; a
    /// failure names the input and the artifact type (`the <type> <noun> cannot
    /// be read`) and suggests `--force`.
    public func decodedArtifact<T>(_ name: String, noun: String = "artifact", _ decode: ([UInt8]) throws -> T) throws
        -> T
    {
        let artifact = try requiredArtifact(name)
        do {
            return try decode(artifact.bytes)
        } catch {
            throw StageError(
                "the \(artifact.type) \(noun) cannot be read (\(error)); rebuild it with --force",
                field: "inputs.\(name)")
        }
    }

    /// The artifact bound to a required stage input.
    public func requiredArtifact(_ name: String) throws -> Artifact {
        guard let a = artifacts[name] else { throw StageError("not bound", field: "inputs.\(name)") }
        return a
    }

    /// The absolute path of file input `name`; nil for an optional file that is absent.
    public func filePath(_ name: String) -> String? { files[name] }

    /// The files bound to glob input `name`: (path relative to the data root,
    /// absolute path), sorted by path components as Python's `sorted(Path.glob)`.
    public func fileList(_ name: String) -> [(relative: String, path: String)] {
        let prefix = name + "<"
        var out: [(relative: String, path: String)] = []
        for (key, path) in files where key.hasPrefix(prefix) && key.hasSuffix(">") {
            out.append((String(key.dropFirst(prefix.count).dropLast()), path))
        }
        return out.sorted { a, b in
            a.relative.split(separator: "/").lexicographicallyPrecedes(b.relative.split(separator: "/")) {
                Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
            }
        }
    }

    public func requiredFilePath(_ name: String) throws -> String {
        guard let p = files[name] else { throw StageError("file input not bound", field: "inputs.\(name)") }
        return p
    }

    /// The path to show the user for file input `name` (relative to the working
    /// directory when possible).
    public func displayPath(_ name: String) -> String { filesForDisplay[name] ?? files[name] ?? name }

    /// Reports progress on long work (shown with `--verbose`).
    public func progress(_ message: String) { progressHandler(message) }

    /// The files stage input `name`'s stage wrote (relative to the output root
    /// → absolute path); empty when it wrote none (a data artifact).
    public func outputFiles(ofInput name: String) -> [String: String] { upstreamFiles[name] ?? [:] }

    /// The paths of `files` a suffix selects (`{inputs.fig.png}`, `select:
    /// "csv"`): those whose name ends with `.SUFFIX`; all of them for nil or "".
    public static func files(_ files: [String], endingIn suffix: String?) -> [String] {
        guard let suffix, !suffix.isEmpty else { return files }
        return files.filter { $0.hasSuffix("." + suffix) }
    }

    /// Every input name bound to this stage, sorted (for kinds with open inputs).
    public var inputNames: [String] { Set(artifacts.keys).union(files.keys).sorted() }
}

/// The folders a stage's paths are relative to.
public struct StageRoots: Sendable, Equatable {
    public var data: String
    public var output: String
    /// The folder of pipeline.json (`{pipeline}/` inputs).
    public var pipeline: String

    public init(data: String, output: String, pipeline: String) {
        self.data = data
        self.output = output
        self.pipeline = pipeline
    }
}

/// A stage's parameters after validation: every declared parameter present,
/// defaults filled in, values of the declared types.
public struct Parameters: Sendable, Equatable {
    public let values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) { self.values = values }

    func value(_ name: String) throws -> JSONValue {
        guard let v = values[name] else { throw StageError("not a declared parameter", field: "params.\(name)") }
        return v
    }

    public func int(_ name: String) throws -> Int {
        guard let i = try value(name).intValue else { throw StageError("not an integer", field: "params.\(name)") }
        return i
    }

    public func double(_ name: String) throws -> Double {
        guard let d = try value(name).numberValue else { throw StageError("not a number", field: "params.\(name)") }
        return d
    }

    public func string(_ name: String) throws -> String {
        guard let s = try value(name).stringValue else { throw StageError("not a string", field: "params.\(name)") }
        return s
    }

    public func bool(_ name: String) throws -> Bool {
        guard let b = try value(name).boolValue else { throw StageError("not a boolean", field: "params.\(name)") }
        return b
    }

    public func doubles(_ name: String) throws -> [Double] {
        guard let a = try value(name).arrayValue else { throw StageError("not an array", field: "params.\(name)") }
        return a.compactMap(\.numberValue)
    }

    public func ints(_ name: String) throws -> [Int] {
        guard let a = try value(name).arrayValue else { throw StageError("not an array", field: "params.\(name)") }
        return a.compactMap(\.intValue)
    }

    public func strings(_ name: String) throws -> [String] {
        guard let a = try value(name).arrayValue else { throw StageError("not an array", field: "params.\(name)") }
        return a.compactMap(\.stringValue)
    }

    /// The canonical JSON object of all parameters (part of the cache key).
    public var json: JSONValue { .object(values) }
}

/// A kind of stage, registered in code.
public struct StageKind: Sendable {
    /// The name pipeline.json uses in `kind`.
    public var name: String
    /// Bump when the code changes what the stage computes: it invalidates
    /// every cached output of the kind.
    public var version: Int
    public var summary: String
    public var parameters: [ParameterSpec]
    public var inputs: [InputSpec]
    /// The artifact type produced (`filesArtifactType` for render kinds).
    public var output: String
    /// Render kinds: the files a stage writes, relative to the output root.
    public var outputFiles: @Sendable (Parameters) -> [String]
    public var run: @Sendable (StageContext) throws -> StageOutput
    /// A scheduling hint, not part of the cache key: how costly a stage of this
    /// kind is compared with others (0, the default, for the cheap majority).
    /// When several stages are ready, those on the costliest path to the end
    /// of the pipeline start first, so a long chain (parse, fit, draw) does not
    /// wait behind many short ones. It never changes what a stage computes.
    public var cost: Int = 0
    /// Settings sugar: when set (`"render"`), a stage whose output this kind's
    /// stage input accepts may carry `"render": {…}` in pipeline.json, and
    /// figpipe adds a stage of this kind reading it (id `<id>.render`; the
    /// settings are its parameters). See `Expansion`.
    public var settingsKey: String? = nil
    /// A kind whose inputs take any names (`isValidName`): each value is a stage
    /// id (of any output), a file or glob under the data root, or a file
    /// beside pipeline.json written `{pipeline}/path`. `inputs` is then empty.
    public var openInputs = false
    /// How many of the run's `--jobs` slots a stage takes (at least 1; a stage
    /// that asks for more than `--jobs` takes them all). Not part of the key.
    public var slots: @Sendable (Parameters) -> Int = { _ in 1 }
    /// What the stage's result depends on besides its parameters and inputs
    /// (environment variables, the identity of programs), by name: it enters
    /// the key, and `status` names what changed.
    public var environment: (@Sendable (Parameters) throws -> [String: String])? = nil
    /// The part of an `environment` that holds on any machine, for the key a
    /// remote cache shares between machines (`StageKey.remote`): a kind whose
    /// environment names something of this machine (a program's absolute
    /// path) leaves it out here, and keeps what identifies the result (the
    /// program's content hash and version). Nil: the environment as it is.
    public var portableEnvironment: (@Sendable ([String: String]) -> [String: String])? = nil
    /// Checks across parameters and inputs that the validator cannot know
    /// (placeholders naming inputs): (field, message) per problem. The
    /// second argument finds any stage of the pipeline by id.
    public var check: (@Sendable (ResolvedStage, (String) -> ResolvedStage?) -> [(field: String, message: String)])? =
        nil
    /// The executor gives each run of the stage a private scratch folder.
    public var usesScratch = false
    /// The kind reads the files its input stages wrote, by path
    /// (`StageContext.outputFiles(ofInput:)`); the executor puts them back
    /// from the cache first where they were removed or edited.
    public var readsFilesOfInputs = false

    public init(
        name: String, version: Int, summary: String, parameters: [ParameterSpec] = [], inputs: [InputSpec],
        output: String, outputFiles: @escaping @Sendable (Parameters) -> [String] = { _ in [] },
        run: @escaping @Sendable (StageContext) throws -> StageOutput
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.parameters = parameters
        self.inputs = inputs
        self.output = output
        self.outputFiles = outputFiles
        self.run = run
    }

    public var isRender: Bool { output == filesArtifactType }

    /// This kind, addable from a stage's `key` settings (`settingsKey`).
    public func addable(as key: String) -> StageKind {
        var copy = self
        copy.settingsKey = key
        return copy
    }

    /// The input a stage added by settings binds to the stage carrying them:
    /// the kind's first single-stage input.
    var settingsInput: (name: String, accepts: [String])? {
        for i in inputs { if case .stage(let accepts) = i.source { return (i.name, accepts) } }
        return nil
    }
}

/// The stage kinds a figpipe binary knows, by name.
public struct StageRegistry: Sendable {
    public private(set) var kinds: [String: StageKind] = [:]

    public init(_ kinds: [StageKind] = []) {
        for k in kinds { register(k) }
    }

    /// Registers `kind`; a later registration of the same name replaces it.
    public mutating func register(_ kind: StageKind) { kinds[kind.name] = kind }

    public func merging(_ other: [StageKind]) -> StageRegistry {
        var copy = self
        for k in other { copy.register(k) }
        return copy
    }

    public subscript(name: String) -> StageKind? { kinds[name] }

    public var sortedNames: [String] { kinds.keys.sorted() }

    /// The kinds a stage can add through settings, by settings key
    /// (`render` → `figure.render`), in key order.
    public var settingsKinds: [(key: String, kind: StageKind)] {
        kinds.values.compactMap { k in k.settingsKey.map { ($0, k) } }.sorted { $0.key < $1.key }
    }
}
