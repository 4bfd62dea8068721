import FigpipeBasics
import Foundation

/// An interactive (web) figure: what the blog's plotly figures are. Traces,
/// a layout and animation frames as property trees in plotly's vocabulary
/// (`data`, `layout`, `frames`), plus the subplot grid that placed them.
///
/// Interactive views live in the same tree, as plotly has them:
/// - a trace that belongs to a dropdown view carries `visible` (true/false);
///   `layout.updatemenus[i].buttons[j]` (`UpdateMenu`, `MenuButton`) restyle
///   the `visible` arrays and relayout axes and annotations;
/// - a slider (`Slider`, `SliderStep`) animates named `Frame`s that replace
///   some traces' data (`traces` indices) and parts of the layout.
///
/// The Plotly back end writes it as plotly figure JSON; `staticView()` gives
/// the default view (the active slider step, the default dropdown entries)
/// that static back ends draw.
public struct InteractiveFigure: Sendable, Hashable {
    /// The traces, in drawing order (`data`). Each has a `type` key.
    public var data: [PlotObject] = []
    /// The layout (`layout`).
    public var layout: PlotObject = [:]
    /// Animation frames (`frames`), in order.
    public var frames: [Frame] = []
    /// The subplot grid, when the figure was made with `makeSubplots`.
    public var grid: SubplotGrid? = nil

    /// An empty figure (`go.Figure()`).
    public init() {}

    /// `plotly.subplots.make_subplots(rows, cols, shared_yaxes, subplot_titles,
    /// horizontal_spacing, vertical_spacing)` for a plain grid of xy subplots
    /// (start cell top-left, no spans, no insets).
    public static func makeSubplots(
        rows: Int, cols: Int, sharedXAxes: Bool = false, sharedYAxes: Bool = false,
        subplotTitles: [String] = [], horizontalSpacing: Double? = nil, verticalSpacing: Double? = nil
    ) -> InteractiveFigure {
        var fig = InteractiveFigure()
        let grid = SubplotGrid(
            rows: rows, cols: cols, horizontalSpacing: horizontalSpacing ?? 0.2 / Double(cols),
            verticalSpacing: verticalSpacing ?? 0.3 / Double(rows))
        for r in 1...rows {
            for c in 1...cols {
                let k = grid.index(row: r, col: c)
                let (xd, yd) = grid.domains(row: r, col: c)
                fig.layout[SubplotGrid.axisName("x", k)] = [
                    "anchor": .string(SubplotGrid.ref("y", k)), "domain": .numbers(xd),
                ]
                fig.layout[SubplotGrid.axisName("y", k)] = [
                    "anchor": .string(SubplotGrid.ref("x", k)), "domain": .numbers(yd),
                ]
            }
        }
        // _configure_shared_axes: x shared per column (first = top row), y per row.
        if sharedXAxes {
            for c in 1...cols where rows > 1 {
                for r in 2...rows {
                    let name = SubplotGrid.axisName("x", grid.index(row: r, col: c))
                    fig.layout[name] = .object(
                        (fig.layout[name]?.objectValue ?? [:]).updating([
                            "matches": .string(SubplotGrid.ref("x", grid.index(row: 1, col: c))),
                            "showticklabels": false,
                        ]))
                }
            }
        }
        if sharedYAxes {
            for r in 1...rows where cols > 1 {
                for c in 2...cols {
                    let name = SubplotGrid.axisName("y", grid.index(row: r, col: c))
                    fig.layout[name] = .object(
                        (fig.layout[name]?.objectValue ?? [:]).updating([
                            "matches": .string(SubplotGrid.ref("y", grid.index(row: r, col: 1))),
                            "showticklabels": false,
                        ]))
                }
            }
        }
        // _build_subplot_title_annotations (title_edge "top").
        var annotations: [PlotValue] = []
        for (i, title) in subplotTitles.enumerated() where !title.isEmpty && i < rows * cols {
            let (xd, yd) = grid.domains(row: i / cols + 1, col: i % cols + 1)
            annotations.append([
                "font": ["size": 16], "showarrow": false, "text": .string(title),
                "x": .number((xd[0] + xd[1]) / 2.0), "xanchor": "center", "xref": "paper",
                "y": .number(yd[1]), "yanchor": "bottom", "yref": "paper",
            ])
        }
        if !annotations.isEmpty { fig.layout["annotations"] = .array(annotations) }
        fig.grid = grid
        return fig
    }

