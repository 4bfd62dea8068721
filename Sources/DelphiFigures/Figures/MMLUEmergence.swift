import FigureModel
import Foundation
import Numerics

/// `build_mmlu_emergence_figure`: MMLU log-prob vs compute (power law at a
/// Richards-derived L∞) and accuracy vs log-prob (Richards sigmoid), with a
/// dropdown over MMLU 0/5-shot and the HumanEval / GSM8K views.
public enum DelphiMMLUEmergence {
    static let randomAcc = 0.25
    static let heldLo = 5e20
    static let nProblemsMMLU = 14042.0
    static let humanevalView = 10
    static let gsm8kView = 15
    static let viewLabels: [Int: String] = [
        0: "MMLU 0-Shot", 5: "MMLU 5-Shot", 10: "HumanEval 10-Shot", 15: "GSM8K 5-Shot",
    ]
    static let black = PlotValue.string(DelphiStyle.brandBlack)

    /// `_DELPHI_MODEL_LABELS`, in the dict's order.
    static let modelLabels: [(Double, String)] = [
        (3e18, "isoflop d1024 / L11 / B8"), (9e18, "isoflop d1152 / L12 / B16"), (2e19, "isoflop d1408 / L15 / B16"),
        (3e19, "isoflop d1536 / L16 / B32"), (9e19, "isoflop d1792 / L18 / B64"), (2e20, "isoflop d2048 / L21 / B64"),
        (3e20, "isoflop d2304 / L23 / B128"), (1e21, "Delphi optimal 1e21"), (1e22, "Delphi optimal 1e22"),
        (1e23, "Delphi optimal 1e23"),
    ]

    /// `_delphi_model_label(budget)`.
    static func modelLabel(_ b: Double) -> String {
        for (k, v) in modelLabels where abs(b - k) / k < 0.05 { return v }
        return "C=\(Py.f(b, ".0e")) FLOPs"
    }

