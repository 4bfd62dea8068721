import Testing

@testable import FigureModel

/// A figure with a two-step slider (active step 1), a hidden trace and a legend-only trace.
private func sliderFigure() -> InteractiveFigure {
    var fig = InteractiveFigure()
    fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([0, 0]), "mode": "lines", "name": "animated"])
    fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([5, 5]), "visible": false])
    fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([6, 6]), "visible": "legendonly"])
    fig.addTrace(["x": .numbers([1, 2]), "y": .numbers([7, 7]), "visible": true, "name": "kept"])
    fig.addAnnotation(["text": "base", "x": 1, "y": 1])
    func step(_ label: String, _ frame: String) -> PlotValue {
        ["label": .string(label), "method": "animate", "args": [[.string(frame)], ["mode": "immediate"]]]
    }
    fig.layout["sliders"] = [["active": 1, "steps": [step("0.5×", "a"), step("2×", "b")]]]
    fig.frames = [
        Frame(
            name: "a", data: [["y": .numbers([1, 2]), "line": ["dash": "dot"]]], traces: [0],
            layout: ["annotations": [["text": "A", "x": 1, "y": 1]]]),
        Frame(
            name: "b", data: [["y": .numbers([3, 4])]], traces: [0],
            layout: ["annotations": [["text": "B", "x": 1, "y": 1]], "xaxis": ["range": [0, 3]]]),
    ]
    return fig
}

@Suite struct StaticViewTests {
    @Test func theDefaultViewAppliesTheActiveSliderFrameAndHidesInvisibleTraces() throws {
        let view = try sliderFigure().staticView()
        #expect(view.data.count == 2)
        #expect(view.data.map { $0["name"]?.stringValue } == ["animated", "kept"])
        #expect(view.data[0]["y"] == .numbers([3, 4]))
        #expect(view.data[0]["x"] == .numbers([1, 2]))
        #expect(view.layout.value(at: "xaxis.range") == [0, 3])
        #expect(view.layout["annotations"]?.arrayValue?.first?.objectValue?["text"] == "B")
        #expect(view.frames.isEmpty)
        #expect(view.layout["sliders"]?.arrayValue?.first?.objectValue?["active"] == 1)
    }

    @Test func anotherStepPatchesOnlyTheFieldsItLists() throws {
        let fig = sliderFigure()
        #expect(fig.sliderStepLabels == ["0.5×", "2×"])
        let k = try fig.sliderStep(labelled: "0.5×")
        let view = try fig.staticView(step: k)
        #expect(view.data[0]["y"] == .numbers([1, 2]))
        #expect(view.data[0].value(at: "line.dash") == "dot")
        #expect(view.data[0]["mode"] == "lines")
        #expect(view.layout["annotations"]?.arrayValue?.first?.objectValue?["text"] == "A")
        #expect(view.layout["sliders"]?.arrayValue?.first?.objectValue?["active"] == 0)
    }

    @Test func badStepsAreReported() {
        let fig = sliderFigure()
        #expect(throws: StaticViewError.stepOutOfRange(2, count: 2)) { try fig.staticView(step: 2) }
        #expect(throws: StaticViewError.unknownStepLabel("3×", available: ["0.5×", "2×"])) {
            try fig.sliderStep(labelled: "3×")
        }
        #expect(throws: StaticViewError.noSlider) { try InteractiveFigure().staticView(step: 0) }
        var missing = fig
        missing.frames.removeLast()
        #expect(throws: StaticViewError.missingFrame("b")) { try missing.staticView() }
        #expect("\(StaticViewError.missingFrame("b"))".contains("frame 'b'"))
    }

    @Test func theActiveDropdownEntryAppliesItsLayoutChanges() throws {
        var fig = InteractiveFigure()
        fig.addTrace(["y": .numbers([1]), "visible": false])
        fig.addTrace(["y": .numbers([2]), "visible": true])
        fig.addAnnotation(["text": "first", "visible": false])
        func button(_ label: String, _ visible: [Bool], _ title: String) -> PlotValue {
            [
                "label": .string(label), "method": "update",
                "args": [
                    ["visible": .array(visible.map { .bool($0) })],
                    ["annotations[0].text": .string(title), "annotations[0].visible": true, "yaxis.type": "log"],
                ],
            ]
        }
        fig.layout["updatemenus"] = [
            ["active": 1, "buttons": [button("one", [true, false], "One"), button("two", [false, true], "Two")]]
        ]
        let view = try fig.staticView()
        #expect(view.data.count == 1)
        #expect(view.data[0]["y"] == .numbers([2]))
        let note = view.layout["annotations"]?.arrayValue?.first?.objectValue
        #expect(note?["text"] == "Two")
        #expect(note?["visible"] == true)
        #expect(view.layout.value(at: "yaxis.type") == "log")
    }

    @Test func relayoutPathsReachIntoArraysAndCreateWhatIsMissing() {
        var o: PlotObject = ["annotations": [["text": "a"], ["text": "b"]]]
        o.relayout(["annotations[1].font.size": 9, "xaxis2.title.text": "T", "annotations[0].text": nil])
        #expect(o.value(at: "xaxis2.title.text") == "T")
        let notes = o["annotations"]?.arrayValue ?? []
        #expect(notes.count == 2)
        #expect(notes[1].objectValue?.value(at: "font.size") == 9)
        #expect(notes[0].objectValue?["text"] == nil)
        #expect(PlotObject.parsePath("a[2][3].b") == [.key("a"), .index(2), .index(3), .key("b")])
    }
}
