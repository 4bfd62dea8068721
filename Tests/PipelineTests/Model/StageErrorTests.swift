import FigpipeBasics
import Foundation
import Pipeline
import Testing

@Suite struct StageErrors {
    @Test func aStructuredErrorFormatsItsField() {
        let e = StageError("expected a number", field: "params.dpi")
        #expect(e.description == "params.dpi: expected a number")
        #expect(StageError("the fit did not converge").description == "the fit did not converge")
    }

    @Test func anyErrorBecomesAStageErrorOfItsStage() {
        let wrapped = StageError.of(FileError(path: "/x/y", operation: "read", errno: EISDIR), stage: "s")
        #expect(wrapped.stage == "s" && wrapped.field == nil)
        #expect(wrapped.message.hasSuffix("cannot read: \(String(cString: strerror(EISDIR)))"))
        let kept = StageError.of(StageError("bad", field: "inputs.runs"), stage: "t")
        #expect(kept == StageError("bad", field: "inputs.runs", stage: "t"))
    }

    @Test func parameterAccessorsNameTheParameter() throws {
        let p = Parameters(["n": 3, "s": "x"])
        #expect(throws: StageError("not a number", field: "params.s")) { try p.double("s") }
        #expect(throws: StageError("not a declared parameter", field: "params.m")) { try p.int("m") }
    }
}
