import FigureModel
import Foundation
import Numerics

/// The compression paper's five figures, computed exactly as the notebook
/// (`compression_figure_rendering.ipynb`) computes them, as `Figure` values.
/// Pure functions of the loaded tables; each cites the notebook's lines it
/// follows. Quirks of the notebook are kept and marked `NOTEBOOK:`.
public enum CompressionFigureBuilders {
    /// The notebook's `METHOD_CLASS`: unknown methods are 'general-purpose'.
    static let methodClass: [String: String] = [
        "gzip6": "general-purpose", "brotli_q9": "general-purpose", "xz9": "general-purpose",
        "whole_xz6": "general-purpose", "whole_zstd3": "general-purpose", "whole_zstd9": "general-purpose",
        "whole_zstd19": "general-purpose", "zstd3_raw": "general-purpose", "zstd19_raw": "general-purpose",
        "zstd19_bytegrouped": "byte-grouped", "decomp_perstream_zstd3": "byte-grouped",
        "decomp_perstream_zstd19": "byte-grouped", "decomp_perstream_xz6": "byte-grouped",
        "decomp_perstream_zstd19_bgscale": "byte-grouped", "decomp_qb_full": "byte-grouped",
        "bf16_split": "format-aware", "qb_k4": "format-aware", "qb_k8": "format-aware", "qb_k16": "format-aware",
        "qa": "format-aware", "scape_per_file": "trained-profile", "bf16_pretrained_k1": "trained-profile",
        "bf16_mixture_k4": "trained-profile", "zstd19_dict": "trained-profile",
    ]
    /// The notebook's `CLASS_STYLE`: color and marker per class.
    static let classStyle: [String: (Color, MarkerStyle)] = [
        "general-purpose": ("#1f77b4", .circle), "byte-grouped": ("#ff7f0e", .square),
        "format-aware": ("#2ca02c", .triangleUp), "trained-profile": ("#d62728", .diamond),
    ]

    // MARK: fig1

    /// Figure 1: per-tensor stacked bars of the two byte-marginal entropies,
    /// at most 30 tensors per category (sorted by name), grouped by category.
    public static func fig1(atlas: AtlasBF16Table) -> Figure {
        // rows = [r for r in load_jsonl(ATLAS_BF16) if r.get('dtype') == 'bf16']
        let rows = atlas.filter { $0.dtype.value == "bf16" }
        // by_cat[r.get('tensor_category', 'other')]; an explicit null is the
        // key None, which is in no category of the fixed list.
        var byCat: [String: [AtlasBF16Table.Row]] = [:]
        for r in rows {
            guard let cat = r.tensorCategory.get(default: "other") else { continue }
            byCat[cat, default: []].append(r)
        }
        let cats = ["embedding", "attention", "mlp", "lm_head", "norm", "other"].filter { byCat[$0] != nil }

        var ax = Axes()
        var byte1 = BarMark(positions: [], values: [], color: "#1f77b4", label: "byte 1: sign + exp_high")
        var byte0 = BarMark(positions: [], values: [], color: "#2ca02c", label: "byte 0: exp_low + mantissa")
        var dividers: [Mark] = []
        var xTicks: [Double] = []
        var xLabels: [String] = []
        var barIdx = 0
        for cat in cats {
            // sorted(by_cat[cat], key=lambda r: r.get('tensor_name',''))[:30]
            // NOTEBOOK: a null tensor_name would make Python's sort raise; the
            // loader rejects bf16 rows without a name, and a null sorts as "".
            let catRows = Python.sorted(byCat[cat] ?? []) { $0.tensorName.get(default: "") ?? "" }.prefix(30)
            let start = barIdx
            for r in catRows {
                // h = r.get('H_byte1', 0); `if not (h_byte1 and h_byte0): continue`
                // skips a null or zero entropy (NaN is truthy and is drawn).
                let h1 = r.hByte1.get(default: 0)
                let h0 = r.hByte0.get(default: 0)
                guard Python.truthy(h1), Python.truthy(h0), let h1, let h0 else { continue }
                byte1.positions.append(Double(barIdx))
                byte1.values.append(h1)
                byte0.positions.append(Double(barIdx))
                byte0.values.append(h0)
                byte0.bottoms.append(h1)
                barIdx += 1
            }
            if barIdx > start {
                xTicks.append(Double(start + barIdx - 1) / 2)
                xLabels.append(cat)
                dividers.append(
                    .referenceLine(
                        ReferenceLineMark(
                            .vertical, at: Double(barIdx) - 0.5, color: "#cccccc", lineWidth: 0.5, zorder: 0)))
            }
        }
        // The notebook labels only the first bar of each color (legend_seen);
        // one mark per color draws the same rectangles with the same legend.
        if !byte1.positions.isEmpty { ax.marks += [.bars(byte1), .bars(byte0)] }
        ax.marks += dividers
        ax.marks.append(
            .referenceLine(
                ReferenceLineMark(
                    .horizontal, at: 16, color: "r", lineStyle: .dashed, lineWidth: 0.8,
                    label: "raw bf16 (16 bits/value)")))
        ax.x = Axis(
            lower: -0.5, upper: Double(barIdx) - 0.5, label: "tensor (grouped by category)", ticks: xTicks,
            tickLabels: xLabels)
        ax.y = Axis(lower: 0, upper: 17, label: "byte-marginal entropy (bits / value)")
        ax.title = "Figure 1 - bf16 byte-marginal entropy decomposition (per tensor, by category)"
        ax.legend = Legend(loc: 4, fontSize: 8, frameAlpha: 0.9)
        return single(ax, width: 12, height: 5)
    }

