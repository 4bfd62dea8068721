"""Writes the table fixtures the tests compare figpipe's tables with, each
what pandas (and the original code) makes:

- Tests/TablesTests/Fixtures/expected.json: pandas' reading of the table.load
  fixtures (pd.read_csv; pd.DataFrame(records) for JSON and JSON Lines) and of
  data/delphi/runs.json;
- Tests/DelphiFiguresTests/Fixtures/runs_table.json: the exporter's runs
  DataFrame (its load_runs, then subsample_cadamc_to_adamh_grid);
- Tests/EntropyFiguresTests/Fixtures/runs_table_E_512.json: the E=512 runs'
  summary_from_run rows with a run column (the README notebook's load_runs and
  summary_from_run cells);
- Tests/CompressionFiguresTests/Fixtures/compression_tables.json: the
  compression notebook's records (read by its own load_jsonl) as
  pd.DataFrame(records) of the fields it reads: the results one row per
  method object (as fig5 walks them), each atlas one row per line, on the
  sample data and on the loaders' edge-case fixtures.

Run from the repository root with the reference venv (numpy, pandas,
matplotlib, plotly, scipy, scikit-learn, zstandard):
    .venv-ref/bin/python scripts/make_table_fixtures.py ../shared/reference
"""

import ast
import importlib.util
import json
import math
import pathlib
import sys
import types
from pathlib import Path

import pandas as pd
import zstandard

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


# The compression notebook's records. Its load_jsonl is a function of the
# notebook's first cell, taken out of compression_notebook.py (the rest of the
# cell reads the data and makes folders); the line numbers are the file's.
notebook_source = (REFERENCE / "compression_notebook.py").read_text()
load_jsonl_def = next(
    node
    for node in ast.parse(notebook_source).body
    if isinstance(node, ast.FunctionDef) and node.name == "load_jsonl"
)
compression = {"json": json, "pathlib": pathlib, "zstandard": zstandard}
exec(compile(ast.Module(body=[load_jsonl_def], type_ignores=[]), "compression_notebook.py", "exec"), compression)
load_jsonl = compression["load_jsonl"]


def numbered_records(path):
    """(line number, record) of every non-blank line, as load_jsonl yields the records."""
    path = Path(path)
    if path.suffix == ".zst":
        raw = zstandard.ZstdDecompressor().decompress(path.read_bytes(), max_output_size=2 << 30)
        text = raw.decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    out = [(n, json.loads(line)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]
    assert [r for _, r in out] == list(load_jsonl(path)), f"{path}: not the notebook's records"
    return out


def typed_frame(rows, texts, numbers):
    """pd.DataFrame(rows) with the table's columns: line, string fields, number fields as float64."""
    df = pd.DataFrame(rows, columns=["line", *texts, *numbers])
    for c in numbers:
        df[c] = df[c].astype("float64")
    return frame(df)


RESULT_TEXTS = ["_kind", "model", "tensor_name"]


def results_frame(path):
    rows = [
        {
            "line": n,
            **{k: r.get(k) for k in RESULT_TEXTS},
            "input_bytes": r.get("input_bytes"),
            "method": mn,
            "ratio": md.get("ratio"),
            "decompress_MBps": md.get("decompress_MBps"),
        }
        for n, r in numbered_records(path)
        if "methods" in r
        for mn, md in r["methods"].items()
        if isinstance(md, dict)
    ]
    df = pd.DataFrame(rows, columns=["line", *RESULT_TEXTS, "input_bytes", "method", "ratio", "decompress_MBps"])
    for c in ["input_bytes", "ratio", "decompress_MBps"]:
        df[c] = df[c].astype("float64")
    return frame(df)


ATLASES = {
    "bf16": (
        ["dtype", "tensor_category", "tensor_name"],
        ["H_byte1", "H_byte0", "ceiling_ratio", "R_marginal", "ratio_ceiling_byte"],
    ),
    "q4k": (["tensor_name", "ggml_type"], ["H_nibble", "H_byte"]),
    "layer": (["model", "role"], ["corr_pearson"]),
}


def atlas_frame(kind, path):
    texts, numbers = ATLASES[kind]
    rows = [{"line": n, **{k: r.get(k) for k in texts + numbers}} for n, r in numbered_records(path)]
    return typed_frame(rows, texts, numbers)


data = ROOT / "data/compression"
unit = ROOT / "Tests/CompressionFiguresTests/Fixtures"
compression_tables = {
    "results:sample": results_frame(data / "results/results.jsonl.zst"),
    "results:edge": results_frame(unit / "edge.jsonl.zst"),
    "atlas-bf16:sample": atlas_frame("bf16", data / "provenance/iter3_precommit/03_atlas/results.jsonl"),
    "atlas-bf16:fixture": atlas_frame("bf16", unit / "atlas_bf16.jsonl"),
    "atlas-q4k:sample": atlas_frame("q4k", data / "provenance/iter5/precheck_q/atlas_train.jsonl"),
    "atlas-q4k:fixture": atlas_frame("q4k", unit / "atlas_q4k.jsonl"),
    "atlas-layer:sample": atlas_frame("layer", data / "provenance/iter5/precheck_l/atlas_train.jsonl"),
    "atlas-layer:fixture": atlas_frame("layer", unit / "atlas_layer.jsonl"),
}
# Thousands of rows: one column a line, not one cell a line.
with open(unit / "compression_tables.json", "w") as out:
    out.write("{\n")
    out.write(f' "generator": {json.dumps(GENERATOR)},\n "pandas": {json.dumps(pd.__version__)},\n "tables": {{\n')
    for i, (name, columns) in enumerate(compression_tables.items()):
        body = ",\n".join("   " + json.dumps(c, sort_keys=True, ensure_ascii=False) for c in columns)
        out.write(f"  {json.dumps(name)}: [\n{body}\n  ]" + ("," if i + 1 < len(compression_tables) else "") + "\n")
    out.write(" }\n}\n")
