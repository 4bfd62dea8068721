import Foundation
import Testing

/// The path of a file in Fixtures/.
func fixture(_ name: String) -> String {
    guard let dir = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
        fatalError("Fixtures folder missing from the test bundle")
    }
    return dir.appendingPathComponent(name).path
}

/// The repository's sample data (`data/entropy`), reached from this file.
let sampleDataDir: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("../../data/entropy").standardizedFileURL.path
