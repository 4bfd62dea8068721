import FigpipeBasics
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

private func parse(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

private func syntaxError(_ text: String) -> JSONSyntaxError? {
    do {
        _ = try JSONValue(parsing: text)
        return nil
    } catch {
        return error
    }
}

/// `strtod` of the text, the reference for correctly rounded conversion.
private func strtodReference(_ text: String) -> Double { text.withCString { strtod($0, nil) } }

/// A small deterministic generator (SplitMix64), so failures reproduce.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct JSONScannerValues {
    @Test func literalsAndContainers() throws {
        let v = try parse(#" { "a" : [1, -2, 3.5, true, false, null, "x", {}, []] , "b": {"c": {"d": 0}} } "#)
        #expect(v == ["a": [1, -2, 3.5, true, false, nil, "x", [:], []], "b": ["c": ["d": 0]]])
        #expect(v["a"]?.arrayValue?.count == 9)
        #expect(v["b"]?["c"]?["d"]?.intValue == 0)
    }

    @Test func integersStayIntegersAndOthersAreDoubles() throws {
        #expect(try parse("1000") == .int(1000))
        #expect(try parse("-7") == .int(-7))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-0") == .int(0))
        #expect(try parse("1000.0") == .double(1000))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("1E+3") == .double(1000))
        #expect(try parse("25e-1") == .double(2.5))
        #expect(try parse("1000").typeName == "integer")
        #expect(try parse("1000.5").typeName == "number")
    }

    /// Integers that fit in `Int` are kept exactly, even past 2^53 where a
    /// `Double` would round them.
    @Test(arguments: [
        "9007199254740993", "-9007199254740993", "12345678901234567", "123456789012345678",
        "1234567890123456789", "-1234567890123456789", "9223372036854775807", "-9223372036854775808",
        "999999999999999", "1000000000000000", "9999999999999999",
    ])
    func largeIntegersAreExact(_ text: String) throws {
        let v = try parse(text)
        #expect(v == .int(try #require(Int(text))), "\(text) parsed as \(v)")
    }

    @Test func integersBeyondIntBecomeDoubles() throws {
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
        #expect(try parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809.0))
        #expect(
            try parse("123456789012345678901234567890") == .double(strtodReference("123456789012345678901234567890")))
    }

    @Test func nanAndInfinity() throws {
        let nan = try parse("NaN")
        guard case .double(let d) = nan else {
            Issue.record("NaN parsed as \(nan)")
            return
        }
        #expect(d.isNaN)
        #expect(try parse("Infinity") == .double(.infinity))
        #expect(try parse("-Infinity") == .double(-.infinity))
        #expect(try parse("[NaN, Infinity, -Infinity]").arrayValue?.count == 3)
        #expect(syntaxError("-NaN") != nil)
        #expect(syntaxError("nan") != nil)
        #expect(syntaxError("infinity") != nil)
        #expect(syntaxError("+1") != nil)
    }

    /// Decimal text converts exactly as `strtod` (correctly rounded, as Python's `float()`).
    @Test(arguments: [
        "0.1", "0.2", "0.30000000000000004", "3.141592653589793", "2.718281828459045", "1.7976931348623157e308",
        "2.2250738585072014e-308", "2.2250738585072011e-308", "4.9406564584124654e-324", "5e-324",
        "1e-400", "1e400", "-1e400", "9007199254740993.0", "0.1000000000000000055511151231257827",
        "123456789012345678e-5", "1.00000000000000011102230246251565404236316680908203125",
        "1.00000000000000011102230246251565404236316680908203124", "7.2057594037927933e16", "1e23",
        "8.98846567431158e307", "-0.0", "0e10", "123.456e-2", "12345678901234567.5",
    ])
    func decimalsMatchStrtod(_ text: String) throws {
        let v = try parse(text)
        let expected = strtodReference(text)
        let got = try #require(v.numberValue)
        #expect(got.bitPattern == expected.bitPattern, "\(text): got \(got), strtod \(expected)")
    }

    /// Random doubles printed with 17 significant digits (and in Swift's
    /// shortest form) come back bit for bit.
    @Test func seventeenDigitDoublesRoundTrip() throws {
        var rng = SplitMix64(state: 42)
        var checked = 0
        var mismatches: [String] = []
        while checked < 20_000 {
            let d = Double(bitPattern: rng.next())
            guard d.isFinite, d != 0 else { continue }
            checked += 1
            for text in [String(format: "%.17g", d), "\(d)"] {
                let got = try parse(text).numberValue
                if got?.bitPattern != d.bitPattern { mismatches.append(text) }
            }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func whitespaceAroundTheValue() throws {
        #expect(try parse(" \t\r\n 1 \n") == 1)
        #expect(try parse("\n[ 1 ,\t2 ]\r\n") == [1, 2])
    }
}

@Suite struct JSONScannerStrings {
    @Test func simpleEscapes() throws {
        #expect(try parse(#""a\"b\\c\/d\be\ff\ng\rh\ti""#) == .string("a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti"))
    }

    @Test func unicodeEscapes() throws {
        #expect(try parse(#""\u0041\u00e9\u4e2d\u0000""#) == .string("Aé中\u{0}"))
        #expect(try parse(#""\u00E9""#) == .string("é"))
    }

    @Test func surrogatePairs() throws {
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\uD834\uDD1E x""#) == .string("𝄞 x"))
        #expect(try parse(#""a\ud83d\ude00b\ud83d\ude01""#) == .string("a😀b😁"))
    }

    @Test func loneSurrogatesBecomeReplacementCharacters() throws {
        #expect(try parse(#""\ud83d""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\ude00""#) == .string("\u{FFFD}"))
        #expect(try parse(#""\ud83dx""#) == .string("\u{FFFD}x"))
        // A high surrogate followed by an escape that is not a low surrogate:
        // the second escape is decoded on its own.
        #expect(try parse(#""\ud83d\u0041""#) == .string("\u{FFFD}A"))
        #expect(try parse(#""\ud83d\ud83d\ude00""#) == .string("\u{FFFD}😀"))
    }

    @Test func rawUTF8IsKept() throws {
        #expect(try parse("\"héllo wörld 中文 😀\"") == .string("héllo wörld 中文 😀"))
    }

    @Test func invalidUTF8IsAnError() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: bytes) }
        let escaped: [UInt8] = Array(#""\n"#.utf8) + [0xC3] + [0x22]
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: escaped) }
    }
}

