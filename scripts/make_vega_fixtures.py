"""Writes the Vega-Lite fixtures, as vegafusion computes them through
altair's `transformed_data()`:
- Tests/VegaLiteTests/Fixtures/bin.json: the bin transform
  (`{"bin": {...}, "field": "x", "as": "b"}`) on several columns and settings;
- Tests/VegaLiteTests/Fixtures/aggregate.json: every aggregate operation of
  the subset but ci0/ci1, per group, on groups with nulls, a single value,
  ties and negative numbers (product and stderr, which vegafusion does not
  run, computed with numpy).

Two settings are left out because vegafusion 2.0.3 departs there from Vega's
own code (vega-statistics bin, vega-transforms Bin), which figpipe follows
and its tests check by hand: `steps` (Vega takes the largest allowed step
below span/maxbins, vegafusion the smallest at or above it), and a maximum
that floating-point error puts on a bin boundary (Vega clamps it into the
last bin, vegafusion opens a bin at it).

Run from the repository root with the reference venv plus altair, vegafusion
and pyarrow:
    .venv-ref/bin/pip install altair vegafusion pyarrow
    .venv-ref/bin/python scripts/make_vega_fixtures.py
"""

import json
import math
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import vegafusion
from vega_reference import fit, loess, sample_curve

ROOT = Path(__file__).resolve().parent.parent
rng = np.random.default_rng(7)

columns = {
    "normal": rng.normal(size=40).tolist(),
    "integers": list(range(100)),
    "wide": (rng.exponential(scale=1e4, size=30) - 2e3).tolist(),
    "constant": [3.0, 3.0, 3.0],
    "with nulls": [0.5, None, 2.25, float("nan"), 7.0, -1.0],
    "negative small": (rng.normal(size=25) * 1e-3 - 0.01).tolist(),
}
settings = {
    "default": {},
    "maxbins 20": {"maxbins": 20},
    "maxbins 5": {"maxbins": 5},
    "step 0.25": {"step": 0.25},
    "nice false": {"nice": False},
    "anchor 0.1": {"anchor": 0.1},
    "base 2": {"base": 2, "divide": [2]},
    "minstep 1": {"minstep": 1},
}


def cell(v):
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return None if v is None or math.isnan(v) else ("inf" if v > 0 else "-inf")
    return float(v)


cases = []
for cname, values in columns.items():
    for sname, bin_params in settings.items():
        df = pd.DataFrame({"x": pd.array(values, dtype="Float64").astype("float64"), "i": range(len(values))})
        chart = (
            alt.Chart(df)
            .transform_bin("b", "x", bin=alt.Bin(**bin_params))
            .mark_point()
            .encode(detail="i:O")  # no continuous encoding of b, whose invalid values Vega-Lite would filter
        )
        out = chart.transformed_data().sort_values("i")
        assert out["i"].tolist() == list(range(len(values))), (cname, sname)
        cases.append(
            {
                "column": cname,
                "setting": sname,
                "bin": bin_params,
                "values": [cell(v) for v in df["x"].tolist()],
                "start": [cell(v) for v in out["b"].tolist()],
                "end": [cell(v) for v in out["b_end"].tolist()],
            }
        )

def write(name, payload):
    with open(ROOT / "Tests/VegaLiteTests/Fixtures" / name, "w") as out:
        json.dump(
            {"generator": "scripts/make_vega_fixtures.py", "altair": alt.__version__,
             "vegafusion": vegafusion.__version__, **payload},
            out,
            indent=1,
        )
        out.write("\n")


write("bin.json", {"cases": cases})

# Aggregates: one row per group, every operation.
OPS = ["count", "valid", "missing", "sum", "mean", "average", "variance", "variancep", "stdev",
       "stdevp", "median", "q1", "q3", "min", "max"]
# vegafusion 2.0.3 does not run these: computed here with numpy, independently.
OWN = {
    "product": lambda v: float(np.prod(v)) if len(v) else None,
    "stderr": lambda v: float(np.std(v, ddof=1) / math.sqrt(len(v))) if len(v) > 1 else None,
}
groups = {
    "normal": rng.normal(loc=3, scale=2, size=25).tolist(),
    "with nulls": [1.5, None, 4.0, None, -2.25, 8.0],
    "single": [42.0],
    "ties": [1.0, 1.0, 2.0, 2.0, 2.0, 5.0],
    "negative": (-rng.exponential(scale=10, size=12)).tolist(),
    "all null": [None, None],
}
rows = [{"g": g, "x": v} for g, vs in groups.items() for v in vs]
df = pd.DataFrame(rows)
df["x"] = df["x"].astype("float64")
chart = alt.Chart(df).transform_aggregate(
    **{f"{op}_x": f"{op}(x)" for op in OPS}, groupby=["g"]
).mark_point().encode(detail="g:N")
out = chart.transformed_data().set_index("g")
write(
    "aggregate.json",
    {
        "groups": [
            {"group": g, "values": [cell(v) for v in vs],
             "results": {
                 **{op: cell(out.loc[g, f"{op}_x"]) for op in OPS},
                 **{op: f([v for v in vs if v is not None and not math.isnan(v)]) for op, f in OWN.items()},
             }}
            for g, vs in groups.items()
        ]
    },
)


