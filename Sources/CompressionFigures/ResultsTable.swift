import FigpipeBasics

/// One entry of a record's `methods` object, as the notebook tests it:
/// fig5 keeps only `isinstance(md, dict)` entries and reads
/// `md.get('ratio')`, `md.get('decompress_MBps')`; fig2 does
/// `m and 'ratio' in m`, where for a string `'ratio' in m` is a substring
/// test, so strings keep their text, and any other JSON value is kept whole.
public enum MethodValue: Sendable, Equatable {
    /// A JSON object; only the two fields the notebook reads are kept.
    case object(ratio: NumberField, decompressMBps: NumberField)
    case null
    case string(String)
    /// A number, boolean or array.
    case other(JSONValue)

    /// Python's `isinstance(md, dict)`.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}

/// A method name and its value, in the order of the record's JSON object.
public struct MethodEntry: Sendable, Equatable {
    public var name: String
    public var value: MethodValue

    public init(name: String, value: MethodValue) {
        self.name = name
        self.value = value
    }
}

/// The records of `results/results.jsonl.zst`, with exactly the fields the
/// notebook reads, stored by column (interned strings, flat method arrays with
/// per-record offsets), so ~80 k records x ~16 methods take a few tens of MB.
///
/// Iterate it (`for r in table`) or index it (`table[i]`): each element is a
/// lightweight `Record` view.
public struct ResultsTable: Sendable, Equatable, RandomAccessCollection {
    /// The artifact type of the encoded table.
    public static let artifactType = "compression.results"
    /// The binary layout version (see `encoded()`).
    public static let formatVersion: Int32 = 1

    let storage: Storage

    init(storage: Storage) { self.storage = storage }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.line.count }
    public subscript(i: Int) -> Record { Record(storage: storage, index: i) }

    /// Number of method entries over all records.
    public var methodEntryCount: Int { storage.methodName.count }

    public static func == (a: ResultsTable, b: ResultsTable) -> Bool {
        a.storage === b.storage || a.storage.isIdentical(to: b.storage)
    }

    /// One record (a line of the file).
    public struct Record: Sendable {
        let storage: Storage
        /// Position in the table.
        public let index: Int

        /// 1-based line number in the decoded file.
        public var line: Int { Int(storage.line[index]) }
        /// `_kind`.
        public var kind: StringField { StringID.field(storage.kind[index], storage.strings) }
        /// `tensor_name`.
        public var tensorName: StringField { StringID.field(storage.tensorName[index], storage.strings) }
        /// `model`.
        public var model: StringField { StringID.field(storage.model[index], storage.strings) }
        /// `input_bytes`.
        public var inputBytes: NumberField { storage.inputBytes[index] }
        /// `methods`, or nil when the record has none (`'methods' not in r`).
        public var methods: Methods? {
            guard storage.hasMethods[index] != 0 else { return nil }
            return Methods(
                storage: storage, range: Int(storage.methodOffsets[index])..<Int(storage.methodOffsets[index + 1]))
        }
    }

    /// A record's `methods`, in the JSON object's key order (a duplicated key
    /// keeps its first position and its last value, as a Python dict does).
    /// Indices are 0-based.
    public struct Methods: Sendable, RandomAccessCollection {
        let storage: Storage
        /// The record's first entry in the flat method columns.
        let base: Int
        public let count: Int

        init(storage: Storage, range: Range<Int>) {
            self.storage = storage
            self.base = range.lowerBound
            self.count = range.count
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        public subscript(i: Int) -> MethodEntry {
            precondition(i >= 0 && i < count, "method index out of range")
            return MethodEntry(name: name(base + i), value: storage.methodValue(base + i))
        }

        /// The method names, in order.
        public var names: [String] { (base..<(base + count)).map(name) }

        /// `methods.get(name)`: nil when the name is absent (`.null` for an
        /// explicit null).
        public subscript(name: String) -> MethodValue? {
            for i in base..<(base + count) where self.name(i) == name {
                return storage.methodValue(i)
            }
            return nil
        }

        private func name(_ flat: Int) -> String { storage.strings[Int(storage.methodName[flat])] }
    }
}

// MARK: - Storage

extension ResultsTable {
    enum MethodKind {
        static let object: UInt8 = 0
        static let null: UInt8 = 1
        static let string: UInt8 = 2
        static let other: UInt8 = 3
    }

