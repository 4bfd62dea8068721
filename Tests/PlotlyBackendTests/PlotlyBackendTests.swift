import FigpipeBasics
import FigureModel
import FigureTesting
import Foundation
import PlotlyBackend
import Testing

@Suite struct PlotlyBackendTests {
    @Test func stripForBlogDropsTemplateWidthFontAndHeight() throws {
        var fig = InteractiveFigure()
        fig.addTrace(["x": [1, 2], "y": [3, 4], "mode": "lines"])
        fig.updateLayout([
            "template": ["data": [:]], "width": 800, "height": 600, "font": ["size": 12], "margin": ["t": 4],
        ])
        let desktop = PlotlyBackend.stripForBlog(fig)
        let layout = try #require(desktop["layout"]?.objectValue)
        #expect(layout["template"] == nil && layout["width"] == nil && layout["font"] == nil)
        #expect(layout["height"] == nil)
        #expect(layout["margin"] != nil)
        let mobile = PlotlyBackend.stripForBlog(fig, keepHeight: true)
        #expect(mobile["layout"]?["height"] == .int(600))
        #expect(desktop["data"]?.arrayValue?.first?["type"] == .string("scatter"))
    }

    @Test func outputIsDeterministicAndRoundTrips() throws {
        var fig = InteractiveFigure.makeSubplots(rows: 1, cols: 2, sharedYAxes: true, subplotTitles: ["a", "b"])
        fig.addTrace(["x": .numbers([1, .nan]), "y": .numbers([0.1, 0.2]), "name": "t"], row: 1, col: 2)
        fig.frames = [
            Frame(name: "2.0", data: [["x": .numbers([1])]], traces: [0], layout: ["xaxis": ["range": [0, 1]]])
        ]
        let a = PlotlyBackend.blogJSON(fig)
        #expect(a == PlotlyBackend.blogJSON(fig))
        let back = try InteractiveFigure(json: try JSONValue(parsing: a))
        #expect(PlotlyBackend.blogJSON(back) == a)
        let doc = try JSONValue(parsing: a)
        #expect(doc["data"]?.arrayValue?.first?["x"] == .array([.int(1), .null]))
        #expect(doc["layout"]?["yaxis2"]?["matches"] == .string("y"))
        #expect(doc["frames"]?.arrayValue?.first?["data"]?.arrayValue?.first?["type"] == .string("scatter"))
    }

    @Test func nullUnsetsAndEmptyContainersAreDropped() {
        var o: PlotObject = ["title": ["text": "a"], "annotations": [["text": "x"]]]
        o.update(["title": ["text": nil], "annotations": [], "legend": ["title": nil]])
        // plotly keeps an emptied object, creates no object for an all-None update, drops empty lists.
        #expect(o.jsonObject == ["title": .object([:])])
    }

    @Test func makeSubplotsDomainsMatchPlotly() {
        let fig = InteractiveFigure.makeSubplots(rows: 2, cols: 3, horizontalSpacing: 0.06, verticalSpacing: 0.14)
        #expect(fig.layout["xaxis2"]?.objectValue?["domain"] == .numbers([0.35333333333333333, 0.6466666666666667]))
        #expect(fig.layout["yaxis"]?.objectValue?["domain"] == .numbers([0.5700000000000001, 1.0]))
        #expect(fig.layout["yaxis4"]?.objectValue?["anchor"] == "x4")
    }

    @Test func comparisonDecodesTypedArraysAndPairsFramesByName() throws {
        // [1.0, 2.5] as little-endian float64.
        let ref = try JSONValue(
            parsing:
                #"{"data":[{"x":{"dtype":"f8","bdata":"AAAAAAAA8D8AAAAAAAAEQA=="}}],"layout":{"width":3},"frames":[{"name":"b","data":[]},{"name":"a"}]}"#
        )
        let ours = try JSONValue(
            parsing: #"{"data":[{"x":[1,2.5]}],"layout":{},"frames":[{"name":"a"},{"name":"b","data":[]}]}"#)
        let c = FigureComparison.plotly(ref: ref, ours: ours)
        #expect(c.ok, "\(c.differences)")
        let bad = try JSONValue(parsing: #"{"data":[{"x":[1,2.6]}],"layout":{"height":1},"frames":[]}"#)
        let d = FigureComparison.plotly(ref: ref, ours: bad)
        #expect(d.differences.map(\.path).contains("data[0].x[1]"))
        #expect(d.differences.map(\.path).contains("frames['a']"))
    }
}
