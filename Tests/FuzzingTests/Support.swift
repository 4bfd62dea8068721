import Foundation
import Fuzzing
import Testing

/// The repository (pipeline.json, data/), reached from this file.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../..").standardizedFileURL.path

/// The figpipe binary built next to the test bundle.
func figpipeBinary() throws -> String {
    try #require(
        FigpipeBinary.locate(),
        "figpipe was not found next to the test bundle: build it first (`swift build --build-tests`)")
}

/// A fresh scratch folder.
func scratchDirectory(_ label: String) -> String {
    var template = Array((NSTemporaryDirectory() + "/\(label).XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
    precondition(made != nil, "mkdtemp failed")
    return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Runs blocking work (child processes) on a thread of its own, not on the
/// cooperative pool, and awaits it.
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

/// An integer from the environment, or a default.
func environmentInt(_ name: String, _ fallback: Int) -> Int {
    ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? fallback
}
