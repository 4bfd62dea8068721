import FigureTesting
import Foundation
import Testing

/// The path of a file in Fixtures/.
func fixture(_ name: String) -> String {
    TestPaths.fixture(name, in: .module)
}

/// The repository's sample data (`data/entropy`), reached from this file.
let sampleDataDir = TestPaths.sampleData("entropy")
