import FigureModel
import Foundation

/// The exporter's mobile layouts: `to_mobile_stack`, `to_mobile_mmlu_stack`, `to_mobile_3x2`.
public enum DelphiMobile {
    /// Recenters the first two paper-referenced annotations (the subplot titles) on a
    /// stacked layout: y 0.99 for the first, 0.43 for the second.
    static func recenterTitles(_ fig: inout InteractiveFigure) {
        guard var anns = fig.layout["annotations"]?.arrayValue else { return }
        var paperIdx = 0
        for i in anns.indices {
            guard var a = anns[i].objectValue, a["xref"] == "paper", a["yref"] == "paper", paperIdx < 2 else {
                continue
            }
            a.update(["x": 0.5, "y": paperIdx == 0 ? 0.99 : 0.43, "xanchor": "center", "yanchor": "middle"])
            anns[i] = .object(a)
            paperIdx += 1
        }
        fig.layout["annotations"] = .array(anns)
    }

    /// `to_mobile_stack(fig)`: a 1×2 ladder restacked 2×1 (height 660).
    public static func stack(_ figure: InteractiveFigure) -> InteractiveFigure {
        var fig = figure
        fig.updateLayout([
            "xaxis": ["domain": [0.0, 1.0]], "xaxis2": ["domain": [0.0, 1.0]],
            "yaxis": ["domain": [0.60, 0.98]], "yaxis2": ["domain": [0.0, 0.38]],
            "height": 660,
            "margin": ["t": 24, "r": 24, "b": 32, "l": 56],
            "legend": [
                "title": ["text": ""], "orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "right", "x": 1.0,
                "entrywidth": 0.30, "entrywidthmode": "fraction", "tracegroupgap": 4, "bgcolor": "rgba(0,0,0,0)",
                "borderwidth": 0,
            ],
        ])
        recenterTitles(&fig)
        return fig
    }

    /// `to_mobile_mmlu_stack(fig)`: the MMLU panels stacked (height 760), dropdowns under the legend.
    public static func mmluStack(_ figure: InteractiveFigure) -> InteractiveFigure {
        var fig = figure
        fig.updateLayout([
            "xaxis": ["domain": [0.0, 1.0]], "xaxis2": ["domain": [0.0, 1.0]],
            "yaxis": ["domain": [0.60, 0.98]], "yaxis2": ["domain": [0.0, 0.38]],
            "height": 760,
            "margin": ["t": 32, "r": 24, "b": 110, "l": 56],
            "legend": [
                "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.08, "yanchor": "top",
                "bgcolor": "rgba(0,0,0,0)", "borderwidth": 0,
            ],
        ])
        recenterTitles(&fig)
        if let menus = fig.layout["updatemenus"]?.arrayValue {
            fig.layout["updatemenus"] = .array(
                menus.map { m in
                    .object(
                        (m.objectValue ?? [:]).updating(["x": 0.5, "xanchor": "center", "y": -0.22, "yanchor": "top"]))
                })
        }
        return fig
    }

    /// `to_mobile_3x2(fig)`: the 2×3 hyperparameter grid reflowed to 3×2 (height 900).
    public static func grid3x2(_ figure: InteractiveFigure) -> InteractiveFigure {
        var fig = figure
        let colLeft: PlotValue = [0.0, 0.45]
        let colRight: PlotValue = [0.55, 1.0]
        let rowTop: PlotValue = [0.72, 1.0]
        let rowMid: PlotValue = [0.36, 0.64]
        let rowBot: PlotValue = [0.0, 0.28]
        fig.updateLayout([
            "xaxis": ["domain": colLeft, "tickangle": 45], "xaxis2": ["domain": colRight, "tickangle": 45],
            "xaxis3": ["domain": colLeft, "tickangle": 45], "xaxis4": ["domain": colRight, "tickangle": 45],
            "xaxis5": ["domain": colLeft, "tickangle": 45], "xaxis6": ["domain": colRight, "tickangle": 45],
            "yaxis": ["domain": rowTop, "title": ["text": "Paloma loss"]],
            "yaxis2": ["domain": rowTop, "title": ["text": nil]],
            "yaxis3": ["domain": rowMid, "title": ["text": "Paloma loss"]],
            "yaxis4": ["domain": rowMid, "title": ["text": nil]],
            "yaxis5": ["domain": rowBot, "title": ["text": "Paloma loss"]],
            "yaxis6": ["domain": rowBot, "title": ["text": nil]],
            "height": 900,
            "margin": ["t": 36, "r": 0, "b": 0, "l": 0],
            "legend": [
                "x": 1.02, "xanchor": "right", "y": 0.10, "yanchor": "bottom", "bgcolor": "rgba(196,185,174,0.8)",
                "borderwidth": 0,
            ],
        ])
        if let menus = fig.layout["updatemenus"]?.arrayValue {
            let xs = [0.0, 0.36, 0.70]
            fig.layout["updatemenus"] = .array(
                menus.enumerated().map { i, m in
                    guard i < xs.count else { return m }
                    return .object(
                        (m.objectValue ?? [:]).updating([
                            "x": .number(xs[i]), "xanchor": "left", "y": 1.0, "yanchor": "bottom",
                        ]))
                })
        }
        let anns = (fig.layout["annotations"]?.arrayValue ?? []).filter { a in
            !(a.objectValue?["xref"] == "paper" && a.objectValue?["yref"] == "paper")
        }
        fig.layout["annotations"] = .array(anns)
        return fig
    }
}
