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

/// The corners of a text's turned box (its own box, unturned texts with their pad).
func corners(_ t: LaidOutText) -> [(Double, Double)] {
    let p = t.text
    guard p.rotation.truncatingRemainder(dividingBy: 90) != 0 else {
        let b = t.box
        return [(b.x, b.y), (b.maxX, b.y), (b.maxX, b.maxY), (b.x, b.maxY)]
    }
    let e = CairoBackend.measurer.measure(p.text, fontSize: p.fontSize, bold: p.bold)
    let th = p.rotation * Double.pi / 180
    return [(0.0, -e.height), (0, 0), (e.width, 0), (e.width, -e.height)].map {
        (p.originX + $0.0 * cos(th) - $0.1 * sin(th), p.originY + $0.0 * sin(th) + $0.1 * cos(th))
    }
}

/// Whether two texts' (possibly turned) boxes overlap by more than `tolerance`
/// (separating axes of the two rectangles).
func overlap(_ a: LaidOutText, _ b: LaidOutText, tolerance: Double) -> Bool {
    guard a.box.intersects(b.box, tolerance: tolerance) else { return false }
    let ca = corners(a)
    let cb = corners(b)
    for poly in [ca, cb] {
        for i in 0..<2 {
            let (x0, y0) = poly[i]
            let (x1, y1) = poly[i + 1]
            let len = ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)).squareRoot()
            guard len > 0 else { continue }
            let n = (-(y1 - y0) / len, (x1 - x0) / len)
            let pa = ca.map { $0.0 * n.0 + $0.1 * n.1 }
            let pb = cb.map { $0.0 * n.0 + $0.1 * n.1 }
            let depth = min(pa.max() ?? 0, pb.max() ?? 0) - max(pa.min() ?? 0, pb.min() ?? 0)
            if depth <= tolerance { return false }
        }
    }
    return true
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
        for j in texts.indices where j > i && overlap(texts[i], texts[j], tolerance: tolerance) {
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
