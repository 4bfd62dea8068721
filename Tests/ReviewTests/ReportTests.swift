import CairoBackend
import FigpipeBasics
import Foundation
import PipelineTesting
import Testing

@testable import Review

@Suite struct ReportTests {
    static let white: UInt32 = 0xFFFF_FFFF

    /// Two output trees: fig1 changes (a pixel, a dump value), fig2 does not,
    /// fig3 is new, a table changes a cell, another stays.
    func trees() throws -> (TemporaryDirectory, TemporaryDirectory) {
        let a = TemporaryDirectory("review-base")
        let b = TemporaryDirectory("review-head")
        let plain = try #require(encodePNG(width: 3, height: 2, pixels: Array(repeating: Self.white, count: 6)))
        var dotted = Array(repeating: Self.white, count: 6)
        dotted[4] = 0xFF00_0000
        let changed = try #require(encodePNG(width: 3, height: 2, pixels: dotted))
        for (tree, png, y) in [(a, plain, "[1,2]"), (b, changed, "[1,2.5]")] {
            try tree.write("fam/fig1.png", png)
            try tree.write("fam/fig1.dump.json", "{\"axes\":[{\"lines\":[{\"label\":\"fit\",\"y\":\(y)}]}]}")
            try tree.write("fam/fig2.png", plain)
            try tree.write("fam/tables/t.csv", tree === a ? "x,y\n1,2\n" : "x,y\n1,3\n")
            try tree.write("fam/tables/same.csv", "x\n1\n")
        }
        try b.write("fam/fig3.png", plain)
        return (a, b)
    }

    func side(_ label: String, _ root: String) -> ReviewSide {
        ReviewSide(label: label, commit: nil, root: root, records: StageRecords(records: [:], writers: [:]))
    }

    @Test func comparesFiguresTablesAndCountsTheRest() throws {
        let (a, b) = try trees()
        let c = try TreeComparison.compare(base: side("old", a.path), head: side("new", b.path))
        #expect(c.differs)
        #expect(c.changedFigures.map(\.stem) == ["fam/fig1"])
        #expect(c.addedFigures == ["fam/fig3"])
        #expect(c.unchangedFigures == 1)
        #expect(c.changedTables.map(\.path) == ["fam/tables/t.csv"])
        #expect(c.unchangedTables == 1)
        let fig = try #require(c.changedFigures.first)
        #expect(fig.pixels?.changedPixels == 1)
        #expect(fig.dump.map(\.summary) == ["[1, 2] → [1, 2.5], max |Δ| 0.5 at [1]: 2 → 2.5"])
        #expect(
            Report.countsLine(c)
                == "1 figure changed, 1 added, 0 removed, 1 unchanged; 1 table changed, 0 added, 0 removed, 1 unchanged"
        )
        let same = try TreeComparison.compare(base: side("old", a.path), head: side("old", a.path))
        #expect(!same.differs)
    }

    @Test func theReportIsSelfContainedAndTheSameEachTime() throws {
        let (a, b) = try trees()
        let c = try TreeComparison.compare(base: side("old", a.path), head: side("new", b.path))
        let out = TemporaryDirectory("review-report")
        try Report.write(c, to: out.file("one"))
        try Report.write(
            try TreeComparison.compare(base: side("old", a.path), head: side("new", b.path)), to: out.file("two"))
        for name in ["index.html", "report.json", "summary.md"] {
            #expect(out.read("one/" + name) == out.read("two/" + name), "\(name) differs between two runs")
        }
        let html = try #require(out.read("one/index.html"))
        #expect(!html.contains("src=\"http") && !html.contains("<link") && !html.contains("<script src"))
        #expect(html.contains("src=\"data:image/png;base64,"))
        #expect(html.contains("class=\"view blink\"") && html.contains("class=\"view swipe\""))
        let report = try JSONValue(parsing: try #require(out.read("one/report.json")))
        #expect(report["figures"]?["unchanged"] == 1)
        #expect(report["tables"]?["changed"]?.arrayValue?.first?["cells"]?.arrayValue?.first?["delta"] == 1.0)
        let summary = try #require(out.read("one/summary.md"))
        #expect(summary.contains("| fam/fig1 | 104.103 | 1 | 1 marks |  |"))
    }
}
