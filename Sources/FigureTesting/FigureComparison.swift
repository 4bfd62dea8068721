import FigpipeBasics
import Foundation

/// A Swift port of the reference comparator (`shared/reference/compare.py`),
/// so golden tests judge figpipe's output by exactly the rules
/// `compare.py dirs` applies, without running Python. Each function names
/// the Python function it follows.
public struct FigureComparison: Sendable {
    public struct Options: Sendable {
        public var rtol = 1e-6
        public var atol = 1e-12
        public var limRtol = 1e-3
        var underscoreLabels = false
        /// A looser relative tolerance for chosen numeric arrays (by JSON path), e.g. the
        /// arrays that come out of iterative fits; nil keeps `rtol`.
        public var arrayRtol: (@Sendable (String) -> Double?)? = nil
        public init(rtol: Double = 1e-6, atol: Double = 1e-12, limRtol: Double = 1e-3) {
            self.rtol = rtol
            self.atol = atol
            self.limRtol = limRtol
        }
    }

    /// One differing field: its path (`axes[0].xticks.labels[3]`) and what differs.
    public struct Difference: Sendable, CustomStringConvertible {
        public var path: String
        public var kind: String
        public var detail: String
        public var description: String { "\(path): \(kind) \(detail)" }
    }

    public private(set) var fields = 0
    public private(set) var differences: [Difference] = []
    public var ok: Bool { differences.isEmpty }

    /// `compare_mpl`: two mpl_dump figure dumps.
    public static func mpl(ref: JSONValue, ours: JSONValue, options: Options = Options()) -> FigureComparison {
        var c = FigureComparison()
        var opts = options
        opts.underscoreLabels = true
        if case .object(let r) = ref, case .object(let o) = ours {
            c.dicts("", r, o, opts) { c, key, path, rv, ov in
                guard key == "axes", case .array(let ra) = rv, case .array(let oa) = ov else { return false }
                c.lists(path, ra, oa, opts) { c, p, r, o in c.axes(p, r, o, opts) }
                return true
            }
        } else {
            c.values("", ref, ours, opts)
        }
        return c
    }

    /// `compare_table`: two CSV tables (header + rows of cells).
    public static func table(ref: [[String]], ours: [[String]], options: Options = Options()) -> FigureComparison {
        var c = FigureComparison()
        guard let rh = ref.first, let oh = ours.first else {
            c.diff("", "empty", "one table has no header")
            return c
        }
        c.field()
        guard rh == oh else {
            c.diff("columns", "columns", "\(rh) vs \(oh)")
            return c
        }
        c.field()
        if ref.count != ours.count { c.diff("rows", "length", "\(ref.count - 1) vs \(ours.count - 1)") }
        let n = min(ref.count, ours.count)
        for (j, name) in rh.enumerated() {
            let rc = (1..<max(n, 1)).map { i in j < ref[i].count ? ref[i][j] : "" }
            let oc = (1..<max(n, 1)).map { i in j < ours[i].count ? ours[i][j] : "" }
            let rn = rc.map(Self.cellNumber)
            let on = oc.map(Self.cellNumber)
            c.field()
            for i in rc.indices {
                if let a = rn[i], let b = on[i] {
                    if !close(a, b, options.rtol, options.atol) {
                        c.diff("\(name)[\(i)]", "number", "\(a) vs \(b)")
                        break
                    }
                } else if !textMatches(rc[i], oc[i]) {
                    c.diff("\(name)[\(i)]", "text", "\(rc[i].debugDescription) vs \(oc[i].debugDescription)")
                    break
                }
            }
        }
        return c
    }

