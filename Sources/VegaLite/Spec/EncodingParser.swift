/// Reading `mark` and `encoding` objects into `MarkDef` and `ChannelDef`s.

/// A mark type of the subset.
public enum MarkType: String, Sendable, CaseIterable {
    case point, circle, square, line, bar, area, rule, tick, text, rect, errorbar, errorband
}

/// `mark`: its type and the properties the subset supports.
public struct MarkDef: Sendable, Equatable {
    public var type: MarkType
    /// `point: true` on a line (or area): markers at the vertices.
    public var point = false
    public var color: String?
    public var opacity: Double?
    public var size: Double?
    public var filled: Bool?
    public var strokeWidth: Double?
    public var strokeDash: [Double]?
    /// errorbar/errorband: "stderr" (default), "stdev", "ci", "iqr".
    public var extent = "stderr"
    /// errorbar: caps (`ticks: true`).
    public var ticks = false
    public var orient: String?
    public var clip = false
    /// text marks.
    public var align: String?
    public var baseline: String?
    public var dx: Double = 0
    public var dy: Double = 0
    public var fontSize: Double?
    public var angle: Double = 0
    public var text: String?
    /// tick marks: the thickness in pixels.
    public var thickness: Double?
    /// Show the encoded tooltip (`tooltip: true` shows every field).
    public var tooltipAll = false

    public init(type: MarkType) { self.type = type }

    static let keys: Set<String> = [
        "type", "point", "color", "fill", "stroke", "opacity", "fillOpacity", "size", "filled", "strokeWidth",
        "strokeDash", "extent", "ticks", "orient", "clip", "align", "baseline", "dx", "dy", "fontSize", "angle",
        "text", "thickness", "tooltip", "interpolate", "line", "binSpacing",
    ]

    static func parse(_ node: SpecNode) throws(SpecError) -> MarkDef {
        if node.value.stringValue != nil {
            return MarkDef(type: try parseType(node))
        }
        let m = try node.members(allowed: keys, what: "mark")
        guard let typeNode = m["type"] else { throw node.error("a mark object needs \"type\"") }
        var def = MarkDef(type: try parseType(typeNode))
        if let v = m["point"] {
            if v.value.objectValue != nil {
                try v.members(allowed: [], what: "mark.point")
                def.point = true
            } else if v.value.stringValue == "transparent" {
                def.point = false
            } else {
                def.point = try v.bool()
            }
        }
        def.color = try (m["color"] ?? m["fill"] ?? m["stroke"])?.string()
        def.opacity = try (m["opacity"] ?? m["fillOpacity"])?.number()
        def.size = try m["size"]?.number()
        def.filled = try m["filled"]?.bool()
        def.strokeWidth = try m["strokeWidth"]?.number()
        def.strokeDash = try m["strokeDash"]?.numbers()
        if let e = m["extent"] { def.extent = try e.oneOf(["stderr", "stdev", "ci", "iqr"]) }
        if let t = m["ticks"] {
            if t.value.objectValue != nil {
                try t.members(allowed: [], what: "mark.ticks")
                def.ticks = true
            } else {
                def.ticks = try t.bool()
            }
        }
        def.orient = try m["orient"]?.oneOf(["vertical", "horizontal"])
        def.clip = try m["clip"]?.bool() ?? false
        def.align = try m["align"]?.oneOf(["left", "center", "right"])
        def.baseline = try m["baseline"]?.oneOf(["top", "middle", "bottom", "alphabetic", "line-top", "line-bottom"])
        def.dx = try m["dx"]?.number() ?? 0
        def.dy = try m["dy"]?.number() ?? 0
        def.fontSize = try m["fontSize"]?.number()
        def.angle = try m["angle"]?.number() ?? 0
        def.text = try m["text"]?.strings().joined(separator: "\n")
        def.thickness = try m["thickness"]?.number()
        if let t = m["tooltip"] {
            if t.value.objectValue != nil {
                let content = try t.members(allowed: ["content"])
                def.tooltipAll = try content["content"]?.oneOf(["data", "encoding"]) == "data"
            } else {
                def.tooltipAll = try t.bool()
            }
        }
        if let i = m["interpolate"] { _ = try i.oneOf(["linear"]) }
        if let l = m["line"] {
            guard l.value.boolValue == false else { throw l.error("\"line\" overlays are not supported") }
        }
        if let b = m["binSpacing"] { _ = try b.number() }
        return def
    }

