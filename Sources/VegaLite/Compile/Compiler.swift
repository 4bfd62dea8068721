import FigpipeBasics
import FigureModel

/// A compiled spec: the figure, and each view's data as its marks read it
/// (after transforms, bins, aggregates and stacking), for checks.
public struct CompiledFigure: Sendable {
    public var figure: Figure
    public var views: [CompiledView]
}

/// One unit view's data as its marks read it.
public struct CompiledView: Sendable {
    /// The unit's JSON path in the spec ("" for a single view, `layer[1]`, …).
    public var path: String
    public var mark: MarkType
    public var data: Dataset
}

/// Compiles a Vega-Lite spec of the subset into figpipe's figure model.
///
/// Vega-Lite's rules decide what is drawn (transforms, bins, aggregates,
/// stacks, scale domains, ticks and labels); the theme decides how it looks
/// (fonts, colors, line widths, the grid). Sizes in pixels become inches at
/// 100 pixels per inch (matplotlib's `figure.dpi`).
public struct VegaLiteCompiler: Sendable {
    /// Named tables: `{"data": {"name": NAME}}` refers to them.
    public var tables: [String: Dataset]
    public var theme: Theme
    /// Check the spec's structure only (for validation before any data is
    /// read): fields are not looked up and transforms are parsed, not run.
    public var checkOnly: Bool
    /// Measures tick labels for Vega's label-overlap removal (nil: estimated from their length).
    public var measurer: (any TextMeasurer)?
    /// Blank tick labels that would overlap (Vega-Lite's `labelOverlap`); on by default.
    public var removesOverlappingLabels = true

    public init(
        tables: [String: Dataset], theme: Theme, checkOnly: Bool = false, measurer: (any TextMeasurer)? = nil
    ) {
        self.tables = tables
        self.theme = theme
        self.checkOnly = checkOnly
        self.measurer = measurer
    }

    /// Pixels per inch for `width`/`height`.
    public static let pixelsPerInch = 100.0

    static let topKeys: Set<String> = [
        "$schema", "data", "datasets", "transform", "mark", "encoding", "layer", "hconcat", "vconcat", "concat",
        "columns", "facet", "spec", "repeat", "resolve", "width", "height", "title", "config", "description", "name",
        "autosize", "padding", "background", "usermeta", "spacing", "align", "bounds", "center", "view",
    ]

    public func compile(_ spec: JSONValue) throws(SpecError) -> CompiledFigure {
        let root = SpecNode(spec)
        let members = try root.members(allowed: Self.topKeys, what: "a Vega-Lite spec")
        var datasets: [String: Dataset] = [:]
        if let d = members["datasets"] {
            for (name, node) in try d.members(allowed: Set(d.value.objectValue?.keys.map { $0 } ?? [])) {
                datasets[name] = try InlineData.rows(node)
            }
        }
        let config = try Config.parse(members["config"])
        let state = CompileState(tables: tables, datasets: datasets, config: config, theme: theme)
        state.checkOnly = checkOnly
        state.measurer = measurer
        state.removesOverlappingLabels = removesOverlappingLabels
        let grid = try state.compile(root, Context())
        let figure = try FigureBuilder(state: state, grid: grid, root: root).build()
        return CompiledFigure(figure: figure, views: state.views)
    }
}

/// What a view inherits from its parents.
struct Context {
    var data: Dataset?
    var encoding: [Channel: [ChannelDef]] = [:]
    var repeatBindings: [String: String] = [:]
    var width: Double?
    var height: Double?
    var mark: MarkDef?
}

/// The views of one axes: a unit, or the units of a layer.
struct Panel {
    var units: [Unit]
    var title: String?
    var width: Double?
    var height: Double?
    /// Panels with the same group share that channel's scale.
    var xGroup: Int
    var yGroup: Int
}

/// Panels in rows and columns (nil: an empty cell).
struct PanelGrid {
    var cells: [[Panel?]]

    var rows: Int { cells.count }
    var cols: Int { cells.map(\.count).max() ?? 0 }

    static func single(_ p: Panel) -> PanelGrid { PanelGrid(cells: [[p]]) }

