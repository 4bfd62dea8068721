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
