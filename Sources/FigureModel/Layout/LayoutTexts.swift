import Foundation

// Every piece of text a laid-out figure draws, and the lines of its axes
// frames, in figure points: what a check for collisions needs.

/// A piece of text of a laid-out figure, with what it is and where it belongs.
public struct LaidOutText: Hashable, Sendable {
    /// What a text is on the figure.
    public enum Kind: String, Hashable, Sendable {
        case suptitle
        case title
        case axisLabel
        case tickLabel
        case offsetText
        case legendTitle
        case legendEntry
        /// A text or annotation mark (annotations, widget captions, point labels).
        case mark
    }

    public var kind: Kind
    /// The axes it belongs to (nil for the suptitle and figure legends).
    public var axes: Int?
    public var text: PlacedText
    /// "x" or "y" for tick labels and axis labels, nil for the other texts.
    public var axis: String? = nil
    /// The index of the text mark in its axes' marks (nil for the other texts).
    public var mark: Int? = nil
    /// The area it covers: the text's box, with its drawn background's pad.
    public var box: Box { text.box }
}

/// One spine of an axes: a straight line of its frame, in figure points.
public struct SpineLine: Hashable, Sendable {
    public enum Side: String, Hashable, Sendable {
        case left, right, bottom, top
    }

    public var axes: Int
    public var side: Side
    public var x0: Double
    public var y0: Double
    public var x1: Double
    public var y1: Double

    /// Whether the line passes through the inside of `box` shrunk by
    /// `tolerance` on every side.
    public func crosses(_ box: Box, tolerance: Double = 0) -> Bool {
        let b = box.padded(-tolerance)
        guard b.width > 0, b.height > 0 else { return false }
        if x0 == x1 {
            return x0 > b.x && x0 < b.maxX && max(y0, y1) > b.y && min(y0, y1) < b.maxY
        }
        return y0 > b.y && y0 < b.maxY && max(x0, x1) > b.x && min(x0, x1) < b.maxX
    }
}

extension Box {
    /// Whether the two boxes share an area wider and taller than `tolerance`.
    public func intersects(_ other: Box, tolerance: Double = 0) -> Bool {
        min(maxX, other.maxX) - max(x, other.x) > tolerance && min(maxY, other.maxY) - max(y, other.y) > tolerance
    }
}

extension FigureLayout {
    /// Every text the figure draws: suptitle, axes titles, axis labels, tick
    /// labels, offset texts, legend titles and entries, and the axes' text
    /// and annotation marks (placed as the back end draws them).
    public func texts(measurer: some TextMeasurer) -> [LaidOutText] {
        var out: [LaidOutText] = []
        if let s = suptitle { out.append(LaidOutText(kind: .suptitle, axes: nil, text: s)) }
        func addLegend(_ l: LegendLayout, axes k: Int?) {
            if let t = l.title { out.append(LaidOutText(kind: .legendTitle, axes: k, text: t)) }
            for e in l.entries where !e.label.text.isEmpty {
                out.append(LaidOutText(kind: .legendEntry, axes: k, text: e.label))
            }
        }
        for (k, a) in axes.enumerated() {
            let ax = figure.axes[k]
            if let t = a.title { out.append(LaidOutText(kind: .title, axes: k, text: t)) }
            for (l, axis) in [(a.xLabel, "x"), (a.yLabel, "y")] {
                if let l, !l.text.isEmpty { out.append(LaidOutText(kind: .axisLabel, axes: k, text: l, axis: axis)) }
            }
            for (labels, axis) in [(a.xTickLabels, "x"), (a.yTickLabels, "y")] {
                for l in labels.compactMap({ $0 }) where !l.text.isEmpty {
                    out.append(LaidOutText(kind: .tickLabel, axes: k, text: l, axis: axis))
                }
            }
            for l in [a.xOffsetText, a.yOffsetText].compactMap({ $0 }) where !l.text.isEmpty {
                out.append(LaidOutText(kind: .offsetText, axes: k, text: l))
            }
            if let l = a.legend { addLegend(l, axes: k) }
            for (i, m) in ax.marks.enumerated() {
                if let p = a.placedText(m, theme: figure.theme, measurer: measurer), !p.text.isEmpty {
                    out.append(LaidOutText(kind: .mark, axes: k, text: p, mark: i))
                }
            }
        }
        for l in legends { addLegend(l, axes: nil) }
        return out
    }

    /// The spines the back end draws: the four sides of every axes that
    /// shows its axis (the left and bottom ones only when the theme says so),
    /// when the theme draws spines.
    public var spines: [SpineLine] {
        guard figure.theme.spinesVisible, figure.theme.axesLineWidth > 0 else { return [] }
        var out: [SpineLine] = []
        for (k, a) in axes.enumerated() where figure.axes[k].axisOn {
            let b = a.box
            out.append(SpineLine(axes: k, side: .left, x0: b.x, y0: b.y, x1: b.x, y1: b.maxY))
            out.append(SpineLine(axes: k, side: .bottom, x0: b.x, y0: b.y, x1: b.maxX, y1: b.y))
            guard figure.theme.spinesTopRight != false else { continue }
            out.append(SpineLine(axes: k, side: .right, x0: b.maxX, y0: b.y, x1: b.maxX, y1: b.maxY))
            out.append(SpineLine(axes: k, side: .top, x0: b.x, y0: b.maxY, x1: b.maxX, y1: b.maxY))
        }
        return out
    }
}
