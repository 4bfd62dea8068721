#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A small little-endian binary format for `.binary` artifacts.
//
// Every artifact starts with a header the reader checks:
//
//     magic         4 bytes  "FPBA" (figpipe binary artifact)
//     type name     string   e.g. "compression.results"
//     format        Int32    the layout version of that type
//
// then the type's own fields, in an order the type documents. Scalars are
// little-endian; a `Double` is its IEEE-754 bit pattern (NaN payloads and -0.0
// survive); a string is an Int64 byte count followed by UTF-8 bytes; an array
// is an Int64 element count followed by its elements. The same values always
// give the same bytes.
//
// A reader never traps on bad input: a truncated or malformed artifact throws
// a `BinaryDecodingError` naming the artifact type, the byte offset and what
// was expected.

/// A truncated or malformed binary artifact.
public struct BinaryDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The artifact type the reader expected (from its header check).
    public var artifactType: String
    /// Byte offset in the artifact where the problem was found.
    public var offset: Int
    public var message: String

    public init(artifactType: String, offset: Int, message: String) {
        self.artifactType = artifactType
        self.offset = offset
        self.message = message
    }

    public var description: String {
        "malformed \(artifactType) artifact at byte \(offset): \(message)"
    }
}

/// Appends little-endian values to a byte array.
public struct ByteWriter: Sendable {
    /// The four bytes every binary artifact starts with.
    public static let magic: [UInt8] = Array("FPBA".utf8)

    public private(set) var bytes: [UInt8]

    /// A writer whose bytes start with the artifact header (magic, type name,
    /// format version).
    public init(artifactType: String, formatVersion: Int32, reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(max(capacity, 64))
        bytes.append(contentsOf: ByteWriter.magic)
        append(artifactType)
        append(formatVersion)
    }

    /// A writer without a header (for nested encodings).
    public init() { bytes = [] }

