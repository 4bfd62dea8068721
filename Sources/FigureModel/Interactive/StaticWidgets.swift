import Foundation

// The static view's widgets as plotly.js draws them in their resting state:
// a slider (`components/sliders`: the current value, the rail, a tick per
// step, the step labels, the handle on the active step) and a dropdown's
// closed header (`components/updatemenus`: its box, the active entry's
// label and the arrow). Pixels, y down from the top of the page.

/// One slider's geometry (`sliders/draw.js` `findDimensions`).
struct PlotlySlider {
    var steps: [String]
    var active: Int
    var x: Double
    var y: Double
    var xanchor: String
    var yanchor: String
    var len: Double
    var pad: (t: Double, r: Double, b: Double, l: Double)
    var fontSize: Double
    var currentValue: String?
    var currentValueSize: Double
    var currentValueOffset: Double
    var tickLength: Double
    var minorTickLength: Double
    var tickWidth: Double
    var tickColor: Color
    var background: Color
    var border: Color
    var borderWidth: Double
}

/// One dropdown's closed header (`updatemenus/draw.js` `findDimensions`).
struct PlotlyDropdown {
    var label: String
    /// The arrow for `direction`: ▼ (down), ▲ (up), ◄ (left), ► (right).
    var arrow: String
    var x: Double
    var y: Double
    var xanchor: String
    var yanchor: String
    var pad: (t: Double, r: Double, b: Double, l: Double)
    var fontSize: Double
    var headerWidth: Double
    var headerHeight: Double
    var background: Color
    var border: Color
    var borderWidth: Double
}

extension StaticTranslator {
    // plotly's slider constants (`sliders/constants.js`).
    static let sliderRailInset = 8.0
    static let sliderRailWidth = 5.0
    static let sliderRailRadius = 2.0
    static let sliderInputAreaWidth = 20.0  // max(railWidth, gripHeight)
    static let sliderStepInset = 10.0
    static let sliderGripSize = 20.0
    static let sliderGripRadius = 10.0
    static let sliderTickOffset = 25.0
    static let sliderLabelPadding = 8.0
    // The dropdowns' (`updatemenus/constants.js`).
    static let menuTextPadX = 24.0
    static let menuArrowPadX = 16.0
    static let menuMinSize = 30.0
    static let menuTextOffsetX = 12.0
    static let menuTextOffsetY = 3.0
    static let menuArrowOffsetX = 4.0
    static let menuRadius = 2.0

    /// The height of a line box of text (the browser's ascent plus descent of DejaVu Sans).
    static func lineBox(_ fontSize: Double) -> Double { (fontSize * 1.164).rounded(.up) }

    static func pad(_ v: PlotValue?, top: Double) -> (t: Double, r: Double, b: Double, l: Double) {
        let p = v?.objectValue ?? [:]
        return (
            p["t"]?.numberValue ?? top, p["r"]?.numberValue ?? 0, p["b"]?.numberValue ?? 0, p["l"]?.numberValue ?? 0
        )
    }

    var sliders: [PlotlySlider] {
        (view.layout["sliders"]?.arrayValue ?? []).compactMap { v in
            guard let s = v.objectValue, s["visible"]?.boolValue != false, let steps = s["steps"]?.arrayValue,
                !steps.isEmpty
            else { return nil }
            let labels = steps.map { StaticFigure.plainText($0.objectValue?["label"]?.stringValue ?? "") }
            let cv = s["currentvalue"]?.objectValue ?? [:]
            let active = min(max(Int(s["active"]?.numberValue ?? 0), 0), labels.count - 1)
            let x = s["x"]?.numberValue ?? 0
            var xa = s["xanchor"]?.stringValue ?? "left"
            if xa == "auto" { xa = Self.autoAnchor(x, low: "left", mid: "center", high: "right") }
            let y = s["y"]?.numberValue ?? 0
            var ya = s["yanchor"]?.stringValue ?? "top"
            if ya == "auto" { ya = Self.autoAnchor(y, low: "bottom", mid: "middle", high: "top") }
            let size = s.value(at: "font.size")?.numberValue ?? 12
            let current =
                cv["visible"]?.boolValue == false
                ? nil
                : StaticFigure.plainText(
                    (cv["prefix"]?.stringValue ?? "") + labels[active] + (cv["suffix"]?.stringValue ?? ""))
            return PlotlySlider(
                steps: labels, active: active, x: x, y: y, xanchor: xa, yanchor: ya,
                len: s["len"]?.numberValue ?? 1, pad: Self.pad(s["pad"], top: 20), fontSize: size,
                currentValue: current, currentValueSize: cv.value(at: "font.size")?.numberValue ?? size,
                currentValueOffset: cv["offset"]?.numberValue ?? 10, tickLength: s["ticklen"]?.numberValue ?? 7,
                minorTickLength: s["minorticklen"]?.numberValue ?? 4, tickWidth: s["tickwidth"]?.numberValue ?? 1,
                tickColor: StaticFigure.color(s["tickcolor"]) ?? "#333333",
                background: StaticFigure.color(s["bgcolor"]) ?? "#f8fafc",
                border: StaticFigure.color(s["bordercolor"]) ?? "#bec8d9",
                borderWidth: s["borderwidth"]?.numberValue ?? 1)
        }
    }

