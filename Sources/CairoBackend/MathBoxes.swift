import CFreeType
import Foundation

/// One glyph's metrics as matplotlib's mathtext takes them
/// (`TruetypeFonts._get_info`): FreeType's unhinted outline at the size and
/// resolution, in pixels (y up).
struct MathGlyphMetrics: Sendable {
    var index: UInt32
    /// The linear (unhinted, unrounded) advance.
    var advance: Double
    var width: Double
    var height: Double
    /// The top of the ink above the baseline (TeX's height).
    var iceberg: Double
}

extension FontBook {
    /// The metrics of `character` in `style` at `size` points and `dpi`, as
    /// mathtext measures glyphs for the Agg back end (loaded unhinted).
    func mathMetrics(_ character: Unicode.Scalar, style: FontStyle, size: Double, dpi: Double) -> MathGlyphMetrics? {
        mathFace(style, size: size, dpi: dpi) { face in
            let index = FT_Get_Char_Index(face, FT_ULong(character.value))
            guard FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_NO_HINTING)) == 0, let slot = face.pointee.glyph
            else { return nil }
            let m = slot.pointee.metrics
            return MathGlyphMetrics(
                index: index, advance: Double(slot.pointee.linearHoriAdvance) / 65536,
                width: Double(m.width) / 64, height: Double(m.height) / 64, iceberg: Double(m.horiBearingY) / 64)
        }
    }

    /// The kerning between two glyphs of `style` at `size` and `dpi`, in
    /// pixels: FreeType's default (scaled, grid-fitted) kerning, as mathtext's
    /// `get_kern` takes it.
    func mathKerning(_ left: UInt32, _ right: UInt32, style: FontStyle, size: Double, dpi: Double) -> Double {
        mathFace(style, size: size, dpi: dpi) { face -> Double? in
            guard (face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING)) != 0 else { return 0 }
            var delta = FT_Vector()
            guard FT_Get_Kerning(face, left, right, 0 /* FT_KERNING_DEFAULT */, &delta) == 0 else { return 0 }
            return Double(delta.x) / 64
        } ?? 0
    }
}

/// A node of TeX's box model, as matplotlib's mathtext implements it
/// (`matplotlib._mathtext`: `Char`, `Kern`, `Hlist`, `Vlist`, `Hbox`), in
/// pixels at the layout's resolution. Nodes are mutable while a formula is
/// built (shrinking, packing) and never leave the layout.
class MathBoxNode {
    var size = 0
    var width = 0.0
    var height = 0.0
    var depth = 0.0

    /// TeX's sizes shrink by 0.7 up to six levels deep.
    static let shrinkFactor = 0.7
    static let sizeLevels = 6

    func kerning(next: MathBoxNode?) -> Double { 0 }

    /// Whether TeX would treat the node as a character box (no vertical list inside).
    var isCharNode: Bool { true }

    func shrink() {
        size += 1
        if size < Self.sizeLevels {
            width *= Self.shrinkFactor
            height *= Self.shrinkFactor
            depth *= Self.shrinkFactor
        }
    }
}

/// A character in one face at one size.
final class MathCharNode: MathBoxNode {
    let character: Unicode.Scalar
    let style: FontStyle
    private(set) var fontSize: Double
    let metrics: MathGlyphMetrics
    let dpi: Double

    var isSlanted: Bool { style == .oblique || style == .boldOblique }

    init?(_ character: Unicode.Scalar, style: FontStyle, fontSize: Double, dpi: Double) {
        guard let m = FontBook.shared.mathMetrics(character, style: style, size: fontSize, dpi: dpi) else { return nil }
        self.character = character
        self.style = style
        self.fontSize = fontSize
        self.metrics = m
        self.dpi = dpi
        super.init()
        width = character == " " ? m.advance : m.width
        height = m.iceberg
        depth = -(m.iceberg - m.height)
    }

