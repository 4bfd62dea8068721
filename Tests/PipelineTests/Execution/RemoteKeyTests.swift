import FigpipeBasics
import Foundation
import Pipeline
import PipelineTesting
import Testing

/// What the executor looks up and stores in a remote cache, and under which key.
@Suite struct RemoteKeys {
    static func kind(portable: (@Sendable ([String: String]) -> [String: String])?) -> StageKind {
        var kind = StageKind(
            name: "k", version: 3, summary: "", parameters: [ParameterSpec("n", .int, default: 1, help: "")],
            inputs: [],
            output: "t"
        ) { _ in StageOutput(artifact: Artifact(type: "t", json: [:])) }
        kind.portableEnvironment = portable
        return kind
    }

    @Test func theRemoteKeyHoldsTheLocalKeysPartsWithAPortableEnvironment() {
        let plain = Self.kind(portable: nil)
        let p = Parameters(["n": 2])
        let inputs = ["in": Digest.sha256([1])]
        let local = StageKey.compute(kind: plain, parameters: p, inputHashes: inputs)
        let remote = StageKey.remote(kind: plain, parameters: p, inputHashes: inputs)
        #expect(Digest.isValid(remote) && remote != local)
        #expect(StageKey.remote(kind: plain, parameters: p, inputHashes: inputs) == remote)
        #expect(StageKey.remote(kind: plain, parameters: Parameters(["n": 3]), inputHashes: inputs) != remote)
        #expect(StageKey.remote(kind: plain, parameters: p, inputHashes: ["in": Digest.sha256([2])]) != remote)
        var bumped = plain
        bumped.version = 4
        #expect(StageKey.remote(kind: bumped, parameters: p, inputHashes: inputs) != remote)

        let dropsPaths = Self.kind { environment in environment.filter { $0.key != "where" } }
        let here = ["where": "/home/me", "what": "x"]
        let there = ["where": "/opt/ci", "what": "x"]
        #expect(
            StageKey.compute(kind: dropsPaths, parameters: p, inputHashes: inputs, environment: here)
                != StageKey.compute(kind: dropsPaths, parameters: p, inputHashes: inputs, environment: there))
        #expect(
            StageKey.remote(kind: dropsPaths, parameters: p, inputHashes: inputs, environment: here)
                == StageKey.remote(kind: dropsPaths, parameters: p, inputHashes: inputs, environment: there))
    }

    @Test func aFetchedEntryFitsOnlyTheStagesDeclaredOutputs() throws {
        let p = Project()
        try p.writeData("a.txt", "x")
        try p.writePipeline([
            stage("a", "test.source", inputs: ["file": "a.txt"]),
            stage("fig", "test.render", params: ["path": "x.txt"], inputs: ["in": "a"]),
        ])
        let pipeline = try p.load()
        let fig = try #require(pipeline["fig"])
        let h = Digest.sha256([1])
        func entry(_ files: [String: String], type: String = filesArtifactType) -> ActionEntry {
            ActionEntry(artifactHash: h, artifactType: type, encoding: .json, files: files, stage: "fig", seconds: 0)
        }
        #expect(entry(["x.txt": h]).fits(fig))
        #expect(!entry(["x.txt": h, "../../.bashrc": h]).fits(fig))
        #expect(!entry([:]).fits(fig))
        #expect(!entry(["x.txt": "not-a-hash"]).fits(fig))
        #expect(!entry(["x.txt": h], type: "test.text").fits(fig))
        #expect(ActionEntry(skip: .init(message: "m", displayPaths: [:]), stage: "fig", seconds: 0).fits(fig))
    }
}
