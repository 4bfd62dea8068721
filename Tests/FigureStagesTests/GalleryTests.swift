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