    public mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n) }

    // MARK: Scalars

    public mutating func append(_ value: UInt8) { bytes.append(value) }

    public mutating func append(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func append(_ value: Int32) { appendRaw(UInt32(bitPattern: value).littleEndian) }

    public mutating func append(_ value: Int64) { appendRaw(UInt64(bitPattern: value).littleEndian) }

    /// The IEEE-754 bit pattern, exactly (NaN payloads, -0.0 included).
    public mutating func append(_ value: Double) { appendRaw(value.bitPattern.littleEndian) }

    /// Int64 byte count, then the UTF-8 bytes.
    public mutating func append(_ value: String) {
        var s = value
        s.withUTF8 { utf8 in
            append(Int64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // MARK: Arrays (Int64 count, then the elements)

    public mutating func append(_ values: [UInt8]) {
        append(Int64(values.count))
        bytes.append(contentsOf: values)
    }

    public mutating func append(_ values: [Int32]) {
        append(Int64(values.count))
        appendElements(values) { UInt32(bitPattern: $0).littleEndian }
    }

    public mutating func append(_ values: [Int64]) {
        append(Int64(values.count))
        appendElements(values) { UInt64(bitPattern: $0).littleEndian }
    }

    public mutating func append(_ values: [Double]) {
        append(Int64(values.count))
        appendElements(values) { $0.bitPattern.littleEndian }
    }

    public mutating func append(_ values: [String]) {
        append(Int64(values.count))
        for s in values { append(s) }
    }

    // MARK: Helpers

    @inline(__always)
    private mutating func appendRaw<T: FixedWidthInteger>(_ littleEndianValue: T) {
        withUnsafeBytes(of: littleEndianValue) { bytes.append(contentsOf: $0) }
    }

    /// Bulk-appends fixed-width elements, each converted to its little-endian
    /// representation by `convert`.
    private mutating func appendElements<E, T: FixedWidthInteger>(_ values: [E], _ convert: (E) -> T) {
        let size = MemoryLayout<T>.size
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * size))
        bytes.withUnsafeMutableBytes { out in
            values.withUnsafeBufferPointer { src in
                for (i, v) in src.enumerated() {
                    out.storeBytes(of: convert(v), toByteOffset: start + i * size, as: T.self)
                }
            }
        }
    }
}

/// Reads what a `ByteWriter` wrote, checking every length against the bytes
/// that remain.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    /// The artifact type checked in the header (used in error messages).
    public let artifactType: String

    /// Checks the header: the magic, that the type name is `artifactType` and
    /// that the format version is `formatVersion`.
    public init(bytes: [UInt8], artifactType: String, formatVersion: Int32) throws(BinaryDecodingError) {
        self.bytes = bytes
        self.offset = 0
        self.artifactType = artifactType
        guard bytes.count >= ByteWriter.magic.count, Array(bytes[0..<ByteWriter.magic.count]) == ByteWriter.magic
        else {
            throw error("not a figpipe binary artifact (missing the \"FPBA\" magic)", at: 0)
        }
        offset = ByteWriter.magic.count
        let typeOffset = offset
        let type = try readString()
        guard type == artifactType else {
            throw error("the artifact is of type \"\(type)\", not \"\(artifactType)\"", at: typeOffset)
        }
        let versionOffset = offset
        let version = try readInt32()
        guard version == formatVersion else {
            throw error(
                "format version \(version) is not supported (this build reads version \(formatVersion))",
                at: versionOffset)
        }
    }

    /// A reader without a header check.
    public init(bytes: [UInt8], artifactType: String = "binary") {
        self.bytes = bytes
        self.offset = 0
        self.artifactType = artifactType
    }

    public var remaining: Int { bytes.count - offset }

    public var isAtEnd: Bool { offset == bytes.count }

    /// An error at `offset` (default: the current position).
    public func error(_ message: String, at offset: Int? = nil) -> BinaryDecodingError {
        BinaryDecodingError(artifactType: artifactType, offset: offset ?? self.offset, message: message)
    }

    /// Throws unless every byte was read.
    public func expectEnd() throws(BinaryDecodingError) {
        if remaining != 0 { throw error("\(remaining) unexpected trailing bytes") }
    }

    // MARK: Scalars

    public mutating func readUInt8() throws(BinaryDecodingError) -> UInt8 {
        try need(1, "a byte")
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func readBool() throws(BinaryDecodingError) -> Bool {
        let at = offset
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let b: throw error("invalid boolean byte \(b)", at: at)
        }
    }

    public mutating func readInt32() throws(BinaryDecodingError) -> Int32 {
        Int32(bitPattern: try readRaw(UInt32.self, "an Int32"))
    }

    public mutating func readInt64() throws(BinaryDecodingError) -> Int64 {
        Int64(bitPattern: try readRaw(UInt64.self, "an Int64"))
    }

    public mutating func readDouble() throws(BinaryDecodingError) -> Double {
        Double(bitPattern: try readRaw(UInt64.self, "a Double"))
    }

    /// A length-prefixed UTF-8 string; invalid UTF-8 is an error.
    public mutating func readString() throws(BinaryDecodingError) -> String {
        let at = offset
        let n = try readCount(elementSize: 1, "string")
        let slice = bytes[offset..<(offset + n)]
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw error("invalid UTF-8 in a string", at: at)
        }
        offset += n
        return s
    }

    // MARK: Arrays

    public mutating func readUInt8Array() throws(BinaryDecodingError) -> [UInt8] {
        let n = try readCount(elementSize: 1, "byte array")
        defer { offset += n }
        return Array(bytes[offset..<(offset + n)])
    }

    public mutating func readInt32Array() throws(BinaryDecodingError) -> [Int32] {
        try readElements(UInt32.self, "Int32 array") { Int32(bitPattern: $0) }
    }

    public mutating func readInt64Array() throws(BinaryDecodingError) -> [Int64] {
        try readElements(UInt64.self, "Int64 array") { Int64(bitPattern: $0) }
    }

    public mutating func readDoubleArray() throws(BinaryDecodingError) -> [Double] {
        try readElements(UInt64.self, "Double array") { Double(bitPattern: $0) }
    }

    public mutating func readStringArray() throws(BinaryDecodingError) -> [String] {
        // Every string takes at least its 8-byte length.
        let n = try readCount(elementSize: 8, "string array")
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try readString()) }
        return out
    }

    // MARK: Helpers

    private func need(_ n: Int, _ what: String) throws(BinaryDecodingError) {
        if n > remaining {
            throw error("truncated: \(what) needs \(n) bytes, only \(remaining) remain")
        }
    }

    /// Reads an Int64 element count and checks that `count * elementSize`
    /// bytes remain.
    private mutating func readCount(elementSize: Int, _ what: String) throws(BinaryDecodingError) -> Int {
        let at = offset
        let raw = try readInt64()
        guard raw >= 0 else { throw error("negative \(what) length \(raw)", at: at) }
        let (total, overflow) = Int(truncatingIfNeeded: raw).multipliedReportingOverflow(by: elementSize)
        guard raw <= Int64(Int.max), !overflow, total <= remaining else {
            throw error(
                "truncated: a \(what) of \(raw) elements does not fit in the \(remaining) remaining bytes", at: at)
        }
        return Int(raw)
    }

    @inline(__always)
    private mutating func readRaw<T: FixedWidthInteger>(_: T.Type, _ what: String) throws(BinaryDecodingError) -> T {
        let size = MemoryLayout<T>.size
        try need(size, what)
        let v = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
        offset += size
        return T(littleEndian: v)
    }

    private mutating func readElements<T: FixedWidthInteger, E>(
        _: T.Type, _ what: String, _ convert: (T) -> E
    ) throws(BinaryDecodingError) -> [E] {
        let size = MemoryLayout<T>.size
        let n = try readCount(elementSize: size, what)
        let start = offset
        let out = bytes.withUnsafeBytes { raw in
            [E](unsafeUninitializedCapacity: n) { buffer, initialized in
                for i in 0..<n {
                    let v = raw.loadUnaligned(fromByteOffset: start + i * size, as: T.self)
                    buffer.initializeElement(at: i, to: convert(T(littleEndian: v)))
                }
                initialized = n
            }
        }
        offset += n * size
        return out
    }
}
