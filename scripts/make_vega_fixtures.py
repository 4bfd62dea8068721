"""Writes Tests/VegaLiteTests/Fixtures/bin.json: Vega-Lite's bin transform
(`{"bin": {...}, "field": "x", "as": "b"}`) on several columns and settings,
as vegafusion computes it through altair's `transformed_data()`.

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

with open(ROOT / "Tests/VegaLiteTests/Fixtures/bin.json", "w") as out:
    json.dump(
        {
            "generator": "scripts/make_vega_fixtures.py",
            "altair": alt.__version__,
            "vegafusion": vegafusion.__version__,
            "cases": cases,
        },
        out,
        indent=1,
    )
    out.write("\n")
