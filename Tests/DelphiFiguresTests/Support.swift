import DelphiFigures
import FigpipeBasics
import FigureModel
import FigureTesting
import Foundation
import PlotlyBackend
import Testing

/// The path of a file in Fixtures/.
func fixture(_ name: String) -> String {
    TestPaths.fixture(name, in: .module)
}

/// The repository's sample data (`data/delphi`), reached from this file.
let sampleDataDir = TestPaths.sampleData("delphi")

/// The sample runs, loaded once.
let sampleLadderData: DelphiLadderData = {
    do {
        let bytes = try FileIO.read(sampleDataDir + "/runs.json")
        return DelphiLadderData(runs: try DelphiRuns.load(bytes: bytes, displayName: "data/delphi/runs.json"))
    } catch {
        fatalError("cannot load the sample runs: \(error)")
    }
}()

/// Compares our figure, as `write_figure` writes it, with the reference blog file.
func goldenCompare(
    _ name: String, _ figure: InteractiveFigure, keepHeight: Bool = false,
    options: FigureComparison.Options = .init()
) throws -> FigureComparison {
    let ref = try JSONValue(parsing: try FileIO.read(fixture("reference/blog/\(name).json")))
    // Round-trip through the written bytes, as a reader of the blog file sees them.
    let ours = try JSONValue(parsing: PlotlyBackend.blogJSON(figure, keepHeight: keepHeight))
    let c = FigureComparison.plotly(ref: ref, ours: ours, options: options)
    // A figure that compares almost nothing would pass vacuously.
    #expect(c.fields > 20, "\(name): only \(c.fields) fields compared")
    return c
}

func report(_ c: FigureComparison) -> Comment {
    Comment(
        rawValue: "\(c.differences.count) of \(c.fields) fields differ:\n"
            + c.differences.prefix(25).map(\.description).joined(separator: "\n"))
}