    /// A CSV cell as a number (an empty cell is NaN), or nil for text.
    static func cellNumber(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .nan }
        switch t.lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return Double(t)
        }
    }

    // MARK: rules

    /// `normalize_text`.
    static func normalize(_ s: String) -> String {
        s.replacingOccurrences(of: "\u{2212}", with: "-").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
    static func textMatches(_ a: String, _ b: String) -> Bool { normalize(a) == normalize(b) }

    /// `parse_color` for '#hex' and 'rgb()/rgba()' strings: (r, g, b, a) on 0…255.
    static func parseColor(_ s: String) -> [Double]? {
        let t = s.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("#") {
            var h = Array(t.dropFirst())
            guard [3, 4, 6, 8].contains(h.count), h.allSatisfy(\.isHexDigit) else { return nil }
            if h.count <= 4 { h = h.flatMap { [$0, $0] } }
            if h.count == 6 { h += ["f", "f"] }
            return stride(from: 0, to: 8, by: 2).map { Double(Int(String(h[$0...$0 + 1]), radix: 16) ?? 0) }
        }
        let lower = t.lowercased()
        guard lower.hasPrefix("rgb"), let open = t.firstIndex(of: "("), t.hasSuffix(")") else { return nil }
        let parts = t[t.index(after: open)..<t.index(before: t.endIndex)].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.count == 3 || parts.count == 4 else { return nil }
        func channel(_ p: String, _ scale: Double) -> Double? {
            p.hasSuffix("%") ? Double(p.dropLast()).map { $0 / 100 * scale } : Double(p)
        }
        var out: [Double] = []
        for p in parts.prefix(3) {
            guard let v = channel(p, 255) else { return nil }
            out.append(v)
        }
        guard let a = parts.count == 4 ? channel(parts[3], 1) : 1 else { return nil }
        return out + [a * 255]
    }

    /// `colors_match`: nil when either string is not a color.
    static func colorsMatch(_ a: String, _ b: String) -> Bool? {
        let named: [String: String] = [
            "white": "#ffffff", "black": "#000000", "red": "#ff0000", "transparent": "#00000000",
        ]
        var ca = parseColor(a)
        var cb = parseColor(b)
        if ca == nil, cb != nil { ca = named[a.lowercased()].flatMap(parseColor) }
        if cb == nil, ca != nil { cb = named[b.lowercased()].flatMap(parseColor) }
        guard let ca, let cb else { return nil }
        return zip(ca, cb).allSatisfy { abs($0 - $1) <= 0.5 + 1e-9 }
    }

    static func stringsMatch(_ a: String?, _ b: String?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return textMatches(a, b) || colorsMatch(a, b) == true
    }

    /// `numbers_close`: |a−b| ≤ max(atol, rtol·max(|a|, |b|, floor)); NaN equals NaN.
    static func close(_ a: Double, _ b: Double, _ rtol: Double, _ atol: Double, floor: Double = 0) -> Bool {
        if a == b || (a.isNaN && b.isNaN) { return true }
        let scale = max(abs(a), abs(b), floor)
        return abs(a - b) <= max(atol, rtol * scale)
    }

    // MARK: recursion (compare_values and friends)

    mutating func field() { fields += 1 }
    mutating func diff(_ path: String, _ kind: String, _ detail: String) {
        differences.append(Difference(path: path, kind: kind, detail: detail))
    }

    static func join(_ path: String, _ key: String, quoted: Bool = false) -> String {
        let ident =
            key.first.map { $0.isLetter || $0 == "_" } == true
            && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
        if ident && !quoted { return path.isEmpty ? key : "\(path).\(key)" }
        return "\(path)['\(key)']"
    }

    /// A numeric array (numbers and nulls) or nil.
    static func numericArray(_ items: [JSONValue]) -> [Double]? {
        var out: [Double] = []
        for v in items {
            switch v {
            case .null: out.append(.nan)
            case .int(let i): out.append(Double(i))
            case .double(let d): out.append(d)
            default: return nil
            }
        }
        return out
    }
    /// A 2-D numeric array, or nil.
    static func numericMatrix(_ items: [JSONValue]) -> [[Double]]? {
        guard !items.isEmpty else { return nil }
        var rows: [[Double]] = []
        for v in items {
            guard case .array(let r) = v, let row = numericArray(r) else { return nil }
            rows.append(row)
        }
        return Set(rows.map(\.count)).count == 1 ? rows : nil
    }
    static func stringList(_ items: [JSONValue]) -> [String?]? {
        guard !items.isEmpty else { return nil }
        var out: [String?] = []
        var any = false
        for v in items {
            switch v {
            case .null: out.append(nil)
            case .string(let s):
                out.append(s)
                any = true
            default: return nil
            }
        }
        return any ? out : nil
    }

    static func number(_ v: JSONValue) -> Double? {
        switch v {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    static func isEmptyContainer(_ v: JSONValue) -> Bool {
        switch v {
        case .object(let o): o.isEmpty
        case .array(let a): a.isEmpty
        default: false
        }
    }

    mutating func values(_ path: String, _ ref: JSONValue, _ ours: JSONValue, _ opts: Options) {
        switch (ref, ours) {
        case (.object(let r), .object(let o)):
            dicts(path, r, o, opts)
            return
        case (.array(let r), .array(let o)):
            lists(path, r, o, opts)
            return
        case (.null, .object), (.null, .array):
            if !Self.isEmptyContainer(ours) {
                field()
                diff(path, "extra in ours", "")
                return
            }
        case (.object, .null), (.array, .null):
            if !Self.isEmptyContainer(ref) {
                field()
                diff(path, "missing in ours", "")
                return
            }
        default: break
        }
        field()
        switch (ref, ours) {
        case (.bool(let a), .bool(let b)):
            if a != b { diff(path, "value", "\(a) vs \(b)") }
        case (.bool, _), (_, .bool):
            diff(path, "type", "\(ref) vs \(ours)")
        case (.null, .null):
            break
        case (.null, _), (_, .null), (.int, _), (.double, _):
            guard let a = ref == .null ? Double.nan : Self.number(ref),
                let b = ours == .null ? Double.nan : Self.number(ours)
            else {
                diff(path, "type", "\(ref) vs \(ours)")
                return
            }
            if !Self.close(a, b, opts.rtol, opts.atol) { diff(path, "number", "\(a) vs \(b)") }
        case (.string(let a), .string(let b)):
            if !Self.textMatches(a, b) && Self.colorsMatch(a, b) != true {
                diff(
                    path, Self.colorsMatch(a, b) == false ? "color" : "text",
                    "\(a.debugDescription) vs \(b.debugDescription)")
            }
        default:
            diff(path, "type", "\(ref) vs \(ours)")
        }
    }

    /// `compare_dicts`; `special` handles a key itself and returns true.
    mutating func dicts(
        _ path: String, _ ref: [String: JSONValue], _ ours: [String: JSONValue], _ opts: Options,
        ignore: Set<String> = [],
        special: (inout FigureComparison, String, String, JSONValue, JSONValue) -> Bool = { _, _, _, _, _ in false }
    ) {
        for key in ref.keys.sorted() where !ignore.contains(key) {
            let p = Self.join(path, key)
            guard let rv = ref[key] else { continue }
            guard let ov = ours[key] else {
                field()
                diff(p, "missing in ours", "")
                continue
            }
            if key == "label", opts.underscoreLabels, case .string(let a) = rv, case .string(let b) = ov,
                a.hasPrefix("_") && b.hasPrefix("_")
            {
                field()
                continue
            }
            if special(&self, key, p, rv, ov) { continue }
            values(p, rv, ov, opts)
        }
        for key in ours.keys.sorted() where ref[key] == nil && !ignore.contains(key) {
            field()
            diff(Self.join(path, key), "extra in ours", "")
        }
    }

    /// `compare_lists`: numeric arrays and string lists are one field each.
    mutating func lists(
        _ path: String, _ ref: [JSONValue], _ ours: [JSONValue], _ opts: Options,
        item: ((inout FigureComparison, String, JSONValue, JSONValue) -> Void)? = nil
    ) {
        if item == nil {
            if let a = Self.numericArray(ref), let b = Self.numericArray(ours) {
                arrays(path, a, b, opts.arrayRtol?(path) ?? opts.rtol, opts.atol)
                return
            }
            if let a = Self.numericMatrix(ref), let b = Self.numericMatrix(ours) {
                field()
                guard a.count == b.count, a.first?.count == b.first?.count else {
                    diff(path, "shape", "\(a.count)×\(a.first?.count ?? 0) vs \(b.count)×\(b.first?.count ?? 0)")
                    return
                }
                for (i, (ra, rb)) in zip(a, b).enumerated() {
                    if let j = ra.indices.first(where: { !Self.close(ra[$0], rb[$0], opts.rtol, opts.atol) }) {
                        diff("\(path)[\(i)][\(j)]", "number", "\(ra[j]) vs \(rb[j])")
                        return
                    }
                }
                return
            }
            if let a = Self.stringList(ref), let b = Self.stringList(ours) {
                field()
                guard a.count == b.count else {
                    diff(path, "length", "\(a.count) vs \(b.count)")
                    return
                }
                if let i = a.indices.first(where: { !Self.stringsMatch(a[$0], b[$0]) }) {
                    diff("\(path)[\(i)]", "text", "\(String(describing: a[i])) vs \(String(describing: b[i]))")
                }
                return
            }
        }
        let n = min(ref.count, ours.count)
        for i in 0..<n {
            if let item {
                item(&self, "\(path)[\(i)]", ref[i], ours[i])
            } else {
                values("\(path)[\(i)]", ref[i], ours[i], opts)
            }
        }
        for i in n..<max(ref.count, n) {
            field()
            diff("\(path)[\(i)]", "missing in ours", "")
        }
        for i in n..<max(ours.count, n) {
            field()
            diff("\(path)[\(i)]", "extra in ours", "")
        }
    }

    /// `compare_arrays`: one field; `floor` for axis limits.
    mutating func arrays(
        _ path: String, _ a: [Double], _ b: [Double], _ rtol: Double, _ atol: Double, floor: Double = 0
    ) {
        field()
        guard a.count == b.count else {
            diff(path, "length", "\(a.count) vs \(b.count)")
            return
        }
        let bad = a.indices.filter { !Self.close(a[$0], b[$0], rtol, atol, floor: floor) }
        if let i = bad.first {
            diff("\(path)[\(i)]", "number", "\(a[i]) vs \(b[i]) (\(bad.count) of \(a.count) differ)")
        }
    }

    // MARK: matplotlib dumps

    /// `compare_axes`.
    mutating func axes(_ path: String, _ ref: JSONValue, _ ours: JSONValue, _ opts: Options) {
        guard case .object(let r) = ref, case .object(let o) = ours else {
            values(path, ref, ours, opts)
            return
        }
        dicts(path, r, o, opts) { c, key, p, rv, ov in
            switch key {
            case "xlim", "ylim":
                guard case .array(let ra) = rv, case .array(let oa) = ov, let a = Self.numericArray(ra),
                    let b = Self.numericArray(oa)
                else { return false }
                let scale = r[key == "xlim" ? "xscale" : "yscale"]?.stringValue
                let linear = scale == nil || scale == "linear"
                let floor = linear && a.allSatisfy(\.isFinite) && !a.isEmpty ? (a.max() ?? 0) - (a.min() ?? 0) : 0
                c.arrays(p, a, b, opts.limRtol, opts.atol, floor: floor)
                return true
            case "xticks", "yticks":
                guard case .object(let rt) = rv, case .object(let ot) = ov else { return false }
                func has(_ m: JSONValue?) -> Bool {
                    guard case .object(let d)? = m else { return false }
                    return !(d["values"]?.arrayValue ?? []).isEmpty || !(d["labels"]?.arrayValue ?? []).isEmpty
                }
                let both = has(rt["minor"]) && has(ot["minor"])
                c.dicts(p, rt, ot, opts, ignore: both ? [] : ["minor"])
                return true
            case "collections":
                guard case .array(let ra) = rv, case .array(let oa) = ov else { return false }
                c.lists(p, ra, oa, opts) { c, ip, r, o in
                    let (br, bo) = Self.broadcastPerPoint(r, o)
                    c.values(ip, br, bo, opts)
                }
                return true
            case "rectangles":
                guard case .array(let ra) = rv, case .array(let oa) = ov else { return false }
                c.rectangles(p, ra, oa, opts)
                return true
            case "texts":
                guard case .array(let ra) = rv, case .array(let oa) = ov else { return false }
                c.texts(p, ra, oa, opts)
                return true
            default: return false
            }
        }
    }

    /// `broadcast_per_point`: a length-1 per-point list stands for every point.
    static func broadcastPerPoint(_ ref: JSONValue, _ ours: JSONValue) -> (JSONValue, JSONValue) {
        guard case .object(var r) = ref, case .object(var o) = ours else { return (ref, ours) }
        for k in ["sizes", "facecolors", "edgecolors", "linewidths", "colors"] {
            guard case .array(let ra)? = r[k], case .array(let oa)? = o[k] else { continue }
            if ra.count == 1 && oa.count > 1 { r[k] = .array(Array(repeating: ra[0], count: oa.count)) }
            if oa.count == 1 && ra.count > 1 { o[k] = .array(Array(repeating: oa[0], count: ra.count)) }
        }
        return (.object(r), .object(o))
    }

    static func sortKey(_ v: JSONValue?) -> (Int, Double) {
        guard let v, let d = number(v), !d.isNaN else { return (1, 0) }
        return (0, d)
    }
    static func less(_ a: [(Int, Double)], _ b: [(Int, Double)]) -> Bool {
        for (x, y) in zip(a, b) where x != y { return x < y }
        return false
    }

    /// `compare_rectangles`: a multiset, sorted by (x, y, width, height), near ties re-paired.
    mutating func rectangles(_ path: String, _ ref: [JSONValue], _ ours: [JSONValue], _ opts: Options) {
        func key(_ v: JSONValue) -> [(Int, Double)] {
            ["x", "y", "width", "height"].map { Self.sortKey(v.objectValue?[$0]) }
        }
        let rs = ref.enumerated().sorted {
            Self.less(key($0.element), key($1.element))
                || (!Self.less(key($1.element), key($0.element)) && $0.offset < $1.offset)
        }.map(\.element)
        let os = ours.enumerated().sorted {
            Self.less(key($0.element), key($1.element))
                || (!Self.less(key($1.element), key($0.element)) && $0.offset < $1.offset)
        }.map(\.element)
        func trial(_ i: Int, _ j: Int) -> FigureComparison {
            var sub = FigureComparison()
            sub.values("\(path)[\(i)]", rs[i], os[j], opts)
            return sub
        }
        var pairOf: [Int: Int] = [:]
        var results: [Int: FigureComparison] = [:]
        for i in 0..<min(rs.count, os.count) {
            let sub = trial(i, i)
            if sub.ok {
                pairOf[i] = i
                results[i] = sub
            }
        }
        let taken = Set(pairOf.values)
        let free = os.indices.filter { !taken.contains($0) }
        var freeSet = Set(free)
        for i in rs.indices where pairOf[i] == nil {
            for j in freeSet.filter({ abs($0 - i) <= 8 }).sorted(by: { (abs($0 - i), $0) < (abs($1 - i), $1) }) {
                let sub = trial(i, j)
                if sub.ok {
                    pairOf[i] = j
                    results[i] = sub
                    freeSet.remove(j)
                    break
                }
            }
        }
        let leftRef = rs.indices.filter { pairOf[$0] == nil }
        let leftOurs = free.filter { freeSet.contains($0) }
        for (i, j) in zip(leftRef, leftOurs) { results[i] = trial(i, j) }
        for i in results.keys.sorted() {
            guard let r = results[i] else { continue }
            fields += r.fields
            differences += r.differences
        }
        for i in leftRef.dropFirst(leftOurs.count) {
            field()
            diff("\(path)[\(i)]", "missing in ours", "\(rs[i])")
        }
        for j in leftOurs.dropFirst(leftRef.count) {
            field()
            diff("\(path)[\(j)]", "extra in ours", "\(os[j])")
        }
    }

    /// `compare_texts`: a multiset keyed by normalized text, paired in (x, y) order.
    mutating func texts(_ path: String, _ ref: [JSONValue], _ ours: [JSONValue], _ opts: Options) {
        func textKey(_ v: JSONValue) -> String { (v.objectValue?["text"]?.stringValue).map(Self.normalize) ?? "\(v)" }
        func xy(_ v: JSONValue) -> [(Int, Double)] {
            [Self.sortKey(v.objectValue?["x"]), Self.sortKey(v.objectValue?["y"])]
        }
        var order: [String] = []
        var gr: [String: [JSONValue]] = [:]
        var go: [String: [JSONValue]] = [:]
        for t in ref {
            let k = textKey(t)
            if gr[k] == nil { order.append(k) }
            gr[k, default: []].append(t)
        }
        for t in ours {
            let k = textKey(t)
            if gr[k] == nil && go[k] == nil { order.append(k) }
            go[k, default: []].append(t)
        }
        for k in order {
            let r = (gr[k] ?? []).sorted { Self.less(xy($0), xy($1)) }
            let o = (go[k] ?? []).sorted { Self.less(xy($0), xy($1)) }
            let many = max(r.count, o.count) > 1
            for i in 0..<max(r.count, o.count) {
                let p = Self.join(path, k, quoted: true) + (many ? "[\(i)]" : "")
                if i < r.count && i < o.count {
                    values(p, r[i], o[i], opts)
                } else if i < r.count {
                    field()
                    diff(p, "missing in ours", "")
                } else {
                    field()
                    diff(p, "extra in ours", "")
                }
            }
        }
    }
}