    /// Grids side by side.
    static func horizontal(_ grids: [PanelGrid]) -> PanelGrid {
        let rows = grids.map(\.rows).max() ?? 0
        var cells: [[Panel?]] = Array(repeating: [], count: rows)
        for g in grids {
            for r in 0..<rows {
                var row = r < g.rows ? g.cells[r] : []
                row += Array(repeating: nil, count: g.cols - row.count)
                cells[r] += row
            }
        }
        return PanelGrid(cells: cells)
    }

    /// Grids one above the other.
    static func vertical(_ grids: [PanelGrid]) -> PanelGrid {
        let cols = grids.map(\.cols).max() ?? 0
        var cells: [[Panel?]] = []
        for g in grids {
            for row in g.cells { cells.append(row + Array(repeating: nil, count: cols - row.count)) }
        }
        return PanelGrid(cells: cells)
    }

    /// One grid per (row, column) pair, arranged as rows and columns.
    static func matrix<R, C>(
        rows: [R], columns: [C], _ cell: (R, C) throws(SpecError) -> PanelGrid
    ) throws(SpecError) -> PanelGrid {
        var rowGrids: [PanelGrid] = []
        for r in rows {
            var cells: [PanelGrid] = []
            for c in columns { cells.append(try cell(r, c)) }
            rowGrids.append(.horizontal(cells))
        }
        return .vertical(rowGrids)
    }

    /// Panels wrapped into rows of `columns`.
    static func wrapped(_ panels: [PanelGrid], columns: Int) -> PanelGrid {
        var rows: [PanelGrid] = []
        var i = 0
        while i < panels.count {
            rows.append(.horizontal(Array(panels[i..<min(i + columns, panels.count)])))
            i += columns
        }
        return .vertical(rows)
    }

    var panels: [Panel] { cells.flatMap { $0.compactMap { $0 } } }

    mutating func mapPanels(_ f: (inout Panel) -> Void) {
        for r in cells.indices { for c in cells[r].indices { if var p = cells[r][c] { f(&p); cells[r][c] = p } } }
    }
}

/// `resolve`: shared or independent scales per channel.
struct Resolve {
    var xShared: Bool
    var yShared: Bool

    static func parse(_ node: SpecNode?, defaultShared: Bool) throws(SpecError) -> Resolve {
        var r = Resolve(xShared: defaultShared, yShared: defaultShared)
        guard let node else { return r }
        let m = try node.members(allowed: ["scale", "axis", "legend"], what: "resolve")
        if let s = m["scale"] {
            let scales = try s.members(allowed: ["x", "y", "color", "fill", "stroke", "shape", "size", "opacity"])
            if let x = scales["x"] { r.xShared = try x.oneOf(["shared", "independent"]) == "shared" }
            if let y = scales["y"] { r.yShared = try y.oneOf(["shared", "independent"]) == "shared" }
            for (k, v) in scales where k != "x" && k != "y" {
                _ = try v.oneOf(["shared"])
            }
        }
        // Every panel draws its own axes, so either resolution of axes holds;
        // the figure has one legend, so legends can only be shared.
        if let a = m["axis"] {
            for (_, v) in try a.members(allowed: ["x", "y"]) { _ = try v.oneOf(["shared", "independent"]) }
        }
        if let l = m["legend"] {
            for (_, v) in try l.members(allowed: ["color", "fill", "stroke", "shape", "size", "opacity"]) {
                _ = try v.oneOf(["shared"])
            }
        }
        return r
    }
}

/// The compiler's state while it walks the spec.
final class CompileState {
    /// Keys every view may have besides its own (documentation, and the
    /// top level's settings, which Altair writes on nested views too).
    static let viewKeys: Set<String> = [
        "data", "transform", "title", "description", "name", "$schema", "config", "datasets", "usermeta", "padding",
        "autosize", "background",
    ]

    let tables: [String: Dataset]
    let datasets: [String: Dataset]
    let config: Config
    let theme: Theme
    var views: [CompiledView] = []
    var checkOnly = false
    var measurer: (any TextMeasurer)?
    var removesOverlappingLabels = true
    private var nextGroup = 0

