import FigureModel
import FigureStages
import Foundation
import Testing

/// Figures as pipeline artifacts (the conformances live with the figure stages).
@Suite struct FigureArtifactTests {
    @Test func figureArtifactRoundTripsWithNonFiniteNumbers() throws {
        var ax = Axes()
        ax.marks = [.line(LineMark(x: [0, .nan, .infinity], y: [1, 2, -.infinity], label: "l"))]
        var fig = Figure(widthInches: 4, heightInches: 3)
        fig.axes = [ax]
        fig.suptitle = "Δ"
        let artifact = try fig.artifact()
        #expect(artifact.bytes == (try fig.artifact()).bytes)
        let back = try Figure(artifact: artifact)
        guard case .line(let l) = back.axes[0].marks[0] else {
            Issue.record("not a line")
            return
        }
        #expect(l.x[0] == 0 && l.x[1].isNaN && l.x[2] == .infinity && l.y[2] == -.infinity)
        #expect(back.suptitle == "Δ")
    }
}
