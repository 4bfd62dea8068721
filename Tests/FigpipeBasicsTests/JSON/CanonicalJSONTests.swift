import FigpipeBasics
import Foundation
import Testing

@Suite struct CanonicalJSON {
    @Test func keysSortedByUTF8BytesWithoutWhitespace() {
        let v: JSONValue = ["b": 1, "a": 2, "B": 3, "aa": 4, "é": 5, "\u{FF5E}": 6, "😀": 7, "": 8]
        // UTF-8 byte order: "" < "B" < "a" < "aa" < "b" < "é" (C3 A9) < "～" (EF BD 9E) < "😀" (F0 …);
        // UTF-16 order would put "😀" (D83D) before "～".
        #expect(v.canonicalString() == #"{"":8,"B":3,"a":2,"aa":4,"b":1,"é":5,"～":6,"😀":7}"#)
    }

    @Test func nestedValues() {
        let v: JSONValue = ["z": [1, 2.5, "s", true, false, nil, [:], []], "a": ["y": ["x": -1]]]
        #expect(v.canonicalString() == #"{"a":{"y":{"x":-1}},"z":[1,2.5,"s",true,false,null,{},[]]}"#)
    }

    @Test func sameValueSameBytesWhateverTheInsertionOrder() throws {
        let keys = (0..<200).map { "key\($0)" }
        var forward: [String: JSONValue] = [:]
        for (n, k) in keys.enumerated() { forward[k] = .int(n) }
        var backward: [String: JSONValue] = [:]
        for (n, k) in keys.enumerated().reversed() { backward[k] = .int(n) }
        var reserved = [String: JSONValue](minimumCapacity: 4096)
        for (n, k) in keys.enumerated().shuffled() { reserved[k] = .int(n) }
        let a = JSONValue.object(forward).canonicalBytes()
        #expect(a == JSONValue.object(backward).canonicalBytes())
        #expect(a == JSONValue.object(reserved).canonicalBytes())
        // And through a parse of a document written in another order.
        let text = "{" + keys.enumerated().reversed().map { "\"\($1)\": \($0)" }.joined(separator: ", ") + "}"
        #expect(try JSONValue(parsing: text).canonicalBytes() == a)
    }

    @Test func stringEscapes() {
        let s: JSONValue = .string("q\"b\\n\nr\rt\tc\u{1}\u{8}\u{C}\u{1F}\u{7F}/é😀")
        #expect(s.canonicalString() == #""q\"b\\n\nr\rt\tc\u0001\u0008\u000c\u001f"# + "\u{7F}/é😀\"")
    }

    @Test func numbers() {
        #expect(JSONValue.int(1000).canonicalString() == "1000")
        #expect(JSONValue.int(-9_223_372_036_854_775_808).canonicalString() == "-9223372036854775808")
        #expect(JSONValue.double(1000).canonicalString() == "1000.0")
        #expect(JSONValue.double(0.1).canonicalString() == "0.1")
        #expect(JSONValue.double(.nan).canonicalString() == "NaN")
        #expect(JSONValue.double(.infinity).canonicalString() == "Infinity")
        #expect(JSONValue.double(-.infinity).canonicalString() == "-Infinity")
        #expect(JSONValue.format(1e-7) == "1e-07")
        #expect(JSONValue.format(Double.leastNonzeroMagnitude) == "5e-324")
    }

    @Test(arguments: [
        #"{"a":[1,2,{"b":null}],"c":"d\n\u0001","e":-0.5,"f":1e+300,"g":true,"h":{}}"#,
        #"[NaN,Infinity,-Infinity,0.1,1.0,123456789012345678,9007199254740993]"#,
        #""\ud83d\ude00 \u00e9""#,
        "  { \"z\" : 1 , \"a\" : [ ] }  ",
    ])
    func roundTrips(_ text: String) throws {
        let v = try JSONValue(parsing: text)
        let canonical = v.canonicalBytes()
        let again = try JSONValue(parsing: canonical)
        // Canonical bytes are a fixed point: parse → encode gives the same bytes.
        #expect(again.canonicalBytes() == canonical)
        let pretty = try JSONValue(parsing: v.prettyString())
        #expect(pretty.canonicalBytes() == canonical)
    }

    @Test func doublesRoundTripExactlyAndStayDoubles() throws {
        for d in [0.1, 1.0, -2.5, 1e16, 1e-5, 1.7976931348623157e308, Double.leastNonzeroMagnitude, 123456.789, -0.0] {
            let back = try JSONValue(parsing: JSONValue.double(d).canonicalBytes())
            guard case .double(let got) = back else {
                Issue.record("\(d) came back as \(back)")
                continue
            }
            #expect(got.bitPattern == d.bitPattern)
        }
    }

    @Test func prettyLayout() {
        let v: JSONValue = ["b": [1, 2], "a": [:], "c": ["d": "e"], "f": []]
        #expect(
            v.prettyString() == """
                {
                  "a": {},
                  "b": [
                    1,
                    2
                  ],
                  "c": {
                    "d": "e"
                  },
                  "f": []
                }

                """)
    }

    @Test func descriptionIsCanonical() {
        let v: JSONValue = ["n": 1000, "s": "x"]
        #expect("\(v)" == #"{"n":1000,"s":"x"}"#)
        #expect("\(JSONValue.string("abc"))" == #""abc""#)
    }

    @Test func accessorsAndTypeNames() {
        let v: JSONValue = ["i": 1, "d": 1.5, "s": "x", "b": true, "a": [1], "o": [:], "n": nil]
        #expect(v["i"]?.intValue == 1)
        #expect(v["i"]?.numberValue == 1.0)
        #expect(v["d"]?.intValue == nil)
        #expect(v["d"]?.numberValue == 1.5)
        #expect(v["s"]?.stringValue == "x")
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?.arrayValue == [1])
        #expect(v["o"]?.objectValue == [:])
        #expect(v["missing"] == nil)
        #expect(v["s"]?["x"] == nil)
        let names = ["i", "d", "s", "b", "a", "o", "n"].compactMap { v[$0]?.typeName }
        #expect(names == ["integer", "number", "string", "boolean", "array", "object", "null"])
    }
}