    /// The rest of the advance past the ink, plus the font's kerning with a
    /// following character of the same face and size.
    override func kerning(next: MathBoxNode?) -> Double {
        var kern = 0.0
        if let n = next as? MathCharNode, n.style == style, n.fontSize == fontSize {
            kern = FontBook.shared.mathKerning(metrics.index, n.metrics.index, style: style, size: fontSize, dpi: dpi)
        }
        return metrics.advance - width + kern
    }

    override func shrink() {
        super.shrink()
        if size < Self.sizeLevels { fontSize *= Self.shrinkFactor }
    }
}

/// Fixed horizontal (or, in a vertical list, vertical) space.
final class MathKernNode: MathBoxNode {
    init(_ width: Double) {
        super.init()
        self.width = width
    }
}

/// A box with only a width.
final class MathHBoxNode: MathBoxNode {
    init(width: Double) {
        super.init()
        self.width = width
    }
}

/// A horizontal or vertical list of nodes, optionally shifted.
class MathListNode: MathBoxNode {
    var children: [MathBoxNode]
    var shift = 0.0

    init(_ children: [MathBoxNode]) {
        self.children = children
        super.init()
    }

    override func shrink() {
        for c in children { c.shrink() }
        super.shrink()
        if size < Self.sizeLevels { shift *= Self.shrinkFactor }
    }
}

/// A horizontal list: kerned (unless told not to) and packed to its natural width.
final class MathHListNode: MathListNode {
    init(_ children: [MathBoxNode], kern: Bool = true) {
        super.init(children)
        if kern { self.kern() }
        pack()
    }

    override var isCharNode: Bool { children.allSatisfy(\.isCharNode) }

    /// Inserts the kerns each node asks for after itself.
    func kern() {
        var out: [MathBoxNode] = []
        for (i, c) in children.enumerated() {
            out.append(c)
            let k = c.kerning(next: i + 1 < children.count ? children[i + 1] : nil)
            if k != 0 { out.append(MathKernNode(k)) }
        }
        children = out
    }

    /// TeX's hpack at the natural width (no glue in the formulas mathtext's
    /// subset builds here).
    func pack() {
        var h = 0.0
        var d = 0.0
        var x = 0.0
        for p in children {
            x += p.width
            if p is MathKernNode { continue }
            let s = (p as? MathListNode)?.shift ?? 0
            if h.isFinite, p.height.isFinite, p.depth.isFinite {
                h = max(h, p.height - s)
                d = max(d, p.depth + s)
            }
        }
        height = h
        depth = d
        width = x
    }
}

/// A vertical list, packed to its natural height.
final class MathVListNode: MathListNode {
    override init(_ children: [MathBoxNode]) {
        super.init(children)
        pack()
    }

    override var isCharNode: Bool { false }

    func pack() {
        var w = 0.0
        var d = 0.0
        var x = 0.0
        for p in children {
            if p is MathKernNode {
                x += d + p.width
                d = 0
            } else {
                x += d + p.height
                d = p.depth
                w = max(w, p.width + ((p as? MathListNode)?.shift ?? 0))
            }
        }
        width = w
        depth = d
        height = x
    }
}

/// A glyph placed by `MathBoxNode.ship`: its origin in pixels from the box's
/// top-left corner (x right, y down to the glyph's baseline).
struct ShippedGlyph {
    var character: Unicode.Scalar
    var style: FontStyle
    var fontSize: Double
    var x: Double
    var y: Double
}