    init(tables: [String: Dataset], datasets: [String: Dataset], config: Config, theme: Theme) {
        self.tables = tables
        self.datasets = datasets
        self.config = config
        self.theme = theme
    }

    func newGroup() -> Int {
        nextGroup += 1
        return nextGroup
    }

    /// Compiles any view: unit, layer, concat, facet or repeat.
    func compile(_ node: SpecNode, _ inherited: Context) throws(SpecError) -> PanelGrid {
        let object = node.value.objectValue ?? [:]
        var context = inherited
        if let d = node["data"] { context.data = try data(d) }
        if let w = node["width"] { context.width = try size(w) }
        if let h = node["height"] { context.height = try size(h) }
        if let t = node["transform"], context.data != nil || true {
            guard let base = context.data else { throw t.error("no data to transform (give \"data\")") }
            let transforms = try Transform.parseAll(t.value, path: t.path)
            var d = base
            if !checkOnly { for tr in transforms { d = try tr.apply(to: d) } }
            context.data = d
        }
        var grid: PanelGrid
        if object["layer"] != nil {
            grid = try layer(node, context)
        } else if object["hconcat"] != nil || object["vconcat"] != nil || object["concat"] != nil {
            grid = try concat(node, context)
        } else if object["repeat"] != nil {
            grid = try repeatView(node, context)
        } else if object["facet"] != nil {
            grid = try facet(node, context)
        } else if object["mark"] != nil {
            grid = try unit(node, context)
        } else {
            throw node.error(
                "a view needs \"mark\", \"layer\", \"hconcat\", \"vconcat\", \"concat\", \"facet\" or \"repeat\"")
        }
        if let t = node["title"], !node.path.isEmpty {
            let text = try Titles.parse(t).title
            if grid.panels.count == 1 {
                grid.mapPanels { $0.title = text }
            } else {
                throw t.error("a title on a nested composition is not supported; give it to the top-level spec")
            }
        }
        return grid
    }

    func integer(_ node: SpecNode?) throws(SpecError) -> Int? {
        guard let node else { return nil }
        let v = try node.number()
        guard v >= 1, v == v.rounded(), v < 1e6 else { throw node.error("expected a positive whole number") }
        return Int(v)
    }

    func size(_ node: SpecNode) throws(SpecError) -> Double? {
        if let s = node.value.stringValue {
            guard s == "container" else { throw node.error("\"\(s)\" is not supported (give pixels)") }
            return nil
        }
        if node.value.objectValue != nil {
            let m = try node.members(allowed: ["step"])
            _ = try m["step"]?.number()
            return nil
        }
        let v = try node.number()
        guard v > 0 else { throw node.error("must be positive") }
        return v
    }

    func data(_ node: SpecNode) throws(SpecError) -> Dataset {
        let m = try node.members(allowed: ["name", "values", "url", "format"], what: "data")
        if m["url"] != nil {
            throw SpecError(
                SpecError.join(node.path, "url"),
                "url data is not supported: declare the file as a table input and refer to it with {\"name\": …}")
        }
        if let f = m["format"] {
            let fm = try f.members(allowed: ["type", "parse"], what: "data.format")
            if let t = fm["type"] { _ = try t.oneOf(["json"]) }
            if let p = fm["parse"] {
                throw p.error("\"parse\" is not supported: declare column types in table.load's params.columns")
            }
        }
        if let v = m["values"] { return try InlineData.rows(v) }
        guard let n = m["name"] else { throw node.error("data needs \"name\" or \"values\"") }
        let name = try n.string()
        if let d = datasets[name] { return d }
        if let d = tables[name] { return d }
        let known = (Array(tables.keys) + Array(datasets.keys)).sorted()
        throw n.error(
            "no table input or dataset named '\(name)'"
                + (known.isEmpty ? " (the stage has no table inputs)" : " (known: \(known.joined(separator: ", ")))"))
    }

    // MARK: - Composition

