import FigpipeBasics
import FigureModel
import Foundation

/// The Plotly back end: an `InteractiveFigure` written as plotly figure JSON
/// (`data`, `layout`, `frames`), as the blog's `write_figure` writes it.
///
/// Numeric arrays are written as plain JSON lists (plotly reads them as it
/// reads its base64 typed arrays); NaN and infinities as null. Keys are
/// sorted and numbers use the shortest round-trip form, so the same figure
/// gives the same bytes on every run.
public enum PlotlyBackend {
    /// The layout keys the blog's shortcode supplies itself (`strip_for_blog`).
    public static let strippedLayoutKeys: Set<String> = ["template", "width", "font"]

    /// `strip_for_blog(fig, keep_height=)`: the figure JSON without `layout.template`,
    /// `width`, `font` and, unless `keepHeight` (the mobile variants), `height`.
    public static func stripForBlog(_ figure: InteractiveFigure, keepHeight: Bool = false) -> JSONValue {
        guard case .object(var doc) = figure.json, case .object(var layout)? = doc["layout"] else {
            return figure.json
        }
        for key in strippedLayoutKeys { layout[key] = nil }
        if !keepHeight { layout["height"] = nil }
        doc["layout"] = .object(layout)
        return .object(doc)
    }

    /// The blog file's bytes: `strip_for_blog`, then two-space indented JSON with a final newline.
    public static func blogJSON(_ figure: InteractiveFigure, keepHeight: Bool = false) -> [UInt8] {
        Array(stripForBlog(figure, keepHeight: keepHeight).prettyString().utf8)
    }
}