extension MathHListNode {
    /// Places every character of the list, as TeX's ship-out (matplotlib's
    /// `ship`) does: the list's top-left at the origin, its baseline at its height.
    func ship() -> [ShippedGlyph] {
        var out: [ShippedGlyph] = []
        var h = 0.0
        var v = 0.0
        let top = height

        func hlistOut(_ box: MathHListNode) {
            let baseline = v
            for p in box.children {
                switch p {
                case let c as MathCharNode:
                    out.append(
                        ShippedGlyph(character: c.character, style: c.style, fontSize: c.fontSize, x: h, y: v + top))
                    h += c.width
                case let l as MathListNode:
                    if l.children.isEmpty {
                        h += l.width
                        continue
                    }
                    let edge = h
                    v = baseline + l.shift
                    if let hl = l as? MathHListNode {
                        hlistOut(hl)
                    } else if let vl = l as? MathVListNode {
                        vlistOut(vl)
                    }
                    h = edge + l.width
                    v = baseline
                default:
                    // Kerns and empty boxes only move the pen.
                    h += p.width
                }
            }
        }

        func vlistOut(_ box: MathVListNode) {
            let left = h
            v -= box.height
            for p in box.children {
                switch p {
                case let l as MathListNode:
                    if l.children.isEmpty {
                        v += l.height + l.depth
                        continue
                    }
                    v += l.height
                    h = left + l.shift
                    let saved = v
                    l.width = box.width
                    if let hl = l as? MathHListNode {
                        hlistOut(hl)
                    } else if let vl = l as? MathVListNode {
                        vlistOut(vl)
                    }
                    v = saved + l.depth
                    h = left
                case is MathKernNode:
                    v += p.width
                default:
                    break
                }
            }
        }

        hlistOut(self)
        return out
    }
}

/// Builds and ships mathtext formulas as matplotlib's mathtext parser builds
/// them (`matplotlib._mathtext.Parser`, 3.11, `dejavusans` fontset) for the
/// nodes `MathParser` reads, in pixels at `dpi`.
struct MathBuilder {
    /// The text's size in points (the formula's base size).
    var size: Double
    var bold: Bool
    var dpi: Double

    // DejaVu Sans's TeX constants (matplotlib's DejaVuSansFontConstants),
    // in x-heights, and the x-height in em.
    static let xHeightEm = 1120.0 / 2048
    static let supDrop = 790.527 / 1120
    static let subDrop = 102.4 / 1120
    static let sup1 = 845.824 / 1120
    static let sub1 = 307.199 / 1120
    static let sub2 = 632.832 / 1120
    static let delta = 0.025
    static let deltaSlanted = 0.2
    static let scriptSpace = 0.05

    private var pixelsPerPoint: Double { dpi / 72 }

    /// The x-height at `points`, in pixels.
    private func xHeight(_ points: Double) -> Double { Self.xHeightEm * points * pixelsPerPoint }

    /// The line of `segments` (plain and math, from `TextShaper.splitMath`)
    /// as glyph runs, with its box rounded up to whole pixels.
    func shape(_ segments: [(String, Bool)]) -> ShapedLine {
        var parts: [MathBoxNode] = []
        for (text, isMath) in segments {
            if isMath {
                var parser = MathParser(text)
                parts.append(MathHListNode(parser.parse().compactMap(node)))
            } else {
                let style: FontStyle = bold ? .bold : .regular
                parts.append(
                    MathHListNode(
                        text.unicodeScalars.compactMap { MathCharNode($0, style: style, fontSize: size, dpi: dpi) }))
            }
        }
        let main = MathHListNode(parts)
        let height = main.height.rounded(.up)
        let toPoints = 1 / pixelsPerPoint
        let runs = main.ship().map { g in
            GlyphRun(
                text: String(Character(g.character)), style: g.style, size: g.fontSize, x: g.x * toPoints,
                y: (height - g.y) * toPoints)
        }
        return ShapedLine(
            runs: runs, width: main.width.rounded(.up) * toPoints, inkAscent: height * toPoints,
            inkDescent: main.depth.rounded(.up) * toPoints)
    }

    /// The face of a character in `font` (mathtext's `_get_glyph` for the
    /// DejaVu Sans fontset): the math default italicizes letters except
    /// capital Greek.
    func style(for character: Unicode.Scalar, font: MathFont) -> FontStyle {
        switch font {
        case .textDefault: return bold ? .bold : .regular
        case .rm: return .regular
        case .bf: return .bold
        case .it: return .oblique
        case .normal:
            let letters: Set<Unicode.GeneralCategory> = [
                .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            ]
            let isLetter = letters.contains(character.properties.generalCategory)
            // Unicode names every capital Greek letter in U+0391…U+03A9 "GREEK CAPITAL".
            let isCapitalGreek = (0x391...0x3A9).contains(character.value)
            return isLetter && !isCapitalGreek ? .oblique : .regular
        }
    }