    func layer(_ node: SpecNode, _ context: Context) throws(SpecError) -> PanelGrid {
        try node.members(
            allowed: Self.viewKeys.union(["layer", "encoding", "width", "height", "resolve", "view"]), what: "a layer")
        var ctx = context
        if let e = node["encoding"] {
            for (channel, defs) in try EncodingParser.parse(e, repeatField: repeatResolver(ctx)) {
                ctx.encoding[channel] = defs
            }
        }
        let resolve = try Resolve.parse(node["resolve"], defaultShared: true)
        if !resolve.xShared || !resolve.yShared {
            throw SpecError(
                SpecError.join(node.path, "resolve"),
                "independent scales in a layer (a second axis) are not supported; use hconcat or vconcat")
        }
        guard let items = try node["layer"]?.array(), !items.isEmpty else { throw node.error("\"layer\" is empty") }
        var units: [Unit] = []
        for item in items {
            let g = try compile(item, ctx)
            guard g.rows == 1, g.cols == 1, let p = g.cells[0][0] else {
                throw item.error("a layer may hold units and layers only (no concat, facet or repeat inside a layer)")
            }
            units += p.units
        }
        return .single(
            Panel(
                units: units, title: nil, width: ctx.width, height: ctx.height, xGroup: newGroup(), yGroup: newGroup()))
    }

    func concat(_ node: SpecNode, _ context: Context) throws(SpecError) -> PanelGrid {
        try node.members(
            allowed: Self.viewKeys.union([
                "hconcat", "vconcat", "concat", "columns", "resolve", "spacing", "width", "height", "align", "bounds",
                "center",
            ]), what: "a concatenation")
        let key = node["hconcat"] != nil ? "hconcat" : node["vconcat"] != nil ? "vconcat" : "concat"
        guard let items = try node[key]?.array(), !items.isEmpty else { throw node.error("\"\(key)\" is empty") }
        let resolve = try Resolve.parse(node["resolve"], defaultShared: false)
        var grids: [PanelGrid] = []
        for item in items { grids.append(try compile(item, context)) }
        var grid: PanelGrid
        switch key {
        case "hconcat": grid = .horizontal(grids)
        case "vconcat": grid = .vertical(grids)
        default:
            let columns = try integer(node["columns"]) ?? grids.count
            grid = .wrapped(grids, columns: max(1, columns))
        }
        share(&grid, resolve)
        return grid
    }

    /// Puts every panel of `grid` into one x (y) group where `resolve` shares it.
    func share(_ grid: inout PanelGrid, _ resolve: Resolve) {
        let x = newGroup()
        let y = newGroup()
        grid.mapPanels { p in
            if resolve.xShared { p.xGroup = x }
            if resolve.yShared { p.yGroup = y }
        }
    }

    func repeatResolver(_ context: Context) -> (SpecNode) throws(SpecError) -> String {
        { (node: SpecNode) throws(SpecError) -> String in
            let m = try node.members(allowed: ["repeat"], what: "a field reference")
            guard let r = m["repeat"] else { throw node.error("expected a field name or {\"repeat\": …}") }
            let which = try r.oneOf(["row", "column", "repeat"])
            guard let field = context.repeatBindings[which] else {
                throw r.error("\"\(which)\" is not repeated here (no enclosing repeat over \(which))")
            }
            return field
        }
    }

    func repeatView(_ node: SpecNode, _ context: Context) throws(SpecError) -> PanelGrid {
        try node.members(
            allowed: Self.viewKeys.union(["repeat", "spec", "columns", "resolve", "spacing", "align"]), what: "a repeat"
        )
        guard let spec = node["spec"], let r = node["repeat"] else { throw node.error("\"repeat\" needs \"spec\"") }
        let resolve = try Resolve.parse(node["resolve"], defaultShared: false)
        var grid: PanelGrid
        if r.value.arrayValue != nil {
            let fields = try r.strings()
            var grids: [PanelGrid] = []
            for f in fields {
                var ctx = context
                ctx.repeatBindings["repeat"] = f
                grids.append(try compile(spec, ctx))
            }
            let columns = try integer(node["columns"]) ?? grids.count
            grid = .wrapped(grids, columns: max(1, columns))
        } else {
            let m = try r.members(allowed: ["row", "column"], what: "repeat (layer repeats are not supported)")
            let rows = try m["row"]?.strings() ?? [nil as String?].compactMap { $0 }
            let cols = try m["column"]?.strings() ?? []
            grid = try .matrix(
                rows: rows.isEmpty ? [nil] : rows.map(Optional.some),
                columns: cols.isEmpty ? [nil] : cols.map(Optional.some)
            ) { (rowField: String?, colField: String?) throws(SpecError) -> PanelGrid in
                var ctx = context
                if let rowField { ctx.repeatBindings["row"] = rowField }
                if let colField { ctx.repeatBindings["column"] = colField }
                return try compile(spec, ctx)
            }
        }
        share(&grid, resolve)
        return grid
    }

