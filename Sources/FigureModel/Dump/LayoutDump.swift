import FigpipeBasics

/// Where a laid-out figure puts its text: every text's box and baseline in
/// CSS pixels (1/96 in) from the figure's top left, as a browser measures a
/// page, with the texts the layout moved (`moved`: px down) or left out
/// (`withheld`) to resolve collisions; `scripts/check_browser.py` compares it
/// with plotly.js's own layout of the same figure.
public enum LayoutDump {
    /// Points to CSS pixels.
    static let pixelsPerPoint = 96.0 / 72

    public static func json(_ layout: FigureLayout, measurer: some TextMeasurer) -> JSONValue {
        let h = layout.height
        func px(_ v: Double) -> JSONValue { .double((v * pixelsPerPoint * 100).rounded() / 100) }
        let texts: [JSONValue] = layout.texts(measurer: measurer).map { t in
            let p = t.text
            let b = t.box
            var o: [String: JSONValue] = [
                "kind": .string(t.kind.rawValue), "text": .string(p.text), "x0": px(b.x), "x1": px(b.maxX),
                "y0": px(h - b.maxY), "y1": px(h - b.y),
                // The last line's baseline (unturned texts).
                "baseline": px(h - (b.y + p.descent)), "rotation": .double(p.rotation),
                "fontSize": px(p.fontSize),
            ]
            if let k = t.axes { o["axes"] = .int(k) }
            if let a = t.axis { o["axis"] = .string(a) }
            if let i = t.mark, let m = layout.movedMarks.first(where: { $0.axes == t.axes && $0.mark == i }) {
                // Moved by the layout out of a collision (px down, as the page counts).
                o["moved"] = px(-m.dy)
            }
            return .object(o)
        }
        let withheld: [JSONValue] = layout.axes.enumerated().flatMap { k, a in
            a.withheldTickLabels.map { p -> JSONValue in
                ["kind": "tickLabel", "text": .string(p.text), "axes": .int(k), "axis": "x"]
            }
        }
        let axes: [JSONValue] = layout.axes.map { a in
            ["x0": px(a.box.x), "x1": px(a.box.maxX), "y0": px(h - a.box.maxY), "y1": px(h - a.box.y)]
        }
        return [
            "width": px(layout.width), "height": px(layout.height), "axes": .array(axes), "texts": .array(texts),
            "withheld": .array(withheld),
        ]
    }

    /// The text written beside a figure: indented JSON, keys sorted.
    public static func text(_ layout: FigureLayout, measurer: some TextMeasurer) -> String {
        json(layout, measurer: measurer).prettyString()
    }
}
