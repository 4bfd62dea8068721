"""Writes text_fixtures.json: what matplotlib (Agg) measures and places.

Run with the reference venv:
    /work/main/.venv-ref/bin/python Tests/CairoBackendTests/Fixtures/make_text_fixtures.py

* `text`: `renderer.get_text_width_height_descent` for a handful of strings
  at several sizes, at 150 dpi (the reference PNGs' dpi), converted to points.
* `pixels`: the same for plain text, in pixels as Agg reports them, at 100,
  150, 200 and 240 dpi, regular and bold.
* `tight2x1`: `ax.get_position()` (figure fractions) of a 2x1 figure after
  `fig.tight_layout()`, built like the compression paper's fig2, and the
  size in pixels of its bbox_inches='tight' PNG at 150 dpi.
"""
import io
import json
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402

DPI = 150
out = {"matplotlib": matplotlib.__version__, "dpi": DPI, "text": []}

fig = plt.figure(dpi=DPI)
renderer = fig.canvas.get_renderer()
strings = [
    "Figure 1", "lp", "x", "0.0075", "\u22120.0075", "byte-marginal entropy (bits / value)",
    "tensor (grouped by category)", "general-purpose", "$\\mathdefault{10^{2}}$", "$\\Delta H$",
    "$\\alpha + \\beta$", "1.076$\\times$ bound",
]
for s in strings:
    for size in (8, 10, 12):
        prop = FontProperties(family="DejaVu Sans", size=size)
        w, h, d = renderer.get_text_width_height_descent(s, prop, ismath="$" in s)
        k = 72 / DPI
        out["text"].append({"text": s, "size": size, "width": float(w) * k, "height": float(h) * k,
                            "descent": float(d) * k})
plt.close(fig)

# Plain text in pixels, exactly as Agg reports it, at the figures' dpis, in
# the regular and bold faces: figpipe measures these to the 1/64 pixel.
plain = [s for s in strings if "$" not in s] + [
    "Figure 4 - AVAToWay: official fine-tuned ffi fl", "Tj ij fj", "\u22120.5", "a ", " ", "1e-3",
    "delta_linear (bits)", "\u0394H_true", "W\u00e4rme \u00fcber 100 \u00b0C",
]
out["pixels"] = []
for dpi in (100, 150, 200, 240):
    fig = plt.figure(dpi=dpi)
    renderer = fig.canvas.get_renderer()
    for s in plain:
        for size in (8, 10, 12, 14):
            for weight in ("normal", "bold"):
                prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
                w, h, d = renderer.get_text_width_height_descent(s, prop, ismath=False)
                out["pixels"].append({"text": s, "size": size, "bold": weight == "bold", "dpi": dpi,
                                      "width": float(w), "height": float(h), "descent": float(d)})
    plt.close(fig)

# A 2x1 tight_layout figure like fig2.
fig, (a0, a1) = plt.subplots(2, 1, figsize=(8, 9.5))
for ax, lo, hi in ((a0, 1.40, 1.55), (a1, 1.02, 1.06)):
    ax.plot([lo, hi], [lo, hi], "r--", lw=1.0, label="y = x")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.legend(loc="upper left")
a0.set_xlabel("R_marginal - iid byte-marginal ceiling, atlas")
a0.set_ylabel("bf16_split achieved ratio")
a0.set_title("bf16 (n = 337) - achieved ratio vs R_marginal, Prop. 1 ceiling")
a1.set_xlabel("nibble-stream marginal ceiling: 8 / H_byte (atlas)")
a1.set_ylabel("qb_k4 achieved ratio (full Q4_K tensor stream)")
a1.set_title("Q4_K (n = 181) - achieved ratio vs nibble-only ceiling")
fig.suptitle("Figure 2 - per-tensor achieved ratio vs R_marginal (Prop. 1 ceiling)")
fig.tight_layout()
out["tight2x1"] = {
    "size_inches": [8, 9.5],
    "positions": [list(map(float, ax.get_position().bounds)) for ax in (a0, a1)],
}
buf = io.BytesIO()
fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
import struct  # noqa: E402

png = buf.getvalue()
out["tight2x1"]["png_size"] = list(struct.unpack(">II", png[16:24]))
plt.close(fig)

path = pathlib.Path(__file__).with_name("text_fixtures.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print("wrote", path)
