/// Small pieces of Python semantics the notebook's code relies on.
enum Python {
    /// `a < b` for Python `str`: code point by code point (Swift's `<` on
    /// `String` orders by canonical equivalence instead).
    static func less(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
    }

    /// `sorted(items, key=key)`: stable, Python string order.
    static func sorted<T>(_ items: [T], by key: (T) -> String) -> [T] {
        let keyed = items.enumerated().map { (key($0.element), $0.offset, $0.element) }
        return keyed.sorted { l, r in
            if l.0 == r.0 { return l.1 < r.1 }
            return less(l.0, r.0)
        }.map(\.2)
    }

    /// Python's truthiness of a number (`None` and 0 are false; NaN is true).
    static func truthy(_ x: Double?) -> Bool {
        guard let x else { return false }
        return x != 0
    }

    /// `a or b` over numbers/None: `a` if truthy, else `b`.
    static func or(_ a: Double?, _ b: Double?) -> Double? { truthy(a) ? a : b }
}

/// A dict that remembers first-insertion order, as Python's `dict` does:
/// assigning an existing key keeps its position and replaces its value.
struct OrderedDict<Key: Hashable, Value> {
    private(set) var keys: [Key] = []
    private var values: [Key: Value] = [:]

    subscript(key: Key) -> Value? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    /// `d.setdefault(key, default)` followed by an in-place change of the value
    /// (no copy of the value, so appending to an array value stays O(1)).
    mutating func update(_ key: Key, default defaultValue: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if values[key] == nil { keys.append(key) }
        change(&values[key, default: defaultValue()])
    }

    var items: [(key: Key, value: Value)] { keys.compactMap { k in values[k].map { (k, $0) } } }
    var count: Int { keys.count }
}
