#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import FigpipeBasics

/// Lines of a JSON-lines file that could not be loaded: bad JSON, a value
/// that is not an object, a field of the wrong type, a missing required field.
/// All bad lines of a file are collected into one error.
public struct JSONLinesError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        /// 1-based byte column in the line.
        public var column: Int
        public var message: String

        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }

        public var description: String { "\(line):\(column): \(message)" }
    }

    /// How many problems are listed (the first, in file order).
    public static let listed = 10

    /// The file as shown to the user.
    public var displayName: String
    /// The first `listed` problems, in file order.
    public var problems: [Problem]
    /// How many lines had a problem in all.
    public var totalCount: Int

    public init(displayName: String, problems: [Problem], totalCount: Int) {
        self.displayName = displayName
        self.problems = problems
        self.totalCount = totalCount
    }

    /// `name:line:column: message` for each listed problem, then
    /// `and N more` when some are not listed.
    public var description: String {
        var out: [String] = []
        if totalCount > 1 { out.append("\(displayName): \(totalCount) lines could not be loaded:") }
        for p in problems { out.append("\(displayName):\(p)") }
        if totalCount > problems.count { out.append("and \(totalCount - problems.count) more") }
        return out.joined(separator: "\n")
    }
}

/// A problem on one line: a buffer offset and a message.
struct LineProblem: Error {
    var offset: Int
    var message: String
}

/// Collects line problems while a file is read.
struct ProblemCollector {
    let displayName: String
    private(set) var problems: [JSONLinesError.Problem] = []
    private(set) var total = 0

    init(displayName: String) { self.displayName = displayName }

    mutating func add(_ p: LineProblem, line: Int, lineStart: Int) {
        total += 1
        if problems.count < JSONLinesError.listed {
            problems.append(.init(line: line, column: max(1, p.offset - lineStart + 1), message: p.message))
        }
    }

    func check() throws(JSONLinesError) {
        if total > 0 { throw JSONLinesError(displayName: displayName, problems: problems, totalCount: total) }
    }
}

/// Reads a JSON-lines file whose every non-blank line is an object, calling
/// `parse` with a scanner positioned after the object's `{` (it must read the
/// object up to and including its `}`). Bad lines are collected; then one
/// `JSONLinesError` is thrown if there were any.
func forEachJSONObjectLine(
    path: String, displayName: String, progress: ((String) -> Void)? = nil,
    _ parse: (inout JSONScanner, _ line: Int, _ objectStart: Int) throws(LineProblem) -> Void
) throws {
    var problems = ProblemCollector(displayName: displayName)
    try LineReader.forEachLine(path: path, displayName: displayName, progress: progress) { buffer, range, line in
        var s = JSONScanner(buffer, from: range.lowerBound, to: range.upperBound)
        do throws(LineProblem) {
            let start = try beginTopLevelObject(&s)
            try parse(&s, line, start)
            try wrap { () throws(JSONSyntaxError) in try s.expectEnd() }
        } catch {
            problems.add(error, line: line, lineStart: range.lowerBound)
        }
    }
    try problems.check()
}

/// Consumes the `{` of a line's top-level value; a value of another type is a
/// problem. Returns the offset of the `{`.
private func beginTopLevelObject(_ s: inout JSONScanner) throws(LineProblem) -> Int {
    _ = s.peek()
    let start = s.position
    let type = s.nextValueType()
    if type != "object" {
        // Report bad JSON as such before complaining about the type.
        try wrap { () throws(JSONSyntaxError) in _ = try s.readValue() }
        throw LineProblem(offset: start, message: "expected a JSON object, found \(article(type))")
    }
    try wrap { () throws(JSONSyntaxError) in try s.beginObject() }
    return start
}

/// Runs scanner code, turning a syntax error into a line problem.
@inline(__always)
func wrap<T>(_ body: () throws(JSONSyntaxError) -> T) throws(LineProblem) -> T {
    do {
        return try body()
    } catch {
        throw LineProblem(offset: error.offset, message: error.message)
    }
}

func article(_ typeName: String) -> String {
    switch typeName {
    case "object", "array": "an \(typeName)"
    case "null": "null"
    case "end of input": "nothing"
    default: "a \(typeName)"
    }
}

// MARK: - Field readers

extension JSONScanner {
    /// The next key, its `:` consumed, or nil after `}`, with its raw bytes
    /// when it has no escapes (nil otherwise).
    @inline(__always)
    mutating func nextKeyWithRaw() throws(LineProblem) -> (key: JSONKey, raw: UnsafeBufferPointer<UInt8>?)? {
        guard let key = try wrap({ () throws(JSONSyntaxError) in try nextKey() }) else { return nil }
        return (key, key.rawBytes)
    }

    /// A number field: a number (also NaN/Infinity) or null; any other type
    /// is a problem naming `field`.
    @inline(__always)
    mutating func readNumberField(_ field: @autoclosure () -> String) throws(LineProblem) -> NumberField {
        let c = peek()
        if c == UInt8(ascii: "n") {
            _ = try wrap { () throws(JSONSyntaxError) in try consumeNull() }
            return .null
        }
        if let c,
            c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
                || c == UInt8(ascii: "N") || c == UInt8(ascii: "I")
        {
            return .number(try wrap { () throws(JSONSyntaxError) in try readNumber() })
        }
        throw typeProblem(field(), expected: "a number or null")
    }

    /// A string field as an id of `interner`: a string, null (`StringID.null`);
    /// any other type is a problem naming `field`.
    @inline(__always)
    mutating func readStringFieldID(_ field: @autoclosure () -> String, _ interner: inout Interner)
        throws(LineProblem) -> Int32
    {
        let c = peek()
        if c == UInt8(ascii: "n") {
            _ = try wrap { () throws(JSONSyntaxError) in try consumeNull() }
            return StringID.null
        }
        guard c == UInt8(ascii: "\"") else { throw typeProblem(field(), expected: "a string or null") }
        return try readInternedString(&interner)
    }

    /// Reads a string value (the scanner is at its `"`) and interns it.
    @inline(__always)
    mutating func readInternedString(_ interner: inout Interner) throws(LineProblem) -> Int32 {
        let start = position
        let token = try wrap { () throws(JSONSyntaxError) in try readStringToken() }
        guard let raw = token.rawBytes else { return interner.intern(token.string) }
        guard let id = interner.intern(raw) else {
            throw LineProblem(offset: start, message: "invalid UTF-8 in string")
        }
        return id
    }

    /// Skips a value (checking its syntax).
    @inline(__always)
    mutating func skip() throws(LineProblem) {
        try wrap { () throws(JSONSyntaxError) in try skipValue() }
    }

    /// "field 'x': expected a number or null, found a string", at the value.
    mutating func typeProblem(_ field: String, expected: String) -> LineProblem {
        let type = nextValueType()
        return LineProblem(offset: position, message: "field '\(field)': expected \(expected), found \(article(type))")
    }
}
