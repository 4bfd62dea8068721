"""Writes expected.json: what pandas infers for the table fixtures.

Run with the reference venv (numpy, pandas):
    ../../../.venv-ref/bin/python make_fixtures.py
The tests compare figpipe's table.load with it (types and values).
"""

import json
import math

import pandas as pd


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


def describe(frame):
    return [{"name": str(c), "dtype": str(frame[c].dtype), "values": cells(frame[c])} for c in frame.columns]


tables = {
    "types.csv": pd.read_csv("types.csv"),
    "records.json": pd.DataFrame(json.load(open("records.json"))["data"]["rows"]),
    "lines.jsonl": pd.DataFrame([json.loads(l) for l in open("lines.jsonl") if l.strip()]),
    # The repository's sample W&B runs cache (pipeline.json's tables.delphi-runs).
    "delphi/runs.json": pd.DataFrame(json.load(open("../../../data/delphi/runs.json"))),
}
expected = {
    "generator": "Tests/TablesTests/Fixtures/make_fixtures.py",
    "pandas": pd.__version__,
    "tables": {name: describe(frame) for name, frame in tables.items()},
}
with open("expected.json", "w") as out:
    json.dump(expected, out, indent=1, sort_keys=True)
    out.write("\n")
