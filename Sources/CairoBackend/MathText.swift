import Foundation

/// One piece of shaped text: a string drawn in one face at one size, its
/// origin relative to the text's origin (x right, y up, in points).
struct GlyphRun: Hashable, Sendable {
    var text: String
    var style: FontStyle
    var size: Double
    var x: Double
    var y: Double
    /// The pixel grid its glyphs were placed on (nil: unhinted; mathtext).
    var dpi: Double? = nil
}

/// A shaped single line of text: runs, advance width and ink extents.
struct ShapedLine: Hashable, Sendable {
    var runs: [GlyphRun]
    var width: Double
    var inkAscent: Double
    var inkDescent: Double
}

/// Shapes plain text and matplotlib mathtext into glyph runs.
///
/// A line with a `$…$` segment is laid out entirely by mathtext, as
/// matplotlib does: its plain parts as characters of the text's font, its
/// math parts by TeX's box model (`MathBuilder`), every glyph measured
/// unhinted; the line's width, ascent and descent are whole pixels at `dpi`
/// (the rounded-up box, as matplotlib's Agg back end reports mathtext).
/// Other lines are shaped by `FontBook` on the pixel grid of `dpi`.
enum TextShaper {
    /// Shapes one line (no newlines) of `text` at `size` points.
    static func shape(_ text: String, size: Double, bold: Bool, dpi: Double) -> ShapedLine {
        let base: FontStyle = bold ? .bold : .regular
        let segments = splitMath(text)
        guard segments.contains(where: \.1) else {
            guard !text.isEmpty else { return ShapedLine(runs: [], width: 0, inkAscent: 0, inkDescent: 0) }
            let plain = unescapeDollars(text)
            let m = FontBook.shared.metrics(plain, style: base, size: size, dpi: dpi)
            return ShapedLine(
                runs: [GlyphRun(text: plain, style: base, size: size, x: 0, y: 0, dpi: dpi)], width: m.advance,
                inkAscent: m.inkAscent, inkDescent: m.inkDescent)
        }
        return MathBuilder(size: size, bold: bold, dpi: dpi).shape(segments)
    }

    /// `text` with its escaped dollars (`\\$`) unescaped.
    static func unescapeDollars(_ text: String) -> String { text.replacingOccurrences(of: "\\$", with: "$") }

    /// Splits text into plain and math segments as matplotlib does: math
    /// only if there is an even, non-zero number of unescaped dollars.
    static func splitMath(_ text: String) -> [(String, Bool)] {
        let chars = Array(text)
        var dollars: [Int] = []
        for (i, c) in chars.enumerated() where c == "$" && (i == 0 || chars[i - 1] != "\\") {
            dollars.append(i)
        }
        let unescape = unescapeDollars
        guard !dollars.isEmpty, dollars.count % 2 == 0 else { return [(unescape(text), false)] }
        var out: [(String, Bool)] = []
        var pos = 0
        for k in stride(from: 0, to: dollars.count, by: 2) {
            let open = dollars[k]
            let close = dollars[k + 1]
            if open > pos { out.append((unescape(String(chars[pos..<open])), false)) }
            out.append((String(chars[(open + 1)..<close]), true))
            pos = close + 1
        }
        if pos < chars.count { out.append((unescape(String(chars[pos...])), false)) }
        return out
    }
}

/// mathtext's font selection inside a group.
enum MathFont: Hashable, Sendable {
    /// The math default: italic letters, upright digits and capital Greek.
    case normal
    case rm
    case it
    case bf
    /// `\mathdefault{}`: the text's regular font.
    case textDefault
}

/// A parsed mathtext node.
indirect enum MathNode: Hashable, Sendable {
    case char(String, MathFont)
    /// A space in units of the quad ('m' width).
    case space(Double)
    case group([MathNode])
    case scripts(nucleus: MathNode, sup: MathNode?, sub: MathNode?)
}

/// A recursive-descent parser for the mathtext subset.
struct MathParser {
    private let chars: [Character]
    private var i = 0

    init(_ source: String) { chars = Array(source) }

    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
        "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
        "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    ]
    static let binary: [String: String] = [
        "times": "×", "cdot": "⋅", "pm": "±", "mp": "∓", "div": "÷", "ast": "∗", "circ": "∘", "bullet": "∙",
    ]
    static let relations: [String: String] = [
        "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "approx": "≈", "neq": "≠", "ne": "≠", "equiv": "≡",
        "sim": "∼", "simeq": "≃", "propto": "∝", "ll": "≪", "gg": "≫", "rightarrow": "→", "to": "→",
        "leftarrow": "←", "Rightarrow": "⇒", "mapsto": "↦",
    ]
    static let ordinary: [String: String] = [
        "infty": "∞", "partial": "∂", "nabla": "∇", "degree": "°", "prime": "′", "ell": "ℓ", "hbar": "ħ",
        "%": "%", "$": "$", "_": "_", "{": "{", "}": "}", "#": "#", "&": "&", "ldots": "…", "cdots": "⋯",
        "sum": "∑", "prod": "∏", "int": "∫", "sqrt": "√", "langle": "⟨", "rangle": "⟩", "vert": "|",
    ]
    static let spaces: [String: Double] = [
        ",": 0.16667, "thinspace": 0.16667, "/": 0.16667, ">": 0.22222, ":": 0.22222, ";": 0.27778, " ": 0.33333,
        "enspace": 0.5, "quad": 1, "qquad": 2, "!": -0.16667,
    ]
    static let binaryChars: Set<String> = ["+", "*", "−", "×", "⋅", "±", "∓", "÷", "∗", "∘", "∙"]
    static let relationChars: Set<String> = [
        "=", "<", ">", "≤", "≥", "≈", "≠", "≡", "∼", "≃", "∝", "≪", "≫", "→", "←", "⇒", "↦",
    ]