    final class Storage: Sendable {
        /// Interned strings (kinds, tensor names, models, method names, string
        /// method values), in order of first appearance.
        let strings: [String]
        // Per record.
        let line: [Int32]
        let kind: [Int32]
        let tensorName: [Int32]
        let model: [Int32]
        let inputBytes: NumberColumn
        let hasMethods: [UInt8]
        /// count + 1 offsets into the method columns.
        let methodOffsets: [Int32]
        // Per method entry.
        let methodName: [Int32]
        let methodKind: [UInt8]
        let ratio: NumberColumn
        let decompressMBps: NumberColumn
        /// A string id (`string` kind), an index into `others` (`other`
        /// kind), else -1.
        let payload: [Int32]
        let others: [JSONValue]

        init(
            strings: [String], line: [Int32], kind: [Int32], tensorName: [Int32], model: [Int32],
            inputBytes: NumberColumn, hasMethods: [UInt8], methodOffsets: [Int32], methodName: [Int32],
            methodKind: [UInt8], ratio: NumberColumn, decompressMBps: NumberColumn, payload: [Int32],
            others: [JSONValue]
        ) {
            self.strings = strings
            self.line = line
            self.kind = kind
            self.tensorName = tensorName
            self.model = model
            self.inputBytes = inputBytes
            self.hasMethods = hasMethods
            self.methodOffsets = methodOffsets
            self.methodName = methodName
            self.methodKind = methodKind
            self.ratio = ratio
            self.decompressMBps = decompressMBps
            self.payload = payload
            self.others = others
        }

        func methodValue(_ i: Int) -> MethodValue {
            switch methodKind[i] {
            case MethodKind.object: .object(ratio: ratio[i], decompressMBps: decompressMBps[i])
            case MethodKind.string: .string(strings[Int(payload[i])])
            case MethodKind.other: .other(others[Int(payload[i])])
            default: .null
            }
        }

        func isIdentical(to o: Storage) -> Bool {
            strings == o.strings && line == o.line && kind == o.kind && tensorName == o.tensorName
                && model == o.model && inputBytes.isIdentical(to: o.inputBytes) && hasMethods == o.hasMethods
                && methodOffsets == o.methodOffsets && methodName == o.methodName && methodKind == o.methodKind
                && ratio.isIdentical(to: o.ratio) && decompressMBps.isIdentical(to: o.decompressMBps)
                && payload == o.payload && others == o.others
        }
    }
}

// MARK: - Loading

extension ResultsTable {
    /// Loads `results.jsonl.zst` (zstd-decoded, all frames, when the path ends
    /// in `.zst`; plain JSON lines otherwise).
    ///
    /// Throws `FileError`, `ZstdDecodingError`, or `JSONLinesError`
    /// listing every bad line (bad JSON, a line that is not an object, a field
    /// of the wrong type, `methods` that is not an object).
    public static func load(path: String, displayName: String, progress: ((String) -> Void)? = nil) throws
        -> ResultsTable
    {
        var b = Builder()
        try forEachJSONObjectLine(path: path, displayName: displayName, progress: progress) {
            (s, line, _) throws(LineProblem) in
            try b.parseRecord(&s, line: line)
        }
        return ResultsTable(storage: b.finish())
    }