    func facet(_ node: SpecNode, _ context: Context) throws(SpecError) -> PanelGrid {
        try node.members(
            allowed: Self.viewKeys.union([
                "facet", "spec", "columns", "resolve", "spacing", "align", "bounds", "center",
            ]), what: "a facet")
        guard let f = node["facet"], let spec = node["spec"] else { throw node.error("\"facet\" needs \"spec\"") }
        guard let data = context.data else { throw node.error("no data to facet (give \"data\")") }
        var row: ChannelDef?
        var column: ChannelDef?
        var wrap: ChannelDef?
        if f.value.objectValue?["field"] != nil {
            wrap = try EncodingParser.parseDef(f, .facet, repeatResolver(context))
        } else {
            let m = try f.members(allowed: ["row", "column"], what: "facet")
            if let n = m["row"] { row = try EncodingParser.parseDef(n, .row, repeatResolver(context)) }
            if let n = m["column"] { column = try EncodingParser.parseDef(n, .column, repeatResolver(context)) }
        }
        let columns = try integer(node["columns"])
        let resolve = try Resolve.parse(node["resolve"], defaultShared: true)
        return try facetGrid(
            data: data, row: row, column: column, wrap: wrap, columns: columns, resolve: resolve, context: context
        ) { (ctx: Context) throws(SpecError) -> PanelGrid in try self.compile(spec, ctx) }
    }

    /// The cells of a facet: the data split by the row/column (or wrapped
    /// facet) field values, ascending, each compiled by `inner`.
    func facetGrid(
        data: Dataset, row: ChannelDef?, column: ChannelDef?, wrap: ChannelDef?, columns: Int?, resolve: Resolve,
        context: Context, inner: (Context) throws(SpecError) -> PanelGrid
    ) throws(SpecError) -> PanelGrid {
        func values(_ def: ChannelDef?) throws(SpecError) -> [FieldValue?] {
            guard let def else { return [nil] }
            guard let field = def.field else { throw SpecError(def.path, "a facet needs a \"field\"") }
            guard data[field] != nil || checkOnly else {
                throw SpecError(
                    SpecError.join(def.path, "field"),
                    "no field '\(field)' in the data (fields: \(data.fields.joined(separator: ", ")))")
            }
            return Domains.discrete([data], field: field, sort: def.sort).map(Optional.some)
        }
        func cell(_ r: FieldValue?, _ c: FieldValue?, _ rowDef: ChannelDef?, _ colDef: ChannelDef?) throws(SpecError)
            -> PanelGrid
        {
            var keep: [Int] = []
            for i in 0..<data.count {
                if let r, let f = rowDef?.field, data.value(f, i) != r { continue }
                if let c, let f = colDef?.field, data.value(f, i) != c { continue }
                keep.append(i)
            }
            var ctx = context
            ctx.data = data.select(keep)
            var g = try inner(ctx)
            var parts: [String] = []
            if let r, let d = rowDef { parts.append(facetLabel(d, r)) }
            if let c, let d = colDef { parts.append(facetLabel(d, c)) }
            let label = parts.joined(separator: ", ")
            g.mapPanels { p in p.title = p.title.map { "\(label)\n\($0)" } ?? label }
            return g
        }
        var grid: PanelGrid
        if let wrap {
            var cells: [PanelGrid] = []
            for v in try values(wrap) { cells.append(try cell(v, nil, wrap, nil)) }
            grid = .wrapped(cells, columns: max(1, columns ?? cells.count))
        } else {
            grid = try .matrix(rows: try values(row), columns: try values(column)) {
                (r: FieldValue?, c: FieldValue?) throws(SpecError) -> PanelGrid in try cell(r, c, row, column)
            }
        }
        share(&grid, resolve)
        return grid
    }

