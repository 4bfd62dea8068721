import Testing

@testable import Review

@Suite struct TableDiffTests {
    @Test func cellsDifferByColumnNameWithNumericDeltas() {
        let old = Array("eta,dh,note\n0.1,1.5,a\n0.2,2.5,b\n".utf8)
        let new = Array("eta,note,dh,extra\n0.1,a,1.75,x\n0.2,\"b, c\",2.5,y\n0.3,c,3.5,z\n".utf8)
        let change = TableDiff.compare(old, new)
        #expect(change.addedColumns == ["extra"])
        #expect(change.removedColumns.isEmpty)
        #expect(change.oldRows == 2 && change.newRows == 3)
        #expect(
            change.cells == [
                TableChange.Cell(row: 0, column: "dh", old: "1.5", new: "1.75"),
                TableChange.Cell(row: 1, column: "note", old: "b", new: "b, c"),
            ])
        #expect(change.cells.first?.delta == 0.25)
        #expect(change.cells.last?.delta == nil)
        #expect(change.summary == "rows 2 → 3; columns added: extra; 2 cells changed")
    }

    @Test func sameCellsInAnotherFormatSaySo() {
        #expect(
            TableDiff.compare(Array("a\n1\n".utf8), Array("\"a\"\n1\n".utf8)).summary
                == "same cells (formatting differs)")
    }
}
