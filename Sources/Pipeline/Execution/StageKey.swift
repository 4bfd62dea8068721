import FigpipeBasics
/// The cache key of a stage: the SHA-256 of the canonical JSON of its kind,
/// the kind's version, its canonical parameters, and the hash of every input
/// (artifact or file). Nothing else: not the stage id, not the paths, not the
/// roots, so the same computation on the same bytes is found in the cache
/// wherever it is declared.
public enum StageKey {
    /// Bump when the meaning of cache entries changes.
    static let cacheFormat = 1
    /// The input hash of an optional file that is absent.
    public static let absentFile = "absent"

    public static func compute(
        kind: StageKind, parameters: Parameters, inputHashes: [String: String], environment: [String: String] = [:]
    ) -> String {
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
        return Digest.sha256(doc.canonicalBytes())
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

    /// The roots, as stages see them.
    public var roots: StageRoots { StageRoots(data: dataRoot, output: outputRoot, pipeline: pipelineDirectory) }
}
