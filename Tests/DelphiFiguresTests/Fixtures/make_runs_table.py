"""Writes runs_table.json: the exporter's runs DataFrame on the sample data.

The exporter's own functions make it: load_runs, then
subsample_cadamc_to_adamh_grid, from the runnable reference
(../shared/reference/delphi_export_figures.py). Run from this folder with the
reference venv (numpy, pandas, matplotlib, plotly, scipy, scikit-learn):
    ../../../.venv-ref/bin/python make_runs_table.py ../../../../shared/reference ../../../data/delphi/runs.json
"""

import importlib.util
import json
import math
import sys
from pathlib import Path

import pandas as pd

reference, runs = Path(sys.argv[1]), Path(sys.argv[2])
spec = importlib.util.spec_from_file_location("delphi_export_figures", reference / "delphi_export_figures.py")
mod = importlib.util.module_from_spec(spec)
sys.modules["delphi_export_figures"] = mod
spec.loader.exec_module(mod)

df = mod.subsample_cadamc_to_adamh_grid(mod.load_runs(runs))


def cells(series):
    return [None if isinstance(v, float) and math.isnan(v) else v for v in series.tolist()]


with open("runs_table.json", "w") as out:
    json.dump(
        {
            "generator": "Tests/DelphiFiguresTests/Fixtures/make_runs_table.py",
            "pandas": pd.__version__,
            "columns": [{"name": c, "dtype": str(df[c].dtype), "values": cells(df[c])} for c in df.columns],
        },
        out,
        indent=1,
    )
    out.write("\n")
