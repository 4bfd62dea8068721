import Foundation

// The static view's axes as plotly.js sets them: ranges by plotly's
// autorange (`PlotlyExtremes`), ticks and tick labels by its auto ticks and
// `exponentformat` (`PlotlyTicks`), labels placed as its `makeLabelFns` does.

extension StaticTranslator {
    /// plotly's tick label standoff without tick marks or axis lines: half
    /// the default line width (0.5 px), in points.
    static let tickLabelStandoff = 0.5 * StaticTranslator.px

    /// A scatter trace's extremes (`scatter/calc.js` `calcAxisExpansion`):
    /// markers pad by their radius (at least 3 px); every trace with markers
    /// or text gets plotly's 5 % along x, every trace along y but those that
    /// fill towards another trace's x.
    mutating func addTraceExtremes(
        _ t: PlotObject, x: [Double], y: [Double], subplot k: Int, markerSizes: PlotValue?, hasText: Bool
    ) {
        let sp = subplots[k]
        let hasMarkers = markerSizes != nil || (t["mode"]?.stringValue?.contains("markers") ?? false)
        var pads: [Double] = [0]
        if hasMarkers {
            if let sizes = markerSizes?.numbersValue {
                pads = sizes.map { max(($0.isFinite ? $0 : 0) / 1.6, 3) }
            } else {
                pads = [max((markerSizes?.numberValue ?? 6) / 1.6, 3)]
            }
        }
        let fill = t["fill"]?.stringValue ?? "none"
        let errorY = t.value(at: "error_y.visible")?.boolValue == true
        var xPadded = true
        var xToZero = false
        var xPads = pads
        if fill == "tozerox" {
            xToZero = true
        } else if !errorY, fill == "tonexty" || fill == "tozeroy" || (!hasMarkers && !hasText) {
            xPadded = false
            xPads = [0]
        }
        let yToZero = fill == "tozeroy"
        let yPadded = !(fill == "tonextx" || fill == "tozerox")
        extremes[sp.xRef, default: PlotlyExtremes()].add(
            x, log: sp.xLog, padLower: xPads, padUpper: xPads, padded: xPadded, toZero: xToZero)
        extremes[sp.yRef, default: PlotlyExtremes()].add(
            y, log: sp.yLog, padLower: pads, padUpper: pads, padded: yPadded, toZero: yToZero)
    }

    /// Every axis' range (its own, a matched group's, or plotly's autorange)
    /// and its ticks and labels as plotly draws them.
    mutating func applyRanges(measurer: some TextMeasurer) {
        for isX in [true, false] {
            // Axes by reference, and `matches` groups (a member's own range wins).
            var groups: [String: [Int]] = [:]
            for (k, s) in subplots.enumerated() {
                let a = isX ? s.xAxis : s.yAxis
                let own = isX ? s.xRef : s.yRef
                groups[a["matches"]?.stringValue ?? own, default: []].append(k)
            }
            for key in groups.keys.sorted() {
                var members = groups[key] ?? []
                if let leader = subplots.firstIndex(where: { (isX ? $0.xRef : $0.yRef) == key }),
                    !members.contains(leader)
                {
                    members.insert(leader, at: 0)
                }
                applyRange(members: members, isX: isX, measurer: measurer)
            }
        }
    }

