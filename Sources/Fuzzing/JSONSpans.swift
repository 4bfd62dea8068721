/// A value (or member name) found in a JSON text by `JSONSpans.scan`.
public struct JSONSpan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case number, string, literal, array, object
    }

    public var kind: Kind
    /// Byte range in the text; for an array or object, from the bracket to its match.
    public var range: Range<Int>
    /// The member name when the value is an object member's value.
    public var key: String?
    /// A member name (the string before a `:`), not a value.
    public var isKey: Bool
    /// Nesting depth (0: top level, or a JSON-lines record).
    public var depth: Int
}

/// A tolerant lexical scan of JSON (or JSON lines) that finds every value's
/// byte range without building anything, so a mutator can replace a value in
/// place and leave every other byte as it was. Never fails: bytes that fit no
/// token are skipped, unmatched brackets yield no span. Iterative, so no input
/// can exhaust the stack.
public enum JSONSpans {
    /// - Parameter lines: JSON lines (one record a line): a newline ends
    ///   whatever a broken record left open.
    public static func scan(_ bytes: [UInt8], lines: Bool = false) -> [JSONSpan] {
        var spans: [JSONSpan] = []
        // Open containers: (kind, start, member name).
        var stack: [(kind: JSONSpan.Kind, start: Int, key: String?)] = []
        var pendingKey: String?
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                var j = i + 1
                while j < n && bytes[j] != UInt8(ascii: "\"") && bytes[j] != UInt8(ascii: "\n") {
                    j += bytes[j] == UInt8(ascii: "\\") ? 2 : 1
                }
                let end = min(j + 1, n)
                var k = end
                while k < n && (bytes[k] == 0x20 || bytes[k] == 0x09 || bytes[k] == 0x0D) { k += 1 }
                if k < n && bytes[k] == UInt8(ascii: ":") {
                    let name = String(decoding: bytes[min(i + 1, end)..<max(i + 1, end - 1)], as: UTF8.self)
                    spans.append(JSONSpan(kind: .string, range: i..<end, key: nil, isKey: true, depth: stack.count))
                    pendingKey = name
                } else {
                    spans.append(
                        JSONSpan(kind: .string, range: i..<end, key: pendingKey, isKey: false, depth: stack.count))
                    pendingKey = nil
                }
                i = end
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                stack.append((b == UInt8(ascii: "[") ? .array : .object, i, pendingKey))
                pendingKey = nil
                i += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                let kind: JSONSpan.Kind = b == UInt8(ascii: "]") ? .array : .object
                if let open = stack.last, open.kind == kind {
                    stack.removeLast()
                    spans.append(
                        JSONSpan(
                            kind: kind, range: open.start..<(i + 1), key: open.key, isKey: false, depth: stack.count))
                }
                pendingKey = nil
                i += 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var j = i + 1
                while j < n, isNumberByte(bytes[j]) { j += 1 }
                spans.append(JSONSpan(kind: .number, range: i..<j, key: pendingKey, isKey: false, depth: stack.count))
                pendingKey = nil
                i = j
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                var j = i + 1
                while j < n, isLetter(bytes[j]) { j += 1 }
                spans.append(JSONSpan(kind: .literal, range: i..<j, key: pendingKey, isKey: false, depth: stack.count))
                pendingKey = nil
                i = j
            case UInt8(ascii: "\n") where lines:
                // A new record starts; forget what the last one left open.
                stack.removeAll()
                pendingKey = nil
                i += 1
            default:
                i += 1
            }
        }
        return spans
    }

    private static func isNumberByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "e")
            || b == UInt8(ascii: "E") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }
}
