import FigpipeBasics

/// A laid-out figure described in the schema of the reference's
/// `mpl_dump.py`: per axes its title, labels, scales, limits, ticks, and the
/// artists matplotlib would hold for the same calls (lines, collections,
/// rectangles, polygons, texts, legend), with data in data coordinates.
/// `compare.py dirs` reads it field by field; reviewers diff it.
public enum FigureDump {
    /// The dump of `layout` (its figure's styles resolved with
    /// `resolvingDefaults()`, as drawn).
    public static func json(_ layout: FigureLayout) -> JSONValue {
        let figure = layout.figure.resolvingDefaults()
        var axes: [JSONValue] = []
        for (i, ax) in figure.axes.enumerated() where i < layout.axes.count {
            axes.append(dumpAxes(ax, layout.axes[i], theme: figure.theme))
        }
        return [
            "size_inches": [.double(figure.widthInches), .double(figure.heightInches)],
            "suptitle": .string(figure.suptitle ?? ""),
            "legends": .array(
                figure.legends.map { legend in
                    legendJSON(legend, labels: (legend.entries ?? []).map(\.label))
                }),
            "axes": .array(axes),
        ]
    }

    /// The dump as the text written beside a figure: indented JSON, keys sorted.
    public static func text(_ layout: FigureLayout) -> String {
        json(layout).prettyString()
    }

    static func legendJSON(_ legend: Legend, labels: [String]) -> JSONValue {
        ["labels": .array(labels.map { .string($0) }), "loc": .int(legend.loc)]
    }

    static func numbers(_ values: [Double]) -> JSONValue {
        .array(values.map { $0.isFinite ? .double($0) : .null })
    }

