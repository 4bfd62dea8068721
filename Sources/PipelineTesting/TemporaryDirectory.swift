import FigpipeBasics
import Foundation
import Pipeline

/// A fresh folder under the system's temporary folder, removed when the value
/// goes away. For tests: every test works in its own.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "figpipe-tests") {
        var template = Array((NSTemporaryDirectory() + "/\(label).XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        precondition(made != nil, "mkdtemp failed")
        path = Paths.absolute(String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ relative: String) -> String { Paths.join(path, relative) }

    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Array(text.utf8))
    }

    public func write(_ relative: String, _ bytes: [UInt8]) throws {
        let full = file(relative)
        try FileManager.default.createDirectory(atPath: Paths.directory(of: full), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: Data(bytes)) else {
            throw StageError("cannot write \(full)")
        }
    }

    public func read(_ relative: String) -> String? {
        FileManager.default.contents(atPath: file(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: file(relative)) }

    /// Every regular file below `relative`, as paths relative to it, sorted.
    public func files(under relative: String = ".") -> [String] {
        let base = file(relative)
        guard let e = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let name = e.nextObject() as? String {
            if FileStat.of(base + "/" + name)?.isRegular == true { out.append(name) }
        }
        return out.sorted()
    }

    /// Every entry (file or folder) below `relative` whose name contains `text`.
    public func entries(under relative: String = ".", containing text: String) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: file(relative)) else { return [] }
        var out: [String] = []
        while let name = e.nextObject() as? String {
            if Paths.fileName(of: name).contains(text) { out.append(name) }
        }
        return out.sorted()
    }
}
