"""Writes the table fixtures the tests compare figpipe's tables with, each
what pandas (and the original code) makes:

- Tests/TablesTests/Fixtures/expected.json: pandas' reading of the table.load
  fixtures (pd.read_csv; pd.DataFrame(records) for JSON and JSON Lines) and of
  data/delphi/runs.json;
- Tests/DelphiFiguresTests/Fixtures/runs_table.json: the exporter's runs
  DataFrame (its load_runs, then subsample_cadamc_to_adamh_grid);
- Tests/EntropyFiguresTests/Fixtures/runs_table_E_512.json: the E=512 runs'
  summary_from_run rows with a run column (the README notebook's load_runs and
  summary_from_run cells).

Run from the repository root with the reference venv (numpy, pandas,
matplotlib, plotly, scipy, scikit-learn):
    .venv-ref/bin/python scripts/make_table_fixtures.py ../shared/reference
"""

import importlib.util
import json
import math
import sys
import types
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(sys.argv[1]).resolve()
GENERATOR = "scripts/make_table_fixtures.py"


def cells(series):
    out = []
    for v in series.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, float) and math.isinf(v):
            out.append("inf" if v > 0 else "-inf")
        else:
            out.append(v)
    return out


def frame(df):
    """A DataFrame as the tests read it: columns in order, dtype, values (NaN and None as null)."""
    return [{"name": str(c), "dtype": str(df[c].dtype), "values": cells(df[c])} for c in df.columns]


def write(relative, payload):
    with open(ROOT / relative, "w") as out:
        json.dump({"generator": GENERATOR, "pandas": pd.__version__, **payload}, out, indent=1, sort_keys=True)
        out.write("\n")


def load_module(name, file):
    spec = importlib.util.spec_from_file_location(name, REFERENCE / file)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


# table.load: pandas' inference.
fixtures = ROOT / "Tests/TablesTests/Fixtures"
records = json.load(open(fixtures / "records.json"))["data"]["rows"]
lines = [json.loads(line) for line in open(fixtures / "lines.jsonl") if line.strip()]
write(
    "Tests/TablesTests/Fixtures/expected.json",
    {
        "tables": {
            "types.csv": frame(pd.read_csv(fixtures / "types.csv")),
            "records.json": frame(pd.DataFrame(records)),
            "lines.jsonl": frame(pd.DataFrame(lines)),
            "delphi/runs.json": frame(pd.DataFrame(json.load(open(ROOT / "data/delphi/runs.json")))),
        }
    },
)

# The Delphi exporter's runs.
delphi = load_module("delphi_export_figures", "delphi_export_figures.py")
runs = delphi.subsample_cadamc_to_adamh_grid(delphi.load_runs(ROOT / "data/delphi/runs.json"))
write("Tests/DelphiFiguresTests/Fixtures/runs_table.json", {"columns": frame(runs)})

# The README notebook's summary rows: its load_runs and summary_from_run are
# cells of readme_figures_helper, taken out of it; their free variables are the
# modules that function imports.
notebooks = load_module("entropy_notebooks", "entropy_notebooks.py")


def cell(name):
    code = next(
        c
        for c in notebooks.readme_figures_helper.__code__.co_consts
        if isinstance(c, types.CodeType) and c.co_name == name
    )
    modules = {"json": json, "pd": pd}
    closure = tuple(types.CellType(modules[v]) for v in code.co_freevars)
    return types.FunctionType(code, notebooks.__dict__, name, None, closure)


load_runs, summary_from_run = cell("load_runs"), cell("summary_from_run")
e512 = load_runs(sorted((ROOT / "data/entropy/E_512").glob("run_*/results.json")))
rows = [{"run": run, **row} for run, data in e512.items() for row in summary_from_run(data).to_dict("records")]
write("Tests/EntropyFiguresTests/Fixtures/runs_table_E_512.json", {"columns": frame(pd.DataFrame(rows))})
