"""Writes Tests/VegaLiteTests/Fixtures/examples.json: for every spec under
examples/, the data each of its unit views draws, as Vega-Lite computes it.

Each unit view (a layer's member, a facet's or repeat's inner spec, a
concatenated view) is taken out as a stand-alone Vega-Lite spec, with what it
inherits (data, the parents' transforms and shared encoding, repeat fields),
and run through altair 6.3.0 and vegafusion 2.0.3's `transformed_data()`:
Vega's own transforms (filter, calculate, fold, window, aggregate, bin,
stack) and Vega-Lite's implicit ones (encoding aggregates and bins,
errorbar/errorband summaries). The regression and loess transforms, which
vegafusion does not run, are computed here from the data vegafusion gives
before them, by this script's own implementation of Vega's documented
algorithms (vega_reference.py, shared with make_vega_fixtures.py).

Each example's axes, as Vega draws them (vl-convert's scenegraph): the
orient and the label texts of every axis, labels that Vega hides for overlap
included.

A facet's cells are one view here (the whole data); figpipe's test joins its
cells' rows before comparing. Rows are compared as sets, so the order of
rows does not matter; the columns compared are those listed per view.

Run from the repository root with the reference venv (plus altair,
vegafusion, pyarrow):
    .venv-ref/bin/python scripts/make_vega_example_fixtures.py
"""

import copy
import json
import math
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import vegafusion

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vega_reference import fit, loess, sample_curve  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

# The tables the examples' pipeline stages give them, as the reference's own
# functions make them (committed fixtures of make_table_fixtures.py).
TABLES = {
    "delphi": ROOT / "Tests/DelphiFiguresTests/Fixtures/runs_table.json",
    "entropy": ROOT / "Tests/EntropyFiguresTests/Fixtures/runs_table_E_512.json",
}
# Which table each example's `runs` is (the same as in pipeline.json).
EXAMPLE_TABLES = {
    "loglog-regression": "entropy",
    "facet-lines": "entropy",
}


def frame(path):
    columns = json.load(open(path))["columns"]
    return pd.DataFrame({c["name"]: c["values"] for c in columns})


def merged_encoding(parent, child):
    out = dict(parent or {})
    out.update(child or {})
    return out


def substitute_repeat(node, bindings):
    if isinstance(node, dict):
        if set(node) == {"repeat"} and isinstance(node["repeat"], str):
            return bindings[node["repeat"]]
        return {k: substitute_repeat(v, bindings) for k, v in node.items()}
    if isinstance(node, list):
        return [substitute_repeat(v, bindings) for v in node]
    return node


def units(spec, path="", transforms=(), encoding=None, bindings=None):
    """(path, stand-alone unit spec) for every unit view, in figpipe's order."""
    bindings = bindings or {}
    transforms = list(transforms) + list(spec.get("transform", []))
    if "layer" in spec:
        enc = merged_encoding(encoding, spec.get("encoding"))
        for i, child in enumerate(spec["layer"]):
            yield from units(child, f"{path}.layer[{i}]".lstrip("."), transforms, enc, bindings)
    elif "repeat" in spec:
        rep = spec["repeat"]
        if isinstance(rep, list):
            for f in rep:
                yield from units(spec["spec"], f"{path}.spec".lstrip("."), transforms, encoding, {**bindings, "repeat": f})
        else:
            for r in rep.get("row", [None]):
                for c in rep.get("column", [None]):
                    b = dict(bindings)
                    if r is not None:
                        b["row"] = r
                    if c is not None:
                        b["column"] = c
                    yield from units(spec["spec"], f"{path}.spec".lstrip("."), transforms, encoding, b)
    elif "facet" in spec:
        yield from units(spec["spec"], f"{path}.spec".lstrip("."), transforms, encoding, bindings)
    elif any(k in spec for k in ("hconcat", "vconcat", "concat")):
        key = next(k for k in ("hconcat", "vconcat", "concat") if k in spec)
        for i, child in enumerate(spec[key]):
            yield from units(child, f"{path}.{key}[{i}]".lstrip("."), transforms, encoding, bindings)
    else:
        enc = substitute_repeat(merged_encoding(encoding, spec.get("encoding")), bindings)
        for ch in ("row", "column", "facet"):
            enc.pop(ch, None)
        unit = {"mark": spec["mark"], "encoding": enc, "transform": transforms}
        yield path, unit


def clean(v):
    if v is None:
        return None
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if hasattr(v, "item"):
        return clean(v.item())
    return v


def transformed(unit, df):
    spec = copy.deepcopy(unit)
    spec["data"] = {"name": "runs"}
    spec["datasets"] = {"runs": json.loads(df.to_json(orient="records"))}
    chart = alt.Chart.from_dict(spec)
    return chart.transformed_data()


def split_statistical(unit):
    """The unit's transforms before its regression/loess, and that transform."""
    ts = unit["transform"]
    for i, t in enumerate(ts):
        if "regression" in t or "loess" in t:
            if i != len(ts) - 1:
                raise SystemExit("a regression or loess must be a view's last transform here")
            return ts[:i], t
    return ts, None