    // MARK: fig2

    /// The points of figure 2: (R_marginal, bf16_split ratio) per bf16 tensor
    /// and (8 / H_byte, qb_k4 ratio) per Q4_K tensor, joined on `tensor_name`.
    public static func fig2Points(results: ResultsTable, bf16: AtlasBF16Table, q4k: AtlasQ4KTable) -> (
        bf16: [(Double, Double)], q4k: [(Double, Double?)]
    ) {
        // bf16_atlas = {r['tensor_name']: r for r in ... if r.get('dtype') == 'bf16'}: last row wins.
        var bf16Atlas: [String?: AtlasBF16Table.Row] = [:]
        for r in bf16 where r.dtype.value == "bf16" { bf16Atlas[r.tensorName.value] = r }
        var ptsBF: [(Double, Double)] = []
        for (name, v) in methodRatios(results, kind: "bench_bf16_perfile", method: "bf16_split").items {
            guard let a = bf16Atlas[name] else { continue }
            // x = a.get('ceiling_ratio') or a.get('R_marginal') or a.get('ratio_ceiling_byte')
            let x = Python.or(Python.or(a.ceilingRatio.value, a.rMarginal.value), a.ratioCeilingByte.value)
            if Python.truthy(x), Python.truthy(v), let x, let v { ptsBF.append((x, v)) }
        }
        var q4Atlas: [String?: AtlasQ4KTable.Row] = [:]
        for r in q4k { q4Atlas[r.tensorName.value] = r }
        var ptsQ4: [(Double, Double?)] = []
        for (name, v) in methodRatios(results, kind: "Q4_K_benchmark", method: "qb_k4").items {
            guard let a = q4Atlas[name] else { continue }
            // NOTEBOOK: only H_byte is tested here, not the ratio: a null ratio
            // is kept (matplotlib draws None as NaN, i.e. not at all).
            if let h = a.hByte.value, Python.truthy(h) { ptsQ4.append((8.0 / h, v)) }
        }
        return (ptsBF, ptsQ4)
    }

    /// `{r.get('tensor_name',''): m['ratio']}` over records of `_kind` `kind`
    /// with `methods`, where `m = r['methods'].get(method)` and
    /// `m and 'ratio' in m`. NOTEBOOK: for a string or list `m`, Python's
    /// `'ratio' in m` is a substring/element test and `m['ratio']` then
    /// raises; such entries are skipped here instead of failing the figure.
    static func methodRatios(_ results: ResultsTable, kind: String, method: String) -> OrderedDict<String?, Double?> {
        var out = OrderedDict<String?, Double?>()
        for r in results where r.kind.value == kind {
            guard let methods = r.methods else { continue }
            // dict.get (the table already keeps a duplicated key's last value).
            guard let entry = methods.first(where: { $0.name == method }) else { continue }
            guard case .object(let ratio, _) = entry.value, ratio.isPresent else { continue }
            out[r.tensorName.get(default: "")] = .some(ratio.value)
        }
        return out
    }

