/// matplotlib's defaults for what a figure builder left unset, applied in
/// one place so the back ends and the dump writer agree.
extension Figure {
    /// The figure with every nil style of every mark filled in as matplotlib
    /// fills it: colors from the axes' two property cycles (lines and error
    /// bars advance `_get_lines`; scatter, bars, histograms and bands advance
    /// `_get_patches_for_fill`; a mark with an explicit color advances
    /// neither), `axhline`/`axvline` in `lines.color` ('C0') and spans in
    /// `patch.facecolor` ('C0') without advancing a cycle, line widths, marker
    /// sizes, scatter sizes (`lines.markersize`²) and edge widths from the theme.
    public func resolvingDefaults() -> Figure {
        var f = self
        let t = theme
        for i in f.axes.indices {
            var lineCycle = 0
            var patchCycle = 0
            func nextLine() -> Color {
                defer { lineCycle += 1 }
                return t.colorCycle[lineCycle % t.colorCycle.count]
            }
            func nextPatch() -> Color {
                defer { patchCycle += 1 }
                return t.colorCycle[patchCycle % t.colorCycle.count]
            }
            let first = t.colorCycle.first ?? .black
            f.axes[i].marks = f.axes[i].marks.map { mark in
                switch mark {
                case .line(var m):
                    if m.color == nil { m.color = nextLine() }
                    if m.lineWidth == nil { m.lineWidth = t.lineWidth }
                    if m.markerSize == nil { m.markerSize = t.markerSize }
                    return .line(m)
                case .scatter(var m):
                    if m.colors == nil { m.colors = [nextPatch()] }
                    if m.sizes == nil { m.sizes = [t.markerSize * t.markerSize] }
                    if m.lineWidths == nil { m.lineWidths = [t.patchLineWidth] }
                    return .scatter(m)
                case .bars(var m):
                    if m.color == nil { m.color = nextPatch() }
                    return .bars(m)
                case .errorBar(var m):
                    if m.color == nil { m.color = nextLine() }
                    if m.lineWidth == nil { m.lineWidth = t.lineWidth }
                    if m.markerSize == nil { m.markerSize = t.markerSize }
                    return .errorBar(m)
                case .fill(var m):
                    if m.color == nil { m.color = nextPatch() }
                    return .fill(m)
                case .referenceLine(var m):
                    if m.color == nil { m.color = first }
                    if m.lineWidth == nil { m.lineWidth = t.lineWidth }
                    return .referenceLine(m)
                case .span(var m):
                    if m.color == nil { m.color = first }
                    return .span(m)
                case .text(var m):
                    if m.color == nil { m.color = t.textColor }
                    if m.fontSize == nil { m.fontSize = t.fontSize }
                    return .text(m)
                case .annotation(var m):
                    if m.color == nil { m.color = t.textColor }
                    if m.fontSize == nil { m.fontSize = t.fontSize }
                    return .annotation(m)
                }
            }
        }
        return f
    }
}

extension Mark {
    /// The legend label, nil for a mark without one.
    public var label: String? {
        switch self {
        case .line(let m): m.label
        case .scatter(let m): m.label
        case .bars(let m): m.label
        case .errorBar(let m): m.label
        case .fill(let m): m.label
        case .referenceLine(let m): m.label
        case .span(let m): m.label
        case .text, .annotation: nil
        }
    }

    /// Bars and error bars are matplotlib containers: their legend entries
    /// come after every plain artist's.
    var isContainer: Bool {
        switch self {
        // `hist` labels its first rectangle (a child artist), not its container.
        case .bars(let b): !b.isHistogram
        case .errorBar: true
        default: false
        }
    }
}

extension Axes {
    /// The entries `ax.legend()` shows, in matplotlib's order
    /// (`_get_legend_handles`): labelled artists in the order they were
    /// added, then labelled containers (bars, error bars) in theirs. Labels
    /// starting with '_' are skipped, as matplotlib skips them.
    public var legendEntries: [LegendEntry] {
        let labelled = marks.filter { ($0.label.map { !$0.isEmpty && !$0.hasPrefix("_") }) ?? false }
        return (labelled.filter { !$0.isContainer } + labelled.filter(\.isContainer)).compactMap { mark in
            mark.label.map { LegendEntry(label: $0, handle: mark) }
        }
    }
}
