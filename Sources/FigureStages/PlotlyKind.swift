import FigureModel
import Foundation
import Pipeline
import PlotlyBackend

extension FigureStageKinds {
    /// `figure.plotly`: one `interactive-figure` artifact → `<path>.json`, the blog's
    /// plotly figure JSON (`write_figure`: `strip_for_blog`, then indented JSON).
    public static let plotly = StageKind(
        name: "figure.plotly", version: 1,
        summary: "Write an interactive figure as the blog's plotly figure JSON (strip_for_blog)",
        parameters: [
            ParameterSpec(
                "path", .string,
                help: "output path without extension, relative to the output root (e.g. delphi/lucky-seeds)"
            ).filePath(),
            ParameterSpec(
                "keep_height", .bool, default: false,
                help: "keep layout.height (the mobile variants' write_figure(..., keep_height=True))"),
        ],
        inputs: [
            .stage("figure", accepts: [InteractiveFigure.artifactType], help: "the figure to write")
        ],
        output: filesArtifactType,
        outputFiles: { p in ["\((try? p.string("path")) ?? "").json"] }
    ) { ctx in
        let path = try ctx.parameters.string("path")
        let figure = try InteractiveFigure(artifact: try ctx.requiredArtifact("figure"))
        let bytes = PlotlyBackend.blogJSON(figure, keepHeight: try ctx.parameters.bool("keep_height"))
        return StageOutput(files: ["\(path).json": bytes])
    }.addable(as: "plotly")  // an interactive figure's "plotly": {…} adds <id>.plotly
}
