import Foundation

/// Why a static view of an interactive figure cannot be made.
public enum StaticViewError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A slider step was asked for, but the figure has no slider.
    case noSlider
    /// The slider step index is not one of the slider's steps.
    case stepOutOfRange(Int, count: Int)
    /// No slider step has this label.
    case unknownStepLabel(String, available: [String])
    /// A slider step animates a frame the figure does not have.
    case missingFrame(String)

    public var description: String {
        switch self {
        case .noSlider: return "the figure has no slider (layout.sliders is empty)"
        case .stepOutOfRange(let k, let n):
            return "layout.sliders[0].steps: step \(k) does not exist (the slider has \(n) steps)"
        case .unknownStepLabel(let label, let available):
            return
                "layout.sliders[0].steps: no step is labelled '\(label)' (labels: \(available.joined(separator: ", ")))"
        case .missingFrame(let name):
            return "frames: the slider animates frame '\(name)', which the figure does not have"
        }
    }
}

extension InteractiveFigure {
    /// The labels of the first slider's steps, in order (`[]` without a slider).
    public var sliderStepLabels: [String] {
        guard let slider = layout["sliders"]?.arrayValue?.first?.objectValue else { return [] }
        return (slider["steps"]?.arrayValue ?? []).enumerated().map { i, step in
            step.objectValue?["label"]?.stringValue ?? "\(i)"
        }
    }

    /// The index of the first slider's step labelled `label`.
    /// - Throws: `StaticViewError` when there is no slider or no such step.
    public func sliderStep(labelled label: String) throws -> Int {
        let labels = sliderStepLabels
        guard !labels.isEmpty else { throw StaticViewError.noSlider }
        guard let k = labels.firstIndex(of: label) else {
            throw StaticViewError.unknownStepLabel(label, available: labels)
        }
        return k
    }

    /// The view a static back end draws: what the page shows before anyone
    /// touches it, or with the first slider on step `step`.
    ///
    /// - every slider's step (`step` for the first slider, else the slider's
    ///   `active` step, default 0) is applied: an `animate` step's frames
    ///   patch the traces they list (`Frame.traces`, key by key, nested
    ///   objects merged as `Plotly.animate` merges them) and the layout;
    ///   `update`/`relayout` steps apply their layout changes;
    /// - every dropdown's `active` button (default 0) applies its layout
    ///   changes (`relayout` args, or the second `update` argument; keys such
    ///   as `annotations[0].text` or `xaxis2.range`). Its trace changes are
    ///   not applied: the traces' own `visible` already describe the default
    ///   entries, and a menu's `visible` array may assume the other menus'
    ///   defaults;
    /// - traces with `visible` false or `"legendonly"` are removed, and the
    ///   frames dropped. The sliders keep their widgets, with `active` set to
    ///   the step shown (so a caption can name it).
    ///
    /// - Throws: `StaticViewError` when `step` is given without a slider or
    ///   out of range, or a step animates a frame that does not exist.
    public func staticView(step: Int? = nil) throws -> InteractiveFigure {
        var fig = self
        var sliders = layout["sliders"]?.arrayValue ?? []
        if step != nil, sliders.isEmpty { throw StaticViewError.noSlider }
        for i in sliders.indices {
            guard var slider = sliders[i].objectValue else { continue }
            let steps = slider["steps"]?.arrayValue ?? []
            let k = (i == 0 ? step : nil) ?? Int(slider["active"]?.numberValue ?? 0)
            guard k >= 0, k < steps.count else {
                if i == 0, step != nil { throw StaticViewError.stepOutOfRange(k, count: steps.count) }
                continue
            }
            if let s = steps[k].objectValue { try fig.apply(method: s["method"]?.stringValue, args: s["args"]) }
            slider["active"] = .number(Double(k))
            sliders[i] = .object(slider)
        }
        if !sliders.isEmpty { fig.layout["sliders"] = .array(sliders) }
        for menu in layout["updatemenus"]?.arrayValue ?? [] {
            guard let m = menu.objectValue, let buttons = m["buttons"]?.arrayValue else { continue }
            let k = Int(m["active"]?.numberValue ?? 0)
            guard k >= 0, k < buttons.count, let b = buttons[k].objectValue else { continue }
            let args = b["args"]?.arrayValue ?? []
            switch b["method"]?.stringValue ?? "restyle" {
            case "relayout": if let r = args.first?.objectValue { fig.layout.relayout(r) }
            case "update": if args.count > 1, let r = args[1].objectValue { fig.layout.relayout(r) }
            default: break
            }
        }
        fig.data = fig.data.filter { t in
            switch t["visible"] {
            case .bool(false)?, .string("legendonly")?: return false
            default: return true
            }
        }
        fig.frames = []
        return fig
    }