    /// Accumulates columns while a file is parsed.
    struct Builder {
        var interner = Interner()
        var line: [Int32] = []
        var kind: [Int32] = []
        var tensorName: [Int32] = []
        var model: [Int32] = []
        var inputBytes = NumberColumn()
        var hasMethods: [UInt8] = []
        var methodOffsets: [Int32] = [0]
        var methodName: [Int32] = []
        var methodKind: [UInt8] = []
        var ratio = NumberColumn()
        var decompressMBps = NumberColumn()
        var payload: [Int32] = []
        var others: [JSONValue] = []
        /// `others.count` when the current record began.
        private var recordOthersStart = 0

        init() {
            methodName.reserveCapacity(1 << 12)
        }

        /// Parses one record (the scanner is after its `{`) and appends it; on
        /// a problem nothing of the record is kept.
        mutating func parseRecord(_ s: inout JSONScanner, line lineNumber: Int) throws(LineProblem) {
            let methodStart = methodName.count
            recordOthersStart = others.count
            do {
                try parseFields(&s, methodStart: methodStart, lineNumber: lineNumber)
            } catch {
                truncateMethods(to: methodStart)
                throw error
            }
        }

        private mutating func parseFields(_ s: inout JSONScanner, methodStart: Int, lineNumber: Int)
            throws(LineProblem)
        {
            var kindID = StringID.absent
            var tensorID = StringID.absent
            var modelID = StringID.absent
            var bytes = NumberField.absent
            var sawMethods = false
            while let key = try wrap({ () throws(JSONSyntaxError) in try s.nextKey() }) {
                if key.equals("methods") {
                    if sawMethods { truncateMethods(to: methodStart) }  // the last `methods` wins
                    guard s.peek() == UInt8(ascii: "{") else {
                        throw s.typeProblem("methods", expected: "an object")
                    }
                    try parseMethods(&s, start: methodStart)
                    sawMethods = true
                } else if key.equals("_kind") {
                    kindID = try s.readStringFieldID("_kind", &interner)
                } else if key.equals("tensor_name") {
                    tensorID = try s.readStringFieldID("tensor_name", &interner)
                } else if key.equals("model") {
                    modelID = try s.readStringFieldID("model", &interner)
                } else if key.equals("input_bytes") {
                    bytes = try s.readNumberField("input_bytes")
                } else {
                    try s.skip()
                }
            }
            guard line.count < Int32.max - 1, methodName.count < Int32.max - 1, lineNumber <= Int32.max else {
                throw LineProblem(offset: s.position, message: "too many records for one table")
            }
            line.append(Int32(lineNumber))
            kind.append(kindID)
            tensorName.append(tensorID)
            model.append(modelID)
            inputBytes.append(bytes)
            hasMethods.append(sawMethods ? 1 : 0)
            methodOffsets.append(Int32(methodName.count))
        }

        /// Parses the `methods` object into the flat method columns.
        private mutating func parseMethods(_ s: inout JSONScanner, start: Int) throws(LineProblem) {
            try wrap { () throws(JSONSyntaxError) in try s.beginObject() }
            while let (key, raw) = try s.nextKeyWithRaw() {
                let nameID: Int32
                if let raw {
                    guard let id = interner.intern(raw) else {
                        throw LineProblem(offset: s.position, message: "invalid UTF-8 in a method name")
                    }
                    nameID = id
                } else {
                    nameID = interner.intern(key.string)
                }
                // A duplicate key: the last value wins, at the first position.
                var slot = -1
                for i in start..<methodName.count where methodName[i] == nameID {
                    slot = i
                    break
                }
                if slot < 0 {
                    slot = methodName.count
                    methodName.append(nameID)
                    methodKind.append(MethodKind.null)
                    ratio.append(.absent)
                    decompressMBps.append(.absent)
                    payload.append(-1)
                }
                try parseMethodValue(&s, slot: slot, name: nameID)
            }
        }