def statistical_frame(base, stat):
    """A regression or loess transform over `base`, per group: the output
    rows Vega writes ([on, field] plus the groupby fields)."""
    field = stat.get("regression") or stat.get("loess")
    on = stat["on"]
    groupby = list(stat.get("groupby", []))
    rows = []
    groups = base.groupby(groupby, sort=False, dropna=False) if groupby else [((), base)]
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        g = group[[on, field]].dropna().astype(float)
        x, y = g[on].to_numpy(), g[field].to_numpy()
        if "loess" in stat:
            points = loess(x, y, stat.get("bandwidth", 0.3))
        else:
            method = stat.get("method", "linear")
            _, _, predict = fit(method, x, y, stat.get("order", 3))
            lo, hi = stat.get("extent", [float(x.min()), float(x.max())])
            points = [(lo, float(predict(lo))), (hi, float(predict(hi)))] if method == "linear" else \
                sample_curve(lambda v: float(predict(v)), lo, hi)
        for px, py in points:
            rows.append(dict(zip(groupby, key), **{on: float(px), field: float(py)}))
    return pd.DataFrame(rows)


def error_summary(unit, df):
    """errorbar/errorband (vegafusion does not run stderr): the continuous
    field's mean and mean ± standard error (or ± standard deviation) per
    group of the other encoded fields, computed with pandas from the data
    vegafusion gives after the view's transforms."""
    mark = unit["mark"] if isinstance(unit["mark"], dict) else {"type": unit["mark"]}
    extent = mark.get("extent", "stderr")
    enc = unit["encoding"]
    value_channel = "y" if enc.get("y", {}).get("type") == "quantitative" and "aggregate" not in enc["y"] else "x"
    field = enc[value_channel]["field"]
    groupby = [d["field"] for c, d in sorted(enc.items()) if c != value_channel and "field" in d]
    fields = [field] + groupby
    base_unit = dict(unit, mark="point", encoding={"detail": [{"field": f, "type": "nominal"} for f in fields]})
    base = transformed(base_unit, df)
    rows = []
    for key, group in base.groupby(groupby, sort=False, dropna=False):
        values = group[field].dropna().astype(float)
        n = len(values)
        mean = values.mean() if n else float("nan")
        sd = values.std(ddof=1) if n > 1 else float("nan")
        spread = sd if extent == "stdev" else sd / math.sqrt(n) if n > 1 else float("nan")
        key = key if isinstance(key, tuple) else (key,)
        rows.append(dict(zip(groupby, key), **{
            f"center_{field}": mean, f"lower_{field}": mean - spread, f"upper_{field}": mean + spread}))
    return pd.DataFrame(rows)


def axes_labels(spec, df):
    """Every axis Vega draws for the spec (vl-convert's scenegraph): its
    orient and its labels' texts, hidden ones (label overlap) included."""
    import vl_convert as vlc

    spec = copy.deepcopy(spec)
    spec["datasets"] = {"runs": json.loads(df.to_json(orient="records"))}
    out = []

    def labels_in(node):
        found = []

        def walk(n):
            if isinstance(n, dict):
                if n.get("role") == "axis-label":
                    found.extend(i.get("text", "") for i in n.get("items", []))
                for v in n.values():
                    walk(v)
            elif isinstance(n, list):
                for v in n:
                    walk(v)

        walk(node)
        return found

    def walk(n):
        if isinstance(n, dict):
            if n.get("role") == "axis":
                for item in n.get("items", []):
                    labels = labels_in(item)
                    if labels:
                        out.append({"orient": item.get("orient"), "labels": labels})
                return
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    walk(vlc.vegalite_to_scenegraph(spec))
    return out


def main():
    alt.data_transformers.enable("vegafusion")
    tables = {k: frame(p) for k, p in TABLES.items()}
    out = {
        "generator": "scripts/make_vega_example_fixtures.py",
        "altair": alt.__version__,
        "vegafusion": vegafusion.__version__,
        "vl-convert": __import__("vl_convert").__version__,
        "examples": {},
    }
    for path in sorted((ROOT / "examples").glob("*.vl.json")):
        name = path.name[: -len(".vl.json")]
        spec = json.load(open(path))
        df = tables[EXAMPLE_TABLES.get(name, "delphi")]
        views = []
        for vpath, unit in units(spec):
            before, stat = split_statistical(unit)
            mark = unit["mark"]["type"] if isinstance(unit["mark"], dict) else unit["mark"]
            if mark in ("errorbar", "errorband"):
                result = error_summary(unit, df)
            elif stat is None:
                result = transformed(unit, df)
            else:
                base_unit = dict(unit, transform=before, mark="point")
                fields = [stat.get("on"), stat.get("regression") or stat.get("loess")] + list(stat.get("groupby", []))
                base_unit["encoding"] = {"detail": [{"field": f, "type": "nominal"} for f in fields]}
                base = transformed(base_unit, df)
                result = statistical_frame(base, stat)
            columns = [c for c in result.columns]
            rows = [[clean(v) for v in row] for row in result[columns].itertuples(index=False)]
            views.append({"path": vpath, "columns": columns, "rows": rows})
        out["examples"][name] = {
            "table": EXAMPLE_TABLES.get(name, "delphi"), "views": views, "axes": axes_labels(spec, df)}
        print(name, [(v["path"], len(v["rows"])) for v in views])
    target = ROOT / "Tests/VegaLiteTests/Fixtures/examples.json"
    target.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
