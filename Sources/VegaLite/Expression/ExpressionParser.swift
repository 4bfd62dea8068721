/// The parser of Vega expressions: a tokenizer and a recursive descent over
/// JavaScript's precedence levels (conditional, `||`, `&&`, equality,
/// relational, additive, multiplicative, unary, member access).
struct ExpressionParser {
    enum Token: Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        case punctuator(String)
        case end
    }

    let path: String
    private let characters: [Character]
    private var tokens: [(token: Token, position: Int)] = []
    private var index = 0
    private var tokenizeError: SpecError?

    init(_ source: String, path: String) {
        self.path = path
        characters = Array(source)
    }

    func error(_ message: String, at position: Int) -> SpecError {
        SpecError(path, "\(message) at position \(position) of the expression")
    }

    mutating func parseAll() throws(SpecError) -> ExpressionNode {
        try tokenize()
        if tokens.first?.token == .end { throw error("empty expression", at: 0) }
        let node = try conditional()
        let (t, p) = tokens[index]
        if t != .end { throw error("unexpected \(describe(t))", at: p) }
        return node
    }

    // MARK: Tokens

    private static let punctuators = [
        "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", "(",
        ")", "[", "]", ",", ".",
    ]
    /// JavaScript operators outside the subset, recognized so the error names them.
    private static let unsupported = [
        ">>>=", "**=", "<<=", ">>=", ">>>", "**", "<<", ">>", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
        "^=", "=>", "??", "?.", "&", "|", "^", "~", "=", "{", "}", ";",
    ]

    private mutating func tokenize() throws(SpecError) {
        var i = 0
        let n = characters.count
        while i < n {
            let c = characters[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            let start = i
            if c.isNumber || (c == "." && i + 1 < n && characters[i + 1].isNumber) {
                i = try number(from: i)
                continue
            }
            if c == "'" || c == "\"" {
                i = try string(from: i, quote: c)
                continue
            }
            if c.isLetter || c == "_" || c == "$" {
                while i < n
                    && (characters[i].isLetter || characters[i].isNumber || characters[i] == "_"
                        || characters[i] == "$")
                {
                    i += 1
                }
                tokens.append((.identifier(String(characters[start..<i])), start))
                continue
            }
            if let op = Self.unsupported.first(where: { matches($0, at: i) }),
                !Self.punctuators.contains(where: { $0.count >= op.count && matches($0, at: i) })
            {
                throw error("unsupported operator '\(op)'", at: i)
            }
            guard let p = Self.punctuators.first(where: { matches($0, at: i) }) else {
                throw error("unexpected character '\(c)'", at: i)
            }
            tokens.append((.punctuator(p), start))
            i += p.count
        }
        tokens.append((.end, n))
    }

    private func matches(_ s: String, at i: Int) -> Bool {
        var j = i
        for c in s {
            guard j < characters.count, characters[j] == c else { return false }
            j += 1
        }
        return true
    }

    private mutating func number(from start: Int) throws(SpecError) -> Int {
        var i = start
        let n = characters.count
        func digits() { while i < n && characters[i].isASCII && characters[i].isNumber { i += 1 } }
        if characters[i] == "0", i + 1 < n, "xXoObB".contains(characters[i + 1]) {
            let radix = "xX".contains(characters[i + 1]) ? 16 : "oO".contains(characters[i + 1]) ? 8 : 2
            i += 2
            let first = i
            while i < n && characters[i].isHexDigit { i += 1 }
            guard i > first, let v = Int(String(characters[first..<i]), radix: radix) else {
                throw error("malformed number", at: start)
            }
            tokens.append((.number(Double(v)), start))
            return i
        }
        digits()
        if i < n && characters[i] == "." {
            i += 1
            digits()
        }
        if i < n && (characters[i] == "e" || characters[i] == "E") {
            i += 1
            if i < n && (characters[i] == "+" || characters[i] == "-") { i += 1 }
            let first = i
            digits()
            if i == first { throw error("malformed number", at: start) }
        }
        if i < n && (characters[i].isLetter || characters[i] == "_") { throw error("malformed number", at: start) }
        guard let v = Double(String(characters[start..<i])) else { throw error("malformed number", at: start) }
        tokens.append((.number(v), start))
        return i
    }

    private mutating func string(from start: Int, quote: Character) throws(SpecError) -> Int {
        var i = start + 1
        var out = ""
        let n = characters.count
        while i < n {
            let c = characters[i]
            if c == quote {
                tokens.append((.string(out), start))
                return i + 1
            }
            if c == "\\" {
                i += 1
                guard i < n else { break }
                switch characters[i] {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "r": out.append("\r")
                case "b": out.append("\u{8}")
                case "f": out.append("\u{c}")
                case "v": out.append("\u{b}")
                case "0": out.append("\0")
                case "u":
                    guard i + 4 < n, let code = UInt32(String(characters[(i + 1)...(i + 4)]), radix: 16),
                        let scalar = Unicode.Scalar(code)
                    else { throw error("malformed \\u escape", at: i - 1) }
                    out.unicodeScalars.append(scalar)
                    i += 4
                default: out.append(characters[i])
                }
                i += 1
                continue
            }
            if c.isNewline { break }
            out.append(c)
            i += 1
        }
        throw error("unterminated string", at: start)
    }

    // MARK: Grammar

    private var current: Token { tokens[index].token }
    private var position: Int { tokens[index].position }

    private mutating func accept(_ p: String) -> Bool {
        if current == .punctuator(p) {
            index += 1
            return true
        }
        return false
    }

    private mutating func expect(_ p: String) throws(SpecError) {
        guard accept(p) else { throw error("expected '\(p)' but found \(describe(current))", at: position) }
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .number(let v): "number \(JavaScriptNumber.string(v))"
        case .string(let s): "string '\(s)'"
        case .identifier(let s): "'\(s)'"
        case .punctuator(let p): "'\(p)'"
        case .end: "the end of the expression"
        }
    }

    private mutating func conditional() throws(SpecError) -> ExpressionNode {
        let test = try logicalOr()
        guard accept("?") else { return test }
        let a = try conditional()
        try expect(":")
        let b = try conditional()
        return .conditional(test, a, b)
    }

    private mutating func logicalOr() throws(SpecError) -> ExpressionNode {
        var left = try logicalAnd()
        while accept("||") { left = .or(left, try logicalAnd()) }
        return left
    }

    private mutating func logicalAnd() throws(SpecError) -> ExpressionNode {
        var left = try equality()
        while accept("&&") { left = .and(left, try equality()) }
        return left
    }

    private mutating func binaryLevel(
        _ ops: [BinaryOperator], _ next: (inout ExpressionParser) throws(SpecError) -> ExpressionNode
    ) throws(SpecError) -> ExpressionNode {
        var left = try next(&self)
        while case .punctuator(let p) = current, let op = ops.first(where: { $0.rawValue == p }) {
            index += 1
            left = .binary(op, left, try next(&self))
        }
        return left
    }

    private mutating func equality() throws(SpecError) -> ExpressionNode {
        try binaryLevel([.strictEqual, .strictNotEqual, .equal, .notEqual]) {
            (p: inout ExpressionParser) throws(SpecError) in try p.relational()
        }
    }

    private mutating func relational() throws(SpecError) -> ExpressionNode {
        try binaryLevel([.lessEqual, .greaterEqual, .less, .greater]) { (p: inout ExpressionParser) throws(SpecError) in
            try p.additive()
        }
    }

    private mutating func additive() throws(SpecError) -> ExpressionNode {
        try binaryLevel([.add, .subtract]) { (p: inout ExpressionParser) throws(SpecError) in try p.multiplicative() }
    }

    private mutating func multiplicative() throws(SpecError) -> ExpressionNode {
        try binaryLevel([.multiply, .divide, .remainder]) { (p: inout ExpressionParser) throws(SpecError) in
            try p.unary()
        }
    }

    private mutating func unary() throws(SpecError) -> ExpressionNode {
        if accept("!") { return .not(try unary()) }
        if accept("-") { return .negate(try unary()) }
        if accept("+") { return .plus(try unary()) }
        return try primary()
    }

    private mutating func primary() throws(SpecError) -> ExpressionNode {
        let start = position
        switch current {
        case .number(let v):
            index += 1
            return try noMember(.constant(.number(v)))
        case .string(let s):
            index += 1
            return try noMember(.constant(.string(s)))
        case .punctuator("("):
            index += 1
            let inner = try conditional()
            try expect(")")
            return try noMember(inner)  // `inner` is evaluated before `self` is read
        case .identifier(let name):
            index += 1
            switch name {
            case "true": return try noMember(.constant(.boolean(true)))
            case "false": return try noMember(.constant(.boolean(false)))
            case "null": return try noMember(.constant(.null))
            case "datum":
                let member = try datumMember(start: start)
                return try noMember(member)
            default: break
            }
            if current == .punctuator("(") {
                guard let function = ExpressionFunction(rawValue: name) else {
                    throw error("unsupported function '\(name)'", at: start)
                }
                index += 1
                var args: [ExpressionNode] = []
                if !accept(")") {
                    repeat { args.append(try conditional()) } while accept(",")
                    try expect(")")
                }
                let call = ExpressionNode.call(function, args)
                return try noMember(call)
            }
            if let v = expressionConstants[name] { return try noMember(.constant(.number(v))) }
            throw error("unknown identifier '\(name)'", at: start)
        default:
            throw error("unexpected \(describe(current))", at: start)
        }
    }

    /// `datum.x` or `datum['x']`.
    private mutating func datumMember(start: Int) throws(SpecError) -> ExpressionNode {
        if accept(".") {
            guard case .identifier(let name) = current else {
                throw error("expected a field name after 'datum.'", at: position)
            }
            index += 1
            return .field(name)
        }
        if accept("[") {
            let key: String
            switch current {
            case .string(let s): key = s
            case .number(let v): key = JavaScriptNumber.string(v)
            default: throw error("expected a string or number inside datum[…]", at: position)
            }
            index += 1
            try expect("]")
            return .field(key)
        }
        throw error("'datum' must be followed by a field (datum.x or datum['x'])", at: start)
    }

    /// Member access and calls on anything but `datum` are outside the subset.
    /// (Callers pass a node built beforehand: an argument that advances the
    /// parser would be evaluated after this method has read `self`.)
    private func noMember(_ node: ExpressionNode) throws(SpecError) -> ExpressionNode {
        if current == .punctuator(".") || current == .punctuator("[") {
            throw error("unsupported member access (only datum.field and datum['field'] are)", at: position)
        }
        if current == .punctuator("(") { throw error("unsupported call of a value", at: position) }
        return node
    }
}
