/// `config`: the subset of Vega-Lite's configuration a declared figure may
/// set. Font sizes are in points; the rest of the look comes from the theme.
struct Config {
    var continuousWidth = 300.0
    var continuousHeight = 300.0
    var discreteStep = 20.0
    var axisLabelFontSize: Double?
    var axisTitleFontSize: Double?
    var axisGrid: Bool?
    var legendLabelFontSize: Double?
    var legendTitleFontSize: Double?
    var legendOrient: String?
    var titleFontSize: Double?
    var categoryScheme: String?
    var categoryColors: [String]?
    var markColor: String?

    static func parse(_ node: SpecNode?) throws(SpecError) -> Config {
        var c = Config()
        guard let node else { return c }
        let m = try node.members(
            allowed: [
                "view", "axis", "axisX", "axisY", "legend", "title", "range", "mark", "point", "line", "bar",
                "font", "background", "padding", "autosize", "scale", "header",
            ],
            what: "config")
        if let v = m["view"] {
            let vm = try v.members(
                allowed: [
                    "continuousWidth", "continuousHeight", "discreteWidth", "discreteHeight", "step", "stroke",
                    "strokeWidth", "fill",
                ],
                what: "config.view")
            if let w = vm["continuousWidth"] { c.continuousWidth = try w.number() }
            if let h = vm["continuousHeight"] { c.continuousHeight = try h.number() }
            if let s = vm["step"] { c.discreteStep = try s.number() }
            for k in ["discreteWidth", "discreteHeight", "strokeWidth"] { if let x = vm[k] { _ = try x.number() } }
            if let s = vm["stroke"] { _ = try s.string() }
            if let f = vm["fill"] { _ = try f.string() }
        }
        for key in ["axis", "axisX", "axisY"] {
            if let a = m[key] {
                let am = try a.members(allowed: ["labelFontSize", "titleFontSize", "grid"], what: "config.\(key)")
                c.axisLabelFontSize = try am["labelFontSize"]?.number() ?? c.axisLabelFontSize
                c.axisTitleFontSize = try am["titleFontSize"]?.number() ?? c.axisTitleFontSize
                c.axisGrid = try am["grid"]?.bool() ?? c.axisGrid
            }
        }
        if let l = m["legend"] {
            let lm = try l.members(allowed: ["labelFontSize", "titleFontSize", "orient"], what: "config.legend")
            c.legendLabelFontSize = try lm["labelFontSize"]?.number()
            c.legendTitleFontSize = try lm["titleFontSize"]?.number()
            c.legendOrient = try lm["orient"]?.string()
        }
        if let t = m["title"] {
            let tm = try t.members(allowed: ["fontSize", "subtitleFontSize", "anchor"], what: "config.title")
            c.titleFontSize = try tm["fontSize"]?.number()
            if let s = tm["subtitleFontSize"] { _ = try s.number() }
            if let a = tm["anchor"] { _ = try a.oneOf(["start", "middle", "end"]) }
        }
        if let r = m["range"] {
            let rm = try r.members(allowed: ["category"], what: "config.range")
            if let cat = rm["category"] {
                if cat.value.arrayValue != nil {
                    c.categoryColors = try cat.strings()
                } else if cat.value.objectValue != nil {
                    let sm = try cat.members(allowed: ["scheme"])
                    c.categoryScheme = try sm["scheme"]?.string()
                } else {
                    c.categoryScheme = try cat.string()
                }
            }
        }
        for key in ["mark", "point", "line", "bar"] {
            if let mk = m[key] {
                let mm = try mk.members(allowed: ["color"], what: "config.\(key)")
                if key == "mark" { c.markColor = try mm["color"]?.string() } else { _ = try mm["color"]?.string() }
            }
        }
        if let f = m["font"] { _ = try f.string() }
        if let b = m["background"] { _ = try b.string() }
        if let p = m["padding"] { _ = try p.number() }
        if let a = m["autosize"] { _ = a }
        if let s = m["scale"] {
            try s.members(allowed: [], what: "config.scale")
        }
        if let h = m["header"] { try h.members(allowed: ["labelFontSize", "titleFontSize"], what: "config.header") }
        return c
    }
}