    /// The range of one axis (or matched group) in linearized units, set on
    /// every member with its ticks.
    mutating func applyRange(members: [Int], isX: Bool, measurer: some TextMeasurer) {
        guard let first = members.first else { return }
        func length(_ k: Int) -> Double {
            let r = subplots[k].rect
            return isX ? r[2] * width : r[3] * height
        }
        let log = isX ? subplots[first].xLog : subplots[first].yLog
        var range: (Double, Double)? = nil
        for k in members {
            let a = isX ? subplots[k].xAxis : subplots[k].yAxis
            if let r = a["range"]?.numbersValue, r.count == 2, r[0].isFinite, r[1].isFinite {
                range = (r[0], r[1])
                break
            }
        }
        if range == nil {
            var all = PlotlyExtremes()
            for k in members {
                let ref = isX ? subplots[k].xRef : subplots[k].yRef
                all.add(extremes[ref] ?? PlotlyExtremes(), padScale: length(first) / max(length(k), 1))
            }
            if var r = all.autoRange(length: length(first)) {
                let a = isX ? subplots[first].xAxis : subplots[first].yAxis
                if a["autorange"]?.stringValue == "reversed" { r = (r.1, r.0) }
                range = r
            } else {
                range = log ? (0, 1) : (-1, 6)
            }
        }
        guard let (r0, r1) = range else { return }
        for k in members {
            var axis = isX ? axes[k].x : axes[k].y
            let a = isX ? subplots[k].xAxis : subplots[k].yAxis
            let d0 = log ? pow(10, r0) : r0
            let d1 = log ? pow(10, r1) : r1
            axis.lower = min(d0, d1)
            axis.upper = max(d0, d1)
            axis.inverted = d0 > d1
            setTicks(&axis, plotly: a, log: log, isX: isX, range: (r0, r1), length: length(k), measurer: measurer)
            let r = subplots[k].rect
            hideLabelsPastPage(
                &axis, log: log, isX: isX, range: (r0, r1), length: length(k),
                origin: isX ? r[0] * width : height - r[1] * height, measurer: measurer)
            if isX { axes[k].x = axis } else { axes[k].y = axis }
        }
    }

    /// plotly's ticks and labels on `axis` (fixed `tickvals` keep theirs), and
    /// the angle of auto-angled x labels.
    func setTicks(
        _ axis: inout Axis, plotly a: PlotObject, log: Bool, isX: Bool, range: (Double, Double), length: Double,
        measurer: some TextMeasurer
    ) {
        setTickValues(&axis, plotly: a, log: log, isX: isX, range: range, length: length)
        autoAngle(&axis, plotly: a, log: log, isX: isX, range: range, length: length, measurer: measurer)
    }

    /// plotly's `ticklabeloverflow` 'hide past div': a label whose box leaves
    /// the page (sideways for x axes, up or down for y axes) is not drawn.
    /// `origin` is the page pixel of the range's low end.
    func hideLabelsPastPage(
        _ axis: inout Axis, log: Bool, isX: Bool, range: (Double, Double), length: Double,
        origin: Double, measurer: some TextMeasurer
    ) {
        guard let ticks = axis.ticks, var labels = axis.tickLabels else { return }
        let lo = range.0
        let span = range.1 - range.0
        guard span != 0 else { return }
        let sizes = axis.tickLabelSizes ?? ticks.map { _ in 9 }
        let turn = -(axis.tickLabelRotation ?? 0) * Double.pi / 180
        for (i, v) in ticks.enumerated() where i < labels.count && !labels[i].isEmpty {
            let p = ((log ? log10(v) : v) - lo) / span * length
            let fs = sizes[i] / Self.px
            if isX {
                let x = origin + p
                let w = measurer.measure(labels[i], fontSize: sizes[i], bold: false).width / Self.px
                let (l, r): (Double, Double) =
                    turn == 0
                    ? (x - w / 2, x + w / 2)
                    : turn > 0
                        ? (x - fs / 2 * sin(turn), x + w * cos(turn) + fs / 2 * sin(turn))
                        : (x - w * cos(turn) + fs / 2 * sin(turn), x - fs / 2 * sin(turn))
                if l < 0 || r > width { labels[i] = "" }
            } else {
                let y = origin - p
                if y + fs / 2 > height || y - fs / 2 + fs / 4 < 0 { labels[i] = "" }
            }
        }
        axis.tickLabels = labels
    }