    public static func fig2(results: ResultsTable, bf16: AtlasBF16Table, q4k: AtlasQ4KTable) -> Figure {
        let (ptsBF, ptsQ4) = fig2Points(results: results, bf16: bf16, q4k: q4k)
        var top = Axes()
        if !ptsBF.isEmpty {
            top.marks.append(
                .scatter(
                    ScatterMark(
                        x: ptsBF.map(\.0), y: ptsBF.map(\.1), sizes: [14], colors: ["#1f77b4"], edgeColors: [],
                        alpha: 0.55)))
        }
        top.marks.append(
            .line(
                LineMark(
                    x: [1.40, 1.55], y: [1.40, 1.55], color: "r", lineStyle: .dashed, lineWidth: 1.0,
                    label: "y = x (R_marginal)")))
        top.x = Axis(lower: 1.40, upper: 1.55, label: "R_marginal - iid byte-marginal ceiling, atlas")
        top.y = Axis(lower: 1.40, upper: 1.55, label: "bf16_split achieved ratio")
        top.title = "bf16 (n = \(ptsBF.count)) - achieved ratio vs R_marginal, Prop. 1 ceiling"
        top.legend = Legend(loc: 2)
        top.grid = Grid(lineStyle: .dotted, alpha: 0.3)

        var bottom = Axes()
        if !ptsQ4.isEmpty {
            bottom.marks.append(
                .scatter(
                    ScatterMark(
                        x: ptsQ4.map(\.0), y: ptsQ4.map { $0.1 ?? .nan }, sizes: [14], colors: ["#1f77b4"],
                        edgeColors: [], alpha: 0.55)))
        }
        bottom.marks.append(
            .line(
                LineMark(
                    x: [1.02, 1.06], y: [1.02, 1.06], color: "r", lineStyle: .dashed, lineWidth: 1.0,
                    label: "y = x (nibble-stream marginal)")))
        bottom.x = Axis(lower: 1.02, upper: 1.06, label: "nibble-stream marginal ceiling: 8 / H_byte (atlas)")
        bottom.y = Axis(lower: 1.02, upper: 1.06, label: "qb_k4 achieved ratio (full Q4_K tensor stream)")
        bottom.title = "Q4_K (n = \(ptsQ4.count)) - achieved ratio vs nibble-only ceiling"
        bottom.legend = Legend(loc: 2)
        bottom.grid = Grid(lineStyle: .dotted, alpha: 0.3)

        var fig = Figure(widthInches: 8, heightInches: 9.5, rows: 2, cols: 1)
        fig.axes = [top, bottom]
        fig.suptitle = "Figure 2 - per-tensor achieved ratio vs R_marginal (Prop. 1 ceiling)"
        fig.layout = .tight()
        return fig
    }

    // MARK: fig3, fig4

    /// A value list of figure 3 or 4 with a null entry: Python would fail in
    /// `np.histogram`; figpipe says which line holds it.
    public struct NullValueError: Error, CustomStringConvertible {
        public var field: String
        public var line: Int
        public var description: String { "line \(line): field '\(field)' is null (the figure needs a number)" }
    }

    /// `[r[field] for r in rows if field in r]`, with a null entry an error.
    static func presentNumbers<Row>(
        _ rows: some Sequence<Row>, field: String, _ value: (Row) -> NumberField, line: (Row) -> Int
    ) throws -> [Double] {
        try rows.filter { value($0).isPresent }.map {
            guard let v = value($0).value else { throw NullValueError(field: field, line: line($0)) }
            return v
        }
    }

    /// A figure of one axes (`plt.subplots(figsize=(width, height))`).
    static func single(_ ax: Axes, width: Double, height: Double) -> Figure {
        var fig = Figure(widthInches: width, heightInches: height)
        fig.axes = [ax]
        return fig
    }

    /// `[r['H_nibble'] for r in load_jsonl(ATLAS_Q4K) if 'H_nibble' in r]`.
    public static func nibbleEntropies(_ q4k: AtlasQ4KTable) throws -> [Double] {
        try presentNumbers(q4k, field: "H_nibble", \.hNibble, line: \.line)
    }

