#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A JSON syntax error at a byte offset of the scanned buffer.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Byte offset into the buffer the scanner was given.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    public var description: String { "\(message) at byte \(offset)" }
}

/// An object key as scanned: the raw bytes when the key has no escapes
/// (the common case, compared without allocating), else the decoded string.
public struct JSONKey: CustomStringConvertible {
    @usableFromInline let raw: UnsafeBufferPointer<UInt8>?
    @usableFromInline let decoded: String?

    @inlinable
    public func equals(_ literal: StaticString) -> Bool {
        if let raw {
            guard raw.count == literal.utf8CodeUnitCount else { return false }
            guard let base = raw.baseAddress else { return raw.count == 0 }
            return memcmp(base, literal.utf8Start, raw.count) == 0
        }
        return decoded == literal.description
    }

    /// The bytes between the quotes when the token has no escapes (not yet
    /// checked to be valid UTF-8), else nil; valid while the scanned buffer is.
    public var rawBytes: UnsafeBufferPointer<UInt8>? { raw }

    public var string: String {
        if let raw { return String(decoding: raw, as: UTF8.self) }
        return decoded ?? ""
    }

    public var description: String { string }
}

/// A pull parser over a byte buffer, fast enough for hundreds of megabytes of
/// JSON lines: keys are compared in place, values a caller does not need are
/// skipped without being built, numbers are converted with `strtod` (correctly
/// rounded, as Python's `float()`).
///
/// Accepts what Python's `json.loads` accepts, including `NaN`, `Infinity`
/// and `-Infinity`. The buffer must stay valid while the scanner is used.
public struct JSONScanner {
    public let buffer: UnsafeBufferPointer<UInt8>
    public private(set) var position: Int
    /// Where the scanned region ends (exclusive).
    public let end: Int
    /// How many objects and arrays are open at `position`.
    public private(set) var depth = 0

    /// The deepest nesting of objects and arrays any reader accepts. Deeper
    /// input is an error (at its byte offset), never a stack overflow: the
    /// value readers recurse once per level.
    public static let maxDepth = 512

    public init(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int = 0, to end: Int? = nil) {
        self.buffer = buffer
        self.position = start
        self.end = end ?? buffer.count
    }

    // MARK: Low level

    @inline(__always)
    mutating func skipWhitespace() {
        while position < end {
            let c = buffer[position]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 {
                position += 1
            } else {
                return
            }
        }
    }

