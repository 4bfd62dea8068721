import Numerics

extension BarMark {
    /// `ax.hist(values, bins=n, color=…, edgecolor=…)` for one dataset
    /// (histtype 'bar'): numpy's bin edges and counts (`np.histogram`), and
    /// the rectangles matplotlib's `hist` draws for them: `bar(edges[:-1] +
    /// 0.5·diff(edges), counts, width=diff(edges), align='center')`.
    /// Throws numpy's `ValueError` cases (e.g. a non-finite range).
    public static func histogram(
        _ values: [Double], bins: Int, color: Color? = nil, edgeColor: Color? = nil, alpha: Double? = nil,
        label: String? = nil
    ) throws -> BarMark {
        let h = try NP.histogram(values, bins: bins)
        let widths = (0..<h.counts.count).map { h.edges[$0 + 1] - h.edges[$0] }
        let centers = (0..<h.counts.count).map { h.edges[$0] + 0.5 * widths[$0] }
        return BarMark(
            positions: centers, values: h.counts, widths: widths, color: color, edgeColor: edgeColor, alpha: alpha,
            label: label, isHistogram: true)
    }
}