# ---------------------------------------------------------------------------
# Tests/VegaLiteTests/Fixtures/transforms.json: Vega-Lite transform lists on
# small inline tables, each case {name, transform, rows, expected, sort}.
# `expected` is what vegafusion's `transformed_data()` returns (filter and
# calculate expressions, field predicates, fold, window, joinaggregate,
# aggregate, bin); the Swift test sorts both sides by the `sort` fields.
# Expressions avoid string concatenation with numbers and null, where
# vegafusion 2.0.3 departs from JavaScript (it writes 1.0 for 1 and drops
# null), where it propagates null through arithmetic (JavaScript takes it as
# 0), where it rounds -2.5 to -3 (Math.round: -2), and `min`/`max`, which it
# does not run; the test checks those by hand.

def table(records):
    return pd.DataFrame(records)


def json_cell(v):
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return float(v)
    if isinstance(v, (float, np.floating)):
        return cell(float(v))
    if v is None or v is pd.NA:
        return None
    return str(v)


def vegafusion_case(name, transform, records, sort, drop=(), null_field=None, null_keeps=None):
    chart = alt.Chart(table(records), transform=transform).mark_point()
    out = chart.transformed_data()
    out = out.drop(columns=[c for c in drop if c in out.columns])
    expected = [{k: json_cell(v) for k, v in row.items()} for row in out.to_dict(orient="records")]
    case = {"name": name, "transform": transform, "rows": records, "expected": expected, "sort": sort,
            "by": "vegafusion"}
    if null_field is not None:
        # vegafusion drops rows whose field is null from a comparison filter;
        # Vega keeps those for which the comparison holds with null as 0
        # (JavaScript's `null < 2.5` is true). Listed here, checked by the test.
        case["vegaAlsoKeeps"] = [r["i"] for r in records if r[null_field] is None and null_keeps(0.0)]
    return case


def filtered_case(name, transform, records, keep):
    """A filter vegafusion 2.0.3 cannot run (Vega's `inrange`, which Vega-Lite
    writes for a closed range): the rows pandas keeps for the same condition."""
    expected = [{k: json_cell(v) for k, v in r.items()} for r in records if keep(r)]
    return {"name": name, "transform": transform, "rows": records, "expected": expected, "sort": ["i"],
            "by": "pandas"}