    static func parseType(_ node: SpecNode) throws(SpecError) -> MarkType {
        let s = try node.string()
        guard let t = MarkType(rawValue: s) else {
            throw node.error(
                "\"\(s)\" is not supported (supported marks: \(MarkType.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        return t
    }
}

/// Reads `encoding` objects.
enum EncodingParser {
    static let fieldKeys: Set<String> = [
        "field", "type", "aggregate", "bin", "scale", "axis", "legend", "title", "sort", "value", "datum", "format",
        "formatType", "stack", "bandPosition",
    ]

    /// The channels of an `encoding` object. `repeatField` resolves `{"repeat": "row"}` field references.
    static func parse(
        _ node: SpecNode, repeatField: (SpecNode) throws(SpecError) -> String
    ) throws(SpecError) -> [Channel: [ChannelDef]] {
        let m = try node.members(allowed: Set(Channel.allCases.map(\.rawValue)), what: "encoding")
        var out: [Channel: [ChannelDef]] = [:]
        for (key, child) in m {
            guard let channel = Channel(rawValue: key) else { continue }
            if channel == .tooltip || channel == .detail, child.value.arrayValue != nil {
                var defs: [ChannelDef] = []
                for item in try child.array() { defs.append(try parseDef(item, channel, repeatField)) }
                out[channel] = defs
            } else {
                out[channel] = [try parseDef(child, channel, repeatField)]
            }
        }
        return out
    }

    static func parseDef(
        _ node: SpecNode, _ channel: Channel, _ repeatField: (SpecNode) throws(SpecError) -> String
    ) throws(SpecError) -> ChannelDef {
        var keys = fieldKeys
        if [.row, .column, .facet].contains(channel) { keys.formUnion(["header", "spacing", "columns"]) }
        let m = try node.members(allowed: keys, what: "a channel definition")
        var def = ChannelDef()
        def.path = node.path
        if let f = m["field"] {
            if f.value.objectValue != nil {
                def.field = try repeatField(f)
            } else {
                def.field = unescape(try f.string())
            }
        }
        if let t = m["type"] {
            let s = try t.string()
            guard let type = FieldType(rawValue: s) else {
                throw t.error("\"\(s)\" is not supported (supported types: quantitative, ordinal, nominal)")
            }
            def.type = type
        }
        if let a = m["aggregate"] {
            let s = try a.string()
            guard let op = AggregateOp(rawValue: s) else {
                throw a.error(
                    "\"\(s)\" is not supported (supported: \(AggregateOp.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            def.aggregate = op
        }
        if let b = m["bin"] {
            (def.bin, def.binKey) = try parseBin(b, channel: channel)
        }
        // Vega-Lite's default type: quantitative for aggregates and bins.
        if m["type"] == nil, def.field != nil || def.aggregate == .count {
            def.type = def.aggregate != nil || def.bin != nil ? .quantitative : .nominal
            if def.aggregate == nil, def.bin == nil, channel != .text, channel != .tooltip {
                throw node.error("\"type\" is required for field \"\(def.field ?? "")\"")
            }
        }
        if def.aggregate != nil, def.aggregate != .count, def.field == nil {
            throw node.error("aggregate \"\(def.aggregate?.rawValue ?? "")\" needs a \"field\"")
        }
        if let v = m["value"] { def.value = try v.fieldValue() }
        if let d = m["datum"] { def.datum = try d.fieldValue() }
        if def.field == nil, def.value == nil, def.datum == nil, def.aggregate != .count {
            throw node.error("a channel needs \"field\", \"value\" or \"datum\"")
        }
        if let t = m["title"] { def.title = try t.strings() }
        if let f = m["format"] { def.format = try f.string() }
        if let f = m["formatType"] { _ = try f.oneOf(["number"]) }
        if let s = m["sort"] { def.sort = try parseSort(s); def.sortGiven = true }
        if let s = m["stack"] {
            def.stackGiven = true
            if s.value.boolValue != nil {
                def.stack = try s.bool() ? "zero" : nil
            } else {
                def.stack = try s.oneOf(["zero", "normalize", "center"])
            }
        }
        if let b = m["bandPosition"] { _ = try b.number() }
        if let s = node["scale"] {
            if s.value == .null { def.scaleDisabled = true } else { def.scale = try parseScale(s) }
        } else if node.value.objectValue?["scale"] == .null {
            def.scaleDisabled = true
        }
        if let a = m["axis"] {
            def.axis = try parseAxis(a)
        } else if node.value.objectValue?["axis"] == .null {
            def.axis.hidden = true
        }
        if let l = m["legend"] {
            def.legend = try parseLegend(l)
        } else if node.value.objectValue?["legend"] == .null {
            def.legend.hidden = true
        }
        if let h = m["header"] { try h.members(allowed: ["title", "labelAngle", "labelOrient", "titleOrient"]) }
        return def
    }

    /// A field name with Vega-Lite's escapes (`a\.b`) removed.
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var escaped = false
        for c in s {
            if escaped || c != "\\" {
                out.append(c)
                escaped = false
            } else {
                escaped = true
            }
        }
        return out
    }

    /// An encoding's `bin`: Vega-Lite's automatic maxbins is 6 on channels
    /// that show few values (color, size, shape, facets), 10 elsewhere.
    static func parseBin(_ node: SpecNode, channel: Channel) throws(SpecError) -> (BinParameters?, String) {
        if node.value.stringValue == "binned" { throw node.error("\"binned\" is not supported") }
        let auto = [.row, .column, .size, .color, .fill, .stroke, .opacity, .shape].contains(channel) ? 6.0 : 10.0
        guard let (p, key) = try BinTransform.parameters(node.value, path: node.path, maxbins: auto) else {
            return (nil, "")
        }
        return (p, key)
    }

    static func parseSort(_ node: SpecNode) throws(SpecError) -> SortOrder {
        if let s = node.value.stringValue {
            switch s {
            case "ascending": return .ascending
            case "descending": return .descending
            default:
                let descending = s.hasPrefix("-")
                let name = descending ? String(s.dropFirst()) : s
                guard let channel = Channel(rawValue: name), [.x, .y, .color, .size, .opacity, .text].contains(channel)
                else {
                    throw node.error(
                        "\"\(s)\" is not supported (sort by ascending, descending, or a channel such as \"-y\")")
                }
                return .byEncoding(channel: channel, descending: descending)
            }
        }
        if node.value.arrayValue != nil {
            var values: [FieldValue] = []
            for item in try node.array() { values.append(try item.fieldValue()) }
            return .values(values)
        }
        let m = try node.members(allowed: ["field", "op", "order", "encoding"], what: "sort")
        let descending = try m["order"]?.oneOf(["ascending", "descending"]) == "descending"
        if let e = m["encoding"] {
            let name = try e.string()
            guard let channel = Channel(rawValue: name) else { throw e.error("\"\(name)\" is not a channel") }
            return .byEncoding(channel: channel, descending: descending)
        }
        guard let f = m["field"] ?? m["op"] else {
            return descending ? .descending : .ascending
        }
        _ = f
        var op = AggregateOp.sum
        if let o = m["op"] {
            let s = try o.string()
            guard let parsed = AggregateOp(rawValue: s) else { throw o.error("\"\(s)\" is not supported") }
            op = parsed
        }
        return .byField(op: op, field: try m["field"]?.string(), descending: descending)
    }

    static func parseScale(_ node: SpecNode) throws(SpecError) -> ScaleDef {
        let m = try node.members(
            allowed: [
                "type", "base", "exponent", "constant", "domain", "zero", "nice", "reverse", "scheme", "range",
                "padding",
                "paddingInner", "paddingOuter", "clamp",
            ], what: "scale")
        var s = ScaleDef()
        if let t = m["type"] {
            let name = try t.string()
            guard let kind = ScaleDef.Kind(rawValue: name) else {
                throw t.error(
                    "\"\(name)\" is not supported (supported scales: linear, log, pow, sqrt, symlog, band, point, ordinal)"
                )
            }
            s.type = kind
        }
        if let b = m["base"] { s.base = try b.number() }
        if let e = m["exponent"] { s.exponent = try e.number() }
        if let c = m["constant"] { s.constant = try c.number() }
        if let d = m["domain"] {
            if d.value.stringValue == "unaggregated" { throw d.error("\"unaggregated\" is not supported") }
            var values: [FieldValue] = []
            for item in try d.array() { values.append(try item.fieldValue()) }
            s.domain = values
        }
        if let z = m["zero"] { s.zero = try z.bool() }
        if let n = m["nice"] {
            if n.value.numberValue != nil {
                s.nice = true
                s.niceCount = try n.number()
            } else {
                s.nice = try n.bool()
            }
        }
        if let r = m["reverse"] { s.reverse = try r.bool() }
        if let sc = m["scheme"] {
            if sc.value.objectValue != nil {
                let o = try sc.members(allowed: ["name"])
                s.scheme = try o["name"]?.string()
            } else {
                s.scheme = try sc.string()
            }
        }
        if let r = m["range"] {
            var values: [FieldValue] = []
            for item in try r.array() { values.append(try item.fieldValue()) }
            s.range = values
        }
        s.padding = try m["padding"]?.number()
        s.paddingInner = try m["paddingInner"]?.number()
        s.paddingOuter = try m["paddingOuter"]?.number()
        if let c = m["clamp"] { _ = try c.bool() }
        return s
    }

    static func parseAxis(_ node: SpecNode) throws(SpecError) -> AxisDef {
        let m = try node.members(
            allowed: [
                "title", "format", "tickCount", "values", "labelAngle", "grid", "labels", "ticks", "orient", "domain",
                "labelFontSize", "titleFontSize", "formatType", "labelOverlap", "tickMinStep",
            ], what: "axis")
        var a = AxisDef()
        if let t = m["title"] {
            a.title = try t.strings()
        } else if node.value.objectValue?["title"] == .null {
            a.title = [""]
        }
        a.format = try m["format"]?.string()
        a.tickCount = try m["tickCount"]?.number()
        if let v = m["values"] {
            var values: [FieldValue] = []
            for item in try v.array() { values.append(try item.fieldValue()) }
            a.values = values
        }
        a.labelAngle = try m["labelAngle"]?.number()
        a.grid = try m["grid"]?.bool()
        a.labels = try m["labels"]?.bool() ?? true
        a.ticks = try m["ticks"]?.bool() ?? true
        if let o = m["orient"] { _ = try o.oneOf(["bottom", "left"]) }
        if let d = m["domain"] { _ = try d.bool() }
        if let f = m["formatType"] { _ = try f.oneOf(["number"]) }
        for k in ["labelFontSize", "titleFontSize", "tickMinStep"] { if let v = m[k] { _ = try v.number() } }
        if let l = m["labelOverlap"] { _ = try l.bool() }
        return a
    }

    static func parseLegend(_ node: SpecNode) throws(SpecError) -> LegendDef {
        let m = try node.members(allowed: ["title", "orient", "format", "formatType", "symbolType"], what: "legend")
        var l = LegendDef()
        if let t = m["title"] {
            l.title = try t.strings()
        } else if node.value.objectValue?["title"] == .null {
            l.title = [""]
        }
        l.orient = try m["orient"]?.oneOf([
            "right", "left", "top", "bottom", "top-left", "top-right", "bottom-left", "bottom-right", "none",
        ])
        l.format = try m["format"]?.string()
        if let f = m["formatType"] { _ = try f.oneOf(["number"]) }
        if let s = m["symbolType"] { _ = try s.string() }
        return l
    }
}
