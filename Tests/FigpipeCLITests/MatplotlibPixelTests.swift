import CairoBackend
import FigpipeBasics
import FigureTesting
import Foundation
import PipelineTesting
import Testing

private let repositoryRoot = Paths.directory(of: Paths.directory(of: Paths.directory(of: #filePath)))
private let fixtures = Paths.join(Paths.directory(of: #filePath), "Fixtures/matplotlib-png")

/// Issue 14's bar: the 18 matplotlib figures of the compression and ΔH
/// families, drawn by `figpipe run` from the repository's pipeline.json, have
/// exactly the pixel size of the reference harness's PNGs (matplotlib 3.11.2,
/// its bundled FreeType 2.14.3; `Fixtures/matplotlib-png/README.md`) and a
/// pixel RMS of at most 8 against them, on the sample data and on synthetic
/// seed 1.
@Suite struct MatplotlibPixelTests {
    static let cap = 8.0

    /// The data folders: the repository's sample data and seed 1's.
    static let datasets: [(name: String, data: String)] = [
        ("sample", Paths.join(repositoryRoot, "data")),
        ("seed1", Paths.join(fixtures, "seed1-data")),
    ]

    @Test(arguments: datasets.map(\.name))
    func pngsMatchMatplotlib(dataset: String) async throws {
        let data = try #require(Self.datasets.first { $0.name == dataset }?.data)
        let project = CLIProject()
        let out = project.io.file("out")
        let outcome = try await project.run(
            arguments: [
                "run", "--config", Paths.join(repositoryRoot, "pipeline.json"), "--data", data, "--out", out,
                "--cache", project.io.file("cache"), "--quiet", "compression.*", "entropy.*",
            ])
        try #require(outcome.exitCode == 0, "\(outcome)")

        let references = try FileManager.default.contentsOfDirectory(atPath: Paths.join(fixtures, dataset))
            .filter { $0.hasSuffix(".png") }.sorted()
        #expect(references.count == 18)
        var drawn: [String: String] = [:]
        for family in ["compression", "entropy"] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: Paths.join(out, family))) ?? [] {
                drawn[name] = Paths.join(out, family + "/" + name)
            }
        }
        var report: [String] = []
        for name in references {
            let reference = try #require(
                decodePNG(Array(try Data(contentsOf: URL(fileURLWithPath: Paths.join(fixtures, dataset + "/" + name)))))
            )
            let path = try #require(drawn[name], "figpipe drew no \(name)")
            let ours = try #require(decodePNG(Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
            #expect(
                ours.width == reference.width && ours.height == reference.height,
                "\(dataset)/\(name): \(ours.width)×\(ours.height) px, matplotlib's is \(reference.width)×\(reference.height)"
            )
            guard let rms = pixelRMS(ours, reference) else { continue }
            report.append("\(name) \(String(format: "%.2f", rms))")
            #expect(rms <= Self.cap, "\(dataset)/\(name): RMS \(rms) against matplotlib's PNG")
        }
        print("RMS against matplotlib (\(dataset)): " + report.joined(separator: ", "))
    }
}
