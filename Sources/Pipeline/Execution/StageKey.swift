import FigpipeBasics
/// The cache key of a stage: the SHA-256 of the canonical JSON of its kind,
/// the kind's version, its canonical parameters, and the hash of every input
/// (artifact or file). Nothing else: not the stage id, not the paths, not the
/// roots, so the same computation on the same bytes is found in the cache
/// wherever it is declared.
public enum StageKey {
    /// Bump when the meaning of cache entries changes.
    static let cacheFormat = 1
    /// Bump when the meaning of remote cache entries changes (`remote`).
    static let remoteFormat = 1
    /// The input hash of an optional file that is absent.
    public static let absentFile = "absent"

    public static func compute(
        kind: StageKind, parameters: Parameters, inputHashes: [String: String], environment: [String: String] = [:]
    ) -> String {
        Digest.sha256(
            document(kind: kind, parameters: parameters, inputHashes: inputHashes, environment: environment)
                .canonicalBytes())
    }

    /// The key of the stage's result in a remote cache, which other machines
    /// share: everything the local key holds, with the environment made
    /// portable (`StageKind.portableEnvironment`: a tool's content hash and
    /// version, not its path), and a format number of its own. The local key
    /// holds no path, root or host name otherwise, so neither does this one.
    public static func remote(
        kind: StageKind, parameters: Parameters, inputHashes: [String: String], environment: [String: String] = [:]
    ) -> String {
        let portable = kind.portableEnvironment.map { $0(environment) } ?? environment
        var doc = document(kind: kind, parameters: parameters, inputHashes: inputHashes, environment: portable)
        doc["remote-format"] = .int(remoteFormat)
        return Digest.sha256(doc.canonicalBytes())
    }

    private static func document(
        kind: StageKind, parameters: Parameters, inputHashes: [String: String], environment: [String: String]
    ) -> JSONValue {
        var doc: JSONValue = [
            "cache-format": .int(cacheFormat),
            "kind": .string(kind.name),
            "version": .int(kind.version),
            "params": .object(
                parameters.values.filter { name, _ in
                    kind.parameters.first { $0.name == name }?.isInKey ?? true
                }),
            "inputs": .object(inputHashes.mapValues { .string($0) }),
        ]
        // Only kinds that declare an environment have one, so every other key is as it was.
        if !environment.isEmpty { doc["environment"] = .object(environment.mapValues { .string($0) }) }
        return doc
    }

    /// What the stage's kind says its result depends on besides parameters and
    /// inputs (`StageKind.environment`); a failure names the stage's params.
    static func environment(of stage: ResolvedStage) throws -> [String: String] {
        guard let environment = stage.kind.environment else { return [:] }
        return try environment(stage.parameters)
    }

    /// The hash a file input contributes to the key: `absentFile` for an
    /// optional file that is not there, else the file's SHA-256 (through the
    /// stat cache). The executor and `status` both use this, so they agree.
    static func fileHash(of input: ResolvedInput, at absolute: String, statCache: StatCache) throws -> String {
        if input.isOptional && FileStat.of(absolute) == nil { return absentFile }
        return try statCache.hash(ofFile: absolute)
    }

    /// `file:<path>` or `stage:<id>`, as stage records keep it.
    static func sourceLabel(_ source: ResolvedSource) -> String {
        switch source {
        case .file(let relative, _): "file:" + relative
        case .stage(let id): "stage:" + id
        }
    }
}

extension PipelineDefinition {
    /// The absolute path of a render stage's output file.
    public func outputPath(_ relative: String) -> String { Paths.join(outputRoot, relative) }

    /// The same pipeline with its output root at `folder`: `figpipe check`
    /// makes the outputs there to compare them with the committed ones.
    public func writingOutputs(to folder: String) -> PipelineDefinition {
        PipelineDefinition(
            file: file, dataRoot: dataRoot, outputRoot: Paths.absolute(folder), cacheRoot: cacheRoot,
            remoteCache: remoteCache, pipelineDirectory: pipelineDirectory, stages: stages, index: index,
            inputFileProblems: inputFileProblems)
    }

    /// The roots, as stages see them.
    public var roots: StageRoots { StageRoots(data: dataRoot, output: outputRoot, pipeline: pipelineDirectory) }
}
