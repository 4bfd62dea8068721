import FigureTesting
import Foundation

/// This target's JSON fixtures (`Fixtures/`, made by the scripts there).
enum Fixtures {
    static func load(_ name: String) throws -> FixtureValue { try FixtureValue.load(name, in: .module) }
}