    /// `_prettify_external_name(name)`.
    static func prettify(_ name: String) -> String {
        func match(_ pattern: String, _ s: String) -> [String?]? {
            guard let re = try? NSRegularExpression(pattern: pattern),
                let m = re.firstMatch(in: s, range: NSRange(s.startIndex..., in: s))
            else { return nil }
            return (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: s).map { String(s[$0]) } }
        }
        func sub(_ pattern: String, _ template: String, _ s: String) -> String {
            guard let re = try? NSRegularExpression(pattern: pattern) else { return s }
            return re.stringByReplacingMatches(
                in: s, range: NSRange(s.startIndex..., in: s), withTemplate: template)
        }
        if let m = match(#"^isoflop-(\d+e[+\-]\d+)-"#, name), let b = m[1] {
            return "comma-mix @ \(b.replacingOccurrences(of: "+", with: "")) FLOPs"
        }
        var s = sub(#"^marin-us-\w+-"#, "", name)
        s = sub(#"_lmeval.*$"#, "", s)
        let parts = s.components(separatedBy: "--")
        if parts.count < 2 { return name }
        let model = parts[1]
        if model.hasPrefix("Qwen3-") {
            var rest = String(model.dropFirst("Qwen3-".count))
            rest = sub(#"^(\d)-(\d+)B"#, "$1.$2B", rest)
            rest = sub(#"-Base$"#, "", rest)
            return "Qwen 3 Base \(rest.components(separatedBy: "-")[0])"
        }
        if model.hasPrefix("Llama-"), let m = match(#"^Llama-(\d+)(?:-(\d+))?-(\d+[A-Za-z]+)"#, model),
            let major = m[1], let size = m[3]
        {
            let version = m[2].map { "\(major).\($0)" } ?? major
            return "Llama \(version) \(size.uppercased())"
        }
        if model.hasPrefix("OLMo-"), let m = match(#"^OLMo-(\d+)-\d{4}-(\d+[A-Za-z]+)"#, model), let v = m[1],
            let size = m[2]
        {
            return "OLMo \(v) \(size.uppercased())"
        }
        if model.hasPrefix("marin-") {
            var tokens = model.components(separatedBy: "-").map { t in
                t != "base" ? t.prefix(1).uppercased() + t.dropFirst().lowercased() : "Base"
            }
            tokens = tokens.map { $0.lowercased() == "marin" ? "Marin" : $0 }
            tokens = tokens.map { t in match(#"^\d+b$"#, t.lowercased()) != nil ? t.uppercased() : t }
            return tokens.joined(separator: " ")
        }
        return sub(#"-(?:Base|hf)$"#, "", model)
    }

    /// `np.column_stack` of a float column and a string column: every cell a string
    /// (floats as Python's `repr`).
    static func stringColumns(_ cols: [[String]]) -> PlotValue {
        let n = cols.first?.count ?? 0
        return .array((0..<n).map { i in .array(cols.map { .string($0[i]) }) })
    }
    static func reprs(_ v: [Double]) -> [String] { v.map(Py.str) }

    /// The leader-line segments and labels of held-out callouts.
    static func leaders(_ cs: [Double], _ ys: [Double], _ labels: [String]) -> PlotObject {
        var sx: [Double] = []
        var sy: [Double] = []
        var st: [String] = []
        for i in cs.indices {
            sx += [cs[i], cs[i] * 1.7, .nan]
            sy += [ys[i], ys[i] * 1.08, .nan]
            st += ["", labels[i], ""]
        }
        return [
            "x": .numbers(sx), "y": .numbers(sy), "mode": "lines+text",
            "line": ["color": "rgba(80,80,80,0.55)", "width": 1], "text": .strings(st),
            "textposition": "middle right", "textfont": ["size": 11, "color": black], "showlegend": false,
        ]
    }

    /// The figure, in the exporter's steps: data preparation, the panel-1
    /// fit/extrapolation divider, one view per MMLU shot, the downstream
    /// views (HumanEval, GSM8K), the dropdown, the layout.
    public static func figure(_ evals: DelphiEvals) -> InteractiveFigure {
        let fig = InteractiveFigure.makeSubplots(
            rows: 1, cols: 2,
            subplotTitles: ["Log-prob improves smoothly with compute", "Accuracy emerges at larger scales"],
            horizontalSpacing: 0.14)
        let p = Prepared(evals)
        var b = Builder(fig: fig, evals: evals, shots: p.shots)
        addHeldOutDivider(&b.fig)
        for shot in p.shots { b.addShotView(shot, p) }
        var states: [State] = []
        for spec in downstreamSpecs(evals) { states.append(b.addDownstreamView(spec, p)) }
        let axes = MMLUAxes(p)
        addDropdown(&b, views: p.shots + states.map(\.view), states: states, defaultShot: p.defaultShot, axes: axes)
        applyLayout(&b.fig, p, axes)
        return b.fig
    }

    /// The numbers every view shares: the held-out split, the shared Richards
    /// fit (external pool, else Delphi train) inverted at `C − 1/n` for L∞,
    /// each shot's power law at that L∞, and the compute and log-prob grids.
    struct Prepared {
        let df: [DelphiMMLURow]
        let ext: [DelphiMMLUExternalRow]?
        let train: [DelphiMMLURow]
        let test: [DelphiMMLURow]
        let shots: [Int]
        let mmluFit: RichardsFit?
        let linfNegLp: Double
        let asym: [Int: DelphiFits.PowerLawFit]
        let cMin: Double
        let cMax: Double
        let cGrid: [Double]
        let lpVals: [Double]
        let xCurve: [Double]
        let defaultShot: Int

        init(_ evals: DelphiEvals) {
            let df = evals.mmlu
            let ext = (evals.mmluExternal?.isEmpty ?? true) ? nil : evals.mmluExternal
            let train = df.filter { $0.budget < heldLo }
            let shots = Array(Set(df.map(\.shot))).sorted()
            let richX = ext.map { $0.map(\.choiceLogprob) } ?? train.map(\.choiceLogprob)
            let richY = ext.map { $0.map(\.accuracy) } ?? train.map(\.accuracy)
            let mmluFit = Richards.fit(x: richX, y: richY, floor: randomAcc, ceiling: nil)
            var poolNegLp = df.map { -$0.choiceLogprob }
            if let ext { poolNegLp += ext.map { -$0.choiceLogprob } }
            let poolYMin = poolNegLp.min() ?? 0.0
            var linfNegLp = poolYMin
            if let f = mmluFit {
                let xAt = DelphiFits.invertRichards(
                    k: f.k, x0: f.x0, v: f.v, target: f.c - 1.0 / nProblemsMMLU, floor: randomAcc, ceiling: f.c)
                if 0.0 < -xAt && -xAt < poolYMin { linfNegLp = -xAt }
            }
            var asym: [Int: DelphiFits.PowerLawFit] = [:]
            for s in shots {
                let sub = train.filter { $0.shot == s }
                asym[s] =
                    DelphiFits.fitPowerAtLinf(sub.map(\.budget), sub.map { -$0.choiceLogprob }, lInf: linfNegLp)
                    ?? .fail
            }
            cMin = NP.min(df.map(\.budget)) / Foundation.pow(10.0, 0.1)
            cMax = 3e25
            cGrid = NP.linspace(Foundation.log10(cMin), Foundation.log10(cMax), num: 400).map {
                Foundation.pow(10.0, $0)
            }
            var lpVals = df.map(\.choiceLogprob)
            if let ext { lpVals += ext.map(\.choiceLogprob) }
            let xLoAll = lpVals.min() ?? 0
            let xHiAll = lpVals.max() ?? 0
            let pad = xHiAll > xLoAll ? 0.08 * (xHiAll - xLoAll) : 0.2
            xCurve = NP.linspace(xLoAll - pad, xHiAll + pad, num: 400)
            self.df = df
            self.ext = ext
            self.train = train
            self.test = df.filter { $0.budget >= heldLo }
            self.shots = shots
            self.mmluFit = mmluFit
            self.linfNegLp = linfNegLp
            self.asym = asym
            self.lpVals = lpVals
            defaultShot = shots.contains(5) ? 5 : (shots.first ?? 0)
        }
    }

    /// The divider at `held_lo` and its "fit ← | → extrapolation" labels on panel 1.
    static func addHeldOutDivider(_ fig: inout InteractiveFigure) {
        fig.addShape([
            "type": "line", "x0": .number(heldLo), "x1": .number(heldLo), "xref": "x", "y0": 0, "y1": 1,
            "yref": "y domain", "line": ["color": "#1f1e1b", "width": 1, "dash": "dot"], "layer": "below",
            "opacity": 0.45,
        ])
        for (text, anchor, shift) in [("fit ← ", "right", -4.0), (" → extrapolation", "left", 4.0)] {
            fig.addAnnotation([
                "x": .number(Foundation.log10(heldLo)), "y": 0.98, "xref": "x", "yref": "y domain",
                "text": .string(text), "showarrow": false, "xanchor": .string(anchor), "yanchor": "top",
                "xshift": .number(shift), "font": ["size": 12, "color": "#1f1e1b"],
            ])
        }
    }

    /// The figure under construction and the traces of each dropdown view
    /// (`view_traces`, filled by `_add`).
    struct Builder {
        var fig: InteractiveFigure
        var viewTraces: [Int: [Int]] = [:]
        let color = PlotValue.string(DelphiStyle.brandTerracotta)

        init(fig: InteractiveFigure, evals: DelphiEvals, shots: [Int]) {
            self.fig = fig
            for s in shots { viewTraces[s] = [] }
            if let h = evals.humaneval, !h.isEmpty { viewTraces[humanevalView] = [] }
            if let g = evals.gsm8k, !g.isEmpty { viewTraces[gsm8kView] = [] }
        }

        /// `_add(trace, view_id, row=1, col=col)`.
        mutating func add(_ t: PlotObject, _ view: Int, col: Int) {
            fig.addTrace(t, row: 1, col: col)
            viewTraces[view, default: []].append(fig.data.count - 1)
        }

        /// The leader lines and % error labels of held-out points (panel 1).
        mutating func addLeaders(
            _ cs: [Double], _ ys: [Double], _ errLabels: [String], label: String, visible: PlotValue, view: Int
        ) {
            var l = leaders(cs, ys, errLabels)
            l.update(["legendgroup": .string(label), "visible": visible, "hoverinfo": "skip"])
            add(l, view, col: 1)
        }

        /// The two 1e25 forecast markers (panel 1 at C, panel 2 with its percentage label).
        mutating func addForecast(
            label: String, view: Int, visible: PlotValue, c: Double, y1: Double, x2: Double, acc: Double,
            hover: String
        ) {
            let marker: PlotValue = [
                "size": 14, "color": color, "symbol": "x-open", "line": ["width": 2, "color": color],
            ]
            add(
                [
                    "x": .numbers([c]), "y": .numbers([y1]), "mode": "markers", "marker": marker,
                    "name": .string("\(label) (1e25 forecast)"), "legendgroup": .string(label), "visible": visible,
                    "showlegend": false, "hovertemplate": .string(hover),
                ], view, col: 1)
            add(
                [
                    "x": .numbers([x2]), "y": .numbers([acc]), "mode": "markers+text", "marker": marker,
                    "text": .strings(["1e25 forecast: \(Py.f(acc, ".1%"))"]), "textposition": "top left",
                    "textfont": ["size": 11, "color": black], "name": .string("\(label) (1e25 forecast)"),
                    "legendgroup": .string(label), "visible": visible, "showlegend": false,
                    "hovertemplate": .string(hover),
                ], view, col: 2)
        }
    }
}

// MARK: - The MMLU shot views

extension DelphiMMLUEmergence {
    /// One shot's view: its label, whether it is the default, its asymptote
    /// fit and its Delphi rows (fit and held-out, by budget).
    struct ShotView {
        let shot: Int
        let label: String
        let isDefault: PlotValue
        let d: DelphiFits.PowerLawFit
        let trainSub: [DelphiMMLURow]
        let testSub: [DelphiMMLURow]

        init(_ shot: Int, _ p: Prepared) {
            self.shot = shot
            label = viewLabels[shot] ?? "MMLU \(shot)-Shot"
            isDefault = PlotValue.bool(shot == p.defaultShot)
            d = p.asym[shot] ?? .fail
            trainSub = p.train.filter { $0.shot == shot }.sorted { $0.budget < $1.budget }
            testSub = p.test.filter { $0.shot == shot }.sorted { $0.budget < $1.budget }
        }
    }
}

extension DelphiMMLUEmergence.Builder {
    typealias Emergence = DelphiMMLUEmergence

    /// The exporter's `for shot in shots` body: panel 1, panel 2, then the
    /// two-step 1e25 forecast (power law to C=1e25, Richards to accuracy).
    mutating func addShotView(_ shot: Int, _ p: Emergence.Prepared) {
        let s = Emergence.ShotView(shot, p)
        addShotPanel1(s, p)
        addShotPanel2(s, p)
        let d = s.d
        if d.ok, let f = p.mmluFit {
            let cF = 1e25
            let predNegLp = d.lInf + d.a * Foundation.pow(cF, -d.alpha)
            let predLp = -predNegLp
            let predAcc =
                Emergence.randomAcc + (f.c - Emergence.randomAcc)
                / Foundation.pow(1.0 + Foundation.exp(-f.k * (predLp - f.x0)), f.v)
            let hover =
                "\(s.label) 1e25 forecast<br>C=1e25 FLOPs<br>log p(correct)=\(Py.f(predLp, ".3f"))<br>predicted acc=\(Py.f(predAcc, ".3f"))<extra></extra>"
            addForecast(
                label: s.label, view: shot, visible: s.isDefault, c: cF, y1: predNegLp, x2: predNegLp, acc: predAcc,
                hover: hover)
        }
    }

    /// Panel 1 of a shot: the asymptote in −log-prob space, the Delphi fit
    /// points, the held-out points and their leader-line % error callouts.
    mutating func addShotPanel1(_ s: Emergence.ShotView, _ p: Emergence.Prepared) {
        let (label, isDefault, d, shot) = (s.label, s.isDefault, s.d, s.shot)
        if d.ok {
            let yNeg = p.cGrid.map { d.lInf + d.a * Foundation.pow($0, -d.alpha) }
            add(
                [
                    "x": .numbers(p.cGrid), "y": .numbers(yNeg), "mode": "lines",
                    "line": ["color": color, "width": 1.5, "dash": "dash"],
                    "name": .string("\(label) asymptote (α=\(Py.f(d.alpha, ".3f")), L∞=\(Py.f(d.lInf, ".3f")))"),
                    "legendgroup": .string(label), "visible": isDefault, "showlegend": false,
                    "customdata": .matrix(yNeg.map { [-$0] }),
                    "hovertemplate": .string(
                        "\(label) asymptote<br>C=%{x:.3e} FLOPs<br>log p(correct)=%{customdata[0]:.3f}<extra></extra>"
                    ),
                ], shot, col: 1)
        }
        let trainNegLp = s.trainSub.map { -$0.choiceLogprob }
        add(
            [
                "x": .numbers(s.trainSub.map(\.budget)), "y": .numbers(trainNegLp), "mode": "markers",
                "marker": ["size": 9, "color": color, "symbol": "circle"], "name": .string("\(label) (Delphi fit)"),
                "legendgroup": .string(label), "visible": isDefault,
                "customdata": Emergence.stringColumns([
                    Emergence.reprs(trainNegLp.map { -$0 }), s.trainSub.map { Emergence.modelLabel($0.budget) },
                ]),
                "hovertemplate": .string(
                    "\(label) (fit)<br>%{customdata[1]}<br>C=%{x:.3e} FLOPs<br>log p(correct)=%{customdata[0]:.3f}<extra></extra>"
                ),
            ], shot, col: 1)
        guard !s.testSub.isEmpty else { return }
        let testNegLp = s.testSub.map { -$0.choiceLogprob }
        let testC = s.testSub.map(\.budget)
        let errLabels: [String] =
            d.ok
            ? testC.indices.map { i in
                let pred = d.lInf + d.a * Foundation.pow(testC[i], -d.alpha)
                return Py.fmtPctErr((testNegLp[i] - pred) / pred * 100.0)
            } : testC.map { _ in "" }
        add(
            [
                "x": .numbers(testC), "y": .numbers(testNegLp), "mode": "markers",
                "marker": ["size": 11, "color": color, "symbol": "circle"],
                "name": .string("\(label) (Delphi held-out)"), "legendgroup": .string(label),
                "visible": isDefault, "showlegend": false,
                "customdata": Emergence.stringColumns([
                    Emergence.reprs(testNegLp.map { -$0 }), testC.map(Emergence.modelLabel),
                ]),
                "hovertemplate": .string(
                    "\(label) (held-out)<br>%{customdata[1]}<br>C=%{x:.3e} FLOPs<br>log p(correct)=%{customdata[0]:.3f}<extra></extra>"
                ),
            ], shot, col: 1)
        addLeaders(testC, testNegLp, errLabels, label: label, visible: isDefault, view: shot)
    }

    /// Panel 2 of a shot: the shared Richards curve (NaN without a fit), the
    /// external pool, the Delphi fit and held-out points by log-prob.
    mutating func addShotPanel2(_ s: Emergence.ShotView, _ p: Emergence.Prepared) {
        let (label, isDefault, d, shot) = (s.label, s.isDefault, s.d, s.shot)
        let randomAcc = Emergence.randomAcc
        let (k, x0, v, c) = p.mmluFit.map { ($0.k, $0.x0, $0.v, $0.c) } ?? (0.0, 0.0, 1.0, 1.0)
        let ySig: [Double] =
            p.mmluFit == nil
            ? p.xCurve.map { _ in .nan }
            : p.xCurve.map { randomAcc + (c - randomAcc) / Foundation.pow(1.0 + Foundation.exp(-k * ($0 - x0)), v) }
        add(
            [
                "x": .numbers(p.xCurve.map { -$0 }), "y": .numbers(ySig), "mode": "lines",
                "line": ["color": color, "width": 1.5, "dash": "dash"],
                "name": .string(
                    "\(label) Richards fit (k=\(Py.f(k, ".2f")), v=\(Py.f(v, ".2f")), C=\(Py.f(c, ".2f")), L∞=\(Py.f(d.lInf, ".3f")))"
                ),
                "legendgroup": .string(label), "visible": isDefault, "showlegend": false,
                "customdata": .matrix(p.xCurve.map { [$0] }),
                "hovertemplate": .string(
                    "\(label) Richards fit<br>log p(correct)=%{customdata[0]:.3f}<br>predicted acc=%{y:.3f}<extra></extra>"
                ),
            ], shot, col: 2)
        if let ext = p.ext {
            let extLp = ext.map(\.choiceLogprob)
            add(
                [
                    "x": .numbers(extLp.map { -$0 }), "y": .numbers(ext.map(\.accuracy)), "mode": "markers",
                    "marker": [
                        "size": 7, "color": "#7a736b", "symbol": "circle", "opacity": 0.55, "line": ["width": 0],
                    ],
                    "name": "External Models Used for Regression", "legendgroup": "external", "visible": isDefault,
                    "customdata": Emergence.stringColumns([
                        ext.map { Emergence.prettify($0.runName ?? "nan") }, Emergence.reprs(extLp),
                    ]),
                    "hovertemplate":
                        "%{customdata[0]}<br>log p(correct)=%{customdata[1]:.3f}<br>accuracy=%{y:.3f}<extra></extra>",
                ], shot, col: 2)
        }
        let byLp = { (rows: [DelphiMMLURow]) in
            rows.enumerated().sorted {
                ($0.element.choiceLogprob, $0.offset) < ($1.element.choiceLogprob, $1.offset)
            }
            .map(\.element)
        }
        for (rows, held) in [(byLp(s.trainSub), false), (byLp(s.testSub), true)] where !held || !s.testSub.isEmpty {
            let lps = rows.map(\.choiceLogprob)
            add(
                [
                    "x": .numbers(lps.map { -$0 }), "y": .numbers(rows.map(\.accuracy)), "mode": "markers",
                    "marker": ["size": held ? 11 : 9, "color": color, "symbol": "circle"],
                    "name": .string("\(label) (Delphi \(held ? "held-out" : "fit"))"),
                    "legendgroup": .string(label),
                    "visible": isDefault, "showlegend": false,
                    "customdata": Emergence.stringColumns([
                        Emergence.reprs(lps), rows.map { Emergence.modelLabel($0.budget) },
                    ]),
                    "hovertemplate": .string(
                        "\(label) (\(held ? "held-out" : "fit"))<br>%{customdata[1]}<br>log p(correct)=%{customdata[0]:.3f}<br>accuracy=%{y:.3f}<extra></extra>"
                    ),
                ], shot, col: 2)
        }
    }
}

// MARK: - The downstream views (HumanEval, GSM8K)

extension DelphiMMLUEmergence {
    /// `_add_downstream_view`'s `spec`.
    struct Spec {
        var rows: [DelphiDownstreamRow]
        var ext: [DelphiDownstreamExternalRow]?
        var view: Int
        var accHover: String
        var bpbTitle: String
        var accTitle: String
        var nProblems: Double
        var linfPinned: Double
        var panel1Annot: String
        var panel2WithAcc: String
        var panel2WithoutAcc: String
    }

    /// What the dropdown button of a downstream view sets (its return value).
    struct State {
        var view: Int
        var p1Range: [Double]
        var p1Title: String
        var p1Ticks: [Double]
        var p2x: (title: String, range: [Double], ticks: [Double])?
        var p2y: (title: String, range: [Double])?
        var panel1Annot: String
        var panel2Annot: String
    }

    /// The HumanEval and GSM8K specs, for the caches that have rows.
    static func downstreamSpecs(_ evals: DelphiEvals) -> [Spec] {
        var specs: [Spec] = []
        if let h = evals.humaneval, !h.isEmpty {
            specs.append(
                Spec(
                    rows: h, ext: evals.humanevalExternal, view: humanevalView, accHover: "pass@1",
                    bpbTitle: "HumanEval bits/byte", accTitle: "HumanEval pass@1", nProblems: 164, linfPinned: 0.2,
                    panel1Annot: "Bits/byte improves smoothly with compute",
                    panel2WithAcc: "Pass@1 emerges at larger scales", panel2WithoutAcc: "Pass@1 emergence (pending)"
                ))
        }
        if let g = evals.gsm8k, !g.isEmpty {
            specs.append(
                Spec(
                    rows: g, ext: evals.gsm8kExternal, view: gsm8kView, accHover: "exact-match",
                    bpbTitle: "GSM8K bits/byte", accTitle: "GSM8K exact-match", nProblems: 1319, linfPinned: 0.2,
                    panel1Annot: "Bits/byte improves smoothly with compute",
                    panel2WithAcc: "Exact-match emerges at larger scales",
                    panel2WithoutAcc: "Exact-match emergence (pending)"))
        }
        return specs
    }

    /// A downstream view's rows split at `held_lo` (by budget), its L∞ (the
    /// sigmoid on train + pool inverted at `C − 1/n_problems`, else the best
    /// pool bpb, else `linf_pinned`) and its power law at that L∞.
    struct DownstreamFit {
        let spec: Spec
        let label: String
        let tr: [DelphiDownstreamRow]
        let te: [DelphiDownstreamRow]
        let sigFit: RichardsFit?
        let linfUse: Double
        let fit: DelphiFits.PowerLawFit

        init(_ spec: Spec) {
            self.spec = spec
            label = viewLabels[spec.view] ?? ""
            let byBudget = { (rows: [DelphiDownstreamRow]) in
                rows.enumerated().sorted { ($0.element.budget, $0.offset) < ($1.element.budget, $1.offset) }.map(
                    \.element)
            }
            let tr = byBudget(spec.rows.filter { $0.budget < heldLo })
            te = byBudget(spec.rows.filter { $0.budget >= heldLo })
            let cTr = tr.map(\.budget)
            let yTr = tr.map(\.bpb)
            var sigFit: RichardsFit? = nil
            var linfUse = spec.linfPinned
            if let dext = spec.ext, !dext.isEmpty {
                let sigBpb = yTr + dext.map(\.bpb)
                let sigAcc = tr.map(\.acc) + dext.map(\.acc)
                let mask = sigBpb.indices.filter { sigBpb[$0].isFinite && sigAcc[$0].isFinite }
                if spec.nProblems > 0 && mask.count >= 4 {
                    sigFit = Richards.fit(
                        x: mask.map { -sigBpb[$0] }, y: mask.map { sigAcc[$0] }, floor: 0.0, ceiling: nil)
                }
                let poolMin = mask.isEmpty ? Double.nan : NP.min(mask.map { sigBpb[$0] })
                if let f = sigFit, poolMin.isFinite {
                    let xAt = DelphiFits.invertRichards(
                        k: f.k, x0: f.x0, v: f.v, target: f.c - 1.0 / spec.nProblems, floor: 0.0, ceiling: f.c)
                    linfUse = (0.0 < -xAt && -xAt < poolMin) ? -xAt : poolMin
                } else {
                    linfUse = poolMin.isFinite ? poolMin : spec.linfPinned
                }
            }
            self.tr = tr
            self.sigFit = sigFit
            self.linfUse = linfUse
            fit = DelphiFits.fitPowerAtLinf(cTr, yTr, lInf: linfUse) ?? .fail
        }
    }

    /// A downstream view's axis envelopes: panel 1 (log, reversed, Delphi
    /// points and L∞), panel 2 (also the external pool) and the valid accuracies.
    struct DownstreamEnvelope {
        let p1Range: [Double]
        let p1Ticks: [Double]
        let p2Min: Double
        let p2Max: Double
        let p2Ticks: [Double]
        let accValid: [Double]

        init(_ d: DownstreamFit) {
            let spec = d.spec
            let bpbAll = spec.rows.map(\.bpb)
            let bpbMin = NP.min(bpbAll)
            let bpbMax = NP.max(bpbAll)
            let bpbLow = min(bpbMin, d.linfUse)
            let logPad = 0.06
            let axisLow = bpbLow / Foundation.pow(10.0, logPad)
            let axisHigh = bpbMax * Foundation.pow(10.0, logPad)
            let cands = [0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0]
            var p1Ticks = cands.filter { $0 >= axisLow && $0 <= axisHigh }
            if p1Ticks.isEmpty { p1Ticks = cands }
            p1Range = [Foundation.log10(bpbMax) + logPad, Foundation.log10(bpbLow) - logPad]
            var p2Min = min(bpbMin, d.linfUse)
            var p2Max = bpbMax
            if let dext = spec.ext, !dext.isEmpty {
                p2Min = min(p2Min, NP.min(dext.map(\.bpb)))
                p2Max = max(p2Max, NP.max(dext.map(\.bpb)))
            }
            var p2Ticks = cands.filter { $0 >= p2Min * 0.85 && $0 <= p2Max * 1.15 }
            if p2Ticks.isEmpty { p2Ticks = cands }
            var accValid = spec.rows.map(\.acc).filter(\.isFinite)
            if let dext = spec.ext, !dext.isEmpty { accValid += dext.map(\.acc).filter(\.isFinite) }
            self.p1Ticks = p1Ticks
            self.p2Min = p2Min
            self.p2Max = p2Max
            self.p2Ticks = p2Ticks
            self.accValid = accValid
        }
    }
}

extension DelphiMMLUEmergence.Builder {
    /// `_add_downstream_view(spec)`: panel 1, the envelopes, panel 2 when
    /// there are accuracies; returns what the view's button sets.
    mutating func addDownstreamView(_ spec: Emergence.Spec, _ p: Emergence.Prepared) -> Emergence.State {
        let d = Emergence.DownstreamFit(spec)
        addDownstreamPanel1(d, p)
        let env = Emergence.DownstreamEnvelope(d)
        var state = Emergence.State(
            view: spec.view, p1Range: env.p1Range, p1Title: spec.bpbTitle, p1Ticks: env.p1Ticks, p2x: nil, p2y: nil,
            panel1Annot: spec.panel1Annot, panel2Annot: spec.panel2WithoutAcc)
        if !env.accValid.isEmpty {
            addDownstreamPanel2(d, env)
            state.p2x = (
                spec.bpbTitle, [Foundation.log10(env.p2Max * 1.15), Foundation.log10(env.p2Min * 0.85)], env.p2Ticks
            )
            state.p2y = (spec.accTitle, [-0.01, max((env.accValid.max() ?? 0) * 1.08, 1.0)])
            state.panel2Annot = spec.panel2WithAcc
        }
        return state
    }

    /// Panel 1 of a downstream view: the asymptote fit, the Delphi fit
    /// points, the held-out points with their leader-line % error callouts.
    mutating func addDownstreamPanel1(_ d: Emergence.DownstreamFit, _ p: Emergence.Prepared) {
        let (label, fit, view) = (d.label, d.fit, d.spec.view)
        let cTr = d.tr.map(\.budget)
        let yTr = d.tr.map(\.bpb)
        if fit.ok {
            add(
                [
                    "x": .numbers(p.cGrid),
                    "y": .numbers(p.cGrid.map { fit.lInf + fit.a * Foundation.pow($0, -fit.alpha) }),
                    "mode": "lines", "line": ["color": color, "width": 1.5, "dash": "dash"],
                    "name": .string(
                        "\(label) asymptote (α=\(Py.f(fit.alpha, ".3f")), L∞=\(Py.f(fit.lInf, ".3f")))"),
                    "legendgroup": .string(label), "visible": false, "showlegend": false,
                    "hovertemplate": .string(
                        "\(label) fit<br>C=%{x:.3e} FLOPs<br>bits/byte=%{y:.3f}<extra></extra>"),
                ], view, col: 1)
        }
        add(
            [
                "x": .numbers(cTr), "y": .numbers(yTr), "mode": "markers",
                "marker": ["size": 9, "color": color, "symbol": "circle"], "name": .string("\(label) (Delphi fit)"),
                "legendgroup": .string(label), "visible": false,
                "customdata": Emergence.stringColumns([cTr.map(Emergence.modelLabel)]),
                "hovertemplate": .string(
                    "\(label) (fit)<br>%{customdata[0]}<br>C=%{x:.3e} FLOPs<br>bits/byte=%{y:.3f}<extra></extra>"),
            ], view, col: 1)
        guard !d.te.isEmpty else { return }
        let cTe = d.te.map(\.budget)
        let yTe = d.te.map(\.bpb)
        let errs: [String] =
            fit.ok
            ? cTe.indices.map { i in
                let p = fit.lInf + fit.a * Foundation.pow(cTe[i], -fit.alpha)
                return Py.fmtPctErr((yTe[i] - p) / p * 100.0)
            } : cTe.map { _ in "" }
        add(
            [
                "x": .numbers(cTe), "y": .numbers(yTe), "mode": "markers",
                "marker": ["size": 11, "color": color, "symbol": "circle"],
                "name": .string("\(label) (Delphi held-out)"), "legendgroup": .string(label), "visible": false,
                "showlegend": false, "customdata": Emergence.stringColumns([cTe.map(Emergence.modelLabel)]),
                "hovertemplate": .string(
                    "\(label) (held-out)<br>%{customdata[0]}<br>C=%{x:.3e} FLOPs<br>bits/byte=%{y:.3f}<extra></extra>"
                ),
            ], view, col: 1)
        addLeaders(cTe, yTe, errs, label: label, visible: false, view: view)
    }

    /// Panel 2 of a downstream view: the Richards curve of the L∞ step (when
    /// fitted), the external pool, the Delphi points by bpb, the 1e25 forecast.
    mutating func addDownstreamPanel2(_ d: Emergence.DownstreamFit, _ env: Emergence.DownstreamEnvelope) {
        let (spec, label, fit, linfUse) = (d.spec, d.label, d.fit, d.linfUse)
        let byBpb = { (rows: [DelphiDownstreamRow]) in
            rows.filter { !$0.acc.isNaN }.enumerated().sorted {
                ($0.element.bpb, $0.offset) < ($1.element.bpb, $1.offset)
            }.map(\.element)
        }
        if let f = d.sigFit {
            let lo = min(env.p2Min * 0.6, linfUse * 0.5)
            let hi = env.p2Max * 1.30
            let curve = NP.logspace(Foundation.log10(max(lo, 1e-4)), Foundation.log10(hi), num: 400)
            add(
                [
                    "x": .numbers(curve),
                    "y": .numbers(curve.map { f.c / Foundation.pow(1.0 + Foundation.exp(-f.k * (-$0 - f.x0)), f.v) }),
                    "mode": "lines", "line": ["color": color, "width": 1.5, "dash": "dash"],
                    "name": .string(
                        "\(label) Richards fit (k=\(Py.f(f.k, ".2f")), v=\(Py.f(f.v, ".2f")), C=\(Py.f(f.c, ".2f")), L∞=\(Py.f(linfUse, ".3f")))"
                    ),
                    "legendgroup": .string(label), "visible": false, "showlegend": false,
                    "customdata": .matrix(curve.map { [$0] }),
                    "hovertemplate": .string(
                        "\(label) Richards fit<br>bits/byte=%{customdata[0]:.3f}<br>predicted \(spec.accHover)=%{y:.3f}<extra></extra>"
                    ),
                ], spec.view, col: 2)
        }
        if let dext = spec.ext, !dext.isEmpty {
            let extP = dext.filter { !$0.bpb.isNaN && !$0.acc.isNaN }.enumerated().sorted {
                ($0.element.bpb, $0.offset) < ($1.element.bpb, $1.offset)
            }.map(\.element)
            if !extP.isEmpty {
                add(
                    [
                        "x": .numbers(extP.map(\.bpb)), "y": .numbers(extP.map(\.acc)), "mode": "markers",
                        "marker": [
                            "size": 7, "color": "#7a736b", "symbol": "circle", "opacity": 0.55, "line": ["width": 0],
                        ],
                        "name": "External Models Used for Regression", "legendgroup": "external", "visible": false,
                        "customdata": Emergence.stringColumns([
                            Emergence.reprs(extP.map(\.bpb)), extP.map(\.displayName),
                        ]),
                        "hovertemplate": .string(
                            "%{customdata[1]}<br>bits/byte=%{customdata[0]:.3f}<br>\(spec.accHover)=%{y:.3f}<extra></extra>"
                        ),
                    ], spec.view, col: 2)
            }
        }
        for (rows, held) in [(byBpb(d.tr), false), (byBpb(d.te), true)] where !rows.isEmpty {
            let kind = held ? "held-out" : "fit"
            add(
                [
                    "x": .numbers(rows.map(\.bpb)), "y": .numbers(rows.map(\.acc)), "mode": "markers",
                    "marker": ["size": held ? 11 : 9, "color": color, "symbol": "circle"],
                    "name": .string("\(label) (Delphi \(kind))"), "legendgroup": .string(label),
                    "visible": false, "showlegend": false,
                    "customdata": Emergence.stringColumns([
                        Emergence.reprs(rows.map(\.bpb)), rows.map { Emergence.modelLabel($0.budget) },
                    ]),
                    "hovertemplate": .string(
                        "\(label) (\(kind))<br>%{customdata[1]}<br>bits/byte=%{customdata[0]:.3f}<br>\(spec.accHover)=%{y:.3f}<extra></extra>"
                    ),
                ], spec.view, col: 2)
        }
        if fit.ok, let f = d.sigFit {
            let cF = 1e25
            let predBpb = fit.lInf + fit.a * Foundation.pow(cF, -fit.alpha)
            let predAcc = f.c / Foundation.pow(1.0 + Foundation.exp(-f.k * (-predBpb - f.x0)), f.v)
            let hover =
                "\(label) 1e25 forecast<br>C=1e25 FLOPs<br>bits/byte=\(Py.f(predBpb, ".3f"))<br>predicted \(spec.accHover)=\(Py.f(predAcc, ".3f"))<extra></extra>"
            addForecast(
                label: label, view: spec.view, visible: false, c: cF, y1: predBpb, x2: predBpb, acc: predAcc,
                hover: hover)
        }
    }
}

// MARK: - The dropdown and the layout

extension DelphiMMLUEmergence {
    /// The MMLU views' panel ranges and log-prob ticks (negated for display).
    struct MMLUAxes {
        let lpTicks = [3.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3]
        let lpText: PlotValue
        let p1Range: PlotValue
        let p2Range: PlotValue
        let accRange: PlotValue

        init(_ p: Prepared) {
            lpText = PlotValue.strings(lpTicks.map { "−\(Py.f($0, "g"))" })
            let logPad = 0.06
            let p1Max = -NP.min(p.df.map(\.choiceLogprob))
            let p1Min = min(-NP.max(p.df.map(\.choiceLogprob)), p.linfNegLp)
            p1Range = PlotValue.numbers([Foundation.log10(p1Max) + logPad, Foundation.log10(p1Min) - logPad])
            let p2MinLp = min(-(p.lpVals.max() ?? 0), p.linfNegLp)
            let p2MaxLp = -(p.lpVals.min() ?? 0)
            p2Range = PlotValue.numbers([Foundation.log10(p2MaxLp) + logPad, Foundation.log10(p2MinLp) - logPad])
            accRange = PlotValue.numbers([0.2, max(NP.max(p.df.map(\.accuracy)) * 1.08, 1.0)])
        }
    }

    /// The view dropdown: per view, the traces it shows and the layout it sets.
    static func addDropdown(
        _ b: inout Builder, views: [Int], states: [State], defaultShot: Int, axes: MMLUAxes
    ) {
        let total = b.fig.data.count
        var buttons: [PlotValue] = []
        for view in views {
            var vis = [PlotValue](repeating: false, count: total)
            for i in b.viewTraces[view] ?? [] { vis[i] = true }
            let u = states.first(where: { $0.view == view }).map(downstreamUpdate) ?? mmluUpdate(axes)
            buttons.append([
                "label": .string(viewLabels[view] ?? ""), "method": "update",
                "args": [["visible": .array(vis)], .object(u)],
            ])
        }
        let defaultIdx = views.firstIndex(of: defaultShot) ?? 0
        b.fig.updateLayout([
            "updatemenus": [
                [
                    "buttons": .array(buttons), "direction": "up", "showactive": true,
                    "active": .number(Double(defaultIdx)),
                    "x": -0.16, "xanchor": "left", "y": -0.16, "yanchor": "top", "bgcolor": "rgba(196,185,174,0.9)",
                    "borderwidth": 0, "pad": ["l": 6, "r": 6, "t": 4, "b": 4],
                ]
            ]
        ])
    }

    /// The layout a downstream view's button sets (panel 2 hidden until it has accuracies).
    static func downstreamUpdate(_ s: State) -> PlotObject {
        var u: PlotObject = [
            "annotations[0].text": .string(s.panel1Annot), "annotations[1].text": .string(s.panel2Annot),
            "annotations[4].visible": false, "shapes[1].visible": false,
            "yaxis.title.text": .string(s.p1Title), "yaxis.range": .numbers(s.p1Range),
            "yaxis.tickvals": .numbers(s.p1Ticks), "yaxis.ticktext": .strings(s.p1Ticks.map { Py.f($0, "g") }),
        ]
        if let p2x = s.p2x, let p2y = s.p2y {
            u["xaxis2.visible"] = true
            u["xaxis2.type"] = "log"
            u["xaxis2.title.text"] = .string(p2x.title)
            u["xaxis2.range"] = .numbers(p2x.range)
            u["xaxis2.tickvals"] = .numbers(p2x.ticks)
            u["xaxis2.ticktext"] = .strings(p2x.ticks.map { Py.f($0, "g") })
            u["yaxis2.visible"] = true
            u["yaxis2.type"] = "linear"
            u["yaxis2.title.text"] = .string(p2y.title)
            u["yaxis2.range"] = .numbers(p2y.range)
            u["yaxis2.tickformat"] = ".0%"
        } else {
            u["xaxis2.visible"] = false
            u["yaxis2.visible"] = false
        }
        return u
    }

    /// The layout an MMLU view's button sets.
    static func mmluUpdate(_ axes: MMLUAxes) -> PlotObject {
        [
            "annotations[0].text": "Log-prob improves smoothly with compute",
            "annotations[1].text": "Accuracy emerges at larger scales", "annotations[4].visible": true,
            "shapes[1].visible": true, "yaxis.title.text": "MMLU choice log-prob", "yaxis.range": axes.p1Range,
            "yaxis.tickvals": .numbers(axes.lpTicks), "yaxis.ticktext": axes.lpText, "xaxis2.visible": true,
            "xaxis2.type": "log", "xaxis2.title.text": "MMLU choice log-prob", "xaxis2.range": axes.p2Range,
            "xaxis2.tickvals": .numbers(axes.lpTicks), "xaxis2.ticktext": axes.lpText, "yaxis2.visible": true,
            "yaxis2.type": "linear", "yaxis2.title.text": "MMLU accuracy", "yaxis2.range": axes.accRange,
            "yaxis2.tickformat": ".0%",
        ]
    }

    /// The random-chance line on panel 2, the axes (MMLU's, the default
    /// view's) and the legend and margins.
    static func applyLayout(_ fig: inout InteractiveFigure, _ p: Prepared, _ axes: MMLUAxes) {
        // fig.add_hline(y=0.25, row=1, col=2).
        fig.addShape([
            "type": "line", "x0": 0, "x1": 1, "xref": "x2 domain", "y0": .number(randomAcc), "y1": .number(randomAcc),
            "yref": "y2", "line": ["color": "#1F1E1B", "width": 1, "dash": "dot"], "opacity": 0.45,
        ])
        fig.addAnnotation([
            "xref": "x2 domain", "yref": "y2", "x": 0.98, "y": .number(randomAcc), "text": "random chance",
            "showarrow": false, "xanchor": "right", "yanchor": "top", "font": ["size": 11, "color": "#1F1E1B"],
        ])
        fig.updateXAxes(
            [
                "type": "log", "title.text": "Compute (FLOPs)",
                "range": .numbers([Foundation.log10(p.cMin), Foundation.log10(p.cMax)]),
            ], row: 1, col: 1)
        fig.updateYAxes(
            [
                "type": "log", "title.text": "MMLU choice log-prob", "range": axes.p1Range,
                "tickvals": .numbers(axes.lpTicks),
                "ticktext": axes.lpText,
            ], row: 1, col: 1)
        fig.updateXAxes(
            [
                "type": "log", "title.text": "MMLU choice log-prob", "range": axes.p2Range,
                "tickvals": .numbers(axes.lpTicks),
                "ticktext": axes.lpText,
            ], row: 1, col: 2)
        fig.updateYAxes(["title.text": "MMLU accuracy", "tickformat": ".0%", "range": axes.accRange], row: 1, col: 2)
        fig.updateLayout([
            "legend": [
                "orientation": "h", "x": 0.62, "xanchor": "center", "y": -0.18, "yanchor": "top",
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0, "tracegroupgap": 12,
            ],
            "margin": ["t": 40, "r": 30, "b": 60, "l": 60],
            "plot_bgcolor": "rgba(0,0,0,0)", "paper_bgcolor": "rgba(0,0,0,0)",
        ])
    }
}
