import FigpipeBasics
import Numerics
import Testing

@testable import Tables

/// The fast path for plain CSV files gives exactly what the general reader
/// (CSV.swift, checked against pandas in `PandasInference`) gives.
@Suite struct PlainCSVPath {
    static let vocabulary = [
        "", "1", "-3", "+4", " 3", "4 ", "\t5", "1.5", "-2e3", ".5", "1.", "2.5E-3", "nan", "NaN", "NA", "N/A",
        "null", "None", "#N/A", "inf", "-Infinity", "INF", "True", "false", "TRUE", "abc", "x y", "1e", "e5", "+",
        "-", ".", "1e308", "1e400", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "007",
        "0x10", "1_000", "ΔH", "12345678901234567890.5", "0.1000000000000000055511151231257827",
    ]

    /// Either reader's result: the table, or the error's text.
    func result(_ read: () throws -> DataTable?) -> String {
        do {
            guard let table = try read() else { return "not plain" }
            return table.columns.map { "\($0.name): \($0.values)" }.joined(separator: "\n")
        } catch {
            return "error: \(error)"
        }
    }

    @Test func randomPlainFilesReadTheSameBothWays() {
        var random = PCG64(seed: 13)
        func pick(_ n: Int) -> Int { Int(random.nextDouble() * Double(n)) }
        var plain = 0
        for _ in 0..<400 {
            let width = 1 + pick(4)
            // Each column draws from a few values, so that typed columns come up often.
            let pools = (0..<width).map { _ in
                (0..<(1 + pick(3))).map { _ in Self.vocabulary[pick(Self.vocabulary.count)] }
            }
            var lines = [(0..<width).map { "c\($0)" }.joined(separator: ",")]
            for _ in 0..<(1 + pick(6)) {
                switch pick(12) {
                case 0: lines.append("")  // a blank line
                case 1:
                    lines.append((0..<max(1, width - 1)).map { pools[$0].randomElement(pick) }.joined(separator: ","))
                case 2 where pick(4) == 0: lines.append((0...width).map { _ in "9" }.joined(separator: ","))
                default: lines.append((0..<width).map { pools[$0].randomElement(pick) }.joined(separator: ","))
                }
            }
            let text = lines.joined(separator: "\n") + (pick(2) == 0 ? "\n" : "")
            let bytes = Array(text.utf8)
            let reader = TableReader(shown: "t.csv")
            let fast = result { try PlainCSV.read(bytes, shown: "t.csv") }
            let general = result { try reader.generalCSV(bytes) }
            if fast != "not plain" { plain += 1 }
            #expect(fast == general, "\(text)")
        }
        #expect(plain == 400)
    }

    @Test func quotesAndCarriageReturnsTakeTheGeneralReader() throws {
        #expect(try PlainCSV.read(Array("a,b\n\"1\",2\n".utf8), shown: "t.csv") == nil)
        #expect(try PlainCSV.read(Array("a,b\r\n1,2\r\n".utf8), shown: "t.csv") == nil)
        let table = try TableReader(shown: "t.csv").read(Array("a,b\r\n1,\"x, y\"\r\n".utf8), format: .csv)
        #expect(table["b"]?.values == .objects([.string("x, y")]))
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: TableError.self) { try PlainCSV.read([97, 10, 0xff, 10], shown: "t.csv") }
    }
}

extension Array where Element == String {
    fileprivate func randomElement(_ pick: (Int) -> Int) -> String { self[pick(count)] }
}
