import FigpipeBasics
import Foundation

/// `compare_plotly` of `compare.py`: two plotly figure JSON documents.
extension FigureComparison {
    /// `BLOG_STRIPPED`: layout keys never compared (and `height` unless the reference keeps it).
    static let blogStripped: Set<String> = ["template", "width", "font"]

    /// `compare_plotly(ref, ours)`: typed arrays decoded (`decode_plotly`); traces paired in
    /// order; `layout` compared without the blog-stripped keys; `frames` paired by name.
    public static func plotly(ref: JSONValue, ours: JSONValue, options: Options = Options()) -> FigureComparison {
        var c = FigureComparison()
        let r = decodePlotly(ref)
        let o = decodePlotly(ours)
        guard case .object(let rd) = r, case .object(let od) = o else {
            c.values("", r, o, options)
            return c
        }
        c.dicts("", rd, od, options) { c, key, path, rv, ov in
            switch key {
            case "layout":
                c.plotlyLayout(path, rv, ov, options)
                return true
            case "frames":
                c.plotlyFrames(path, rv, ov, options)
                return true
            default:
                return false
            }
        }
        return c
    }

    /// `compare_layout`.
    mutating func plotlyLayout(_ path: String, _ ref: JSONValue, _ ours: JSONValue, _ opts: Options) {
        guard case .object(let r) = ref, case .object(let o) = ours else {
            values(path, ref, ours, opts)
            return
        }
        var ignore = Self.blogStripped
        if r["height"] == nil { ignore.insert("height") }
        dicts(path, r, o, opts, ignore: ignore)
    }

    /// `compare_frames`: frames paired by name (unnamed ones by position).
    mutating func plotlyFrames(_ path: String, _ ref: JSONValue, _ ours: JSONValue, _ opts: Options) {
        guard case .array(let r) = ref, case .array(let o) = ours else {
            values(path, ref, ours, opts)
            return
        }
        func name(_ f: JSONValue, _ i: Int) -> String {
            if case .object(let d) = f, let n = d["name"] {
                switch n {
                case .string(let s): return s
                case .int(let v): return String(v)
                case .double(let v): return String(v)
                default: return "\(n)"
                }
            }
            return "#\(i)"
        }
        var byName: [String: JSONValue] = [:]
        for (i, f) in o.enumerated() where byName[name(f, i)] == nil { byName[name(f, i)] = f }
        var seen: Set<String> = []
        for (i, f) in r.enumerated() {
            let n = name(f, i)
            var p = Self.join(path, n, quoted: true)
            if seen.contains(n) { p += "[\(i)]" }
            seen.insert(n)
            guard let of = byName[n] else {
                field()
                diff(p, "missing in ours", "")
                continue
            }
            if case .object(let fd) = f, case .object(let od) = of {
                dicts(p, fd, od, opts) { c, key, kp, rv, ov in
                    guard key == "layout" else { return false }
                    c.plotlyLayout(kp, rv, ov, opts)
                    return true
                }
            } else {
                values(p, f, of, opts)
            }
        }
        for (i, f) in o.enumerated() where !seen.contains(name(f, i)) {
            field()
            diff(Self.join(path, name(f, i), quoted: true), "extra in ours", "")
        }
    }

    /// `decode_plotly`: every typed array `{"dtype", "bdata"[, "shape"]}` as nested number lists.
    public static func decodePlotly(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let o):
            if let dtype = o["dtype"]?.stringValue, let b64 = o["bdata"]?.stringValue,
                let arr = decodeTypedArray(dtype: dtype, base64: b64)
            {
                var shape: [Int] = []
                switch o["shape"] {
                case .string(let s)?:
                    shape = s.replacingOccurrences(of: " ", with: "").split(separator: ",").compactMap { Int($0) }
                case .array(let a)?: shape = a.compactMap(\.intValue)
                case .int(let i)?: shape = [i]
                default: break
                }
                let nums = arr.map { JSONValue.double($0) }
                if shape.count == 2, shape[0] * shape[1] == nums.count {
                    return .array((0..<shape[0]).map { r in .array(Array(nums[r * shape[1]..<(r + 1) * shape[1]])) })
                }
                return .array(nums)
            }
            return .object(o.mapValues(decodePlotly))
        case .array(let a):
            return .array(a.map(decodePlotly))
        default:
            return v
        }
    }

    /// `decode_typed_array` for the little-endian dtypes plotly writes.
    static func decodeTypedArray(dtype: String, base64: String) -> [Double]? {
        guard let data = Data(base64Encoded: base64) else { return nil }
        let bytes = [UInt8](data)
        func read<T: FixedWidthInteger>(_: T.Type) -> [T] {
            let size = MemoryLayout<T>.size
            return stride(from: 0, to: bytes.count - size + 1, by: size).map { i in
                var v: T = 0
                for k in 0..<size { v |= T(truncatingIfNeeded: bytes[i + k]) << (8 * k) }
                return v
            }
        }
        switch dtype {
        case "f8", "float64": return read(UInt64.self).map { Double(bitPattern: $0) }
        case "f4", "float32": return read(UInt32.self).map { Double(Float(bitPattern: $0)) }
        case "i1", "int8": return read(Int8.self).map(Double.init)
        case "i2", "int16": return read(Int16.self).map(Double.init)
        case "i4", "int32": return read(Int32.self).map(Double.init)
        case "i8", "int64": return read(Int64.self).map(Double.init)
        case "u1", "uint8", "uint8c": return read(UInt8.self).map(Double.init)
        case "u2", "uint16": return read(UInt16.self).map(Double.init)
        case "u4", "uint32": return read(UInt32.self).map(Double.init)
        case "u8", "uint64": return read(UInt64.self).map(Double.init)
        default: return nil
        }
    }
}
