/// Scale domains: the values a discrete scale lists, in Vega-Lite's sort
/// order, and the extent a continuous scale covers.
enum Domains {
    /// JavaScript's ascending order for the values of one field: numbers
    /// numerically, then strings by code unit, booleans false < true; nulls last.
    static func less(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.string(let x), .string(let y)): return Array(x.utf16).lexicographicallyPrecedes(Array(y.utf16))
        case (.boolean(let x), .boolean(let y)): return !x && y
        case (.null, _): return false
        case (_, .null): return true
        case (.number, _): return true
        case (_, .number): return false
        case (.string, _): return false
        default: return true
        }
    }

    /// The distinct values of `field` over `datasets`, sorted as `sort` says.
    static func discrete(_ datasets: [Dataset], field: String, sort: SortOrder) -> [FieldValue] {
        var seen: Set<FieldValue> = []
        var order: [FieldValue] = []
        for d in datasets {
            guard let column = d[field] else { continue }
            for i in 0..<d.count {
                let v = column[i]
                if v == .null { continue }
                if seen.insert(v).inserted { order.append(v) }
            }
        }
        switch sort {
        case .ascending: return order.sorted(by: less)
        case .descending: return order.sorted { less($1, $0) }
        case .none: return order
        case .values(let given):
            let rest = order.filter { !given.contains($0) }.sorted(by: less)
            return given.filter { seen.contains($0) } + rest
        case .byEncoding, .byField:
            return order  // ordered by the caller, which knows the encoding
        }
    }

    /// The least and greatest valid numbers of `fields` over the units' data.
    static func extent(_ pairs: [(Dataset, [String])], positiveOnly: Bool = false) -> (Double, Double)? {
        var lo = Double.infinity
        var hi = -Double.infinity
        for (data, fields) in pairs {
            for f in fields {
                for case let v? in data.statistics(f) where v.isFinite && (!positiveOnly || v > 0) {
                    lo = min(lo, v)
                    hi = max(hi, v)
                }
            }
        }
        return lo <= hi ? (lo, hi) : nil
    }
}
