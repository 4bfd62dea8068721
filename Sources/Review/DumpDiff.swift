import FigpipeBasics
import Foundation

/// One difference between two figure dumps (`*.dump.json`): where, what kind
/// of thing it is, and the values before and after.
public struct DumpChange: Sendable, Equatable {
    /// What part of the figure a change is in, from its path in the dump.
    public enum Category: String, Sendable, CaseIterable {
        case marks, ticks, labels, limits, layout, other
    }

    /// `axes[0].lines[3 "fit"].y`: the path in the dump, with a mark's label
    /// when it has one.
    public var path: String
    public var category: Category
    /// What changed, for people: `37 of 120 values changed, max |Δ| 0.012 at [4]: 1.2 → 1.212`.
    public var summary: String
    /// The largest absolute numeric difference, when the change is numeric.
    public var maxDelta: Double?

    public var json: JSONValue {
        var out: JSONValue = [
            "path": .string(path), "category": .string(category.rawValue), "summary": .string(summary),
        ]
        if let maxDelta { out["maxDelta"] = .double(maxDelta) }
        return out
    }
}

/// The structural difference of two dumps: objects key by key, arrays item
/// by item, numeric arrays summarized (how many values changed and by how
/// much at most), everything in a fixed order.
public enum DumpDiff {
    public static func changes(_ old: JSONValue, _ new: JSONValue) -> [DumpChange] {
        var out: [DumpChange] = []
        walk(old, new, path: "", into: &out)
        return out
    }

    static func category(of path: String) -> DumpChange.Category {
        let marks = ["lines", "collections", "rectangles", "polygons", "images", "patches", "traces", "data"]
        if path.contains("ticks") { return .ticks }
        if path.contains("lim") { return .limits }
        if marks.contains(where: { path.contains($0 + "[") }) { return .marks }
        let labelWords = ["label", "title", "texts", "legend", "text", "suptitle"]
        if labelWords.contains(where: { path.contains($0) }) { return .labels }
        if path.contains("size") || path.contains("scale") { return .layout }
        return .other
    }

    static func show(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): "\"\(s)\""
        case .double(let d): format(d)
        case .array(let a) where a.count > 6: "[\(a.count) items]"
        case .object(let o) where o.count > 4: "{\(o.count) keys}"
        default: v.canonicalString()
        }
    }

    /// A number for people: whole numbers without `.0`, others to 6
    /// significant digits (report.json keeps the exact `maxDelta`).
    public static func format(_ d: Double) -> String {
        if d.isFinite && d == d.rounded() && abs(d) < 1e15 { return String(Int(d)) }
        return String(format: "%.6g", d)
    }

    static func add(_ path: String, _ summary: String, delta: Double? = nil, into out: inout [DumpChange]) {
        out.append(DumpChange(path: path, category: category(of: path), summary: summary, maxDelta: delta))
    }

    /// The name of an array item in a path: its index, and a mark's label when it has a real one.
    static func itemName(_ item: JSONValue, index: Int) -> String {
        if let label = item["label"]?.stringValue, !label.isEmpty, !label.hasPrefix("_") {
            return "\(index) \"\(label)\""
        }
        return "\(index)"
    }

    static func walk(_ old: JSONValue, _ new: JSONValue, path: String, into out: inout [DumpChange]) {
        if old == new { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let sub = path.isEmpty ? key : path + "." + key
                switch (a[key], b[key]) {
                case (let x?, let y?): walk(x, y, path: sub, into: &out)
                case (let x?, nil): add(sub, "removed (was \(show(x)))", into: &out)
                case (nil, let y?): add(sub, "added: \(show(y))", into: &out)
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            let numbersA = a.compactMap(\.numberValue)
            let numbersB = b.compactMap(\.numberValue)
            if numbersA.count == a.count, numbersB.count == b.count, !(a.isEmpty && b.isEmpty) {
                numeric(numbersA, numbersB, path: path, into: &out)
                return
            }
            if a.count != b.count { add(path, "\(a.count) → \(b.count) items", into: &out) }
            for i in 0..<min(a.count, b.count) {
                walk(a[i], b[i], path: path + "[\(itemName(b[i], index: i))]", into: &out)
            }
        case (_, _):
            if let x = old.numberValue, let y = new.numberValue {
                add(path, "\(format(x)) → \(format(y)) (Δ \(signed(y - x)))", delta: abs(y - x), into: &out)
            } else {
                add(path, "\(show(old)) → \(show(new))", into: &out)
            }
        }
    }

    static func signed(_ d: Double) -> String { d >= 0 ? "+" + format(d) : format(d) }

    /// Two numeric arrays: how many values differ and the largest difference;
    /// for different lengths, the lengths and the differences over the common part.
    static func numeric(_ a: [Double], _ b: [Double], path: String, into out: inout [DumpChange]) {
        var changed = 0
        var worst: (index: Int, delta: Double)?
        for i in 0..<min(a.count, b.count) where a[i] != b[i] && !(a[i].isNaN && b[i].isNaN) {
            changed += 1
            let d = abs(b[i] - a[i])
            if worst == nil || d > (worst?.delta ?? 0) || d.isNaN { worst = (i, d) }
        }
        var parts: [String] = []
        if a.count != b.count { parts.append("\(a.count) → \(b.count) values") }
        if a.count <= 4 && b.count <= 4 && a.count == b.count {
            parts.append("[\(a.map(format).joined(separator: ", "))] → [\(b.map(format).joined(separator: ", "))]")
        } else if changed > 0 {
            parts.append("\(changed) of \(min(a.count, b.count)) values changed")
        }
        if let worst {
            parts.append(
                "max |Δ| \(format(worst.delta)) at [\(worst.index)]: \(format(a[worst.index])) → \(format(b[worst.index]))"
            )
        }
        add(path, parts.joined(separator: ", "), delta: worst?.delta, into: &out)
    }
}