    static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .double(value)
    }

    static func ticks(_ ticks: [Tick]) -> (values: JSONValue, labels: JSONValue) {
        (numbers(ticks.map(\.value)), .array(ticks.map { .string($0.label) }))
    }

    static func axisTicks(_ axis: ResolvedAxis) -> JSONValue {
        let major = ticks(axis.major)
        let minor = ticks(axis.minor)
        return [
            "values": major.values, "labels": major.labels, "minor": ["values": minor.values, "labels": minor.labels],
        ]
    }

    static func colorJSON(_ c: Color?) -> JSONValue { c.map { .string($0.hexRGBA) } ?? .null }

    /// matplotlib's label of an artist without one.
    static let noLegend = "_nolegend_"

    static func dumpAxes(_ ax: Axes, _ layout: AxesLayout, theme: Theme) -> JSONValue {
        var artists = Artists()
        for mark in ax.marks { artists.append(mark) }
        let legend: JSONValue = ax.legend.map { legendJSON($0, labels: ax.legendEntries.map(\.label)) } ?? .null
        return [
            "title": .string(ax.title), "xlabel": .string(ax.x.label), "ylabel": .string(ax.y.label),
            "xscale": .string(layout.x.scale.matplotlibName), "yscale": .string(layout.y.scale.matplotlibName),
            "xlim": numbers([layout.x.limits.lower, layout.x.limits.upper]),
            "ylim": numbers([layout.y.limits.lower, layout.y.limits.upper]), "visible": .bool(ax.axisOn),
            "xticks": axisTicks(layout.x), "yticks": axisTicks(layout.y), "lines": .array(artists.lines),
            "collections": .array(artists.collections), "rectangles": .array(artists.rectangles),
            "polygons": .array(artists.polygons), "texts": .array(artists.texts), "legend": legend,
        ]
    }

    /// A `Line2D`.
    static func line(
        label: String?, x: [Double], y: [Double], color: Color?, style: LineStyle, width: Double?,
        marker: MarkerStyle, alpha: Double?
    ) -> JSONValue {
        [
            "kind": "line", "label": .string(label ?? noLegend), "x": numbers(x), "y": numbers(y),
            "color": colorJSON(color), "linestyle": .string(style.rawValue), "linewidth": number(width),
            "marker": .string(marker.rawValue), "alpha": number(alpha), "visible": true,
        ]
    }

    /// A `Rectangle` patch.
    static func rect(x: Double, y: Double, w: Double, h: Double, face: Color?, edge: Color?, label: String?)
        -> JSONValue
    {
        [
            "x": .double(x), "y": .double(y), "width": .double(w), "height": .double(h),
            "facecolor": colorJSON(face),
            "edgecolor": colorJSON(edge), "label": .string(label ?? noLegend),
        ]
    }

    static func applyAlpha(_ c: Color?, _ alpha: Double?) -> Color? {
        guard let c else { return nil }
        return alpha.map { c.withAlpha($0) } ?? c
    }

    /// The artists matplotlib holds for an axes' marks, by kind, in call order.
    struct Artists {
        var lines: [JSONValue] = []
        var collections: [JSONValue] = []
        var rectangles: [JSONValue] = []
        var polygons: [JSONValue] = []
        var texts: [JSONValue] = []

        mutating func append(_ mark: Mark) {
            switch mark {
            case .line(let m):
                lines.append(
                    line(
                        label: m.label, x: m.x, y: m.y, color: m.color, style: m.lineStyle, width: m.lineWidth,
                        marker: m.marker, alpha: m.alpha))
            case .referenceLine(let m):
                let (x, y) =
                    m.orientation == .vertical
                    ? ([m.value, m.value], [m.from, m.to]) : ([m.from, m.to], [m.value, m.value])
                lines.append(
                    line(
                        label: m.label, x: x, y: y, color: m.color, style: m.lineStyle, width: m.lineWidth,
                        marker: .none,
                        alpha: m.alpha))
            case .scatter(let m): appendScatter(m)
            case .bars(let m): appendBars(m)
            case .span(let m): appendSpan(m)
            case .fill(let m): appendFill(m)
            case .errorBar(let m): appendErrorBar(m)
            case .text(let m):
                guard !m.text.isEmpty else { return }
                texts.append([
                    "text": .string(m.text), "x": .double(m.x), "y": .double(m.y),
                    "transform": .string(m.coordinates == .axes ? "axes" : "data"),
                ])
            case .annotation(let m):
                guard !m.text.isEmpty else { return }
                texts.append([
                    "text": .string(m.text), "x": .double(m.x), "y": .double(m.y), "transform": "data",
                    "xytext": [.double(m.offsetX), .double(m.offsetY)], "textcoords": "offset points",
                ])
            }
        }

        mutating func appendScatter(_ m: ScatterMark) {
            let faces = (m.colors ?? []).map { applyAlpha($0, m.alpha) }
            // edgecolors 'face' (nil) follow the faces; [] is 'none'.
            let edges = m.edgeColors.map { $0.map { applyAlpha($0, m.alpha) } } ?? faces
            collections.append([
                "kind": "scatter", "label": .string(m.label ?? noLegend), "x": numbers(m.x), "y": numbers(m.y),
                "sizes": numbers(m.sizes ?? []), "facecolors": .array(faces.map(colorJSON)),
                "edgecolors": .array(edges.map(colorJSON)), "alpha": number(m.alpha),
                "marker": m.marker == .none ? .null : .string(m.marker.rawValue),
                "linewidths": numbers(m.lineWidths ?? []),
            ])
        }

        mutating func appendBars(_ m: BarMark) {
            let face = applyAlpha(m.color, m.alpha)
            // matplotlib's Patch: no edge color given and patch.force_edgecolor off → 'none'.
            let edge = applyAlpha(m.edgeColor, m.alpha) ?? .none
            // `hist` sets its label on the first rectangle; `bar` on its container.
            for (i, r) in m.rectangles.enumerated() {
                let label = m.isHistogram && i == 0 ? m.label : nil
                rectangles.append(
                    rect(x: r.x, y: r.y, w: r.width, h: r.height, face: face, edge: edge, label: label))
            }
        }

        mutating func appendSpan(_ m: SpanMark) {
            let face = applyAlpha(m.color, m.alpha)
            let edge = applyAlpha(m.edgeColor ?? m.color, m.alpha)
            if m.orientation == .vertical {
                rectangles.append(
                    rect(
                        x: m.lower, y: m.from, w: m.upper - m.lower, h: m.to - m.from, face: face, edge: edge,
                        label: m.label))
            } else {
                rectangles.append(
                    rect(
                        x: m.from, y: m.lower, w: m.to - m.from, h: m.upper - m.lower, face: face, edge: edge,
                        label: m.label))
            }
        }

        mutating func appendFill(_ m: FillMark) {
            let face = applyAlpha(m.color, m.alpha)
            switch m.kind {
            case .band:
                let path = m.bandVertices
                collections.append([
                    "kind": "polygons", "label": .string(m.label ?? noLegend),
                    "paths": .array(path.map { [numbers($0.x), numbers($0.y)] }),
                    "facecolors": .array([colorJSON(face)]),
                ])
            case .polygon:
                polygons.append([
                    "x": numbers(m.x), "y": numbers(m.y), "facecolor": colorJSON(face),
                    "label": .string(m.label ?? noLegend),
                ])
            }
        }

        /// matplotlib's errorbar: the data line (labelled '_nolegend_', the
        /// container holds the label), then one LineCollection per axis with
        /// errors (x first, then y).
        mutating func appendErrorBar(_ m: ErrorBarMark) {
            lines.append(
                line(
                    label: nil, x: m.x, y: m.y, color: m.color, style: m.lineStyle, width: m.lineWidth,
                    marker: m.marker, alpha: m.alpha))
            let ecolor = m.ecolor ?? m.color
            if let lo = m.xErrLower, let hi = m.xErrUpper {
                let segments: [JSONValue] = m.x.indices.map { i in
                    [numbers([m.x[i] - lo[i], m.x[i] + hi[i]]), numbers([m.y[i], m.y[i]])]
                }
                appendSegments(segments, color: applyAlpha(ecolor, m.alpha))
            }
            if let lo = m.yErrLower, let hi = m.yErrUpper {
                let segments: [JSONValue] = m.x.indices.map { i in
                    [numbers([m.x[i], m.x[i]]), numbers([m.y[i] - lo[i], m.y[i] + hi[i]])]
                }
                appendSegments(segments, color: applyAlpha(ecolor, m.alpha))
            }
        }

        mutating func appendSegments(_ segments: [JSONValue], color: Color?) {
            collections.append([
                "kind": "segments", "label": .string(noLegend), "segments": .array(segments),
                "colors": .array([colorJSON(color)]),
            ])
        }
    }
}