    /// `fig.add_trace(trace, row=, col=)`: with a grid, the trace gets the subplot's
    /// `xaxis`/`yaxis`.
    public mutating func addTrace(_ props: PlotObject, type: String = "scatter", row: Int? = nil, col: Int? = nil) {
        var t = props
        t["type"] = .string(type)
        if let grid, let row, let col {
            let k = grid.index(row: row, col: col)
            t["xaxis"] = .string(SubplotGrid.ref("x", k))
            t["yaxis"] = .string(SubplotGrid.ref("y", k))
        }
        data.append(t)
    }

    /// `fig.add_shape(**props)` / `fig.add_annotation(**props)`: appends to a layout list.
    public mutating func append(to key: String, _ props: PlotObject) {
        var list = layout[key]?.arrayValue ?? []
        list.append(.object(props))
        layout[key] = .array(list)
    }

    /// `fig.add_shape(**props)`.
    public mutating func addShape(_ props: PlotObject) { append(to: "shapes", props) }
    /// `fig.add_annotation(**props)`.
    public mutating func addAnnotation(_ props: PlotObject) { append(to: "annotations", props) }

    /// `fig.update_layout(**props)` (dotted keys for plotly's magic underscores).
    public mutating func updateLayout(_ props: PlotObject) { layout.update(props) }

    /// The layout's axis names of one letter (`xaxis`, `xaxis2`, …), in subplot order;
    /// `xaxis` alone when there is no grid (plotly's `select_xaxes` on a plain figure).
    public func axisNames(_ letter: String) -> [String] {
        guard let grid else { return ["\(letter)axis"] }
        return (1...(grid.rows * grid.cols)).map { SubplotGrid.axisName(letter, $0) }
    }

    /// `fig.update_xaxes(**props, row=, col=)` / `update_yaxes`: every axis of the letter,
    /// or the one of the given subplot.
    public mutating func updateAxes(_ letter: String, _ props: PlotObject, row: Int? = nil, col: Int? = nil) {
        var names = axisNames(letter)
        if let grid {
            names = []
            for r in 1...grid.rows where row == nil || row == r {
                for c in 1...grid.cols where col == nil || col == c {
                    names.append(SubplotGrid.axisName(letter, grid.index(row: r, col: c)))
                }
            }
        }
        for name in names {
            layout[name] = .object((layout[name]?.objectValue ?? [:]).updating(props))
        }
    }

    /// `fig.update_xaxes`.
    public mutating func updateXAxes(_ props: PlotObject, row: Int? = nil, col: Int? = nil) {
        updateAxes("x", props, row: row, col: col)
    }
    /// `fig.update_yaxes`.
    public mutating func updateYAxes(_ props: PlotObject, row: Int? = nil, col: Int? = nil) {
        updateAxes("y", props, row: row, col: col)
    }

    /// The figure as plotly figure JSON members (`data`, `layout`, and `frames` when there are any).
    public var json: JSONValue {
        var out: [String: JSONValue] = [
            "data": .array(data.map { .object($0.jsonObject) }),
            "layout": .object(layout.jsonObject),
        ]
        if !frames.isEmpty { out["frames"] = .array(frames.map { .object($0.plotObject.jsonObject) }) }
        return .object(out)
    }

    /// Reads plotly figure JSON (as `json` writes it).
    public init(json: JSONValue) throws {
        guard case .object(let o) = json, case .array(let d)? = o["data"] else {
            throw InteractiveFigureError("an interactive figure needs a 'data' array")
        }
        for t in d {
            guard case .object(let obj) = PlotValue(json: t) else {
                throw InteractiveFigureError("data: expected objects")
            }
            data.append(obj)
        }
        if let l = o["layout"], case .object(let obj) = PlotValue(json: l) { layout = obj }
        if case .array(let fs)? = o["frames"] {
            for f in fs {
                guard case .object(let obj) = PlotValue(json: f) else {
                    throw InteractiveFigureError("frames: expected objects")
                }
                frames.append(Frame(plotObject: obj))
            }
        }
        if let g = o["_grid"], case .object(let go) = g, let r = go["rows"]?.intValue, let c = go["cols"]?.intValue,
            let h = go["h"]?.numberValue, let v = go["v"]?.numberValue
        {
            grid = SubplotGrid(rows: r, cols: c, horizontalSpacing: h, verticalSpacing: v)
        }
    }
}