    /// The box of a parsed node.
    func node(_ n: MathNode) -> MathBoxNode? {
        switch n {
        case .char(let s, let font):
            guard let scalar = s.unicodeScalars.first else { return nil }
            return MathCharNode(scalar, style: style(for: scalar, font: font), fontSize: size, dpi: dpi)
        case .space(let em):
            // mathtext's em: the advance of an italic 'm' at the formula's size.
            let quad = FontBook.shared.mathMetrics("m", style: .oblique, size: size, dpi: dpi)?.advance ?? 0
            return MathKernNode(quad * em)
        case .group(let children):
            return MathHListNode(children.compactMap(node))
        case .scripts(let nucleus, let sup, let sub):
            return scripts(
                nucleus: node(nucleus) ?? MathHBoxNode(width: 0), sup: sup.flatMap(node), sub: sub.flatMap(node))
        }
    }

    /// A nucleus with a superscript and/or subscript (mathtext's `subsuper`,
    /// TeX's rules 756–759; no big operators).
    func scripts(nucleus first: MathBoxNode, sup: MathBoxNode?, sub: MathBoxNode?) -> MathBoxNode {
        guard sup != nil || sub != nil else { return first }
        let xh = xHeight(size)
        let rule = 0.75 / 12 * size * pixelsPerPoint
        // The last character's width becomes its advance, and its trailing kern goes.
        var lastChar: MathBoxNode = first
        let nucleus: MathHListNode
        if let list = first as? MathHListNode {
            var children = list.children
            if children.count >= 2, children[children.count - 1] is MathKernNode,
                children[children.count - 2] is MathCharNode
            {
                children.removeLast()
            }
            if let last = children.last {
                lastChar = last
                if let c = last as? MathCharNode { c.width = c.metrics.advance }
            }
            nucleus = MathHListNode(children, kern: false)
        } else {
            if let c = first as? MathCharNode { c.width = c.metrics.advance }
            nucleus = MathHListNode([first])
        }
        var superKern = Self.delta * xh
        var subKern = Self.delta * xh
        if let c = lastChar as? MathCharNode, c.isSlanted {
            superKern += Self.delta * xh + Self.deltaSlanted * (c.height - xh * 2 / 3)
            subKern = 0
        }
        var shiftUp = 0.0
        var shiftDown = 0.0
        if !nucleus.isCharNode {
            let shrunk = xHeight(size * MathBoxNode.shrinkFactor)
            shiftUp = nucleus.height - Self.supDrop * shrunk
            shiftDown = nucleus.depth + Self.subDrop * shrunk
        }
        let scripts: MathListNode
        if let sup {
            let x = MathHListNode([MathKernNode(superKern), sup])
            x.shrink()
            shiftUp = max(shiftUp, Self.sup1 * xh, x.depth + xh / 4)
            if let sub {
                let y = MathHListNode([MathKernNode(subKern), sub])
                y.shrink()
                shiftDown = max(shiftDown, Self.sub2 * xh)
                var clearance = 4 * rule - ((shiftUp - x.depth) - (y.height - shiftDown))
                if clearance > 0 {
                    shiftDown += clearance
                    clearance = xh * 4 / 5 - shiftUp + x.depth
                    if clearance > 0 {
                        shiftUp += clearance
                        shiftDown -= clearance
                    }
                }
                let v = MathVListNode([x, MathKernNode((shiftUp - x.depth) - (y.height - shiftDown)), y])
                v.shift = shiftDown
                scripts = v
            } else {
                x.shift = -shiftUp
                scripts = x
            }
        } else {
            let x = MathHListNode([MathKernNode(subKern)] + (sub.map { [$0] } ?? []))
            x.shrink()
            shiftDown = max(shiftDown, Self.sub1 * xh, x.height - xh * 4 / 5)
            x.shift = shiftDown
            scripts = x
        }
        scripts.width += Self.scriptSpace * xh
        return MathHListNode([nucleus, scripts])
    }
}
