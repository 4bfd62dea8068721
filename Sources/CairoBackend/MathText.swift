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

/// Shapes plain text and matplotlib mathtext (`$...$` segments) into glyph
/// runs, following matplotlib's mathtext box model for the subset the
/// figures use: `\mathdefault{}`, `\mathrm{}`, `\mathbf{}`, `\mathit{}`,
/// `^{}`/`_{}` at 0.7× size with DejaVu Sans's TeX constants, spaced binary
/// operators and relations, Greek letters, a few symbols and `\,`-style
/// spaces. Letters in math italic (DejaVu Sans Oblique) as matplotlib does.
enum TextShaper {
    /// Shapes one line (no newlines) of `text` at `size` points; plain text
    /// is hinted to the pixel grid of `dpi`.
    static func shape(_ text: String, size: Double, bold: Bool, dpi: Double) -> ShapedLine {
        let base: FontStyle = bold ? .bold : .regular
        var line = ShapedLine(runs: [], width: 0, inkAscent: 0, inkDescent: 0)
        for (segment, isMath) in splitMath(text) {
            if isMath {
                var parser = MathParser(segment)
                let box = MathLayout(size: size, bold: bold).layout(parser.parse(), size: size)
                for var r in box.runs {
                    r.x += line.width
                    line.runs.append(r)
                }
                line.width += box.width
                line.inkAscent = max(line.inkAscent, box.ascent)
                line.inkDescent = max(line.inkDescent, box.descent)
            } else if !segment.isEmpty {
                let m = FontBook.shared.metrics(segment, style: base, size: size, dpi: dpi)
                line.runs.append(GlyphRun(text: segment, style: base, size: size, x: line.width, y: 0, dpi: dpi))
                line.width += m.advance
                line.inkAscent = max(line.inkAscent, m.inkAscent)
                line.inkDescent = max(line.inkDescent, m.inkDescent)
            }
        }
        return line
    }

    /// Splits text into plain and math segments as matplotlib does: math
    /// only if there is an even, non-zero number of unescaped dollars.
    static func splitMath(_ text: String) -> [(String, Bool)] {
        let chars = Array(text)
        var dollars: [Int] = []
        for (i, c) in chars.enumerated() where c == "$" && (i == 0 || chars[i - 1] != "\\") {
            dollars.append(i)
        }
        let unescape: (String) -> String = { $0.replacingOccurrences(of: "\\$", with: "$") }
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
    static let binaryChars: Set<String> = ["+", "−", "×", "⋅", "±", "∓", "÷", "∗", "∘", "∙"]
    static let relationChars: Set<String> = [
        "=", "<", ">", "≤", "≥", "≈", "≠", "≡", "∼", "≃", "∝", "≪", "≫", "→", "←", "⇒", "↦",
    ]

    mutating func parse() -> [MathNode] { parseList(font: .normal, inScript: false, untilBrace: false) }

    private mutating func parseList(font: MathFont, inScript: Bool, untilBrace: Bool) -> [MathNode] {
        var nodes: [MathNode] = []
        // Atoms for spacing decisions: the previous non-space atom's kind.
        var previous: String? = nil
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
                let script = parseAtom(font: font, inScript: true)
                let nucleus = nodes.popLast() ?? .group([])
                if case .scripts(let n, let sup, let sub) = nucleus {
                    nodes.append(
                        c == "^"
                            ? .scripts(nucleus: n, sup: script, sub: sub) : .scripts(nucleus: n, sup: sup, sub: script))
                } else {
                    nodes.append(
                        c == "^"
                            ? .scripts(nucleus: nucleus, sup: script, sub: nil)
                            : .scripts(
                                nucleus: nucleus, sup: nil, sub: script))
                }
                continue
            }
            let atom = parseAtom(font: font, inScript: inScript)
            if case .char(let s, _) = atom, !inScript {
                if Self.relationChars.contains(s)
                    || (Self.binaryChars.contains(s) && previous != nil && !Self.relationChars.contains(previous ?? "")
                        && !Self.binaryChars.contains(previous ?? ""))
                {
                    // A relation opening the expression has no space before it.
                    if previous != nil { nodes.append(.space(0.2)) }
                    nodes.append(atom)
                    nodes.append(.space(0.2))
                    previous = s
                    continue
                }
                if s == "," || s == ";" || s == "!" || (s == "." && !nextIsDigitAfterDigit(previous)) {
                    nodes.append(atom)
                    nodes.append(.space(0.2))
                    previous = s
                    continue
                }
                previous = s
            } else if case .space = atom {
            } else {
                previous = "atom"
            }
            nodes.append(atom)
        }
        return nodes
    }

    private func nextIsDigitAfterDigit(_ previous: String?) -> Bool {
        guard let p = previous, p.count == 1, p.first?.isNumber == true, i < chars.count else { return false }
        return chars[i].isNumber
    }

    private mutating func parseAtom(font: MathFont, inScript: Bool) -> MathNode {
        while i < chars.count && chars[i] == " " { i += 1 }
        guard i < chars.count else { return .group([]) }
        let c = chars[i]
        i += 1
        switch c {
        case "{":
            return .group(parseList(font: font, inScript: inScript, untilBrace: true))
        case "\\":
            return parseCommand(font: font, inScript: inScript)
        case "-":
            return .char("−", font)
        case "'":
            return .char("′", font)
        default:
            return .char(String(c), font)
        }
    }

    private mutating func parseCommand(font: MathFont, inScript: Bool) -> MathNode {
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
                return .group(parseList(font: f, inScript: inScript, untilBrace: true))
            }
            return parseAtom(font: f, inScript: inScript)
        case "left", "right", "big", "Big", "bigg", "Bigg":
            return parseAtom(font: font, inScript: inScript)
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

