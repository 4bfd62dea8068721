import Foundation

/// Where a family's tests find their fixtures and the repository's sample data.
public enum TestPaths {
    /// The path of `name` in the `Fixtures` folder a test target copies into its
    /// bundle (pass the target's `Bundle.module`).
    public static func fixture(_ name: String, in bundle: Bundle) -> String {
        guard let dir = bundle.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures folder missing from the test bundle")
        }
        return dir.appendingPathComponent(name).path
    }

    /// The repository's sample data of a family (`data/<family>`), reached from the
    /// calling test file (`Tests/<Target>/<file>.swift`).
    public static func sampleData(_ family: String, from filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent()
            .appendingPathComponent("../../data/\(family)").standardizedFileURL.path
    }
}