    /// plotly's auto tick angle for x axes whose `tickangle` is unset.
    func autoAngle(
        _ axis: inout Axis, plotly a: PlotObject, log: Bool, isX: Bool, range: (Double, Double), length: Double,
        measurer: some TextMeasurer
    ) {
        guard isX, a["tickangle"]?.numberValue == nil, let ticks = axis.ticks, let labels = axis.tickLabels,
            ticks.count > 1
        else { return }
        axis.autoRotateTickLabels = nil
        axis.tickLabelRotation = 0
        // Auto angles are not tried on log axes with D ticks (minor digits between the decades).
        if log, axis.tickLabelSizes?.contains(where: { $0 != axis.tickLabelSizes?.first }) == true { return }
        let lo = min(range.0, range.1)
        let span = abs(range.1 - range.0)
        guard span > 0 else { return }
        let sizes = axis.tickLabelSizes ?? ticks.map { _ in 9 }
        var boxes: [(left: Double, right: Double)] = []
        var fontSize = 0.0
        for (i, v) in ticks.enumerated() where i < labels.count && !labels[i].isEmpty {
            let x = ((log ? log10(v) : v) - lo) / span * length
            let w = measurer.measure(labels[i], fontSize: sizes[i], bold: false).width / Self.px
            boxes.append((x - w / 2, x + w / 2 + 2))
            fontSize = max(fontSize, sizes[i] / Self.px)
        }
        guard boxes.count > 1 else { return }
        boxes.sort { $0.left < $1.left }
        guard zip(boxes, boxes.dropFirst()).contains(where: { $1.left <= $0.right }) else { return }
        // The first of plotly's angles (0°, 30°, 90°) at which the turned labels clear each other.
        let first = ((log ? log10(ticks[0]) : ticks[0]) - lo) / span * length
        let last = ((log ? log10(ticks[ticks.count - 1]) : ticks[ticks.count - 1]) - lo) / span * length
        let spacing = abs(last - first) / Double(ticks.count - 1)
        let height = fontSize * 1.25
        let limit = spacing / (spacing * spacing + height * height).squareRoot()
        let angle = [0.0, 30, 90].first { abs(cos($0 * Double.pi / 180)) <= limit } ?? 90
        axis.tickLabelRotation = -angle
    }

    /// The tick values and labels of one axis.
    func setTickValues(
        _ axis: inout Axis, plotly a: PlotObject, log: Bool, isX: Bool, range: (Double, Double), length: Double
    ) {
        let size = (a.value(at: "tickfont.size")?.numberValue ?? 12) * Self.px
        axis.tickLabelStandoff = Self.tickLabelStandoff
        axis.formatter = nil
        let hidden = a["showticklabels"]?.boolValue == false || a["visible"]?.boolValue == false
        if a["visible"]?.boolValue == false {
            axis.ticks = []
            axis.tickLabels = []
            return
        }
        if let all = a["tickvals"]?.numbersValue, a["tickmode"]?.stringValue != "auto" {
            let spec = PlotlyTickSpec(axis: a, log: log, isX: isX)
            let texts = a["ticktext"]?.arrayValue
            let format = PlotlyTicks.Format(spec: spec, range: range, dtick: .number(1))
            // plotly keeps the values inside the range widened by 1e-4 of its span.
            let (lo, hi) = PlotlyTicks.widened(range)
            let kept = all.indices.filter { i in
                let l = log ? log10(all[i]) : all[i]
                return l > lo && l < hi
            }
            axis.ticks = kept.map { all[$0] }
            axis.tickLabels = kept.map { i in
                if hidden { return "" }
                if let texts, i < texts.count {
                    return texts[i].stringValue.map(StaticFigure.plainText)
                        ?? texts[i].numberValue.map { PythonFormat.repr($0) } ?? ""
                }
                return format.text(log ? log10(all[i]) : all[i]).label
            }
            axis.tickLabelSizes = kept.map { _ in size }
            return
        }
        let ticks = PlotlyTicks.ticks(PlotlyTickSpec(axis: a, log: log, isX: isX), range: range, length: length)
        axis.ticks = ticks.map { log ? pow(10, $0.value) : $0.value }
        axis.tickLabels = hidden ? ticks.map { _ in "" } : ticks.map { StaticFigure.tickText($0.label) }
        axis.tickLabelSizes = ticks.map { size * $0.sizeScale }
    }
}

extension StaticFigure {
    /// A plotly tick label as figure text: HTML-ish text as plain text,
    /// matplotlib mathtext (plotly's powers) as it is.
    static func tickText(_ label: String) -> String {
        label.hasPrefix("$") && label.hasSuffix("$") && label.count > 1 ? label : plainText(label)
    }
}
