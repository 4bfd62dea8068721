import Foundation
import Pipeline
import Testing

@testable import CompressionFigures

@Suite struct StageKindTests {
    @Test func kindsAreDeclared() {
        #expect(
            CompressionKinds.all.map(\.name)
                == (CompressionKinds.loaders + CompressionKinds.figures + CompressionKinds.tables).map(\.name))
        #expect(CompressionKinds.tables.map(\.name) == ["compression.results-table", "compression.atlas-table"])
        #expect(CompressionKinds.figures.map(\.name) == (1...5).map { "compression.fig\($0)" })
        #expect(
            CompressionKinds.figures.allSatisfy { $0.output == "figure" && $0.inputs.allSatisfy { !$0.isOptional } })
        let kinds = CompressionKinds.loaders
        #expect(
            kinds.map(\.name) == [
                "compression.load-results", "compression.load-atlas-bf16", "compression.load-atlas-q4k",
                "compression.load-atlas-layer",
            ])
        #expect(
            kinds.map(\.output) == [
                ResultsTable.artifactType, AtlasBF16Table.artifactType, AtlasQ4KTable.artifactType,
                AtlasLayerTable.artifactType,
            ])
        #expect(ResultsTable.artifactType == "compression.results")
        for k in kinds {
            #expect(k.version == 1)
            #expect(k.parameters.isEmpty)
            #expect(k.inputs.map(\.name) == ["file"])
            #expect(k.inputs.first?.source == .file)
            #expect(k.inputs.first?.isOptional == false)
            #expect(!k.isRender)
        }
    }

    private func context(_ path: String, display: String) -> StageContext {
        StageContext(
            stageID: "s", parameters: Parameters([:]), artifacts: [:], files: ["file": path],
            filesForDisplay: ["file": display])
    }

    @Test func runProducesTheBinaryArtifact() throws {
        let out = try CompressionKinds.loadResults.run(context(fixture("edge.jsonl.zst"), display: "edge.zst"))
        let artifact = try #require(out.artifact)
        #expect(artifact.type == "compression.results")
        #expect(artifact.encoding == .binary)
        let table = try ResultsTable(decoding: artifact.bytes)
        #expect(table == (try ResultsTable.load(path: fixture("edge.jsonl.zst"), displayName: "x")))

        let layer = try CompressionKinds.loadAtlasLayer.run(context(fixture("atlas_layer.jsonl"), display: "l"))
        #expect(try AtlasLayerTable(decoding: try #require(layer.artifact).bytes).count == 4)
        let q = try CompressionKinds.loadAtlasQ4K.run(context(fixture("atlas_q4k.jsonl"), display: "q"))
        #expect(q.artifact?.type == "compression.atlas-q4k")
        let b = try CompressionKinds.loadAtlasBF16.run(context(fixture("atlas_bf16.jsonl"), display: "b"))
        #expect(b.artifact?.type == "compression.atlas-bf16")
    }

    @Test func errorsAreStageErrorsNamingFileLineAndField() throws {
        let error = thrownError {
            try CompressionKinds.loadAtlasBF16.run(
                context(fixture("atlas_bf16_missing_name.jsonl"), display: "data/compression/03_atlas/results.jsonl"))
        }
        let e = try #require(error as? StageError)
        #expect(e.message.contains("data/compression/03_atlas/results.jsonl:3:1: missing field 'tensor_name'"))
        #expect(e.message.contains("data/compression/03_atlas/results.jsonl:4:"))

        let truncated = thrownError {
            try CompressionKinds.loadResults.run(context(fixture("truncated.jsonl.zst"), display: "results.jsonl.zst"))
        }
        #expect((truncated as? StageError)?.message.hasPrefix("results.jsonl.zst: truncated:") == true)

        let missing = thrownError {
            try CompressionKinds.loadResults.run(context("/nonexistent.zst", display: "nowhere.zst"))
        }
        #expect((missing as? StageError)?.message.hasPrefix("nowhere.zst: cannot open") == true)
    }
}

/// The figure kinds through the stage interface: tables in, a figure artifact out.
@Suite struct FigureKindTests {
    func context(_ artifacts: [String: Artifact]) -> StageContext {
        StageContext(stageID: "fig", parameters: Parameters([:]), artifacts: artifacts, files: [:])
    }

    @Test func fig3BuildsFromTheLoadedTableAndNamesANullValue() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/q4k.jsonl"
        try Data(
            #"{"tensor_name": "a", "H_nibble": 3.9}"#.utf8 + [10] + #"{"tensor_name": "b", "H_nibble": 3.95}"#.utf8 + [
                10
            ]
        )
        .write(to: URL(fileURLWithPath: path))
        let good = try AtlasQ4KTable.load(path: path, displayName: "q4k")
        let art = Artifact(type: AtlasQ4KTable.artifactType, encoding: .binary, bytes: good.encoded())
        let out = try CompressionKinds.fig3.run(context(["atlas_q4k": art]))
        #expect(out.artifact?.type == "figure")

        // The edge-case fixture has `"H_nibble": null` on its line 4.
        let bad = try AtlasQ4KTable.load(path: fixture("atlas_q4k.jsonl"), displayName: "q4k")
        let badArt = Artifact(type: AtlasQ4KTable.artifactType, encoding: .binary, bytes: bad.encoded())
        let error = thrownError { try CompressionKinds.fig3.run(self.context(["atlas_q4k": badArt])) } as? StageError
        // The structured error names the input; the reporter shows `field: message`.
        #expect(error?.field == "inputs.atlas_q4k")
        #expect(error?.message == "line 4: field 'H_nibble' is null (the figure needs a number)")
        #expect(
            error.map { "\($0)" } == "inputs.atlas_q4k: line 4: field 'H_nibble' is null (the figure needs a number)")
    }

    @Test func aCorruptTableArtifactIsAClearError() {
        let art = Artifact(type: ResultsTable.artifactType, encoding: .binary, bytes: [1, 2, 3])
        let error = thrownError { try CompressionKinds.fig5.run(self.context(["results": art])) } as? StageError
        #expect(error?.field == "inputs.results")
        #expect(error?.message.hasPrefix("the compression.results table cannot be read") == true)
    }
}
