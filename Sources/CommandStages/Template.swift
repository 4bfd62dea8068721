/// A string of `run` (or `cwd`) with its placeholders: `{inputs.NAME}`,
/// `{inputs.NAME.SUFFIX}`, `{outputs.NAME}`, `{data}`, `{out}`, `{pipeline}`.
/// `{{` and `}}` stand for literal braces (as in Python's `str.format`).
struct Template: Equatable {
    enum Part: Equatable {
        case text(String)
        case placeholder(Placeholder)
    }

    enum Placeholder: Equatable {
        /// `{inputs.NAME}`, or `{inputs.NAME.SUFFIX}` selecting the one file of
        /// the input's stage whose name ends with `.SUFFIX`.
        case input(name: String, suffix: String?)
        case output(name: String)
        case data, out, pipeline

        var spelled: String {
            switch self {
            case .input(let name, let suffix): "{inputs.\(name)\(suffix.map { "." + $0 } ?? "")}"
            case .output(let name): "{outputs.\(name)}"
            case .data: "{data}"
            case .out: "{out}"
            case .pipeline: "{pipeline}"
            }
        }
    }

    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    let parts: [Part]

    /// The placeholders, in order.
    var placeholders: [Placeholder] {
        parts.compactMap { if case .placeholder(let p) = $0 { p } else { nil } }
    }

    /// True when the string is exactly one placeholder (a glob input may then
    /// stand for several arguments).
    var isSinglePlaceholder: Bool {
        parts.count == 1 && placeholders.count == 1
    }

    init(parsing string: String) throws(SyntaxError) {
        var parts: [Part] = []
        var text = ""
        var chars = string[...]
        while let c = chars.popFirst() {
            if c == "{" {
                if chars.first == "{" {
                    chars.removeFirst()
                    text.append("{")
                    continue
                }
                guard let close = chars.firstIndex(of: "}") else {
                    throw SyntaxError(description: "'{' without a closing '}' (write {{ for a literal brace)")
                }
                let body = String(chars[..<close])
                chars = chars[chars.index(after: close)...]
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.placeholder(try Self.placeholder(body)))
            } else if c == "}" {
                guard chars.first == "}" else {
                    throw SyntaxError(description: "'}' without an opening '{' (write }} for a literal brace)")
                }
                chars.removeFirst()
                text.append("}")
            } else {
                text.append(c)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        self.parts = parts
    }

    private static func placeholder(_ body: String) throws(SyntaxError) -> Placeholder {
        switch body {
        case "data": return .data
        case "out": return .out
        case "pipeline": return .pipeline
        default: break
        }
        let pieces = body.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        if pieces.count >= 2, pieces[0] == "inputs", !pieces[1].isEmpty {
            if pieces.count == 3 && pieces[2].isEmpty {
                throw SyntaxError(description: "'{\(body)}' has an empty suffix")
            }
            return .input(name: pieces[1], suffix: pieces.count == 3 ? pieces[2] : nil)
        }
        if pieces.count == 2, pieces[0] == "outputs", !pieces[1].isEmpty {
            return .output(name: pieces[1])
        }
        throw SyntaxError(
            description:
                "unknown placeholder '{\(body)}' (expected {inputs.NAME}, {inputs.NAME.SUFFIX}, {outputs.NAME}, {data}, {out} or {pipeline}; {{ and }} are literal braces)"
        )
    }

    /// The string with each placeholder replaced by `value(placeholder)`.
    func expanded(_ value: (Placeholder) throws -> String) rethrows -> String {
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .placeholder(let p): out += try value(p)
            }
        }
        return out
    }
}