people = [
    {"i": 0, "name": "ann", "g": "a", "x": 1.0, "y": 2.0, "z": 5.0},
    {"i": 1, "name": "bob", "g": "b", "x": 2.5, "y": None, "z": 1.0},
    {"i": 2, "name": "cy", "g": "a", "x": -3.0, "y": 7.5, "z": 2.0},
    {"i": 3, "name": "dee", "g": "c", "x": 4.0, "y": 1.0, "z": 2.0},
    {"i": 4, "name": "eve", "g": "b", "x": None, "y": 3.0, "z": 8.0},
    {"i": 5, "name": "fay", "g": "a", "x": 2.5, "y": -1.0, "z": 2.0},
    {"i": 6, "name": "gus", "g": "c", "x": 10.0, "y": 0.0, "z": 0.5},
    {"i": 7, "name": "hal", "g": "a", "x": 0.0, "y": 4.0, "z": 2.0},
]
transform_cases = [
    vegafusion_case("filter expression", [{"filter": "datum.x > 1 && datum.z <= 5"}], people, ["i"]),
    vegafusion_case("filter not/or", [{"filter": "!(datum.x < 0 || datum.g == 'b')"}], people, ["i"]),
    vegafusion_case("filter ternary", [{"filter": "datum.x > 2 ? datum.z > 1 : datum.y > 3"}], people, ["i"]),
    vegafusion_case("filter equal", [{"filter": {"field": "g", "equal": "a"}}], people, ["i"]),
    vegafusion_case("filter lt", [{"filter": {"field": "x", "lt": 2.5}}], people, ["i"],
                    null_field="x", null_keeps=lambda v: v < 2.5),
    vegafusion_case("filter lte", [{"filter": {"field": "x", "lte": 2.5}}], people, ["i"],
                    null_field="x", null_keeps=lambda v: v <= 2.5),
    vegafusion_case("filter gt", [{"filter": {"field": "z", "gt": 2}}], people, ["i"]),
    vegafusion_case("filter gte", [{"filter": {"field": "z", "gte": 2}}], people, ["i"]),
    filtered_case("filter range", [{"filter": {"field": "x", "range": [0, 4]}}], people,
                  lambda r: 0 <= (r["x"] or 0.0) <= 4),  # Vega's inrange compares null as 0
    filtered_case("filter reversed range", [{"filter": {"field": "z", "range": [5, 1]}}], people,
                  lambda r: 1 <= r["z"] <= 5),
    vegafusion_case("filter open range", [{"filter": {"field": "y", "range": [None, 2]}}], people, ["i"],
                    null_field="y", null_keeps=lambda v: v <= 2),
    vegafusion_case("filter oneOf", [{"filter": {"field": "name", "oneOf": ["bob", "cy", "zed"]}}], people, ["i"]),
    vegafusion_case("filter valid", [{"filter": {"field": "y", "valid": True}}], people, ["i"]),
    vegafusion_case(
        "filter and/not",
        [{"filter": {"and": [{"field": "z", "gte": 1}, {"not": {"field": "g", "equal": "c"}}]}}], people, ["i"]),
    vegafusion_case(
        "filter or", [{"filter": {"or": [{"field": "x", "gt": 3}, "datum.y < 0"]}}], people, ["i"]),
    vegafusion_case(
        "calculate arithmetic",
        [{"calculate": "datum.x * 2 + datum.z / 4 - (datum.x % 3)", "as": "c"},
         {"calculate": "-datum.z + pow(datum.z, 2) + sqrt(datum.z) + abs(datum.x)", "as": "d"},
         {"calculate": "log(datum.z) + exp(datum.z / 10) + floor(datum.x / 3) + ceil(datum.z / 3)", "as": "e"},
         {"calculate": "round(datum.z * 1.5) + round(-datum.z * 1.37) + PI + E", "as": "f"},
         {"calculate": "isNaN(datum.x) || !isFinite(datum.x)", "as": "bad"},
         {"calculate": "isValid(datum.y) ? datum.y : -1", "as": "h"}],
        [r for r in people if r["x"] is not None], ["i"]),  # vegafusion's null arithmetic is SQL's, not JS's
    vegafusion_case(
        "calculate strings",
        [{"calculate": "datum.name + '-' + datum.g", "as": "label"},
         {"calculate": "datum.name == 'ann' || datum.g === 'c'", "as": "flag"}],
        people, ["i"]),
    vegafusion_case("fold", [{"fold": ["x", "z"]}], people, ["i", "key"]),
    vegafusion_case("fold as", [{"fold": ["y", "z"], "as": ["k", "v"]}], people, ["i", "k"]),
    vegafusion_case(
        "window cumulative sum",
        [{"window": [{"op": "sum", "field": "z", "as": "cum"}, {"op": "row_number", "as": "rn"}],
          "sort": [{"field": "i"}]}],
        people, ["i"]),
    vegafusion_case(
        "window ranks with peers",
        [{"window": [{"op": "rank", "as": "rank"}, {"op": "dense_rank", "as": "dense"},
                     {"op": "row_number", "as": "rn"}, {"op": "sum", "field": "x", "as": "cum"},
                     {"op": "count", "as": "n"}],
          "sort": [{"field": "z", "order": "descending"}]}],
        people, ["i"]),
    vegafusion_case(
        "window grouped",
        [{"window": [{"op": "rank", "as": "rank"}, {"op": "mean", "field": "x", "as": "m"},
                     {"op": "max", "field": "y", "as": "top"}],
          "groupby": ["g"], "sort": [{"field": "z"}]}],
        people, ["i"]),
    vegafusion_case(
        "window sliding frame",
        [{"window": [{"op": "sum", "field": "z", "as": "s"}, {"op": "min", "field": "z", "as": "lo"},
                     {"op": "count", "as": "n"}],
          "frame": [-1, 1], "sort": [{"field": "i"}]}],
        people, ["i"]),
    vegafusion_case(
        "window ignorePeers",
        [{"window": [{"op": "sum", "field": "x", "as": "s"}], "sort": [{"field": "z"}], "ignorePeers": True}],
        [r for r in people if r["z"] != 2.0] + [{"i": 8, "name": "ivy", "g": "c", "x": 3.0, "y": 1.0, "z": 9.0}],
        ["i"]),
    vegafusion_case(
        "window whole partition",
        [{"window": [{"op": "sum", "field": "z", "as": "total"}], "frame": [None, None], "groupby": ["g"]}],
        people, ["i"]),
    vegafusion_case(
        "joinaggregate",
        [{"joinaggregate": [{"op": "mean", "field": "x", "as": "mx"}, {"op": "count", "as": "n"},
                            {"op": "max", "field": "z", "as": "mz"}], "groupby": ["g"]}],
        people, ["i"]),
    vegafusion_case(
        "joinaggregate all",
        [{"joinaggregate": [{"op": "sum", "field": "z", "as": "total"}]},
         {"calculate": "datum.z / datum.total", "as": "share"}],
        people, ["i"]),
    vegafusion_case(
        "aggregate",
        [{"aggregate": [{"op": "mean", "field": "x", "as": "mx"}, {"op": "count", "as": "n"},
                        {"op": "median", "field": "z", "as": "mz"}, {"op": "valid", "field": "y", "as": "vy"}],
          "groupby": ["g"]}],
        people, ["g"]),
    vegafusion_case(
        "bin",
        [{"bin": {"maxbins": 5}, "field": "z", "as": "bz"}],
        people, ["i"]),
    vegafusion_case(
        "filter then calculate then aggregate",
        [{"filter": "isValid(datum.x)"}, {"calculate": "datum.x * datum.z", "as": "xz"},
         {"aggregate": [{"op": "sum", "field": "xz", "as": "s"}], "groupby": ["g"]}],
        people, ["g"]),
]

