import FigureTesting
import Foundation
import Testing

@testable import CompressionFigures

/// The path of a file in Fixtures/ (made by Fixtures/make_fixtures.py).
func fixture(_ name: String) -> String {
    TestPaths.fixture(name, in: .module)
}

/// The repository's sample data (`data/compression`), reached from this file.
let sampleDataDir = TestPaths.sampleData("compression")

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("figpipe-cf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Runs `body`, returning the error it throws (nil if none).
func thrownError<T>(_ body: () throws -> T) -> (any Error)? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// Bitwise equality of two number fields (NaN equals NaN).
func same(_ a: NumberField, _ b: NumberField) -> Bool {
    switch (a, b) {
    case (.absent, .absent), (.null, .null): true
    case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
    default: false
    }
}
