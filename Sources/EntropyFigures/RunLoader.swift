import FigpipeBasics
import Foundation

/// A `results.json` that cannot be read: not JSON, or a field of the wrong
/// type, or a required field missing. Names the file, the field and the byte
/// offset.
public struct EntropyLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var field: String
    public var offset: Int?
    public var message: String

    public init(file: String, field: String, offset: Int?, message: String) {
        self.file = file
        self.field = field
        self.offset = offset
        self.message = message
    }

    public var description: String {
        let at = offset.map { " (byte \($0))" } ?? ""
        return field.isEmpty ? "\(file)\(at): \(message)" : "\(file): field '\(field)'\(at): \(message)"
    }
}

/// Reads `run_*/results.json` files into `EntropyRun`s with the pull parser,
/// keeping only the fields the notebooks read.
public enum EntropyRunLoader {
    /// Loads every file, in the order given (the caller sorts), in parallel;
    /// the run id is each file's folder name.
    public static func load(files: [(relative: String, path: String)], folder: String) throws -> EntropyRunSet {
        let slots = Slots(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let f = files[i]
            let id = URL(fileURLWithPath: f.relative).deletingLastPathComponent().lastPathComponent
            slots.set(i, Result { try loadRun(path: f.path, displayName: f.relative, id: id) })
        }
        var runs: [EntropyRun] = []
        for r in slots.results {
            if let r { runs.append(try r.get()) }
        }
        return EntropyRunSet(folder: folder, runs: runs)
    }

    /// One results.json.
    public static func loadRun(path: String, displayName: String, id: String) throws -> EntropyRun {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.read(path)
        } catch {
            throw EntropyLoadError(file: displayName, field: "", offset: nil, message: "cannot be read (\(error))")
        }
        return try parse(bytes, displayName: displayName, id: id)
    }

    /// Parses the bytes of one results.json.
    public static func parse(_ bytes: [UInt8], displayName: String, id: String) throws(EntropyLoadError) -> EntropyRun {
        do throws(ParseProblem) {
            return try bytes.withUnsafeBufferPointer { buf throws(ParseProblem) in
                var p = RunParser(s: JSONScanner(buf), run: EntropyRun(id: id))
                try p.parseTop()
                return p.run
            }
        } catch {
            throw EntropyLoadError(file: displayName, field: error.field, offset: error.offset, message: error.message)
        }
    }
}

/// One result slot per file, each written by exactly one worker.
private final class Slots: Sendable {
    private let slots: Locked<[Result<EntropyRun, any Error>?]>
    init(count: Int) { slots = Locked(Array(repeating: nil, count: count)) }
    var results: [Result<EntropyRun, any Error>?] { slots.withLock { $0 } }
    func set(_ i: Int, _ r: sending Result<EntropyRun, any Error>) { slots.withLock { $0[i] = r } }
}

struct ParseProblem: Error {
    var field: String
    var offset: Int?
    var message: String
}

/// The parser state: the scanner and the run being filled.
private struct RunParser {
    var s: JSONScanner
    var run: EntropyRun

    @inline(__always)
    mutating func syntax<T>(_ field: String, _ body: (inout JSONScanner) throws -> T) throws(ParseProblem) -> T {
        do {
            return try body(&s)
        } catch let error as JSONSyntaxError {
            throw ParseProblem(field: field, offset: error.offset, message: error.message)
        } catch {
            throw ParseProblem(field: field, offset: s.position, message: String(describing: error))
        }
    }

    func typeName(_ t: String) -> String {
        switch t {
        case "object", "array": "an \(t)"
        case "null": "null"
        case "end of input": "nothing"
        default: "a \(t)"
        }
    }

    mutating func wrongType(_ field: String, expected: String) -> ParseProblem {
        _ = s.peek()
        return ParseProblem(
            field: field, offset: s.position, message: "expected \(expected), found \(typeName(s.nextValueType()))")
    }

    /// `{` or null; returns false (and consumes) for null.
    mutating func beginObjectOrNull(_ field: String) throws(ParseProblem) -> Bool {
        let t = s.nextValueType()
        if t == "null" {
            _ = try syntax(field) { try $0.consumeNull() }
            return false
        }
        guard t == "object" else { throw wrongType(field, expected: "an object or null") }
        try syntax(field) { try $0.beginObject() }
        return true
    }

    mutating func nextKey(_ field: String) throws(ParseProblem) -> JSONKey? {
        try syntax(field) { try $0.nextKey() }
    }

    mutating func skip(_ field: String) throws(ParseProblem) {
        try syntax(field) { try $0.skipValue() }
    }

