import Foundation

/// d3-array's tick arithmetic (`ticks`, `tickIncrement`, `tickStep`, as in
/// d3-array 3.2.4, which Vega 6 uses): steps of 1, 2 or 5 × 10^k, with
/// JavaScript's `Math.round`.
public enum D3Ticks {
    private static let e10 = 50.0.squareRoot()
    private static let e5 = 10.0.squareRoot()
    private static let e2 = 2.0.squareRoot()

    /// The first and last tick as integer multiples of the increment, and
    /// the increment (negative: its inverse, for steps below 1).
    private static func spec(_ start: Double, _ stop: Double, _ count: Double) -> (Double, Double, Double) {
        let step = (stop - start) / Swift.max(0, count)
        let power = log10(step).rounded(.down)
        let error = step / pow(10, power)
        let factor: Double = error >= e10 ? 10 : error >= e5 ? 5 : error >= e2 ? 2 : 1
        var i1: Double
        var i2: Double
        var inc: Double
        if power < 0 {
            inc = pow(10, -power) / factor
            i1 = JavaScriptFormatting.round(start * inc)
            i2 = JavaScriptFormatting.round(stop * inc)
            if i1 / inc < start { i1 += 1 }
            if i2 / inc > stop { i2 -= 1 }
            inc = -inc
        } else {
            inc = pow(10, power) * factor
            i1 = JavaScriptFormatting.round(start / inc)
            i2 = JavaScriptFormatting.round(stop / inc)
            if i1 * inc < start { i1 += 1 }
            if i2 * inc > stop { i2 -= 1 }
        }
        if i2 < i1 && 0.5 <= count && count < 2 { return spec(start, stop, count * 2) }
        return (i1, i2, inc)
    }

    /// About `count` round values from `start` to `stop` (in that order).
    public static func ticks(_ start: Double, _ stop: Double, count: Double) -> [Double] {
        if !(count > 0) { return [] }
        if start == stop { return [start] }
        let reverse = stop < start
        let (i1, i2, inc) = reverse ? spec(stop, start, count) : spec(start, stop, count)
        if !(i2 >= i1) { return [] }
        let n = Int(i2 - i1 + 1)
        return (0..<n).map { i in
            let k = reverse ? i2 - Double(i) : i1 + Double(i)
            return inc < 0 ? k / -inc : k * inc
        }
    }

    /// The tick step as d3 keeps it: the step when it is 1 or more, else
    /// minus its inverse (−10 for 0.1), so that ticks are exact.
    public static func tickIncrement(_ start: Double, _ stop: Double, count: Double) -> Double {
        spec(start, stop, count).2
    }

    /// The tick step (negative when `stop` < `start`).
    public static func tickStep(_ start: Double, _ stop: Double, count: Double) -> Double {
        let reverse = stop < start
        let inc = reverse ? tickIncrement(stop, start, count: count) : tickIncrement(start, stop, count: count)
        return (reverse ? -1 : 1) * (inc < 0 ? 1 / -inc : inc)
    }
}
