import Foundation
import Testing

@testable import CairoBackend
@testable import FigureModel

/// Renders the sample figures into $FIGPIPE_CAIRO_OUT (default
/// /tmp/figpipe-cairo) for looking at them next to the references.
@Test func rendersSampleFigures() throws {
    let dir = ProcessInfo.processInfo.environment["FIGPIPE_CAIRO_OUT"] ?? "/tmp/figpipe-cairo"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let kitchen = try CairoBackend.render(SampleFigures.kitchenSink(), format: .png, dpi: 100, tightBBox: true)
    try Data(kitchen).write(to: URL(fileURLWithPath: "\(dir)/kitchen.png"))
    let log = try CairoBackend.render(SampleFigures.logMath(), format: .png, dpi: 150, tightBBox: true)
    try Data(log).write(to: URL(fileURLWithPath: "\(dir)/log.png"))
    for (name, fig) in SampleFigures.all {
        let png = try CairoBackend.render(fig, format: .png, dpi: 150, tightBBox: true)
        try Data(png).write(to: URL(fileURLWithPath: "\(dir)/\(name).png"))
        let pdf = try CairoBackend.render(fig, format: .pdf, tightBBox: true)
        try Data(pdf).write(to: URL(fileURLWithPath: "\(dir)/\(name).pdf"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(pdf.starts(with: Array("%PDF".utf8)))
    }
}