    /// `ax.hist(values, bins=n, …)`: numpy's histogram, drawn as matplotlib's bars.
    static func histogram(_ values: [Double], bins: Int, color: Color, edgeColor: Color) throws -> BarMark {
        let h = try NP.histogram(values, bins: bins)
        return .histogram(edges: h.edges, counts: h.counts, color: color, edgeColor: edgeColor)
    }

    public static func fig3(q4k: AtlasQ4KTable) throws -> Figure {
        let nibbleH = try nibbleEntropies(q4k)
        let med = NP.median(nibbleH)
        var ax = Axes()
        ax.marks = [
            .bars(try histogram(nibbleH, bins: 40, color: "#1f77b4", edgeColor: "white")),
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: 4.0, color: "r", lineStyle: .dashed, lineWidth: 1.2,
                    label: "uniform ceiling (4.0 bits)")),
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: med, color: "k", lineStyle: .dotted, lineWidth: 1.0,
                    label: "median = \(String(format: "%.3f", med)) bits")),
        ]
        ax.x = Axis(lower: 3.80, upper: 4.02, label: "H(nibble) - bits / symbol (alphabet 16)")
        ax.y = Axis(label: "number of Q4_K tensors")
        ax.title = "Figure 3 - Q4_K nibble entropy distribution (n = \(nibbleH.count) Q4_K-typed tensors)"
        ax.legend = Legend(loc: 2)
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.3)
        return single(ax, width: 9, height: 4.5)
    }

    /// `[r['corr_pearson'] for r in load_jsonl(ATLAS_LAYER) if 'corr_pearson' in r]`.
    public static func correlations(_ layer: AtlasLayerTable) throws -> [Double] {
        try presentNumbers(layer, field: "corr_pearson", \.corrPearson, line: \.line)
    }

    public static func fig4(layer: AtlasLayerTable) throws -> Figure {
        let corr = try correlations(layer)
        let med = NP.median(corr)
        var ax = Axes()
        ax.marks = [
            .bars(try histogram(corr, bins: 50, color: "#2ca02c", edgeColor: "white")),
            .span(
                SpanMark(
                    .vertical, -0.002, 0.003, color: "#ffe4b3", alpha: 0.6, zorder: 0,
                    label: "model-level 95% CI [-0.002, +0.003]")),
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: 0, color: "r", lineStyle: .dashed, lineWidth: 1.0, label: "zero (no correlation)")),
            .referenceLine(
                ReferenceLineMark(
                    .vertical, at: med, color: "k", lineStyle: .dotted, lineWidth: 1.0,
                    label: "median = \(String(format: "%+.4f", med))")),
        ]
        ax.x = Axis(label: "Pearson correlation, adjacent same-role layer pair")
        ax.y = Axis(label: "number of pairs")
        ax.title =
            "Figure 4 - inter-layer correlation distribution (n = \(corr.count) pairs across two Qwen2.5 source models)"
        ax.legend = Legend(loc: 1, fontSize: 9, frameAlpha: 0.9)
        ax.grid = Grid(lineStyle: .dotted, alpha: 0.3)
        return single(ax, width: 9, height: 4.5)
    }

    // MARK: fig5

    /// One point of figure 5: a (corpus, method) with at least 5 measurements.
    public struct MethodPoint: Hashable, Sendable {
        public var corpus: String
        public var method: String
        /// Byte-weighted mean ratio.
        public var ratio: Double
        /// Median decompression throughput, MB/s.
        public var mbps: Double
        public var count: Int
    }

    /// `points` of the notebook's fig5 cell, in its dict order.
    public static func fig5Points(results: ResultsTable) -> [MethodPoint] {
        let corpusForKind = ["bench_bf16_perfile": "bf16", "bench_7B": "bf16", "Q4_K_benchmark": "Q4_K"]
        struct Key: Hashable {
            var corpus: String
            var method: String
        }
        var aggRaw = OrderedDict<Key, [(ratio: Double, mbps: Double, bytes: Double)]>()
        for r in results {
            guard let methods = r.methods else { continue }
            guard let kind = r.kind.get(default: ""), let corpus = corpusForKind[kind] else { continue }
            // ib = r.get('input_bytes', 0) or 0
            let ib = Python.or(r.inputBytes.get(default: 0), 0) ?? 0
            // `for mn, md in r['methods'].items()` (the table keeps a Python
            // dict's order: a duplicated key at its first position, last value).
            for entry in methods {
                guard case .object(let ratioField, let mbpsField) = entry.value else { continue }
                // `if ratio and mbps and ratio>0 and mbps>0` (NaN fails `> 0`).
                guard let ratio = ratioField.value, let mbps = mbpsField.value, ratio > 0, mbps > 0 else { continue }
                aggRaw.update(Key(corpus: corpus, method: entry.name), default: []) { $0.append((ratio, mbps, ib)) }
            }
        }
        var points: [MethodPoint] = []
        for (key, vals) in aggRaw.items where vals.count >= 5 {
            // total_b = sum(v[2] for v in vals) or len(vals): Python's left-to-right sum.
            var total = 0.0
            for v in vals { total += v.bytes }
            if !Python.truthy(total) { total = Double(vals.count) }
            var weighted = 0.0
            for v in vals { weighted += v.ratio * (Python.truthy(v.bytes) ? v.bytes : 1) }
            points.append(
                MethodPoint(
                    corpus: key.corpus, method: key.method, ratio: weighted / total,
                    mbps: NP.median(vals.map(\.mbps)), count: vals.count))
        }
        return points
    }

    /// The notebook's `_is_pareto_optimal` over (throughput, ratio) points.
    public static func paretoMask(_ points: [(Double, Double)]) -> [Bool] {
        points.indices.map { i in
            let (xi, yi) = points[i]
            return !points.indices.contains { j in
                j != i && points[j].0 >= xi && points[j].1 >= yi && (points[j].0 > xi || points[j].1 > yi)
            }
        }
    }

    public static func fig5(results: ResultsTable) -> Figure {
        let points = fig5Points(results: results)
        let xy = points.map { ($0.mbps, $0.ratio) }
        let mask = paretoMask(xy)
        var ax = Axes()
        var seen = Set<String>()
        var annotations: [Mark] = []
        for (p, isPareto) in zip(points, mask) {
            let cls = methodClass[p.method] ?? "general-purpose"
            let (color, marker) = classStyle[cls] ?? (.black, .circle)
            let label = seen.insert(cls).inserted ? cls : nil
            // s = max(40, math.log1p(n) * 18)
            let size = max(40, log1p(Double(p.count)) * 18)
            ax.marks.append(
                .scatter(
                    ScatterMark(
                        x: [p.mbps], y: [p.ratio], sizes: [size], colors: [color],
                        edgeColors: isPareto ? [.black] : [], lineWidths: [isPareto ? 1.4 : 0], marker: marker,
                        alpha: 0.85, label: label)))
            annotations.append(
                .annotation(
                    AnnotationMark(
                        "\(p.method) (\(p.corpus))", x: p.mbps, y: p.ratio, offsetX: 4, offsetY: 4, fontSize: 6.5,
                        alpha: 0.75)))
        }
        ax.marks += annotations
        // front = sorted([xy[i] for i, ok in enumerate(mask) if ok]): tuples, lexicographic.
        var front: [(Double, Double)] = []
        for (point, isPareto) in zip(xy, mask) where isPareto { front.append(point) }
        front.sort { a, b in a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
        if front.count >= 2 {
            ax.marks.append(
                .line(
                    LineMark(
                        x: front.map { $0.0 }, y: front.map { $0.1 }, color: "k", lineWidth: 0.9, alpha: 0.5, zorder: 0,
                        label: "Pareto front")))
        }
        ax.x = Axis(scale: .log, label: "decompress MB/s (log scale)")
        ax.y = Axis(label: "byte-weighted ratio")
        ax.title = "Figure 5 - throughput / ratio Pareto across all measured methods (separate points per corpus)"
        ax.grid = Grid(which: .both, lineStyle: .dotted, alpha: 0.35)
        ax.legend = Legend(loc: 7, fontSize: 9, frameAlpha: 0.9)
        return single(ax, width: 12, height: 7)
    }
}
