extension BarMark {
    /// `ax.hist(values, bins=n, color=…, edgecolor=…)` for one dataset
    /// (histtype 'bar'), from numpy's bin edges and counts (`np.histogram`,
    /// which the builder computes: the figure model does no statistics): the
    /// rectangles matplotlib's `hist` draws for them, `bar(edges[:-1] +
    /// 0.5·diff(edges), counts, width=diff(edges), align='center')`.
    public static func histogram(
        edges: [Double], counts: [Double], color: Color? = nil, edgeColor: Color? = nil, alpha: Double? = nil,
        label: String? = nil
    ) -> BarMark {
        let n = min(counts.count, max(edges.count - 1, 0))
        let widths = (0..<n).map { edges[$0 + 1] - edges[$0] }
        let centers = (0..<n).map { edges[$0] + 0.5 * widths[$0] }
        return BarMark(
            positions: centers, values: Array(counts.prefix(n)), widths: widths, color: color, edgeColor: edgeColor,
            alpha: alpha, label: label, isHistogram: true)
    }
}
