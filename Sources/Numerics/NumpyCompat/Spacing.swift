import Foundation

extension NP {
    /// `np.linspace(start, stop, num, endpoint)` for `float64`, with numpy's arithmetic
    /// (`numpy/_core/function_base.py`): `div = num - 1` (or `num`), `step = (stop - start) / div`,
    /// `y = arange(num) * step + start`, and the last element replaced by `stop` when `endpoint`.
    /// When `step == 0` (denormal ranges, gh-5437) numpy computes `y / div * delta` instead,
    /// and so does this. With `div == 0` the single element is `0 * delta + start`.
    public static func linspace(_ start: Double, _ stop: Double, num: Int = 50, endpoint: Bool = true) -> [Double] {
        precondition(num >= 0, "Number of samples must be non-negative.")
        let div = endpoint ? num - 1 : num
        let delta = stop - start
        var y = (0..<num).map { Double($0) }
        if div > 0 {
            let step = delta / Double(div)
            if step == 0 {
                for i in 0..<num { y[i] = y[i] / Double(div) * delta }
            } else {
                for i in 0..<num { y[i] = y[i] * step }
            }
        } else {
            for i in 0..<num { y[i] = y[i] * delta }
        }
        for i in 0..<num { y[i] += start }
        if endpoint && num > 1 { y[num - 1] = stop }
        return y
    }

    /// `np.logspace(start, stop, num, endpoint, base)`: `np.power(base, np.linspace(...))`.
    /// The power is libm's `pow`, which numpy also calls (numpy builds with SIMD kernels may
    /// differ from libm by an ulp; fixtures check to 1e-12 relative).
    public static func logspace(
        _ start: Double, _ stop: Double, num: Int = 50, endpoint: Bool = true, base: Double = 10.0
    ) -> [Double] {
        linspace(start, stop, num: num, endpoint: endpoint).map { Foundation.pow(base, $0) }
    }

    /// `np.arange(start, stop, step)` for `float64`: `length = ceil((stop - start) / step)`,
    /// element `i` is `start + i * step` (numpy fills `start`, `start + step`, then
    /// `start + i * delta` with `delta = (start + step) - start`).
    public static func arange(_ start: Double, _ stop: Double, _ step: Double = 1.0) -> [Double] {
        let len = Foundation.ceil((stop - start) / step)
        guard len > 0, len.isFinite else { return [] }
        let n = Int(len)
        let delta = (start + step) - start
        var out = [Double](repeating: 0, count: n)
        out[0] = start
        if n > 1 { out[1] = start + delta }
        if n > 2 { for i in 2..<n { out[i] = start + Double(i) * delta } }
        return out
    }
}