    func dropdowns(measurer: some TextMeasurer) -> [PlotlyDropdown] {
        (view.layout["updatemenus"]?.arrayValue ?? []).compactMap { v in
            guard let menu = v.objectValue, menu["visible"]?.boolValue != false,
                (menu["type"]?.stringValue ?? "dropdown") == "dropdown", let buttons = menu["buttons"]?.arrayValue,
                !buttons.isEmpty
            else { return nil }
            let labels = buttons.map { StaticFigure.plainText($0.objectValue?["label"]?.stringValue ?? "") }
            let size = menu.value(at: "font.size")?.numberValue ?? 12
            var width1 = 0.0
            var height1 = 0.0
            for l in labels {
                let w = measurer.measure(l, fontSize: size * Self.px, bold: false).width / Self.px
                let lines = Double(l.split(separator: "\n", omittingEmptySubsequences: false).count)
                width1 = max(width1, max(w + Self.menuTextPadX, Self.menuMinSize).rounded(.up))
                height1 = max(
                    height1,
                    (max(size * Self.lineSpacing * lines, Self.menuMinSize) + Self.menuTextOffsetY).rounded(.up))
            }
            let active = Int(menu["active"]?.numberValue ?? 0)
            let x = menu["x"]?.numberValue ?? -0.05
            var xa = menu["xanchor"]?.stringValue ?? "right"
            if xa == "auto" { xa = Self.autoAnchor(x, low: "left", mid: "center", high: "right") }
            let y = menu["y"]?.numberValue ?? 1
            var ya = menu["yanchor"]?.stringValue ?? "top"
            if ya == "auto" { ya = Self.autoAnchor(y, low: "bottom", mid: "middle", high: "top") }
            let shows = menu["showactive"]?.boolValue != false && active >= 0 && active < labels.count
            return PlotlyDropdown(
                label: shows ? labels[active] : "",
                arrow: ["up": "▲", "left": "◄", "right": "►"][menu["direction"]?.stringValue ?? "down"] ?? "▼", x: x,
                y: y, xanchor: xa, yanchor: ya,
                pad: Self.pad(menu["pad"], top: 0), fontSize: size, headerWidth: width1 + Self.menuArrowPadX,
                headerHeight: height1, background: StaticFigure.color(menu["bgcolor"]) ?? "#ffffff",
                border: StaticFigure.color(menu["bordercolor"]) ?? "#bec8d9",
                borderWidth: menu["borderwidth"]?.numberValue ?? 1)
        }
    }

    /// A slider's outer size: its length and height in pixels.
    func size(of s: PlotlySlider, measurer: some TextMeasurer) -> (length: Double, height: Double) {
        let length = (plotWidth * s.len).rounded()
        let currentValue = s.currentValue == nil ? 0 : Self.lineBox(s.currentValueSize) + s.currentValueOffset
        let height =
            currentValue + Self.sliderTickOffset + s.tickLength + Self.lineBox(s.fontSize) + s.pad.t + s.pad.b
        return (length, height.rounded(.up))
    }

    /// The margin pushes of the sliders and dropdowns (before `autoMargin`'s scaling and pad).
    func widgetPushes(measurer: some TextMeasurer) -> [MarginPush] {
        var out: [MarginPush] = []
        for s in sliders {
            let h = size(of: s, measurer: measurer).height
            let tl = plotlyFromTopLeft(s.xanchor)
            out.append(
                MarginPush(
                    leftAt: s.x - s.len * tl, left: 0, rightAt: s.x + s.len * (1 - tl), right: 0, bottomAt: s.y,
                    bottom: h * (1 - plotlyFromTopLeft(s.yanchor)), topAt: s.y, top: h * plotlyFromTopLeft(s.yanchor)))
        }
        for d in dropdowns(measurer: measurer) {
            let w = d.headerWidth + d.pad.l + d.pad.r
            let h = d.headerHeight + d.pad.t + d.pad.b
            let xa = plotlyFromTopLeft(d.xanchor)
            let ya = plotlyFromTopLeft(d.yanchor)
            out.append(
                MarginPush(
                    leftAt: d.x, left: w * xa, rightAt: d.x, right: w * (1 - xa), bottomAt: d.y, bottom: h * (1 - ya),
                    topAt: d.y, top: h * ya))
        }
        return out
    }

    /// A rectangle at page pixels as a figure patch.
    func patch(
        x: Double, y: Double, width w: Double, height h: Double, radius: Double, face: Color, edge: Color = .none,
        lineWidth: Double = 0
    ) -> FigurePatch {
        FigurePatch(
            rect: [x / width, (height - y - h) / height, w / width, h / height], radius: radius * Self.px,
            faceColor: face, edgeColor: lineWidth > 0 ? edge : .none, lineWidth: lineWidth * Self.px)
    }