        private mutating func parseMethodValue(_ s: inout JSONScanner, slot: Int, name: Int32) throws(LineProblem) {
            switch s.peek() {
            case UInt8(ascii: "{"):
                var r = NumberField.absent
                var d = NumberField.absent
                try wrap { () throws(JSONSyntaxError) in try s.beginObject() }
                while let key = try wrap({ () throws(JSONSyntaxError) in try s.nextKey() }) {
                    if key.equals("ratio") {
                        r = try s.readNumberField("methods.\(interner.strings[Int(name)]).ratio")
                    } else if key.equals("decompress_MBps") {
                        d = try s.readNumberField("methods.\(interner.strings[Int(name)]).decompress_MBps")
                    } else {
                        try s.skip()
                    }
                }
                set(slot, kind: MethodKind.object, ratio: r, mbps: d, payload: -1)
            case UInt8(ascii: "\""):
                let id = try s.readInternedString(&interner)
                set(slot, kind: MethodKind.string, ratio: .absent, mbps: .absent, payload: id)
            case UInt8(ascii: "n"):
                _ = try wrap { () throws(JSONSyntaxError) in try s.consumeNull() }
                set(slot, kind: MethodKind.null, ratio: .absent, mbps: .absent, payload: -1)
            default:
                let v = try wrap { () throws(JSONSyntaxError) in try s.readValue() }
                if methodKind[slot] == MethodKind.other {
                    // A duplicate key replacing another such value: reuse its place.
                    others[Int(payload[slot])] = v
                } else {
                    others.append(v)
                    set(slot, kind: MethodKind.other, ratio: .absent, mbps: .absent, payload: Int32(others.count - 1))
                }
            }
        }

        private mutating func set(_ i: Int, kind k: UInt8, ratio r: NumberField, mbps: NumberField, payload p: Int32) {
            methodKind[i] = k
            ratio.set(i, r)
            decompressMBps.set(i, mbps)
            payload[i] = p
        }

        /// Drops the method entries (and other-values) of the current record
        /// from `n` on.
        private mutating func truncateMethods(to n: Int) {
            let extra = methodName.count - n
            if extra > 0 {
                methodName.removeLast(extra)
                methodKind.removeLast(extra)
                ratio.removeLast(extra)
                decompressMBps.removeLast(extra)
                payload.removeLast(extra)
            }
            if others.count > recordOthersStart { others.removeLast(others.count - recordOthersStart) }
        }

        func finish() -> Storage {
            Storage(
                strings: interner.strings, line: line, kind: kind, tensorName: tensorName, model: model,
                inputBytes: inputBytes, hasMethods: hasMethods, methodOffsets: methodOffsets,
                methodName: methodName, methodKind: methodKind, ratio: ratio, decompressMBps: decompressMBps,
                payload: payload, others: others)
        }
    }
}

// MARK: - Binary encoding

extension ResultsTable {
    /// The table as a `compression.results` artifact (format 1), after the
    /// `ByteWriter` header:
    ///
    ///     strings [String]; count Int64
    ///     line, kind, tensor_name, model [Int32] (string ids: -1 absent, -2 null)
    ///     input_bytes: tags [UInt8] (0 absent, 1 null, 2 number), values [Double]
    ///     has_methods [UInt8]; method_offsets [Int32] (count + 1)
    ///     method_name [Int32]; method_kind [UInt8] (0 object, 1 null, 2 string, 3 other)
    ///     ratio, decompress_MBps: tags [UInt8], values [Double]
    ///     payload [Int32]; others [String] (canonical JSON)
    ///
    /// Deterministic: the same table always gives the same bytes.
    public func encoded() -> [UInt8] {
        let s = storage
        let n = s.line.count
        let m = s.methodName.count
        var w = ByteWriter(
            artifactType: ResultsTable.artifactType, formatVersion: ResultsTable.formatVersion,
            reservingCapacity: 256 + n * 30 + m * 30 + s.strings.reduce(0) { $0 + $1.utf8.count + 8 })
        w.append(s.strings)
        w.append(Int64(n))
        w.append(s.line)
        w.append(s.kind)
        w.append(s.tensorName)
        w.append(s.model)
        s.inputBytes.encode(to: &w)
        w.append(s.hasMethods)
        w.append(s.methodOffsets)
        w.append(s.methodName)
        w.append(s.methodKind)
        s.ratio.encode(to: &w)
        s.decompressMBps.encode(to: &w)
        w.append(s.payload)
        w.append(s.others.map { $0.canonicalString() })
        return w.bytes
    }

