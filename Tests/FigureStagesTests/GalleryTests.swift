import FigpipeBasics
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
        let doc: JSONValue = ["version": 1, "data": "data", "out": "out", "stages": .array(stages)]
        try dir.write("pipeline.json", doc.prettyString())
        let registry = StageRegistry(TestKinds.all(log: InvocationLog()) + FigureStageKinds.all)
        let pipeline = try PipelineDefinition.load(path: dir.file("pipeline.json"), registry: registry)
        let store = Store(root: pipeline.cacheRoot)
        try store.prepare()
        let summary = Executor(
            pipeline: pipeline, store: store, statCache: store.statCache(), options: RunOptions(jobs: 2),
            observer: Quiet()
        ).run()
        #expect(summary.failed == 0)
        #expect(summary.skips.map(\.id) == ["gate", "gate.render"])
        let html = try #require(dir.read("out/index.html"))
        #expect(html.contains("figs/a.png?v="))
        #expect(!html.contains("figs/gate.png"))
        #expect(html.contains("1 figure,"))
    }
}
