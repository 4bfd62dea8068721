import Foundation

/// vega-statistics `sampleCurve`: points of a function over an extent,
/// first on a uniform grid of `minSteps` intervals, then refined: between
/// consecutive points, the midpoint is kept (and refined again) while the
/// angle between the chord and the line to the midpoint, in coordinates
/// scaled to the extent and to the grid's y range, exceeds half a degree and
/// the half-interval is at least span / `maxSteps`.
enum SampleCurve {
    static let minRadians = 0.5 * Double.pi / 180

    static func sample(_ f: (Double) -> Double, extent: (Double, Double), minSteps: Int, maxSteps: Int)
        -> [(Double, Double)]
    {
        let maxSteps = Swift.max(minSteps, maxSteps)
        let minX = extent.0
        let maxX = extent.1
        let span = maxX - minX
        let stop = span / Double(maxSteps)
        var done: [(Double, Double)] = [(minX, f(minX))]
        if minSteps == maxSteps {
            for i in 1..<maxSteps {
                let x = minX + (Double(i) / Double(minSteps)) * span
                done.append((x, f(x)))
            }
            done.append((maxX, f(maxX)))
            return done
        }
        // A stack: the last element is the next point to reach.
        var pending: [(Double, Double)] = [(maxX, f(maxX))]
        for i in stride(from: minSteps - 1, to: 0, by: -1) {
            let x = minX + (Double(i) / Double(minSteps)) * span
            pending.append((x, f(x)))
        }
        var p0 = done[0]
        let sx = 1 / span
        var ymin = p0.1
        var ymax = p0.1
        for p in pending {
            if p.1 < ymin { ymin = p.1 }
            if p.1 > ymax { ymax = p.1 }
        }
        let sy = 1 / (ymax - ymin)
        while let p1 = pending.last {
            let mx = (p0.0 + p1.0) / 2
            let pm = (mx, f(mx))
            if pm.0 - p0.0 >= stop && angleDelta(p0, pm, p1, sx, sy) > minRadians {
                pending.append(pm)
            } else {
                p0 = p1
                done.append(p1)
                pending.removeLast()
            }
        }
        return done
    }

    static func angleDelta(
        _ p: (Double, Double), _ q: (Double, Double), _ r: (Double, Double), _ sx: Double, _ sy: Double
    ) -> Double {
        let a0 = atan2(sy * (r.1 - p.1), sx * (r.0 - p.0))
        let a1 = atan2(sy * (q.1 - p.1), sx * (q.0 - p.0))
        return Swift.abs(a0 - a1)
    }
}
