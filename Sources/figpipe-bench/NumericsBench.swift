import ArgumentParser
import FigpipeBasics
import Foundation
import DelphiFigures
import Numerics

/// Reads a JSON file for a benchmark.
func benchJSON(_ path: String) throws -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
    return try JSONValue(parsing: Array(data))
}

func doubles(_ v: JSONValue?) -> [Double] { (v?.arrayValue ?? []).compactMap(\.numberValue) }

/// `figpipe-bench bootstrap FIXTURE`: the Delphi lucky-seeds bootstrap
/// (1000 draws, `default_rng(0)`) on recorded inputs.
struct Bootstrap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time _bootstrap_scaling_fit_ci on the inputs recorded in a fits fixture (its \"bootstrap\" entry).")

    @Argument(help: "fits_delphi.json (Tests/NumericsTests/Fixtures)") var fixture: String
    @Option var `repeat` = 5

    func run() throws {
        let b = try benchJSON(fixture)["bootstrap"]
        let c = doubles(b?["C"])
        let y = doubles(b?["y"])
        let targets = doubles(b?["targets"])
        guard !c.isEmpty, c.count == y.count else { throw ValidationError("\(fixture): no bootstrap inputs") }
        var times: [Double] = []
        var result: [DelphiFits.BootstrapCI] = []
        for _ in 0..<max(1, self.repeat) {
            let t0 = now()
            result = DelphiFits.bootstrapScalingFitCI(c: c, y: y, targetFlops: targets)
            times.append(now() - t0)
        }
        print("bootstrap: \(c.count) buckets, 1000 draws, \(targets.count) targets: \(summary(times))")
        if let first = result.first { print("  first target CI: \(first.low) / \(first.median) / \(first.high)") }
    }
}

/// `figpipe-bench gp CELLS`: the hparam figure's GP fits and partial
/// dependences for every recorded cell.
struct GP: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the GP fits and PDPs of every cell in a gp_delphi_cells.json (recorded from the exporter).")

    @Argument(help: "gp_delphi_cells.json") var cells: String
    @Option var `repeat` = 3

    func run() throws {
        let list = try benchJSON(cells)["cells"]?.arrayValue ?? []
        struct Cell {
            var x: [[Double]]
            var y: [Double]
            var pdps: [(feature: Int, include: Double?)]
        }
        let parsed: [Cell] = list.map { c in
            Cell(
                x: (c["X"]?.arrayValue ?? []).map(doubles), y: doubles(c["y"]),
                pdps: (c["pdp"]?.arrayValue ?? []).map {
                    ($0["feature_idx"]?.intValue ?? 0, $0["include_point"]?.numberValue)
                })
        }
        guard !parsed.isEmpty else { throw ValidationError("\(cells): no cells") }
        let trials = parsed.reduce(0) { $0 + $1.y.count }
        var times: [Double] = []
        var lml = 0.0
        for _ in 0..<max(1, self.repeat) {
            let t0 = now()
            lml = 0
            for cell in parsed {
                let gp = GaussianProcessRegressor(
                    kernel: MaternWhiteKernel(noiseLevel: 0.01), alpha: 1e-6, nRestartsOptimizer: 3, randomState: 42)
                let fitted = try gp.fit(cell.x, cell.y)
                lml += fitted.logMarginalLikelihoodValue
                for p in cell.pdps {
                    _ = try fitted.partialDependence(cell.x, featureIndex: p.feature, includePoint: p.include)
                }
            }
            times.append(now() - t0)
        }
        print("gp: \(parsed.count) cells, \(trials) trials, fits + PDPs: \(summary(times)); sum of LML \(lml)")
    }
}