/// Lays mathtext nodes out as matplotlib's box model does.
struct MathLayout {
    var size: Double
    var bold: Bool

    struct Box {
        var runs: [GlyphRun] = []
        var width: Double = 0
        var ascent: Double = 0
        var descent: Double = 0
        var lastCharSlanted = false
        var lastCharHeight = 0.0
        var isSingleChar = false

        mutating func append(_ other: Box, dy: Double = 0) {
            for var r in other.runs {
                r.x += width
                r.y += dy
                runs.append(r)
            }
            width += other.width
            if !other.runs.isEmpty {
                ascent = max(ascent, other.ascent + dy)
                descent = max(descent, other.descent - dy)
            }
        }
    }

    // DejaVu Sans's TeX constants (matplotlib's DejaVuSansFontConstants), in em.
    static let xHeight = 1120.0 / 2048
    static let supDrop = 790.527 / 2048
    static let subDrop = 102.4 / 2048
    static let sup1 = 845.824 / 2048
    static let sub1 = 307.199 / 2048
    static let sub2 = 632.832 / 2048
    static let delta = 0.025
    static let deltaSlanted = 0.2
    static let scriptSpace = 0.05
    static let shrink = 0.7

    func style(for s: String, font: MathFont) -> FontStyle {
        switch font {
        case .rm, .textDefault: return bold ? .bold : .regular
        case .bf: return .bold
        case .it: return .oblique
        case .normal:
            guard let scalar = s.unicodeScalars.first, s.unicodeScalars.count == 1 else { return .regular }
            let v = scalar.value
            let isLatin = (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
            let isGreekLower = (0x3B1...0x3C9).contains(v) || [0x3D1, 0x3D5, 0x3F5].contains(v)
            return isLatin || isGreekLower ? .oblique : .regular
        }
    }

    func layout(_ nodes: [MathNode], size: Double) -> Box {
        var box = Box()
        for n in nodes { box.append(layout(n, size: size)) }
        if nodes.count == 1, case .char = nodes[0] { box.isSingleChar = true }
        if let last = nodes.last {
            let l = layout(last, size: size)
            box.lastCharSlanted = l.lastCharSlanted
            box.lastCharHeight = l.lastCharHeight
        }
        return box
    }

    func layout(_ node: MathNode, size: Double) -> Box {
        switch node {
        case .char(let s, let font):
            let st = style(for: s, font: font)
            let m = FontBook.shared.metrics(s, style: st, size: size, dpi: nil)
            var b = Box()
            b.runs = [GlyphRun(text: s, style: st, size: size, x: 0, y: 0)]
            b.width = m.advance
            b.ascent = m.inkAscent
            b.descent = m.inkDescent
            b.lastCharSlanted = st == .oblique || st == .boldOblique
            b.lastCharHeight = m.inkAscent
            b.isSingleChar = true
            return b
        case .space(let w):
            var b = Box()
            b.width = w * FontBook.shared.metrics("m", style: .oblique, size: size, dpi: nil).advance
            return b
        case .group(let children):
            return layout(children, size: size)
        case .scripts(let nucleusNode, let supNode, let subNode):
            let nucleus = layout(nucleusNode, size: size)
            let xh = Self.xHeight * size
            let scriptSize = size * Self.shrink
            var out = Box()
            out.append(nucleus)
            var superKern = Self.delta * xh
            var subKern = Self.delta * xh
            if nucleus.lastCharSlanted {
                superKern += Self.delta * xh + Self.deltaSlanted * (nucleus.lastCharHeight - xh * 2 / 3)
                subKern = 0
            }
            var shiftUp = 0.0
            var shiftDown = 0.0
            if !nucleus.isSingleChar {
                let shrunkXh = xh * Self.shrink
                shiftUp = nucleus.ascent - Self.supDrop / Self.xHeight * shrunkXh
                shiftDown = nucleus.descent + Self.subDrop / Self.xHeight * shrunkXh
            }
            let start = out.width
            var scriptsWidth = 0.0
            if let supNode {
                let sup = layout(supNode, size: scriptSize)
                shiftUp = max(shiftUp, Self.sup1 * size, sup.descent + xh / 4)
                var s = Box()
                s.width = superKern
                s.append(sup)
                out.width = start
                out.append(s, dy: shiftUp)
                scriptsWidth = max(scriptsWidth, s.width)
            }
            if let subNode {
                let sub = layout(subNode, size: scriptSize)
                if supNode == nil {
                    shiftDown = max(shiftDown, Self.sub1 * size, sub.ascent - xh * 4 / 5)
                } else {
                    shiftDown = max(shiftDown, Self.sub2 * size)
                }
                var s = Box()
                s.width = subKern
                s.append(sub)
                out.width = start
                out.append(s, dy: -shiftDown)
                scriptsWidth = max(scriptsWidth, s.width)
            }
            out.width = start + scriptsWidth + Self.scriptSpace * xh
            out.isSingleChar = false
            return out
        }
    }
}
