import FigpipeBasics

/// A scalar field of `results.json` as Python's `dict.get` sees it: absent,
/// null, or a number (remembering whether JSON wrote it as an integer, which
/// pandas keeps when it writes a table).
public enum NumberField: Sendable, Equatable {
    case absent
    case null
    case double(Double)
    case int(Int64)

    /// The number, or nil when absent or null.
    public var value: Double? {
        switch self {
        case .absent, .null: nil
        case .double(let d): d
        case .int(let i): Double(i)
        }
    }

    /// `d.get(key)`: None for absent and null.
    var isNone: Bool { value == nil }
}

/// An array field: absent, null, or a list of numbers (`np.asarray(x,
/// dtype=float)`: a null element is NaN).
public enum ArrayField: Sendable, Equatable {
    case absent
    case null
    case values([Double])
}

/// Whether an object field is absent, null, or an object (with how many keys:
/// Python's truthiness of a dict).
public enum ObjectPresence: UInt8, Sendable, Equatable {
    case absent = 0
    case null = 1
    case empty = 2
    case nonEmpty = 3

    /// `bool(d.get(key))`.
    var isTruthy: Bool { self == .nonEmpty }
}

/// One `true.entries[i]` record: the learning rate, the true ΔH and the
/// per-sequence diagnostics the notebooks rebuild the true ΔH from.
public struct EntropyEntry: Sendable, Equatable {
    public var eta: Double
    public var deltaHTrue: Double
    /// `entry['diagnostics']`: absent/null/object.
    public var diagnostics: ObjectPresence
    public var weightsSum: NumberField
    public var normalizedWeights: ArrayField
    public var tokenCounts: ArrayField
    public var hNew: ArrayField
    public var baseEntropy: NumberField
    public var ess: NumberField

    public init(
        eta: Double, deltaHTrue: Double, diagnostics: ObjectPresence = .absent, weightsSum: NumberField = .absent,
        normalizedWeights: ArrayField = .absent, tokenCounts: ArrayField = .absent, hNew: ArrayField = .absent,
        baseEntropy: NumberField = .absent, ess: NumberField = .absent
    ) {
        self.eta = eta
        self.deltaHTrue = deltaHTrue
        self.diagnostics = diagnostics
        self.weightsSum = weightsSum
        self.normalizedWeights = normalizedWeights
        self.tokenCounts = tokenCounts
        self.hNew = hNew
        self.baseEntropy = baseEntropy
        self.ess = ess
    }
}

/// The fields of one `run_XX/results.json` the three notebooks read, as typed
/// columns (everything else in the file is skipped while parsing).
public struct EntropyRun: Sendable, Equatable {
    /// The run's folder name (`path.parent.name`), the notebooks' run id.
    public var id: String
    /// `approx.delta_h_per_lr`.
    public var deltaHPerLr: NumberField
    /// `approx.per_sequence`: absent, null, or the records' `gdotv` values.
    public var perSequence: ObjectPresence
    public var gdotv: [Double]
    /// The first record whose `gdotv` is missing or not a number (`rec['gdotv'] * eta`
    /// raises there), with what is wrong; nil when every record has one.
    public var gdotvProblem: GdotvProblem?
    /// `approx.variance`.
    public var variance: ObjectPresence
    public var seShard: NumberField
    public var seJackknife: NumberField
    public var numShards: NumberField
    /// `approx.quadratic`.
    public var quadratic: ObjectPresence
    public var quadGdotv: NumberField
    public var vHvv: NumberField
    public var perSequenceVhvv: ArrayField
    /// `approx.quadratic.variance`.
    public var quadVariance: ObjectPresence
    public var seGdotv: NumberField
    public var seVHvv: NumberField
    /// `true.entries`, in file order.
    public var entries: [EntropyEntry]

    /// A record of `approx.per_sequence` without a usable `gdotv`.
    public struct GdotvProblem: Sendable, Equatable {
        public var index: Int
        public var message: String
    }

    public init(id: String) {
        self.id = id
        deltaHPerLr = .absent
        perSequence = .absent
        gdotv = []
        gdotvProblem = nil
        variance = .absent
        seShard = .absent
        seJackknife = .absent
        numShards = .absent
        quadratic = .absent
        quadGdotv = .absent
        vHvv = .absent
        perSequenceVhvv = .absent
        quadVariance = .absent
        seGdotv = .absent
        seVHvv = .absent
        entries = []
    }
}

/// The runs of one results folder (`E_2048/run_*/results.json`), in sorted
/// path order: the notebooks' `load_runs(sorted(ROOT.glob(...)))` dict.
public struct EntropyRunSet: Sendable, Equatable {
    public static let artifactType = "entropy.runs"
    static let formatVersion: Int32 = 1

    /// The folder the runs came from, relative to the data root (for messages).
    public var folder: String
    public var runs: [EntropyRun]

    public init(folder: String, runs: [EntropyRun]) {
        self.folder = folder
        self.runs = runs
    }

    /// `runs_dict[run_id]`; a missing id is a `EntropyDataError` listing the runs there are.
    public func run(_ id: String) throws(EntropyDataError) -> EntropyRun {
        guard let r = runs.first(where: { $0.id == id }) else {
            throw EntropyDataError(
                "run '\(id)' is not in \(folder) (it has: \(runs.map(\.id).joined(separator: ", ")))")
        }
        return r
    }
}

