import FigpipeBasics
import FigureModel
import Pipeline
import PipelineTesting
import Testing

@testable import FigureStages

@Suite struct GalleryTests {
    let files = [
        "compression/fig1.png": "aaaaaaaaaaaaaaaa", "compression/fig1.pdf": "bbbbbbbbbbbbbbbb",
        "compression/fig1.dump.json": "cccccccccccccccc", "delphi/lucky seeds.json": "dddddddddddddddd",
        "index.html": "eeee",
    ]

    @Test func everyFigureWithItsLinksGroupedByFolder() {
        let html = Gallery.html(files: files, pagePath: "index.html", title: "Figures & more")
        #expect(html.contains("<title>Figures &amp; more</title>"))
        #expect(html.contains("<h2>compression</h2>"))
        #expect(html.contains("<h2>delphi</h2>"))
        #expect(html.contains("<img src=\"compression/fig1.png?v=aaaaaaaaaaaa\""))
        #expect(html.contains("<a href=\"compression/fig1.pdf?v=bbbbbbbbbbbb\">PDF</a>"))
        #expect(html.contains("<a href=\"compression/fig1.dump.json?v=cccccccccccc\">dump</a>"))
        // A figure with no image still gets its links; names are URL-escaped.
        #expect(html.contains("<a href=\"delphi/lucky%20seeds.json?v=dddddddddddd\">JSON</a>"))
        #expect(html.contains("2 figures"))
        #expect(!html.contains("index.html?v="))
        #expect(
            html.firstRange(of: "compression")?.lowerBound ?? html.endIndex < html.firstRange(of: "<h2>delphi")?
                .lowerBound ?? html.startIndex)
    }

    @Test func linksFromAPageInASubfolderGoUp() {
        let html = Gallery.html(files: files, pagePath: "site/index.html", title: "t")
        #expect(html.contains("src=\"../compression/fig1.png?v="))
    }

    @Test func deterministic() {
        #expect(
            Gallery.html(files: files, pagePath: "index.html", title: "t")
                == Gallery.html(files: files, pagePath: "index.html", title: "t"))
        #expect(Gallery.split("a/b.dump.json")?.ext == "dump.json")
        // A static render's layout belongs to its figure's card, not to a card of its own.
        #expect(Gallery.split("a/b.layout.json").map { [$0.stem, $0.ext] } == ["a/b", "layout.json"])
        #expect(Gallery.split("a/b.txt") == nil)
    }
}

/// The gallery stage in a run where some of the stages its list names are skipped.
@Suite struct GalleryWithSkippedFigures {
    private final class Quiet: RunObserver, @unchecked Sendable {
        func stageStarted(_ id: String) {}
        func stageFinished(_ id: String, outcome: StageOutcome, finished: Int, total: Int) {}
        func note(_ id: String, _ message: String) {}
    }

    /// Writes `stages` as the pipeline.json of `dir` and runs it in-process.
    private func run(_ stages: [JSONValue], in dir: TemporaryDirectory, kinds: [StageKind]) throws -> RunSummary {
        let doc: JSONValue = ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
        try dir.write("pipeline.json", doc.prettyString())
        let pipeline = try PipelineDefinition.load(path: dir.file("pipeline.json"), registry: StageRegistry(kinds))
        let store = Store(root: pipeline.cacheRoot)
        try store.prepare()
        return Executor(
            pipeline: pipeline, store: store, statCache: store.statCache(), options: RunOptions(jobs: 2),
            observer: Quiet()
        ).run()
    }

    @Test func theGalleryIsBuiltFromTheFiguresThatWereNotSkipped() throws {
        let dir = TemporaryDirectory("figpipe-gallery-skip")
        try dir.write("data/a.txt", "a")
        let stages: [JSONValue] = [
            ["id": "a", "kind": "test.source", "inputs": ["file": "a.txt"]],
            ["id": "a.render", "kind": "test.render", "params": ["path": "figs/a.png"], "inputs": ["in": "a"]],
            ["id": "gate", "kind": "test.skip", "inputs": ["file": "optional.txt"]],
            [
                "id": "gate.render", "kind": "test.render", "params": ["path": "figs/gate.png"],
                "inputs": ["in": "gate"],
            ],
            ["id": "gallery", "kind": "figure.gallery", "inputs": ["figures": ["*.render"]]],
        ]
        let summary = try run(stages, in: dir, kinds: TestKinds.all(log: InvocationLog()) + FigureStageKinds.all)
        #expect(summary.failed == 0)
        #expect(summary.skips.map(\.id) == ["gate", "gate.render"])
        let html = try #require(dir.read("out/index.html"))
        #expect(html.contains("figs/a.png?v="))
        #expect(!html.contains("figs/gate.png"))
        #expect(html.contains("1 figure,"))
    }