    /// A scalar number or null.
    mutating func number(_ field: String) throws(ParseProblem) -> NumberField {
        let t = s.nextValueType()
        guard t == "number" || t == "null" else { throw wrongType(field, expected: "a number or null") }
        switch try syntax(field, { try $0.readValue() }) {
        case .int(let i): return .int(Int64(i))
        case .double(let d): return .double(d)
        default: return .null
        }
    }

    /// A required number (not null).
    mutating func requiredNumber(_ field: String) throws(ParseProblem) -> Double {
        let start = s.position
        guard let v = try number(field).value else {
            throw ParseProblem(field: field, offset: start, message: "expected a number, found null")
        }
        return v
    }

    /// An array of numbers (null elements as NaN, as `np.asarray(x, dtype=float)`), or null.
    mutating func numbers(_ field: String) throws(ParseProblem) -> ArrayField {
        let t = s.nextValueType()
        if t == "null" {
            _ = try syntax(field) { try $0.consumeNull() }
            return .null
        }
        guard t == "array" else { throw wrongType(field, expected: "an array of numbers or null") }
        var out: [Double] = []
        out.reserveCapacity(2048)
        try syntax(field) { try $0.beginArray() }
        while try syntax(field, { try $0.nextElement() }) {
            let c = s.peek()
            if c == UInt8(ascii: "n") {
                _ = try syntax(field) { try $0.consumeNull() }
                out.append(.nan)
            } else if let c,
                c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "N")
                    || c == UInt8(ascii: "I")
            {
                out.append(try syntax(field) { try $0.readNumber() })
            } else {
                throw wrongType("\(field)[\(out.count)]", expected: "a number or null")
            }
        }
        return .values(out)
    }

    mutating func parseTop() throws(ParseProblem) {
        let t = s.nextValueType()
        guard t == "object" else { throw wrongType("", expected: "a JSON object") }
        try syntax("") { try $0.beginObject() }
        var sawTrue = false
        var sawEntries = false
        var sawApprox = false
        while let key = try nextKey("") {
            if key.equals("approx") {
                sawApprox = true
                try parseApprox()
            } else if key.equals("true") {
                sawTrue = true
                sawEntries = try parseTrue()
            } else {
                try skip(key.string)
            }
        }
        try syntax("") { try $0.expectEnd() }
        guard sawTrue else {
            throw ParseProblem(field: "true", offset: nil, message: "missing (the notebooks read true.entries)")
        }
        guard sawEntries else {
            throw ParseProblem(field: "true.entries", offset: nil, message: "missing (the notebooks read every entry)")
        }
        guard sawApprox else {
            throw ParseProblem(
                field: "approx", offset: nil, message: "missing (the notebooks read approx.delta_h_per_lr)")
        }
    }

    mutating func parseApprox() throws(ParseProblem) {
        guard s.nextValueType() == "object" else { throw wrongType("approx", expected: "an object") }
        try syntax("approx") { try $0.beginObject() }
        while let key = try nextKey("approx") {
            if key.equals("delta_h_per_lr") {
                run.deltaHPerLr = try number("approx.delta_h_per_lr")
            } else if key.equals("per_sequence") {
                try parsePerSequence()
            } else if key.equals("variance") {
                let f = "approx.variance"
                run.variance = .null
                guard try beginObjectOrNull(f) else { continue }
                run.variance = .empty
                while let k = try nextKey(f) {
                    run.variance = .nonEmpty
                    if k.equals("se_shard") {
                        run.seShard = try number(f + ".se_shard")
                    } else if k.equals("se_jackknife") {
                        run.seJackknife = try number(f + ".se_jackknife")
                    } else if k.equals("num_shards") {
                        run.numShards = try number(f + ".num_shards")
                    } else {
                        try skip(f + "." + k.string)
                    }
                }
            } else if key.equals("quadratic") {
                try parseQuadratic()
            } else {
                try skip("approx." + key.string)
            }
        }
    }

    mutating func parsePerSequence() throws(ParseProblem) {
        let f = "approx.per_sequence"
        let t = s.nextValueType()
        if t == "null" {
            _ = try syntax(f) { try $0.consumeNull() }
            run.perSequence = .null
            return
        }
        guard t == "array" else { throw wrongType(f, expected: "an array of objects or null") }
        try syntax(f) { try $0.beginArray() }
        var g: [Double] = []
        g.reserveCapacity(2048)
        var problem: EntropyRun.GdotvProblem?
        while try syntax(f, { try $0.nextElement() }) {
            let i = g.count
            var value = Double.nan
            if s.nextValueType() != "object" {
                if problem == nil {
                    problem = .init(index: i, message: "is \(typeName(s.nextValueType())), not a record with 'gdotv'")
                }
                try skip("\(f)[\(i)]")
            } else {
                try syntax(f) { try $0.beginObject() }
                var found = false
                while let k = try nextKey("\(f)[\(i)]") {
                    if k.equals("gdotv") {
                        found = true
                        let n = try number("\(f)[\(i)].gdotv")
                        if let v = n.value {
                            value = v
                        } else if problem == nil {
                            problem = .init(index: i, message: "has 'gdotv': null")
                        }
                    } else {
                        try skip("\(f)[\(i)].\(k.string)")
                    }
                }
                if !found && problem == nil { problem = .init(index: i, message: "has no 'gdotv'") }
            }
            g.append(value)
        }
        run.perSequence = g.isEmpty ? .empty : .nonEmpty
        run.gdotv = g
        run.gdotvProblem = problem
    }

    mutating func parseQuadratic() throws(ParseProblem) {
        let f = "approx.quadratic"
        run.quadratic = .null
        guard try beginObjectOrNull(f) else { return }
        run.quadratic = .empty
        while let k = try nextKey(f) {
            run.quadratic = .nonEmpty
            if k.equals("gdotv") {
                run.quadGdotv = try number(f + ".gdotv")
            } else if k.equals("vHvv") {
                run.vHvv = try number(f + ".vHvv")
            } else if k.equals("per_sequence_vhvv") {
                run.perSequenceVhvv = try numbers(f + ".per_sequence_vhvv")
            } else if k.equals("variance") {
                let v = f + ".variance"
                run.quadVariance = .null
                guard try beginObjectOrNull(v) else { continue }
                run.quadVariance = .empty
                while let k2 = try nextKey(v) {
                    run.quadVariance = .nonEmpty
                    if k2.equals("se_gdotv") {
                        run.seGdotv = try number(v + ".se_gdotv")
                    } else if k2.equals("se_vHvv") {
                        run.seVHvv = try number(v + ".se_vHvv")
                    } else {
                        try skip(v + "." + k2.string)
                    }
                }
            } else {
                try skip(f + "." + k.string)
            }
        }
    }

    /// Returns whether `entries` was present.
    mutating func parseTrue() throws(ParseProblem) -> Bool {
        guard s.nextValueType() == "object" else { throw wrongType("true", expected: "an object") }
        try syntax("true") { try $0.beginObject() }
        var saw = false
        while let key = try nextKey("true") {
            guard key.equals("entries") else {
                try skip("true." + key.string)
                continue
            }
            saw = true
            let f = "true.entries"
            guard s.nextValueType() == "array" else { throw wrongType(f, expected: "an array") }
            try syntax(f) { try $0.beginArray() }
            run.entries = []
            while try syntax(f, { try $0.nextElement() }) {
                run.entries.append(try parseEntry("\(f)[\(run.entries.count)]"))
            }
        }
        return saw
    }

    mutating func parseEntry(_ f: String) throws(ParseProblem) -> EntropyEntry {
        guard s.nextValueType() == "object" else { throw wrongType(f, expected: "an object") }
        let start = s.position
        try syntax(f) { try $0.beginObject() }
        var eta: Double?
        var delta: Double?
        var e = EntropyEntry(eta: 0, deltaHTrue: 0)
        while let k = try nextKey(f) {
            if k.equals("eta") {
                eta = try requiredNumber(f + ".eta")
            } else if k.equals("delta_h_true") {
                delta = try requiredNumber(f + ".delta_h_true")
            } else if k.equals("diagnostics") {
                let d = f + ".diagnostics"
                e.diagnostics = .null
                guard try beginObjectOrNull(d) else { continue }
                e.diagnostics = .empty
                while let k2 = try nextKey(d) {
                    e.diagnostics = .nonEmpty
                    if k2.equals("weights_sum") {
                        e.weightsSum = try number(d + ".weights_sum")
                    } else if k2.equals("normalized_weights") {
                        e.normalizedWeights = try numbers(d + ".normalized_weights")
                    } else if k2.equals("token_counts") {
                        e.tokenCounts = try numbers(d + ".token_counts")
                    } else if k2.equals("h_new") {
                        e.hNew = try numbers(d + ".h_new")
                    } else if k2.equals("base_entropy") {
                        e.baseEntropy = try number(d + ".base_entropy")
                    } else if k2.equals("ess") {
                        e.ess = try number(d + ".ess")
                    } else {
                        try skip(d + "." + k2.string)
                    }
                }
            } else {
                try skip(f + "." + k.string)
            }
        }
        guard let eta else { throw ParseProblem(field: f + ".eta", offset: start, message: "missing") }
        guard let delta else { throw ParseProblem(field: f + ".delta_h_true", offset: start, message: "missing") }
        e.eta = eta
        e.deltaHTrue = delta
        return e
    }
}
