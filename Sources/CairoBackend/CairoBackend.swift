import CCairo
import FigureModel

// INTERIM contract, replaced by the Cairo back end (branch wt-cairo).
/// Draws a `Figure` to PNG, PDF or SVG through Cairo, byte-reproducibly.
public enum CairoBackend {
    public enum Format: Sendable { case png, pdf, svg }
    public struct Unavailable: Error {}
    public static func render(_ figure: Figure, format: Format, dpi: Double? = nil, tightBBox: Bool = false) throws
        -> [UInt8]
    { throw Unavailable() }
    public static let measurer = InterimMeasurer()
    public struct InterimMeasurer: TextMeasurer {
        public func measure(_ text: String, fontSize: Double, bold: Bool) -> TextExtent {
            TextExtent(width: Double(text.count) * fontSize * 0.6, height: fontSize, descent: fontSize * 0.2)
        }
    }
}
