import FigpipeBasics
import Foundation
import Testing

@testable import VegaLite

/// The expression language against JavaScript's semantics, checked by hand
/// where vegafusion departs from JavaScript (string concatenation with
/// numbers and null) or does not run a function (min, max).
@Suite struct VegaExpressions {
    static let data = Dataset(rows: [
        [("x", .number(1)), ("s", .string("a")), ("n", .null), ("t", .string("2")), ("b", .boolean(true))],
        [("x", .number(2.5)), ("s", .string("b b")), ("n", .null), ("t", .string(" 10 ")), ("b", .boolean(false))],
    ])

    func eval(_ source: String, row: Int = 0) throws -> FieldValue {
        try Expression(source, path: "calculate").bind(Self.data)(row)
    }

    @Test func javaScriptArithmeticAndConcatenation() throws {
        #expect(try eval("datum.x + 'x'") == .string("1x"))
        #expect(try eval("datum.x + 'x'", row: 1) == .string("2.5x"))
        #expect(try eval("datum.n + 'x'") == .string("nullx"))
        #expect(try eval("datum.n + 1") == .number(1))
        #expect(try eval("datum.b + 1") == .number(2))
        #expect(try eval("datum.t * 2", row: 1) == .number(20))
        #expect(try eval("datum.t + 1") == .string("21"))
        #expect(try eval("-7 % 3") == .number(-1))
        #expect(try eval("1 / 0") == .number(.infinity))
        #expect(try eval("datum['s'] + datum.s") == .string("aa"))
        #expect(try eval("2 + 3 * 4 - 6 / 3") == .number(12))
        #expect(try eval("-(2 + 3) * +'4'") == .number(-20))
    }

    @Test func javaScriptComparisons() throws {
        #expect(try eval("datum.t == 2") == .boolean(true))
        #expect(try eval("datum.t === 2") == .boolean(false))
        #expect(try eval("datum.n == 0") == .boolean(false))
        #expect(try eval("datum.n == null") == .boolean(true))
        #expect(try eval("datum.n >= 0") == .boolean(true))
        #expect(try eval("datum.b == 1") == .boolean(true))
        #expect(try eval("'10' < '9'") == .boolean(true))
        #expect(try eval("'10' < 9") == .boolean(false))
        #expect(try eval("datum.s < 1") == .boolean(false))
        #expect(try eval("datum.s >= 1") == .boolean(false))
        #expect(try eval("datum.x !== 1") == .boolean(false))
        #expect(try eval("datum.x != '1'") == .boolean(false))
    }

    @Test func logicalOperatorsReturnOperands() throws {
        #expect(try eval("datum.s || 3") == .string("a"))
        #expect(try eval("datum.n || 3") == .number(3))
        #expect(try eval("datum.x && datum.s") == .string("a"))
        #expect(try eval("!datum.s") == .boolean(false))
        #expect(try eval("datum.x > 2 ? 'big' : datum.x > 0 ? 'small' : 'none'") == .string("small"))
    }

    @Test func functionsAndConstants() throws {
        #expect(try eval("min(3, datum.x, 2)") == .number(1))
        #expect(try eval("max(3, datum.t, 2)") == .number(3))
        #expect(try eval("max(1, 'a')") == .number(.nan) || (try eval("isNaN(max(1, 'a'))")) == .boolean(true))
        #expect(try eval("round(-2.5)") == .number(-2))
        #expect(try eval("round(2.5)") == .number(3))
        #expect(try eval("pow(1, 0/0)") == .boolean(false) || (try eval("isNaN(pow(1, 0/0))")) == .boolean(true))
        #expect(try eval("isValid(datum.n)") == .boolean(false))
        #expect(try eval("isValid(0/0)") == .boolean(false))
        #expect(try eval("isValid(datum.s)") == .boolean(true))
        #expect(try eval("isNaN('a')") == .boolean(false))
        #expect(try eval("isFinite('1')") == .boolean(false))
        #expect(try eval("isFinite(+'1')") == .boolean(true))
        #expect(try eval("floor(-1.5) + ceil(1.2) + abs(-3) + sqrt(16)") == .number(7))
        #expect(try eval("PI") == .number(Double.pi))
        #expect(try eval("log(E)") == .number(1))
        #expect(try eval("exp(0)") == .number(1))
        #expect(try eval("1e3 + .5 + 0x10") == .number(1016.5))
        #expect(try eval("'it\\'s' + \"\\u0041\"") == .string("it'sA"))
    }

    @Test func fieldsAreListed() throws {
        #expect(try Expression("datum.a + datum['b c'] * datum.a", path: "p").fields == ["a", "b c"])
    }

    @Test func unsupportedSyntaxIsASpecErrorWithItsPosition() {
        let cases: [(String, String)] = [
            ("datum.x + foo(1)", "unsupported function 'foo' at position 10 of the expression"),
            ("datum.x + y", "unknown identifier 'y' at position 10 of the expression"),
            ("datum.x +", "unexpected the end of the expression at position 9 of the expression"),
            ("datum.x = 1", "unsupported operator '=' at position 8 of the expression"),
            ("datum.x ** 2", "unsupported operator '**' at position 8 of the expression"),
            (
                "datum.a.b",
                "unsupported member access (only datum.field and datum['field'] are) at position 7 of the expression"
            ),
            ("datum", "'datum' must be followed by a field (datum.x or datum['x']) at position 0 of the expression"),
            ("'abc", "unterminated string at position 0 of the expression"),
            ("(1 + 2", "expected ')' but found the end of the expression at position 6 of the expression"),
            ("1 2", "unexpected number 2 at position 2 of the expression"),
            ("", "empty expression at position 0 of the expression"),
            ("datum.x # 2", "unexpected character '#' at position 8 of the expression"),
        ]
        for (source, message) in cases {
            #expect(throws: SpecError("transform[1].calculate", message), "\(source)") {
                try Expression(source, path: "transform[1].calculate")
            }
        }
    }

    /// Parse once, evaluate per row: a million rows through a filter and a calculate.
    @Test func aMillionRows() throws {
        let n = 1_000_000
        let data = Dataset(columns: [("x", .numbers((0..<n).map { Double($0) }))])
        let transforms = try Transform.parseAll(
            [["filter": "datum.x % 2 == 0"], ["calculate": "datum.x / 2 + 1", "as": "h"]], path: "transform")
        let out = try Transform.apply(transforms, to: data)
        #expect(out.count == n / 2)
        #expect(out.value("h", n / 2 - 1) == .number(Double(n / 2)))
    }
}
