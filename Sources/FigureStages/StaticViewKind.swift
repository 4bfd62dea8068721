import CairoBackend
import FigureModel
import Foundation
import Pipeline

extension FigureStageKinds {
    /// `figure.static`: one `interactive-figure` artifact → a `figure` artifact, the
    /// static view a `figure.render` stage draws: the default view (the slider's
    /// active step, the dropdowns' default entries), or one named slider step,
    /// translated by `StaticFigure` in its blog theme.
    /// The largest `width`/`height` `figure.static` takes, in plotly pixels.
    public static let maxPlotlyPixels: Double = 20_000

    public static let staticView = StageKind(
        name: "figure.static", version: 3,
        // 2: annotations widen unset axis ranges (plotly autorange); 3: plotly.js's layout (autoMargin, autorange,
        // ticks with exponentformat, legend rows, tick label placement), sliders and dropdowns drawn
        summary: "Turn an interactive figure's default view (or one slider step) into a figure to render",
        parameters: [
            ParameterSpec(
                "step", .string, default: "",
                help: "the label of the slider step to show (e.g. \"2×\"); empty = the slider's active step"),
            ParameterSpec(
                "width", .double, default: 700,
                help: "figure width in plotly pixels (1/96 in) when the layout sets none (plotly's default 700)"
            ).positive(max: maxPlotlyPixels),
            ParameterSpec(
                "height", .double, default: 450,
                help: "figure height in plotly pixels when the layout sets none (plotly's default 450)"
            ).positive(max: maxPlotlyPixels),
        ],
        inputs: [
            .stage("figure", accepts: [InteractiveFigure.artifactType], help: "the interactive figure to draw")
        ],
        output: Figure.artifactType
    ) { ctx in
        let p = ctx.parameters
        let width = try p.double("width")
        let height = try p.double("height")
        let interactive = try InteractiveFigure(artifact: try ctx.requiredArtifact("figure"))
        let label = try p.string("step")
        let view: InteractiveFigure
        do {
            view = try interactive.staticView(step: label.isEmpty ? nil : try interactive.sliderStep(labelled: label))
        } catch let e as StaticViewError {
            throw StageError("\(e)", field: "params.step")
        }
        let figure = StaticFigure.figure(
            view, options: StaticFigure.Options(width: width, height: height), measurer: CairoBackend.browserMeasurer)
        return StageOutput(artifact: try figure.artifact())
    }.addable(as: "static")  // an interactive figure's "static": {…} adds <id>.static (and its render)
}
