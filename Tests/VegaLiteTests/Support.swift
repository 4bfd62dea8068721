import FigpipeBasics
import Foundation

/// A JSON file of Fixtures/ (scripts/make_vega_fixtures.py); null when it cannot be read.
func fixtureJSON(_ name: String) -> JSONValue {
    guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: "json"),
        let data = try? Data(contentsOf: url), let json = try? JSONValue(parsing: Array(data))
    else { return .null }
    return json
}