/// A computation the data cannot support: a missing run or eta, an empty
/// `approx.per_sequence`, a missing field. The message names the folder,
/// run, eta and field.
public struct EntropyDataError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

// MARK: - Binary encoding

extension EntropyRunSet {
    /// The binary artifact: header, folder, then each run's fields in order.
    public func encoded() -> [UInt8] {
        var capacity = 64
        for r in runs {
            capacity += r.gdotv.count * 8 + 256
            for e in r.entries { capacity += 256 + 24 * (e.tokenCounts.count) }
            if case .values(let v) = r.perSequenceVhvv { capacity += v.count * 8 }
        }
        var w = ByteWriter(
            artifactType: Self.artifactType, formatVersion: Self.formatVersion, reservingCapacity: capacity)
        w.append(folder)
        w.append(Int64(runs.count))
        for r in runs {
            w.append(r.id)
            w.put(r.deltaHPerLr)
            w.append(r.perSequence.rawValue)
            w.append(r.gdotv)
            w.append(r.gdotvProblem != nil)
            if let p = r.gdotvProblem {
                w.append(Int64(p.index))
                w.append(p.message)
            }
            w.append(r.variance.rawValue)
            w.put(r.seShard)
            w.put(r.seJackknife)
            w.put(r.numShards)
            w.append(r.quadratic.rawValue)
            w.put(r.quadGdotv)
            w.put(r.vHvv)
            w.put(r.perSequenceVhvv)
            w.append(r.quadVariance.rawValue)
            w.put(r.seGdotv)
            w.put(r.seVHvv)
            w.append(Int64(r.entries.count))
            for e in r.entries {
                w.append(e.eta)
                w.append(e.deltaHTrue)
                w.append(e.diagnostics.rawValue)
                w.put(e.weightsSum)
                w.put(e.normalizedWeights)
                w.put(e.tokenCounts)
                w.put(e.hNew)
                w.put(e.baseEntropy)
                w.put(e.ess)
            }
        }
        return w.bytes
    }

    /// Reads what `encoded()` wrote.
    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        var r = try ByteReader(bytes: bytes, artifactType: Self.artifactType, formatVersion: Self.formatVersion)
        folder = try r.readString()
        let n = try r.readInt64()
        guard n >= 0, n <= Int64(bytes.count) else { throw r.error("bad run count \(n)") }
        runs = []
        runs.reserveCapacity(Int(n))
        for _ in 0..<n {
            var run = EntropyRun(id: try r.readString())
            run.deltaHPerLr = try r.numberField()
            run.perSequence = try r.presence()
            run.gdotv = try r.readDoubleArray()
            if try r.readBool() {
                let index = Int(try r.readInt64())
                run.gdotvProblem = .init(index: index, message: try r.readString())
            }
            run.variance = try r.presence()
            run.seShard = try r.numberField()
            run.seJackknife = try r.numberField()
            run.numShards = try r.numberField()
            run.quadratic = try r.presence()
            run.quadGdotv = try r.numberField()
            run.vHvv = try r.numberField()
            run.perSequenceVhvv = try r.arrayField()
            run.quadVariance = try r.presence()
            run.seGdotv = try r.numberField()
            run.seVHvv = try r.numberField()
            let m = try r.readInt64()
            guard m >= 0, m <= Int64(bytes.count) else { throw r.error("bad entry count \(m)") }
            run.entries.reserveCapacity(Int(m))
            for _ in 0..<m {
                let eta = try r.readDouble()
                let delta = try r.readDouble()
                run.entries.append(
                    EntropyEntry(
                        eta: eta, deltaHTrue: delta, diagnostics: try r.presence(), weightsSum: try r.numberField(),
                        normalizedWeights: try r.arrayField(), tokenCounts: try r.arrayField(),
                        hNew: try r.arrayField(),
                        baseEntropy: try r.numberField(), ess: try r.numberField()))
            }
            runs.append(run)
        }
        try r.expectEnd()
    }
}

extension ArrayField {
    /// The number of values (0 when absent or null).
    var count: Int {
        if case .values(let v) = self { return v.count }
        return 0
    }
}

extension ByteWriter {
    fileprivate mutating func put(_ f: NumberField) {
        switch f {
        case .absent: append(UInt8(0))
        case .null: append(UInt8(1))
        case .double(let d):
            append(UInt8(2))
            append(d)
        case .int(let i):
            append(UInt8(3))
            append(i)
        }
    }

    fileprivate mutating func put(_ f: ArrayField) {
        switch f {
        case .absent: append(UInt8(0))
        case .null: append(UInt8(1))
        case .values(let v):
            append(UInt8(2))
            append(v)
        }
    }
}

extension ByteReader {
    fileprivate mutating func numberField() throws(BinaryDecodingError) -> NumberField {
        switch try readUInt8() {
        case 0: return .absent
        case 1: return .null
        case 2: return .double(try readDouble())
        case 3: return .int(try readInt64())
        case let t: throw error("bad number field tag \(t)")
        }
    }

    fileprivate mutating func arrayField() throws(BinaryDecodingError) -> ArrayField {
        switch try readUInt8() {
        case 0: return .absent
        case 1: return .null
        case 2: return .values(try readDoubleArray())
        case let t: throw error("bad array field tag \(t)")
        }
    }

    fileprivate mutating func presence() throws(BinaryDecodingError) -> ObjectPresence {
        let t = try readUInt8()
        guard let p = ObjectPresence(rawValue: t) else { throw error("bad presence tag \(t)") }
        return p
    }
}
