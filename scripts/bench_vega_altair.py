"""make bench, section 8: the declared-figure benchmark's Python side.

Draws the same Vega-Lite spec as figpipe (the spec file given) over the same
CSV with Altair and vl-convert, PNG and PDF, in one of two ways:
- `inline`: Altair's default, the data written into the spec (its 5,000-row
  limit lifted) and every transform run by Vega inside vl-convert: what
  `chart.save("x.png")` does;
- `vegafusion`: the vegafusion data transformer runs the transforms in Python
  first (Rust), and vl-convert draws the small result: the fastest way
  Altair offers at this size.
Prints the wall time of each step and the peak RSS.

    python scripts/bench_vega_altair.py {inline|vegafusion} SPEC.vl.json DATA.csv OUTDIR
"""

import json
import resource
import sys
import time

t_start = time.perf_counter()
import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

t_imported = time.perf_counter()
mode, spec_path, csv_path, out = sys.argv[1:5]
spec = json.load(open(spec_path))
df = pd.read_csv(csv_path)
t_read = time.perf_counter()
if mode == "vegafusion":
    alt.data_transformers.enable("vegafusion")
else:
    alt.data_transformers.disable_max_rows()
chart = alt.Chart.from_dict({k: v for k, v in spec.items() if k != "data"} | {"data": {"values": []}})
chart.data = df
chart.save(f"{out}/altair-{mode}.png", format="png")
t_png = time.perf_counter()
chart.save(f"{out}/altair-{mode}.pdf", format="pdf")
t_pdf = time.perf_counter()
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(
    f"altair {alt.__version__} ({mode}) + vl-convert: {t_pdf - t_imported:.2f} s "
    f"(read_csv {t_read - t_imported:.2f} s, PNG {t_png - t_read:.2f} s, PDF {t_pdf - t_png:.2f} s; "
    f"python's imports {t_imported - t_start:.2f} s not counted), peak RSS {rss:.0f} MB"
)
