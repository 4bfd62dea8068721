import CairoBackend
import FigpipeBasics
import FigureModel
import Foundation
import Pipeline

/// The stage kinds every figure family shares: drawing a `figure` artifact
/// to files, and the gallery page over everything drawn.
public enum FigureStageKinds {
    public static var all: [StageKind] { [render, plotly, staticView, gallery] }

    /// The formats `figure.render` writes.
    public static let formats = ["png", "pdf", "svg"]

    /// The highest dpi `figure.render` takes (a PNG is also bounded by Cairo's
    /// 32767 px a side, checked when it is drawn).
    public static let maxDPI: Double = 10_000

    /// `figure.render`: one `figure` artifact → `<path>.{png,pdf,svg}` and
    /// `<path>.dump.json` (the mpl_dump-schema description of the figure).
    public static let render = StageKind(
        name: "figure.render", version: 7,
        // 2: errorbar data lines above the bars and lines (zorder 2.1); 3: PNG pHYs and Software, clip box on
        // whole pixels; 4: text measured and placed as matplotlib 3.11.2 does, tickangle 'auto' tries 0°, 30°, 90°;
        // 5: PNG glyphs hinted as Agg rasterizes them; 6: tight_layout with text measured at the figure's dpi;
        // 7: glyphs rendered one by one at 1/64-pixel origins as Agg does, mathtext laid out by TeX's box model,
        // patches snapped, markers placed as Agg's draw_markers places them, minor tick labels at the minor pad, pixel
        // sizes forgive float error
        summary: "Draw a figure with the Cairo back end (PNG/PDF/SVG) and write its dump beside it",
        parameters: [
            ParameterSpec(
                "path", .string,
                help: "output path without extension, relative to the output root (e.g. compression/fig1)"
            ).filePath(),
            ParameterSpec(
                "formats", .stringList, default: ["pdf", "png"], help: "any of png, pdf, svg"
            ).oneOf(formats).nonEmpty(),
            ParameterSpec("dpi", .double, default: 150, help: "PNG resolution (matplotlib's savefig dpi)")
                .positive(max: maxDPI),
            ParameterSpec(
                "bbox", .string, default: "tight",
                help:
                    "'tight' crops to the drawn content plus 0.1 in (bbox_inches='tight'); 'figure' keeps the figure size"
            ).oneOf(["tight", "figure"]),
            ParameterSpec("dump", .bool, default: true, help: "write <path>.dump.json"),
            ParameterSpec(
                "layout", .bool, default: false,
                help: "write <path>.layout.json: every text's box and baseline in CSS pixels (for check_browser.py)"),
        ],
        inputs: [.stage("figure", accepts: [Figure.artifactType], help: "the figure to draw")],
        output: filesArtifactType,
        outputFiles: { p in
            let path = (try? p.string("path")) ?? ""
            let formats = (try? p.strings("formats")) ?? []
            return formats.map { "\(path).\($0)" } + ((try? p.bool("dump")) == true ? ["\(path).dump.json"] : [])
                + ((try? p.bool("layout")) == true ? ["\(path).layout.json"] : [])
        }
    ) { ctx in
        let p = ctx.parameters
        let path = try p.string("path")
        let formats = try p.strings("formats")
        let bbox = try p.string("bbox")
        let dpi = try p.double("dpi")
        let figure = try Figure(artifact: try ctx.requiredArtifact("figure"))
        // One layout for every format and the dump: they all draw or describe the same placement.
        // Text is measured on the PNG's pixel grid, as matplotlib's savefig(dpi=…) does.
        // tight_layout at the figure's dpi, text drawn and the tight box found at the PNG's.
        let layout = FigureLayout.compute(
            figure, measurer: CairoBackend.measurer(dpi: dpi), layoutMeasurer: CairoBackend.measurer(dpi: figure.dpi))
        var files: [String: [UInt8]] = [:]
        for format in formats {
            let f: CairoBackend.Format = format == "png" ? .png : format == "pdf" ? .pdf : .svg
            do {
                files["\(path).\(format)"] = try CairoBackend.render(
                    layout: layout, format: f, dpi: f == .png ? dpi : nil, tightBBox: bbox == "tight")
            } catch {
                throw StageError("cannot draw \(path).\(format): \(error)")
            }
        }
        if try p.bool("dump") {
            files["\(path).dump.json"] = Array(FigureDump.text(layout).utf8)
        }
        if try p.bool("layout") {
            files["\(path).layout.json"] = Array(
                LayoutDump.text(layout, measurer: CairoBackend.measurer(dpi: dpi)).utf8)
        }
        return StageOutput(files: files)
    }.addable(as: "render")  // a figure stage's "render": {…} adds <id>.render

    /// `figure.gallery`: an HTML page of every figure the listed render
    /// stages wrote (PNG thumbnails; links to PDF, SVG, JSON and dumps). A
    /// listed stage that failed in the run does not stop the page: its figure
    /// gets a card with the error instead. It reads the header of each PNG for
    /// the image's size (wide figures get wide tiles).
    public static let gallery: StageKind = {
        var kind = galleryKind
        kind.readsFilesOfInputs = true
        return kind
    }()

    private static let galleryKind = StageKind(
        name: "figure.gallery", version: 3,
        // 2: responsive grid, wide tiles, natural order, full-size viewer; 3: a figure's layout.json linked on its card
        summary: "Write an HTML gallery of the figures the listed stages drew",
        parameters: [
            ParameterSpec("path", .string, default: "index.html", help: "the page, relative to the output root")
                .filePath(),
            ParameterSpec("title", .string, default: "figpipe figures", help: "the page title"),
        ],
        inputs: [
            .stages(
                "figures", accepts: [filesArtifactType],
                help: "the stages whose files the gallery shows (ids or patterns such as \"*.render\")")
        ],
        output: filesArtifactType,
        outputFiles: { p in [(try? p.string("path")) ?? "index.html"] }
    ) { ctx in
        let page = try ctx.parameters.string("path")
        var written: [String: String] = [:]
        var sizes: [String: Gallery.PixelSize] = [:]
        for (index, artifact) in ctx.artifactList("figures").enumerated() {
            guard case .object(let files)? = try artifact.json()["files"] else { continue }
            for (path, hash) in files { written[path] = hash.stringValue ?? "" }
            // The PNGs' sizes, from their headers (a file that cannot be read just gets a normal tile).
            let inPlace = ctx.outputFiles(ofInput: InputSpec.listElementName("figures", index))
            for (path, absolute) in inPlace where path.hasSuffix(".png") {
                if let bytes = try? FileIO.read(absolute), let size = Gallery.pngSize(bytes) { sizes[path] = size }
            }
        }
        // A figure whose stage failed in this run gets a card with its error.
        var failed: [String: String] = [:]
        for failure in ctx.failedMembers("figures") {
            for path in failure.outputFiles {
                if let (stem, _) = Gallery.split(path) { failed[stem] = "\(failure.stage): \(failure.message)" }
            }
        }
        let html = Gallery.html(
            files: written, sizes: sizes, failed: failed, pagePath: page, title: try ctx.parameters.string("title"))
        return StageOutput(files: [page: Array(html.utf8)])
    }
}
