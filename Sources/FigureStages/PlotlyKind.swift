import CairoBackend
import FigureModel
import Foundation
import Pipeline
import PlotlyBackend

extension FigureStageKinds {
    /// `figure.plotly`: one `interactive-figure` or `figure` artifact → `<path>.json`,
    /// plotly figure JSON for the blog. An interactive figure is written as the blog's
    /// `write_figure` writes it (`strip_for_blog`, then indented JSON); a static
    /// figure through `PlotlyBackend.json(for:layout:)`, laid out as `figure.render`
    /// lays it out (its subplot domains and legends where the PNG has them, its
    /// width and height in px from inches × dpi).
    public static let plotly = StageKind(
        name: "figure.plotly", version: 1,
        summary:
            "Write an interactive figure as the blog's plotly figure JSON (strip_for_blog), or a figure as plotly JSON laid out as its PNG",
        parameters: [
            ParameterSpec(
                "path", .string,
                help: "output path without extension, relative to the output root (e.g. delphi/lucky-seeds)"
            ).filePath(),
            ParameterSpec(
                "keep_height", .bool, default: false,
                help:
                    "keep layout.height (the mobile variants' write_figure(..., keep_height=True)); interactive figures only: a figure's JSON keeps its width and height"
            ),
        ],
        inputs: [
            .stage(
                "figure", accepts: [InteractiveFigure.artifactType, Figure.artifactType],
                help: "the figure to write: an interactive figure, or a (static) figure")
        ],
        output: filesArtifactType,
        outputFiles: { p in ["\((try? p.string("path")) ?? "").json"] }
    ) { ctx in
        let path = try ctx.parameters.string("path")
        let artifact = try ctx.requiredArtifact("figure")
        let bytes: [UInt8]
        if artifact.type == Figure.artifactType {
            let figure = try Figure(artifact: artifact)
            let layout = FigureLayout.compute(figure, measurer: CairoBackend.measurer)
            bytes = PlotlyBackend.json(for: figure, layout: layout)
        } else {
            let figure = try InteractiveFigure(artifact: artifact)
            bytes = PlotlyBackend.blogJSON(figure, keepHeight: try ctx.parameters.bool("keep_height"))
        }
        return StageOutput(files: ["\(path).json": bytes])
    }.addable(as: "plotly")  // a figure stage's "plotly": {…} adds <id>.plotly
}