    func facetLabel(_ def: ChannelDef, _ value: FieldValue) -> String {
        let title = def.title?.joined(separator: " ") ?? def.field ?? ""
        return title.isEmpty ? value.text : "\(title) = \(value.text)"
    }

    func unit(_ node: SpecNode, _ context: Context) throws(SpecError) -> PanelGrid {
        try node.members(
            allowed: Self.viewKeys.union(["mark", "encoding", "width", "height", "view"]), what: "a unit view")
        guard let markNode = node["mark"] else { throw node.error("a unit needs \"mark\"") }
        let mark = try MarkDef.parse(markNode)
        var encoding = context.encoding
        if let e = node["encoding"] {
            for (channel, defs) in try EncodingParser.parse(e, repeatField: repeatResolver(context)) {
                encoding[channel] = defs
            }
        }
        guard let data = context.data else { throw node.error("no data (give \"data\" here or in a parent)") }
        let row = encoding[.row]?.first
        let column = encoding[.column]?.first
        let wrap = encoding[.facet]?.first
        if row != nil || column != nil || wrap != nil {
            var inner = encoding
            inner[.row] = nil
            inner[.column] = nil
            inner[.facet] = nil
            let columns = wrap.flatMap { _ in
                (node["encoding"]?["facet"]?["columns"]?.value.numberValue).map { Int($0) }
            }
            return try facetGrid(
                data: data, row: row, column: column, wrap: wrap, columns: columns,
                resolve: Resolve(xShared: true, yShared: true), context: context
            ) { (ctx: Context) throws(SpecError) -> PanelGrid in
                var builder = UnitBuilder(
                    state: self, path: node.path, mark: mark, encoding: inner, data: ctx.data ?? data)
                let u = try builder.build()
                return .single(
                    Panel(
                        units: [u], width: ctx.width, height: ctx.height, xGroup: self.newGroup(),
                        yGroup: self.newGroup()))
            }
        }
        var builder = UnitBuilder(state: self, path: node.path, mark: mark, encoding: encoding, data: data)
        let u = try builder.build()
        return .single(
            Panel(units: [u], width: context.width, height: context.height, xGroup: newGroup(), yGroup: newGroup()))
    }
}

/// Inline rows (`data.values`, `datasets`): an array of objects, or of
/// plain values (which Vega-Lite puts in a field `data`).
enum InlineData {
    static func rows(_ node: SpecNode) throws(SpecError) -> Dataset {
        var rows: [[(String, FieldValue)]] = []
        for item in try node.array() {
            if let object = item.value.objectValue {
                var row: [(String, FieldValue)] = []
                for key in object.keys.sorted() {
                    guard let child = item[key] else {
                        row.append((key, .null))
                        continue
                    }
                    row.append((key, try child.fieldValue()))
                }
                rows.append(row)
            } else {
                rows.append([("data", try item.fieldValue())])
            }
        }
        return Dataset(rows: rows)
    }
}

/// `title`: a string (or lines), or an object with `text` and `subtitle`.
struct Titles {
    var title: String
    var subtitle: String?

    static func parse(_ node: SpecNode) throws(SpecError) -> Titles {
        if node.value.objectValue != nil {
            let m = try node.members(
                allowed: ["text", "subtitle", "anchor", "fontSize", "subtitleFontSize", "orient", "color"],
                what: "title")
            guard let t = m["text"] else { throw node.error("a title object needs \"text\"") }
            if let a = m["anchor"] { _ = try a.oneOf(["start", "middle", "end"]) }
            if let o = m["orient"] { _ = try o.oneOf(["top"]) }
            for k in ["fontSize", "subtitleFontSize"] { if let v = m[k] { _ = try v.number() } }
            if let c = m["color"] { _ = try c.string() }
            return Titles(
                title: try t.strings().joined(separator: "\n"),
                subtitle: try m["subtitle"]?.strings().joined(separator: "\n"))
        }
        return Titles(title: try node.strings().joined(separator: "\n"), subtitle: nil)
    }

    var combined: String { subtitle.map { "\(title)\n\($0)" } ?? title }
}
