import CairoBackend
import DelphiFigures
import Foundation
import FigureModel
import Testing

/// Every Delphi static render of pipeline.json: the 12 blog figures' default
/// views (mobile variants at 400 px) and the overtraining forecast's 9 slider steps.
func everyStaticRender() throws -> [(name: String, figure: Figure)] {
    var out: [(String, Figure)] = []
    for (name, interactive, mobile) in try sampleBlogFigures() {
        out.append((name, staticFigure(try interactive.staticView(), mobile: mobile)))
    }
    let over = DelphiOvertraining.figure(sampleLadderData)
    for (k, label) in over.sliderStepLabels.enumerated() {
        out.append(("overtraining-forecast@\(label)", staticFigure(try over.staticView(step: k), mobile: false)))
    }
    return out
}

/// The collisions of one laid-out figure: text boxes that intersect, and
/// text boxes an axes' frame line crosses (issue 14, "No collisions").
func collisions(_ layout: FigureLayout, tolerance: Double = 0.25) -> [String] {
    let texts = layout.texts(measurer: CairoBackend.measurer)
    func name(_ t: LaidOutText) -> String {
        "\(t.kind.rawValue) \"\(t.text.text.replacingOccurrences(of: "\n", with: "⏎"))\""
    }
    var found: [String] = []
    for i in texts.indices {
        for j in texts.indices where j > i && texts[i].text.overlaps(texts[j].text, tolerance: tolerance) {
            found.append("\(name(texts[i])) overlaps \(name(texts[j]))")
        }
    }
    for t in texts {
        for s in layout.spines where s.crosses(t.box, tolerance: tolerance) {
            found.append("\(name(t)) crosses the \(s.side.rawValue) spine of axes \(s.axes)")
        }
    }
    return found
}

@Suite struct StaticCollisionTests {
    @Test func everyRenderIsCounted() throws {
        #expect(try everyStaticRender().count == 21)
    }

    @Test func noTextCollidesWithTextOrAnAxisLine() throws {
        for (name, figure) in try everyStaticRender() {
            let found = collisions(FigureLayout.compute(figure, measurer: CairoBackend.measurer))
            #expect(found.isEmpty, "\(name): \(found.sorted())")
        }
    }

    @Test func theCheckSeesAnOverlap() {
        var ax = Axes()
        ax.marks = [
            .text(TextMark("one", x: 0.5, y: 0.5, coordinates: .axes)),
            .text(TextMark("two", x: 0.5, y: 0.5, coordinates: .axes)),
            .text(TextMark("edge", x: 0, y: 0.5, coordinates: .axes, horizontalAlignment: .center)),
        ]
        let layout = FigureLayout.compute(
            Figure(widthInches: 4, heightInches: 3, axes: [ax]), measurer: CairoBackend.measurer)
        let found = collisions(layout)
        #expect(found.contains { $0.contains("\"one\" overlaps mark \"two\"") })
        #expect(found.contains { $0.contains("\"edge\" crosses the left spine") })
    }
}