    @Test func theGalleryReadsThePNGsSizesFromTheRenderedFiles() throws {
        let dir = TemporaryDirectory("figpipe-gallery-sizes")
        let wide = StageKind(
            name: "test.wide-figure", version: 1, summary: "a wide figure", inputs: [], output: Figure.artifactType
        ) { _ in
            StageOutput(artifact: try Figure(widthInches: 8, heightInches: 2).artifact())
        }
        let stages: [JSONValue] = [
            [
                "id": "w", "kind": "test.wide-figure",
                "render": ["path": "figs/w", "formats": ["png"], "dpi": 50, "bbox": "figure"],
            ],
            ["id": "gallery", "kind": "figure.gallery", "inputs": ["figures": ["*.render"]]],
        ]
        try dir.write("data/.keep", "")
        let summary = try run(stages, in: dir, kinds: FigureStageKinds.all + [wide])
        #expect(summary.failed == 0)
        let html = try #require(dir.read("out/index.html"))
        #expect(html.contains("<figure id=\"figs/w\" class=\"full\">"))
        #expect(html.contains("width=\"400\" height=\"100\""))
    }
}

/// The gallery's grid: natural order, tile widths by aspect ratio, full-size links.
@Suite struct GalleryLayoutTests {
    @Test func numbersInNamesSortByValue() {
        let frames = ["10x", "0.667x", "2x", "0.2x", "5x", "0.333x", "4x", "0.5x", "3x"].map {
            "delphi/overtraining-forecast@\($0)"
        }
        let sorted = (frames + ["delphi/overtraining-forecast"]).sorted(by: Gallery.naturalOrder)
        #expect(
            sorted == ["delphi/overtraining-forecast"]
                + ["0.2x", "0.333x", "0.5x", "0.667x", "2x", "3x", "4x", "5x", "10x"].map {
                    "delphi/overtraining-forecast@\($0)"
                })
        #expect(["fig10", "fig2", "fig1"].sorted(by: Gallery.naturalOrder) == ["fig1", "fig2", "fig10"])
        // Exponents and mixed names keep a total, deterministic order.
        #expect(Gallery.naturalOrder("eta_1.6e-06", "eta_3.2e-06"))
        #expect(Gallery.naturalOrder("a1", "a01") != Gallery.naturalOrder("a01", "a1"))
        #expect(!Gallery.naturalOrder("a", "a"))
        #expect(Gallery.nameParts("x@0.667x.v2") == [.text("x@"), .number(0.667), .text("x.v"), .number(2)])
    }

    @Test func theFramesAppearInNumericOrderOnThePage() throws {
        var files: [String: String] = [:]
        for step in ["0.2x", "0.667x", "10x", "2x"] { files["delphi/overtraining-forecast@\(step).png"] = "ffff" }
        let html = Gallery.html(files: files, pagePath: "index.html", title: "t")
        let positions = try ["0.2x", "0.667x", "2x", "10x"].map { step in
            try #require(html.firstRange(of: "id=\"delphi/overtraining-forecast@\(step)\"")).lowerBound
        }
        #expect(positions == positions.sorted())
    }

    @Test func pngHeadersGiveTheSize() {
        let header: [UInt8] =
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [
                0, 0, 0x05, 0xD7, 0, 0, 0x02, 0xBF,
            ]
        #expect(Gallery.pngSize(header) == Gallery.PixelSize(width: 1495, height: 703))
        #expect(Gallery.pngSize(Array(header.prefix(20))) == nil)
        #expect(Gallery.pngSize(Array("not a png at all, really".utf8)) == nil)
    }

    @Test func wideFiguresSpanColumnsAndEveryThumbnailLinksToItsFullSizeImage() {
        let files = [
            "a/wide.png": "1111111111111111", "a/tall.png": "2222222222222222", "a/strip.png": "3333333333333333",
            "a/vector.svg": "4444444444444444", "a/wide.pdf": "5555555555555555",
        ]
        let sizes: [String: Gallery.PixelSize] = [
            "a/wide.png": .init(width: 1495, height: 703), "a/tall.png": .init(width: 624, height: 1189),
            "a/strip.png": .init(width: 1958, height: 522),
        ]
        let html = Gallery.html(files: files, sizes: sizes, pagePath: "index.html", title: "t")
        #expect(html.contains("<figure id=\"a/wide\" class=\"wide\">"))
        #expect(html.contains("<figure id=\"a/tall\">"))
        #expect(html.contains("<figure id=\"a/strip\" class=\"full\">"))
        #expect(html.contains("<figure id=\"a/vector\">"))
        // The thumbnail is a link to the image itself, with its size so the grid does not jump while it loads.
        #expect(
            html.contains(
                "<a class=\"full-size\" href=\"a/wide.png?v=111111111111\" data-name=\"wide\"><img src=\"a/wide.png?v=111111111111\" alt=\"wide\" width=\"1495\" height=\"703\" loading=\"lazy\"></a>"
            ))
        #expect(html.contains("<a class=\"full-size\" href=\"a/vector.svg?v=444444444444\""))
        #expect(html.contains("<a href=\"a/wide.pdf?v=555555555555\">PDF</a>"))
        #expect(html.contains("1495 × 703 px"))
        // A responsive grid, and the viewer that enhances the links.
        #expect(html.contains("grid-template-columns: repeat(auto-fill, minmax(320px, 1fr))"))
        #expect(html.contains("<meta name=\"viewport\""))
        #expect(html.contains("<dialog class=\"viewer\" id=\"viewer\">"))
        #expect(Gallery.tileWidth(nil) == .normal)
        #expect(Gallery.tileWidth(.init(width: 200, height: 100)) == .wide)
        #expect(Gallery.tileWidth(.init(width: 320, height: 100)) == .full)
    }
}