/// A plain `rows × cols` grid of xy subplots as `make_subplots` lays it out.
public struct SubplotGrid: Sendable, Hashable {
    public var rows: Int
    public var cols: Int
    public var horizontalSpacing: Double
    public var verticalSpacing: Double

    /// Creates a grid.
    public init(rows: Int, cols: Int, horizontalSpacing: Double, verticalSpacing: Double) {
        self.rows = rows
        self.cols = cols
        self.horizontalSpacing = horizontalSpacing
        self.verticalSpacing = verticalSpacing
    }

    /// The subplot number (1-based, row-major from the top-left).
    public func index(row: Int, col: Int) -> Int { (row - 1) * cols + col }

    /// `xaxis`, `xaxis2`, …
    public static func axisName(_ letter: String, _ k: Int) -> String { k > 1 ? "\(letter)axis\(k)" : "\(letter)axis" }
    /// `x`, `x2`, …
    public static func ref(_ letter: String, _ k: Int) -> String { k > 1 ? "\(letter)\(k)" : letter }

    /// The x and y domains of a subplot, with `make_subplots`' arithmetic.
    public func domains(row: Int, col: Int) -> ([Double], [Double]) {
        let width = (1.0 - horizontalSpacing * Double(cols - 1)) / Double(cols)
        let height = (1.0 - verticalSpacing * Double(rows - 1)) / Double(rows)
        let c = col - 1
        // row_dir = -1: the top row sits at the grid's last start.
        let rr = rows - row
        var xs = 0.0
        for _ in 0..<c { xs += width }
        xs += Double(c) * horizontalSpacing
        var ys = 0.0
        for _ in 0..<rr { ys += height }
        ys += Double(rr) * verticalSpacing
        var ye = ys + height
        var y0 = ys
        if y0 < 0, y0 > -0.01 { y0 = 0 }
        if y0 > 1, y0 < 1.01 { y0 = 1 }
        if ye < 0, ye > -0.01 { ye = 0 }
        if ye > 1, ye < 1.01 { ye = 1 }
        return ([xs, xs + width], [y0, ye])
    }
}

/// An animation frame (`go.Frame`): a name, replacement data for the traces
/// listed in `traces`, and a layout patch.
public struct Frame: Sendable, Hashable {
    public var name: String
    /// One patch per animated trace (`x`, `y`, `customdata`, …).
    public var data: [PlotObject]
    /// Indices into the figure's `data` that `data` replaces, in order.
    public var traces: [Int]
    /// Layout keys the frame sets (annotations, axis ranges).
    public var layout: PlotObject

    /// Creates a frame.
    public init(name: String, data: [PlotObject], traces: [Int], layout: PlotObject) {
        self.name = name
        self.data = data
        self.traces = traces
        self.layout = layout
    }

    /// The frame as plotly writes it: `go.Frame` coerces each data patch to a trace,
    /// so a patch without a `type` gets `type: scatter`.
    public var plotObject: PlotObject {
        [
            "data": .array(
                data.map { d in
                    var t = d
                    if t["type"] == nil { t["type"] = "scatter" }
                    return .object(t)
                }), "layout": .object(layout), "name": .string(name),
            "traces": .numbers(traces.map(Double.init)),
        ]
    }

    /// Reads a frame back from its property tree.
    public init(plotObject o: PlotObject) {
        name = o["name"]?.stringValue ?? ""
        data = (o["data"]?.arrayValue ?? []).compactMap(\.objectValue)
        traces = (o["traces"]?.numbersValue ?? []).map { Int($0) }
        layout = o["layout"]?.objectValue ?? [:]
    }
}

/// Plotly figure JSON that is not an interactive figure (no `data` array,
/// traces or frames that are not objects).
public struct InteractiveFigureError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