/// A rectangle in data coordinates, as matplotlib's Rectangle patch holds it
/// (x, y is the anchor corner; a negative height extends downwards).
public struct DataRect: Hashable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
}

extension BarMark {
    /// The rectangles matplotlib's `bar`/`barh` makes: for align 'center'
    /// the anchor is `position - width / 2`, computed as matplotlib does.
    public var rectangles: [DataRect] {
        positions.indices.map { i in
            let w = widths.count == 1 ? widths[0] : widths[i]
            let b = bottoms.isEmpty ? 0 : (bottoms.count == 1 ? bottoms[0] : bottoms[i])
            let p = positions[i]
            let anchor = align == .center ? p - w / 2 : p
            return orientation == .vertical
                ? DataRect(x: anchor, y: b, width: w, height: values[i])
                : DataRect(x: b, y: anchor, width: values[i], height: w)
        }
    }
}

extension FillMark {
    /// The closed polygon(s) `fill_between` draws: per run of finite
    /// points, the start on y2, forward along y, the end on y2, back along
    /// y2, closed at the start (matplotlib's vertex order).
    public var bandVertices: [(x: [Double], y: [Double])] {
        var out: [(x: [Double], y: [Double])] = []
        var i = 0
        let n = min(x.count, y.count, y2.count)
        while i < n {
            while i < n && !(x[i].isFinite && y[i].isFinite && y2[i].isFinite) { i += 1 }
            var j = i
            while j < n && x[j].isFinite && y[j].isFinite && y2[j].isFinite { j += 1 }
            if j > i {
                var px = [x[i]]
                var py = [y2[i]]
                px += x[i..<j]
                py += y[i..<j]
                px.append(x[j - 1])
                py.append(y2[j - 1])
                px += x[i..<j].reversed()
                py += y2[i..<j].reversed()
                px.append(x[i])
                py.append(y2[i])
                out.append((px, py))
            }
            i = j
        }
        return out
    }
}