    /// Decodes `encoded()` bytes, checking the header and every index, so a
    /// damaged artifact throws `BinaryDecodingError` instead of trapping later.
    public init(decoding bytes: [UInt8]) throws(BinaryDecodingError) {
        var r = try ByteReader(
            bytes: bytes, artifactType: ResultsTable.artifactType, formatVersion: ResultsTable.formatVersion)
        let strings = try readPool(&r)
        let n = try readCount(&r)
        let line = try readLines(&r, count: n)
        let kind = try readStringIDs(&r, count: n, poolCount: strings.count, name: "kind")
        let tensorName = try readStringIDs(&r, count: n, poolCount: strings.count, name: "tensor_name")
        let model = try readStringIDs(&r, count: n, poolCount: strings.count, name: "model")
        let inputBytes = try NumberColumn(from: &r, count: n, name: "input_bytes")
        var at = r.offset
        let hasMethods = try r.readUInt8Array()
        guard hasMethods.count == n, hasMethods.allSatisfy({ $0 <= 1 }) else {
            throw r.error("column has_methods is invalid", at: at)
        }
        at = r.offset
        let offsets = try r.readInt32Array()
        at = r.offset
        let methodName = try r.readInt32Array()
        let m = methodName.count
        guard offsets.count == n + 1, offsets.first == 0, offsets.last.map(Int.init) == m else {
            throw r.error("column method_offsets is invalid", at: at)
        }
        for i in 0..<n {
            guard offsets[i] <= offsets[i + 1], hasMethods[i] == 1 || offsets[i] == offsets[i + 1] else {
                throw r.error("column method_offsets is invalid at record \(i)", at: at)
            }
        }
        try StringID.validate(
            methodName, count: m, poolCount: strings.count, name: "method_name", reader: r, at: at,
            allowAbsentOrNull: false)
        at = r.offset
        let methodKind = try r.readUInt8Array()
        guard methodKind.count == m, methodKind.allSatisfy({ $0 <= MethodKind.other }) else {
            throw r.error("column method_kind is invalid", at: at)
        }
        let ratio = try NumberColumn(from: &r, count: m, name: "ratio")
        let mbps = try NumberColumn(from: &r, count: m, name: "decompress_MBps")
        at = r.offset
        let payload = try r.readInt32Array()
        let otherTexts = try r.readStringArray()
        guard payload.count == m else { throw r.error("column payload has the wrong length", at: at) }
        for i in 0..<m {
            let p = Int(payload[i])
            let ok =
                switch methodKind[i] {
                case MethodKind.string: p >= 0 && p < strings.count
                case MethodKind.other: p >= 0 && p < otherTexts.count
                default: p == -1
                }
            guard ok else { throw r.error("column payload is invalid at method entry \(i)", at: at) }
        }
        var others: [JSONValue] = []
        others.reserveCapacity(otherTexts.count)
        for text in otherTexts {
            guard let v = try? JSONValue(parsing: text) else {
                throw r.error("an 'other' method value is not valid JSON", at: at)
            }
            others.append(v)
        }
        try r.expectEnd()
        self.init(
            storage: Storage(
                strings: strings, line: line, kind: kind, tensorName: tensorName, model: model,
                inputBytes: inputBytes, hasMethods: hasMethods, methodOffsets: offsets, methodName: methodName,
                methodKind: methodKind, ratio: ratio, decompressMBps: mbps, payload: payload, others: others))
    }
}