    mutating func parse() -> [MathNode] { parseList(font: .normal, untilBrace: false) }

    /// The single characters of mathtext's relation symbols and left
    /// delimiters: a binary operator right after one of them (or after `{`)
    /// is not spaced.
    static let unspacedAfter: Set<Character> = ["{", "(", "[", "<", "=", ">", ":"]

    private mutating func parseList(font: MathFont, untilBrace: Bool) -> [MathNode] {
        var nodes: [MathNode] = []
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                i += 1
                if untilBrace { return nodes }
                continue
            }
            if c == " " {
                i += 1
                continue
            }
            if c == "^" || c == "_" {
                i += 1
                let script = parseAtom(font: font)
                let nucleus = nodes.popLast() ?? .group([])
                if case .scripts(let n, let sup, let sub) = nucleus {
                    nodes.append(
                        c == "^"
                            ? .scripts(nucleus: n, sup: script, sub: sub) : .scripts(nucleus: n, sup: sup, sub: script))
                } else {
                    nodes.append(
                        c == "^"
                            ? .scripts(nucleus: nucleus, sup: script, sub: nil)
                            : .scripts(nucleus: nucleus, sup: nil, sub: script))
                }
                continue
            }
            let start = i
            let atom = parseAtom(font: font)
            nodes.append(spaced(atom, from: start))
        }
        return nodes
    }

    /// A symbol with mathtext's spacing (`Parser.symbol`): binary operators,
    /// relations and arrows between two spaces of 0.2 em, except a binary
    /// operator that opens the formula or follows `{`, a left delimiter or a
    /// relation; punctuation followed by one, except a decimal point between
    /// digits and a comma in `{,}`. Spaced symbols are lists of their own.
    private func spaced(_ atom: MathNode, from start: Int) -> MathNode {
        guard case .char(let s, _) = atom else { return atom }
        let before = chars[..<start].last { $0 != " " }
        let after = chars[i...].first { $0 != " " }
        if Self.relationChars.contains(s) || Self.binaryChars.contains(s) {
            let opens = chars[..<start].allSatisfy { $0 == " " }
            if Self.binaryChars.contains(s), opens || before.map(Self.unspacedAfter.contains) == true {
                return atom
            }
            return .group([.space(0.2), atom, .space(0.2)])
        }
        guard [",", ";", ".", "!"].contains(s) else { return atom }
        if s == ",", before == "{", after == "}" { return atom }
        if s == ".", before?.isNumber == true, after?.isNumber == true { return atom }
        return .group([atom, .space(0.2)])
    }

    private mutating func parseAtom(font: MathFont) -> MathNode {
        while i < chars.count && chars[i] == " " { i += 1 }
        guard i < chars.count else { return .group([]) }
        let c = chars[i]
        i += 1
        switch c {
        case "{":
            return .group(parseList(font: font, untilBrace: true))
        case "\\":
            return parseCommand(font: font)
        case "-":
            return .char("−", font)
        case "'":
            return .char("′", font)
        default:
            return .char(String(c), font)
        }
    }

    private mutating func parseCommand(font: MathFont) -> MathNode {
        guard i < chars.count else { return .group([]) }
        if !chars[i].isLetter {
            let s = String(chars[i])
            i += 1
            if let w = Self.spaces[s] { return .space(w) }
            return .char(Self.ordinary[s] ?? s, font)
        }
        var name = ""
        while i < chars.count, chars[i].isLetter {
            name.append(chars[i])
            i += 1
        }
        switch name {
        case "mathdefault", "mathrm", "mathit", "mathbf", "mathsf", "text", "textrm", "operatorname":
            let f: MathFont =
                name == "mathdefault" ? .textDefault : name == "mathit" ? .it : name == "mathbf" ? .bf : .rm
            while i < chars.count && chars[i] == " " { i += 1 }
            if i < chars.count, chars[i] == "{" {
                i += 1
                return .group(parseList(font: f, untilBrace: true))
            }
            return parseAtom(font: f)
        case "left", "right", "big", "Big", "bigg", "Bigg":
            return parseAtom(font: font)
        default:
            break
        }
        if let g = Self.greek[name] { return .char(g, font) }
        if let b = Self.binary[name] { return .char(b, font) }
        if let r = Self.relations[name] { return .char(r, font) }
        if let o = Self.ordinary[name] { return .char(o, font) }
        if let w = Self.spaces[name] { return .space(w) }
        if ["log", "ln", "exp", "sin", "cos", "tan", "max", "min", "lim", "arg", "det"].contains(name) {
            return .group(name.map { .char(String($0), .rm) })
        }
        return .group(("\\" + name).map { .char(String($0), .rm) })
    }
}