    /// A text at page pixels (its baseline's anchor point), on the first subplot.
    mutating func pageText(
        _ text: String, x: Double, baseline: Double, ha: String, size: Double, color: Color?, zorder: Double
    ) {
        let px = (x - left) / plotWidth
        let py = (height - baseline - bottom) / plotHeight
        addText(
            text, coordinate(px, ref: "paper", subplot: 0, isX: true, logUnits: false),
            coordinate(py, ref: "paper", subplot: 0, isX: false, logUnits: false), subplot: 0, ha: ha,
            va: "baseline", size: size * Self.px, color: color, offset: (0, 0), zorder: zorder, background: nil,
            pad: 0, arrow: nil)
    }

    /// Draws the sliders and the dropdowns' headers.
    mutating func addWidgets(measurer: some TextMeasurer) {
        guard !axes.isEmpty else { return }
        for (i, s) in sliders.enumerated() {
            let (length, h) = size(of: s, measurer: measurer)
            let input = (length - s.pad.l - s.pad.r).rounded()
            let lx = (left + plotWidth * s.x - plotlyFromTopLeft(s.xanchor) * length).rounded()
            let ly = (top + plotHeight * (1 - s.y) - plotlyFromTopLeft(s.yanchor) * h).rounded()
            let ox = lx + s.pad.l
            let oy = ly + s.pad.t
            let z = 6 + Double(i) * 1e-3
            var cvTotal = 0.0
            if let cv = s.currentValue {
                cvTotal = Self.lineBox(s.currentValueSize) + s.currentValueOffset
                pageText(
                    cv, x: ox, baseline: oy + s.currentValueSize * Self.lineSpacing, ha: "left",
                    size: s.currentValueSize, color: nil, zorder: z)
            }
            patches.append(
                patch(
                    x: ox + Self.sliderRailInset,
                    y: oy + cvTotal + (Self.sliderInputAreaWidth - Self.sliderRailWidth) / 2,
                    width: input - 2 * Self.sliderRailInset, height: Self.sliderRailWidth,
                    radius: Self.sliderRailRadius, face: s.background, edge: s.border, lineWidth: s.borderWidth))
            let n = s.steps.count
            let span = input - 2 * Self.sliderStepInset
            func stepX(_ a: Int) -> Double {
                ox + Self.sliderStepInset + (n > 1 ? span * Double(a) / Double(n - 1) : 0)
            }
            let widest =
                s.steps.map { measurer.measure($0, fontSize: s.fontSize * Self.px, bold: false).width / Self.px }.max()
                ?? 0
            let spacing = n > 1 ? span / Double(n - 1) : span
            let stride = max(1, Int(((widest + Self.sliderLabelPadding) / spacing).rounded(.up)))
            for a in 0..<n {
                let major = a % stride == 0
                patches.append(
                    patch(
                        x: stepX(a) - s.tickWidth / 2, y: oy + Self.sliderTickOffset + cvTotal, width: s.tickWidth,
                        height: major ? s.tickLength : s.minorTickLength, radius: 0, face: s.tickColor))
                if major {
                    pageText(
                        s.steps[a], x: stepX(a),
                        baseline: oy + Self.sliderTickOffset + s.tickLength + s.fontSize * Self.lineSpacing + cvTotal,
                        ha: "center", size: s.fontSize, color: nil, zorder: z)
                }
            }
            patches.append(
                patch(
                    x: stepX(s.active) - Self.sliderGripSize / 2, y: oy + cvTotal, width: Self.sliderGripSize,
                    height: Self.sliderGripSize, radius: Self.sliderGripRadius, face: s.background, edge: s.border,
                    lineWidth: s.borderWidth))
        }
        for (i, d) in dropdowns(measurer: measurer).enumerated() {
            let w = d.headerWidth + d.pad.l + d.pad.r
            let h = d.headerHeight + d.pad.t + d.pad.b
            let lx = left + plotWidth * d.x - plotlyFromTopLeft(d.xanchor) * w
            let ly = top + plotHeight * (1 - d.y) - plotlyFromTopLeft(d.yanchor) * h
            let x = lx + d.pad.l
            let y = ly + d.pad.t
            patches.append(
                patch(
                    x: x, y: y, width: d.headerWidth, height: d.headerHeight, radius: Self.menuRadius,
                    face: d.background, edge: d.border, lineWidth: d.borderWidth))
            let baseline = y + d.headerHeight / 2 + Self.menuTextOffsetY
            let z = 6.5 + Double(i) * 1e-3
            if !d.label.isEmpty {
                pageText(
                    d.label, x: x + d.borderWidth + Self.menuTextOffsetX, baseline: baseline + d.borderWidth,
                    ha: "left", size: d.fontSize, color: nil, zorder: z)
            }
            pageText(
                d.arrow, x: x + d.headerWidth - Self.menuArrowOffsetX, baseline: baseline, ha: "right",
                size: d.fontSize,
                color: nil, zorder: z)
        }
    }
}