    /// The next non-blank byte, not consumed.
    @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return position < end ? buffer[position] : nil
    }

    func error(_ message: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? position, message: message)
    }

    func describeNext() -> String {
        guard position < end else { return "end of input" }
        let c = buffer[position]
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "byte 0x\(String(c, radix: 16))"
    }

    @inline(__always)
    mutating func expect(_ c: UInt8) throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < end, buffer[position] == c else {
            throw error("expected '\(Character(Unicode.Scalar(c)))', found \(describeNext())")
        }
        position += 1
    }

    /// Only white space may remain.
    public mutating func expectEnd() throws(JSONSyntaxError) {
        skipWhitespace()
        if position < end { throw error("unexpected \(describeNext()) after the JSON value") }
    }

    // MARK: Objects and arrays

    /// Consumes `{`.
    public mutating func beginObject() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: "{") else {
            throw error("expected an object, found \(describeNext())")
        }
        try enter()
        position += 1
        pendingFirst = true
    }

    @inline(__always)
    private mutating func enter() throws(JSONSyntaxError) {
        guard depth < JSONScanner.maxDepth else {
            throw error("nesting deeper than \(JSONScanner.maxDepth) levels of arrays and objects")
        }
        depth += 1
    }

    private var pendingFirst = false

    /// The next key of the current object (its `:` consumed), or nil after the
    /// closing `}`. The caller must then read or skip the value.
    public mutating func nextKey() throws(JSONSyntaxError) -> JSONKey? {
        skipWhitespace()
        guard position < end else { throw error("unterminated object") }
        if buffer[position] == UInt8(ascii: "}") {
            position += 1
            pendingFirst = false
            depth -= 1
            return nil
        }
        if !pendingFirst {
            guard buffer[position] == UInt8(ascii: ",") else {
                throw error("expected ',' or '}', found \(describeNext())")
            }
            position += 1
            skipWhitespace()
        }
        pendingFirst = false
        guard position < end, buffer[position] == UInt8(ascii: "\"") else {
            throw error("expected a string key, found \(describeNext())")
        }
        let key = try scanStringToken()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes `[`.
    public mutating func beginArray() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: "[") else {
            throw error("expected an array, found \(describeNext())")
        }
        try enter()
        position += 1
        pendingFirst = true
    }

    /// True when another element follows (its separator consumed); false after `]`.
    public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard position < end else { throw error("unterminated array") }
        if buffer[position] == UInt8(ascii: "]") {
            position += 1
            pendingFirst = false
            depth -= 1
            return false
        }
        if !pendingFirst {
            guard buffer[position] == UInt8(ascii: ",") else {
                throw error("expected ',' or ']', found \(describeNext())")
            }
            position += 1
        }
        pendingFirst = false
        return true
    }

    // MARK: Values

    /// Skips one value of any type, checking its syntax.
    public mutating func skipValue() throws(JSONSyntaxError) {
        skipWhitespace()
        guard position < end else { throw error("expected a value, found end of input") }
        switch buffer[position] {
        case UInt8(ascii: "{"):
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            while try nextElement() { try skipValue() }
        case UInt8(ascii: "\""):
            _ = try scanStringToken()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            _ = try readNumberToken()
        }
    }

    /// Reads one value into a `JSONValue`.
    public mutating func readValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < end else { throw error("expected a value, found end of input") }
        switch buffer[position] {
        case UInt8(ascii: "{"):
            var members: [String: JSONValue] = [:]
            try beginObject()
            while let key = try nextKey() {
                members[key.string] = try readValue()
            }
            return .object(members)
        case UInt8(ascii: "["):
            var items: [JSONValue] = []
            try beginArray()
            while try nextElement() { items.append(try readValue()) }
            return .array(items)
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            let (value, isInteger, start) = try readNumberToken()
            if isInteger, let i = exactInteger(from: start, to: position) {
                return .int(i)
            }
            return .double(value)
        }
    }

    /// True (and consumed) when the next value is `null`.
    public mutating func consumeNull() throws(JSONSyntaxError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// What the next value is, without consuming it.
    public mutating func nextValueType() -> String {
        guard let c = peek() else { return "end of input" }
        switch c {
        case UInt8(ascii: "{"): return "object"
        case UInt8(ascii: "["): return "array"
        case UInt8(ascii: "\""): return "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "boolean"
        case UInt8(ascii: "n"):
            if end - position >= 3, buffer[position + 1] == UInt8(ascii: "u") { return "null" }
            return "number"
        default: return "number"
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        guard end - position >= n, let base = buffer.baseAddress, memcmp(base + position, word.utf8Start, n) == 0
        else {
            throw error("invalid literal, found \(describeNext())")
        }
        position += n
    }

    // MARK: Strings

    /// Reads a string value, decoding escapes; invalid UTF-8 is an error.
    public mutating func readString() throws(JSONSyntaxError) -> String {
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: "\"") else {
            throw error("expected a string, found \(describeNext())")
        }
        let start = position
        let token = try scanStringToken()
        if let raw = token.raw {
            guard let s = String(validating: raw, as: UTF8.self) else {
                throw error("invalid UTF-8 in string", at: start)
            }
            return s
        }
        return token.decoded ?? ""
    }

    /// Reads a string value as a token, without decoding it when it has no
    /// escapes (see `JSONKey.rawBytes`): for callers that intern or compare
    /// strings without building them.
    public mutating func readStringToken() throws(JSONSyntaxError) -> JSONKey {
        skipWhitespace()
        guard position < end, buffer[position] == UInt8(ascii: "\"") else {
            throw error("expected a string, found \(describeNext())")
        }
        return try scanStringToken()
    }

    /// Scans a string token starting at `"`. Fast path: no escapes, returns the
    /// raw bytes between the quotes.
    private mutating func scanStringToken() throws(JSONSyntaxError) -> JSONKey {
        let start = position
        position += 1
        let contentStart = position
        while position < end {
            let c = buffer[position]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(rebasing: buffer[contentStart..<position])
                position += 1
                return JSONKey(raw: raw, decoded: nil)
            }
            if c == UInt8(ascii: "\\") {
                position = contentStart
                return JSONKey(raw: nil, decoded: try decodeEscapedString(from: start))
            }
            if c < 0x20 { throw error("control character in string") }
            if c >= 0x80 {
                position += try utf8SequenceLength()
                continue
            }
            position += 1
        }
        throw error("unterminated string", at: start)
    }

    /// The length of the well-formed UTF-8 sequence at `position` (whose first
    /// byte is ≥ 0x80), or an error at its offset: every reader rejects invalid
    /// UTF-8 (overlong forms, surrogates, code points past U+10FFFF, truncated
    /// sequences) wherever it is, also in strings it skips or keeps as raw bytes.
    @inline(__always)
    private func utf8SequenceLength() throws(JSONSyntaxError) -> Int {
        let b0 = buffer[position]
        let count: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: count = 2
        case 0xE0:
            count = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: count = 3
        case 0xED:
            count = 3
            high = 0x9F
        case 0xF0:
            count = 4
            low = 0x90
        case 0xF1...0xF3: count = 4
        case 0xF4:
            count = 4
            high = 0x8F
        default: throw error("invalid UTF-8 byte 0x\(String(b0, radix: 16))")
        }
        guard end - position >= count else { throw error("truncated UTF-8 sequence") }
        let b1 = buffer[position + 1]
        guard b1 >= low && b1 <= high else { throw error("invalid UTF-8 sequence") }
        for k in 2..<count where buffer[position + k] & 0xC0 != 0x80 {
            throw error("invalid UTF-8 sequence")
        }
        return count
    }

    private mutating func decodeEscapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var bytes: [UInt8] = []
        while position < end {
            let c = buffer[position]
            position += 1
            switch c {
            case UInt8(ascii: "\""):
                guard let s = String(validating: bytes, as: UTF8.self) else {
                    throw error("invalid UTF-8 in string", at: start)
                }
                return s
            case UInt8(ascii: "\\"):
                guard position < end else { break }
                let e = buffer[position]
                position += 1
                switch e {
                case UInt8(ascii: "\""): bytes.append(0x22)
                case UInt8(ascii: "\\"): bytes.append(0x5C)
                case UInt8(ascii: "/"): bytes.append(0x2F)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), end - position >= 6,
                        buffer[position] == UInt8(ascii: "\\"), buffer[position + 1] == UInt8(ascii: "u")
                    {
                        let save = position
                        position += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                        }
                    }
                    // Lone surrogates become U+FFFD (Python keeps them; they cannot
                    // be represented in a Swift String).
                    let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    bytes.append(contentsOf: String(Character(u)).utf8)
                default:
                    throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))'", at: position - 2)
                }
            default:
                if c < 0x20 { throw error("control character in string", at: position - 1) }
                if c >= 0x80 {
                    position -= 1
                    let n = try utf8SequenceLength()
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[position..<position + n]))
                    position += n
                    continue
                }
                bytes.append(c)
            }
        }
        throw error("unterminated string", at: start)
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard end - position >= 4 else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = buffer[position]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            position += 1
        }
        return v
    }

    // MARK: Numbers

    /// Reads a number (also `NaN`, `Infinity`, `-Infinity`).
    public mutating func readNumber() throws(JSONSyntaxError) -> Double {
        skipWhitespace()
        return try readNumberToken().value
    }

    /// Validates the JSON number grammar, then converts with `strtod` (or
    /// exactly, for short integers).
    private mutating func readNumberToken() throws(JSONSyntaxError) -> (value: Double, isInteger: Bool, start: Int) {
        let start = position
        var p = position
        var negative = false
        if p < end, buffer[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
        }
        guard p < end else { throw error("expected a value, found end of input") }
        let first = buffer[p]
        if first == UInt8(ascii: "N") || first == UInt8(ascii: "I") {
            position = p
            if first == UInt8(ascii: "N") {
                guard !negative else { throw error("invalid number", at: start) }
                try literal("NaN")
                return (.nan, false, start)
            }
            try literal("Infinity")
            return (negative ? -.infinity : .infinity, false, start)
        }
        guard first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9") else {
            position = start
            throw error("expected a value, found \(describeNext())")
        }
        var mantissa: UInt64 = 0
        var digits = 0
        if first == UInt8(ascii: "0") {
            p += 1
        } else {
            while p < end, buffer[p] >= UInt8(ascii: "0"), buffer[p] <= UInt8(ascii: "9") {
                mantissa = mantissa &* 10 &+ UInt64(buffer[p] - UInt8(ascii: "0"))
                digits += 1
                p += 1
            }
        }
        var isInteger = true
        if p < end, buffer[p] == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            let fracStart = p
            while p < end, buffer[p] >= UInt8(ascii: "0"), buffer[p] <= UInt8(ascii: "9") { p += 1 }
            guard p > fracStart else { throw error("invalid number: no digits after '.'", at: start) }
        }
        if p < end, buffer[p] == UInt8(ascii: "e") || buffer[p] == UInt8(ascii: "E") {
            isInteger = false
            p += 1
            if p < end, buffer[p] == UInt8(ascii: "+") || buffer[p] == UInt8(ascii: "-") { p += 1 }
            let expStart = p
            while p < end, buffer[p] >= UInt8(ascii: "0"), buffer[p] <= UInt8(ascii: "9") { p += 1 }
            guard p > expStart else { throw error("invalid number: no digits in exponent", at: start) }
        }
        position = p
        if isInteger && digits <= 15 {
            let v = Double(mantissa)
            return (negative ? -v : v, true, start)
        }
        return (convert(from: start, to: p), isInteger, start)
    }

    /// The integer token `[start, stop)` (digits after an optional `-`) as an
    /// `Int`, digit by digit, so integers past 2^53 are not rounded through a
    /// `Double`; nil when it does not fit.
    private func exactInteger(from start: Int, to stop: Int) -> Int? {
        var p = start
        let negative = p < stop && buffer[p] == UInt8(ascii: "-")
        if negative { p += 1 }
        var v = 0
        while p < stop {
            let d = Int(buffer[p] &- UInt8(ascii: "0"))
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            v = r
            p += 1
        }
        return v
    }

    /// The number token `[start, stop)`: `FastDouble` (correctly rounded, as
    /// `strtod`), or `strtod` over a bounded copy of the token (the buffer need not
    /// be NUL-terminated) for a number of more than 19 significant digits.
    private func convert(from start: Int, to stop: Int) -> Double {
        let n = stop - start
        if let base = buffer.baseAddress, let v = FastDouble.parse(UnsafeBufferPointer(start: base + start, count: n)) {
            return v
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp in
            guard let base = tmp.baseAddress, let src = buffer.baseAddress else { return .nan }
            memcpy(base, src + start, n)
            base[n] = 0
            return strtod(base, nil)
        }
    }
}

/// Where a byte offset is in a text, as editors count: line and column from 1.
public enum TextPosition {
    public static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for b in bytes.prefix(offset) {
            if b == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