    /// Applies one slider step's method (`animate`, `update`, `relayout`, `restyle`).
    mutating func apply(method: String?, args: PlotValue?) throws {
        let list = args?.arrayValue ?? []
        switch method ?? "restyle" {
        case "animate":
            let names: [String]
            switch list.first {
            case .string(let s)?: names = [s]
            case .array(let a)?: names = a.compactMap(\.stringValue)
            default: names = []
            }
            for name in names {
                guard let frame = frames.first(where: { $0.name == name }) else {
                    throw StaticViewError.missingFrame(name)
                }
                apply(frame)
            }
        case "relayout":
            if let r = list.first?.objectValue { layout.relayout(r) }
        case "update":
            if let s = list.first?.objectValue { restyle(s, traces: list.count > 2 ? list[2] : nil) }
            if list.count > 1, let r = list[1].objectValue { layout.relayout(r) }
        case "restyle":
            if let s = list.first?.objectValue { restyle(s, traces: list.count > 1 ? list[1] : nil) }
        default: break
        }
    }

    /// `Plotly.animate` to one frame: each data patch merges into the trace it
    /// lists (every trace in order when the frame lists none), then the
    /// layout patch merges into the layout.
    mutating func apply(_ frame: Frame) {
        let targets = frame.traces.isEmpty ? Array(frame.data.indices) : frame.traces
        for (patch, index) in zip(frame.data, targets) where data.indices.contains(index) {
            var p = patch
            p["type"] = nil
            data[index].update(p)
        }
        layout.update(frame.layout)
    }

    /// `Plotly.restyle(gd, update, traces)`: an array value gives trace i its
    /// i-th element (plotly's per-trace arrays); a scalar goes to every trace.
    mutating func restyle(_ update: PlotObject, traces: PlotValue?) {
        let targets = traces?.numbersValue.map { $0.map { Int($0) } } ?? Array(data.indices)
        for key in update.keys {
            guard let value = update[key] else { continue }
            for (j, index) in targets.enumerated() where data.indices.contains(index) {
                let v: PlotValue
                if let items = value.arrayValue {
                    guard j < items.count else { continue }
                    v = items[j]
                } else {
                    v = value
                }
                data[index].relayout([key: v])
            }
        }
    }
}

extension PlotObject {
    /// `Plotly.relayout(gd, update)`: each key is a path of names and indices
    /// (`annotations[0].text`, `xaxis2.range`, `title.text`) whose value
    /// replaces what is there; null removes it.
    public mutating func relayout(_ update: PlotObject) {
        for key in update.keys {
            guard let value = update[key] else { continue }
            let path = Self.parsePath(key)
            guard !path.isEmpty,
                case .object(let o) = Self.setting(.object(self), path[...], value)
            else { continue }
            self = o
        }
    }

    /// One step of a relayout path.
    enum PathStep: Hashable {
        case key(String)
        case index(Int)
    }

    /// `annotations[0].text` → key annotations, index 0, key text.
    static func parsePath(_ s: String) -> [PathStep] {
        var out: [PathStep] = []
        for part in s.split(separator: ".") {
            var name = Substring(part)
            var indices: [Int] = []
            while name.hasSuffix("]"), let open = name.lastIndex(of: "[") {
                guard let i = Int(name[name.index(after: open)..<name.index(before: name.endIndex)]) else { break }
                indices.insert(i, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { out.append(.key(String(name))) }
            out += indices.map { .index($0) }
        }
        return out
    }

    /// `root` with `value` set at `path` (intermediate objects and arrays
    /// created; an index past the end of an array appends only right at it).
    static func setting(_ root: PlotValue?, _ path: ArraySlice<PathStep>, _ value: PlotValue) -> PlotValue {
        guard let first = path.first else { return value }
        let rest = path.dropFirst()
        switch first {
        case .key(let k):
            var o = root?.objectValue ?? PlotObject()
            let v = setting(o[k], rest, value)
            if v == .null, rest.isEmpty {
                o[k] = nil
            } else {
                o[k] = v
            }
            return .object(o)
        case .index(let i):
            var a = root?.arrayValue ?? []
            if i >= 0, i < a.count {
                a[i] = setting(a[i], rest, value)
            } else if i == a.count {
                a.append(setting(nil, rest, value))
            }
            return .array(a)
        }
    }
}