@Suite struct JSONScannerErrors {
    /// Each malformed document fails with the byte offset of the problem.
    @Test(arguments: [
        ("", 0, "expected a value"),
        ("   ", 3, "expected a value"),
        ("[1,2", 4, "unterminated array"),
        ("[1,]", 3, "expected a value, found ']'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        (#"{"a":1,}"#, 7, "expected a string key"),
        ("{1:2}", 1, "expected a string key"),
        (#"{"a":1"#, 6, "unterminated object"),
        (#"{"a":1 "b":2}"#, 7, "expected ',' or '}'"),
        ("tru", 0, "invalid literal"),
        ("nul", 0, "invalid literal"),
        ("01", 1, "after the JSON value"),
        ("1 2", 2, "after the JSON value"),
        ("1.", 0, "no digits after '.'"),
        ("1.e5", 0, "no digits after '.'"),
        ("1e", 0, "no digits in exponent"),
        ("1e+", 0, "no digits in exponent"),
        ("-", 0, "expected a value"),
        ("-x", 0, "expected a value, found '-'"),
        (#"  "abc"#, 2, "unterminated string"),
        (#""a\qb""#, 2, "invalid escape '\\q'"),
        (#""\u12g4""#, 5, "invalid \\u escape"),
        (#""\u12""#, 3, "truncated \\u escape"),
        ("\"a\u{1}b\"", 2, "control character in string"),
        ("\"a\\n\u{1}b\"", 4, "control character in string"),
        ("[1] x", 4, "unexpected 'x' after the JSON value"),
    ])
    func errorsCarryTheOffset(_ text: String, _ offset: Int, _ message: String) {
        guard let e = syntaxError(text) else {
            Issue.record("\(text.debugDescription) parsed without an error")
            return
        }
        #expect(e.offset == offset, "\(text.debugDescription): \(e)")
        #expect(e.message.contains(message), "\(text.debugDescription): \(e)")
        #expect(e.description == "\(e.message) at byte \(e.offset)")
    }
}

@Suite struct JSONScannerPullAPI {
    @Test func keysAreComparedInPlaceAndValuesSkipped() throws {
        let text =
            #"{"skip": {"deep": [1, {"x": "y"}, "z\"q"]}, "n": 2.5, "s": "a\u0062c", "k\u0065y": null, "t": true}"#
        let bytes = Array(text.utf8)
        var n: Double?
        var s: String?
        var sawEscapedKey = false
        var types: [String] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            try scanner.beginObject()
            while let key = try scanner.nextKey() {
                types.append(scanner.nextValueType())
                if key.equals("n") {
                    n = try scanner.readNumber()
                } else if key.equals("s") {
                    s = try scanner.readString()
                } else if key.equals("key") {
                    sawEscapedKey = true
                    #expect(key.string == "key")
                    #expect(try scanner.consumeNull())
                } else {
                    #expect(!key.equals("n"))
                    try scanner.skipValue()
                }
            }
            try scanner.expectEnd()
        }
        #expect(n == 2.5)
        #expect(s == "abc")
        #expect(sawEscapedKey)
        #expect(types == ["object", "number", "string", "null", "boolean"])
    }

    @Test func arraysElementByElement() throws {
        let bytes = Array("[1, 2.5, -3e2, NaN]".utf8)
        var values: [Double] = []
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer)
            try scanner.beginArray()
            while try scanner.nextElement() { values.append(try scanner.readNumber()) }
            try scanner.expectEnd()
        }
        #expect(values.count == 4)
        #expect(Array(values.prefix(3)) == [1, 2.5, -300])
        #expect(values[3].isNaN)
    }

    @Test func aBoundedRegionOfALargerBuffer() throws {
        // Two JSON lines; the scanner sees only the second.
        let text = "{\"a\": 1}\n{\"a\": 22}\ntrailing garbage"
        let bytes = Array(text.utf8)
        let start = 9
        let end = 18
        var value: JSONValue = nil
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, from: start, to: end)
            value = try scanner.readValue()
            try scanner.expectEnd()
            #expect(scanner.position == end)
        }
        #expect(value == ["a": 22])
        // A number at the very end of the region is not read past it.
        try bytes.withUnsafeBufferPointer { buffer in
            var scanner = JSONScanner(buffer, from: 15, to: 16)
            #expect(try scanner.readNumber() == 2)
            try scanner.expectEnd()
        }
    }

    @Test func errorOffsetsAreOffsetsIntoTheWholeBuffer() throws {
        let bytes = Array("xxxxx[1,}".utf8)
        do {
            try bytes.withUnsafeBufferPointer { buffer in
                var scanner = JSONScanner(buffer, from: 5)
                _ = try scanner.readValue()
            }
            Issue.record("no error")
        } catch let e as JSONSyntaxError {
            #expect(e.offset == 8)
        }
    }
}

@Suite struct JSONScannerLimits {
    /// `depth` arrays (or objects with key "k") nested.
    static func nested(_ depth: Int, objects: Bool = false) -> [UInt8] {
        let open = objects ? #"{"k":"# : "["
        let close = objects ? "}" : "]"
        return Array((String(repeating: open, count: depth) + "0" + String(repeating: close, count: depth)).utf8)
    }

    @Test(arguments: [false, true])
    func nestingUpToTheLimitParses(_ objects: Bool) throws {
        _ = try JSONValue(parsing: Self.nested(JSONScanner.maxDepth, objects: objects))
    }

    @Test(arguments: [(513, false), (513, true), (100_000, false), (100_000, true)])
    func deeperNestingIsAnErrorNotACrash(_ depth: Int, _ objects: Bool) {
        let bytes = Self.nested(depth, objects: objects)
        #expect(throws: JSONSyntaxError.self) { _ = try JSONValue(parsing: bytes) }
        do {
            _ = try JSONValue(parsing: bytes)
        } catch {
            #expect(error.message == "nesting deeper than 512 levels of arrays and objects")
            // The offset of the first bracket past the limit.
            #expect(error.offset == (objects ? 5 : 1) * JSONScanner.maxDepth)
        }
    }

    @Test func skippingDeepValuesIsBoundedToo() throws {
        let bytes = Self.nested(100_000)
        try bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            #expect(throws: JSONSyntaxError.self) { try s.skipValue() }
        }
    }

    @Test func depthReturnsToZeroAfterAValue() throws {
        let bytes = Array(#"[[1],{"a":[{}]}] "#.utf8)
        try bytes.withUnsafeBufferPointer { buffer in
            var s = JSONScanner(buffer)
            try s.skipValue()
            #expect(s.depth == 0)
        }
    }

    /// Well-formed and ill-formed UTF-8 (Unicode Table 3-7), in raw strings,
    /// strings with escapes, keys and skipped strings.
    @Test(arguments: [
        ([0xC3, 0xA9], true), ([0xE2, 0x82, 0xAC], true), ([0xF0, 0x9F, 0x98, 0x80], true),
        ([0xED, 0x9F, 0xBF], true), ([0xF4, 0x8F, 0xBF, 0xBF], true),
        ([0x80], false), ([0xBF], false), ([0xC0, 0x80], false), ([0xC1, 0xBF], false), ([0xE0, 0x80, 0x80], false),
        ([0xED, 0xA0, 0x80], false), ([0xF0, 0x80, 0x80, 0x80], false), ([0xF4, 0x90, 0x80, 0x80], false),
        ([0xF5, 0x80, 0x80, 0x80], false), ([0xFF], false), ([0xC3], false), ([0xE2, 0x82], false),
        ([0xC3, 0x41], false),
    ] as [([UInt8], Bool)])
    func utf8IsValidatedEverywhere(_ sequence: [UInt8], _ valid: Bool) throws {
        let q = UInt8(ascii: "\"")
        let documents: [[UInt8]] = [
            [q] + sequence + [q],
            [q] + Array(#"\n"#.utf8) + sequence + [q],
            Array(#"{""#.utf8) + sequence + Array(#"": 1}"#.utf8),
        ]
        for doc in documents {
            if valid {
                #expect(throws: Never.self) { _ = try JSONValue(parsing: doc) }
            } else {
                do {
                    _ = try JSONValue(parsing: doc)
                    Issue.record("accepted \(doc)")
                } catch {
                    #expect(error.message.contains("UTF-8"), "\(error)")
                    // The offset names the first byte of the bad sequence.
                    #expect(doc[error.offset] == sequence[0], "\(error) in \(doc)")
                }
            }
            // Skipped strings too.
            try doc.withUnsafeBufferPointer { buffer in
                var s = JSONScanner(buffer)
                if valid {
                    try s.skipValue()
                } else {
                    #expect(throws: JSONSyntaxError.self) { try s.skipValue() }
                }
            }
        }
    }
}