rng2 = np.random.default_rng(11)
rx = np.round(rng2.uniform(0.5, 10, size=30), 3)
noise = rng2.normal(scale=0.3, size=30)
series = {
    "line": 1.5 + 0.8 * rx + noise,
    "curve": 3 + 2 * np.log(rx) + noise,
    "growth": 2 * np.exp(0.25 * rx) * np.exp(noise * 0.1),
    "wave": np.sin(rx) * 3 + 0.1 * rx ** 2 + noise,
}
reg_rows = [{"x": float(rx[i]), "y": float(series[s][i]), "s": s} for s in series for i in range(30)]
reg_rows.append({"x": None, "y": 1.0, "s": "line"})
reg_rows.append({"x": 2.0, "y": None, "s": "wave"})

regression_cases = []
for method, s, extra in [
    ("linear", "line", {}), ("log", "curve", {}), ("exp", "growth", {}), ("pow", "growth", {}),
    ("quad", "wave", {}), ("poly", "wave", {"order": 3}), ("poly", "wave", {"order": 5}),
    ("linear", "wave", {"extent": [0, 12]}), ("quad", "line", {"extent": [-2, 4]}),
]:
    pts = [(r["x"], r["y"]) for r in reg_rows if r["s"] == s and r["x"] is not None and r["y"] is not None]
    x = np.array([p[0] for p in pts])
    y = np.array([p[1] for p in pts])
    coef, r2, predict = fit(method, x, y, extra.get("order", 3))
    lo, hi = extra.get("extent", [float(x.min()), float(x.max())])
    curve = [(lo, float(predict(lo))), (hi, float(predict(hi)))] if method == "linear" else \
        sample_curve(lambda v: float(predict(v)), lo, hi)
    transform = [{"filter": {"field": "s", "equal": s}},
                 {"regression": "y", "on": "x", "method": method, **extra}]
    regression_cases.append({
        "name": f"{method} {s} {extra}", "transform": transform,
        "params": {"coef": coef, "rSquared": r2},
        "points": [[float(a), float(b)] for a, b in curve],
    })

loess_rows = [{"x": float(v), "y": float(w), "s": s} for s in ("line", "wave")
              for v, w in zip(rx, series[s])]
loess_rows += [{"x": 5.0, "y": 1.0, "s": "wave"}, {"x": 5.0, "y": 2.0, "s": "wave"}, {"x": 5.0, "y": 4.0, "s": "wave"}]
loess_cases = []
for s, bandwidth in [("line", 0.3), ("wave", 0.3), ("wave", 0.5), ("line", 0.1)]:
    pts = [(r["x"], r["y"]) for r in loess_rows if r["s"] == s]
    loess_cases.append({
        "name": f"loess {s} {bandwidth}",
        "transform": [{"filter": {"field": "s", "equal": s}},
                      {"loess": "y", "on": "x", "bandwidth": bandwidth}],
        "points": loess([p[0] for p in pts], [p[1] for p in pts], bandwidth),
    })

write("transforms.json", {
    "cases": transform_cases,
    "regression": {"rows": reg_rows, "cases": regression_cases},
    "loess": {"rows": loess_rows, "cases": loess_cases},
})
