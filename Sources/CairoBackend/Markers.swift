import FigureModel
import Foundation

/// One sub-path of a marker, in units of the marker size (y up).
struct MarkerPath {
    var points: [(Double, Double)] = []
    var closed = true
    var isCircle = false
    var radius = 0.0
}

/// matplotlib's marker paths (`markers.py`), scaled so that the marker
/// size in points multiplies them.
enum MarkerPaths {
    static func regularPolygon(_ n: Int, radius: Double, rotation: Double = 0) -> [(Double, Double)] {
        (0..<n).map { k in
            let a = 2 * Double.pi * Double(k) / Double(n) + Double.pi / 2 + rotation
            return (radius * cos(a), radius * sin(a))
        }
    }

    static func star(_ n: Int, radius: Double, inner: Double) -> [(Double, Double)] {
        (0..<(2 * n)).map { k in
            let a = Double.pi * Double(k) / Double(n) + Double.pi / 2
            let r = k % 2 == 0 ? radius : radius * inner
            return (r * cos(a), r * sin(a))
        }
    }

    /// The marker size in pixels from which a line's markers are snapped to
    /// the pixel grid, below which they are not (matplotlib's
    /// `MarkerStyle._snap_threshold`); nil: snapped if the path has only
    /// horizontal and vertical segments.
    static func snapThreshold(_ marker: MarkerStyle) -> Double? {
        switch marker {
        case .none, .hexagon: return nil
        case .circle, .point: return .infinity
        case .square: return 2
        case .vline, .hline, .plus: return 1
        case .x: return 3
        case .triangleUp, .triangleDown, .triangleLeft, .triangleRight, .diamond, .thinDiamond, .pentagon, .star,
            .plusFilled, .xFilled:
            return 5
        }
    }

    /// The paths of `marker` and whether they are filled.
    static func path(_ marker: MarkerStyle) -> ([MarkerPath], Bool) {
        switch marker {
        case .none:
            return ([], false)
        case .circle:
            return ([MarkerPath(isCircle: true, radius: 0.5)], true)
        case .point:
            return ([MarkerPath(isCircle: true, radius: 0.25)], true)
        case .square:
            return ([MarkerPath(points: [(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)])], true)
        case .triangleUp:
            return ([MarkerPath(points: [(0, 0.5), (-0.5, -0.5), (0.5, -0.5)])], true)
        case .triangleDown:
            return ([MarkerPath(points: [(0, -0.5), (0.5, 0.5), (-0.5, 0.5)])], true)
        case .triangleLeft:
            return ([MarkerPath(points: [(-0.5, 0), (0.5, -0.5), (0.5, 0.5)])], true)
        case .triangleRight:
            return ([MarkerPath(points: [(0.5, 0), (-0.5, 0.5), (-0.5, -0.5)])], true)
        case .diamond:
            // The unit square rotated 45°: half-diagonal √2/2.
            let r = 2.0.squareRoot() / 2
            return ([MarkerPath(points: [(0, -r), (r, 0), (0, r), (-r, 0)])], true)
        case .thinDiamond:
            let r = 2.0.squareRoot() / 2
            return ([MarkerPath(points: [(0, -r), (0.6 * r, 0), (0, r), (-0.6 * r, 0)])], true)
        case .pentagon:
            return ([MarkerPath(points: regularPolygon(5, radius: 0.5))], true)
        case .hexagon:
            return ([MarkerPath(points: regularPolygon(6, radius: 0.5))], true)
        case .star:
            return ([MarkerPath(points: star(5, radius: 0.5, inner: 0.381966))], true)
        case .plus:
            return (
                [
                    MarkerPath(points: [(-0.5, 0), (0.5, 0)], closed: false),
                    MarkerPath(points: [(0, -0.5), (0, 0.5)], closed: false),
                ], false
            )
        case .x:
            return (
                [
                    MarkerPath(points: [(-0.5, -0.5), (0.5, 0.5)], closed: false),
                    MarkerPath(points: [(-0.5, 0.5), (0.5, -0.5)], closed: false),
                ], false
            )
        case .vline:
            return ([MarkerPath(points: [(0, -0.5), (0, 0.5)], closed: false)], false)
        case .hline:
            return ([MarkerPath(points: [(-0.5, 0), (0.5, 0)], closed: false)], false)
        case .plusFilled:
            let a = 1.0 / 6
            let b = 0.5
            return (
                [
                    MarkerPath(points: [
                        (-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a),
                        (-b, -a),
                        (-a, -a),
                    ])
                ], true
            )
        case .xFilled:
            let pts: [(Double, Double)] = [
                (-0.25, -0.5), (0, -0.25), (0.25, -0.5), (0.5, -0.25), (0.25, 0), (0.5, 0.25), (0.25, 0.5), (0, 0.25),
                (-0.25, 0.5), (-0.5, 0.25), (-0.25, 0), (-0.5, -0.25),
            ]
            return ([MarkerPath(points: pts)], true)
        }
    }
}
