#!/usr/bin/env python3
"""Fixtures for the scales port (Sources/FigureModel/Scales): autoscaled
limits, tick values, tick labels and offset texts as matplotlib draws them.

    /work/main/.venv-ref/bin/python Tests/FigureModelTests/Fixtures/make_scales_fixtures.py \
        [--compression-data /work/main/data/compression]

Every figure is built through `RecAxes`, a thin proxy around a real Axes that
forwards every call to matplotlib and records the marks and axis settings in
figpipe's vocabulary (the *inputs*).  After `fig.canvas.draw()` the *outputs*
are read back: `get_xlim()/get_ylim()`, the ticks `Axis._update_ticks()`
returns (mpl_dump.py's `_ticks`), the offset texts, and the axes size in
points (`ax.get_window_extent()` / dpi * 72), which the Swift tests hand to
`Scales.ticks` as the layout would.

Writes scales_cases.json (synthetic figures) and scales_compression.json
(the five compression figures, re-run through the notebook's own cells with
`plt.subplots` swapped for the recording proxy; each axes' outputs are checked
against /work/ref/compression/dump/figN.json when that folder exists).
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import types
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib import ticker as mticker  # noqa: E402

HERE = Path(__file__).resolve().parent
REFERENCE = Path("/work/shared/reference")
sys.path.insert(0, str(REFERENCE))
import mpl_dump  # noqa: E402


def _f(v):
    v = float(v)
    return v if math.isfinite(v) else None


def _arr(a):
    return [_f(v) for v in np.asarray(a, dtype=float).ravel()]


class RecAxes:
    """Proxy for an Axes: forwards everything, records what figpipe needs."""

    def __init__(self, ax):
        object.__setattr__(self, "_ax", ax)
        object.__setattr__(self, "marks", [])
        object.__setattr__(self, "axis", {"x": self._axis_spec(), "y": self._axis_spec()})

    @staticmethod
    def _axis_spec():
        return {"scale": "linear", "lower": None, "upper": None, "ticks": None,
                "ticklabels": None, "formatter": None, "margin": None, "inverted": False}

    def __getattr__(self, name):
        return getattr(self._ax, name)

    def __setattr__(self, name, value):
        setattr(self._ax, name, value)

    # -- marks ---------------------------------------------------------------
    def plot(self, *args, **kw):
        lines = self._ax.plot(*args, **kw)
        for l in lines:
            x, y = l.get_data(orig=False)
            self.marks.append({"kind": "line", "x": _arr(x), "y": _arr(y)})
        return lines

    def scatter(self, x, y, *args, **kw):
        c = self._ax.scatter(x, y, *args, **kw)
        off = np.asarray(c.get_offsets(), dtype=float)
        self.marks.append({"kind": "scatter", "x": _arr(off[:, 0]), "y": _arr(off[:, 1])})
        return c

    def _bars(self, patches, horizontal, hist):
        if horizontal:
            pos = [p.get_y() for p in patches]
            wid = [p.get_height() for p in patches]
            val = [p.get_width() for p in patches]
            bot = [p.get_x() for p in patches]
        else:
            pos = [p.get_x() for p in patches]
            wid = [p.get_width() for p in patches]
            val = [p.get_height() for p in patches]
            bot = [p.get_y() for p in patches]
        self.marks.append({"kind": "bars", "positions": _arr(pos), "widths": _arr(wid),
                           "values": _arr(val), "bottoms": _arr(bot), "align": "edge",
                           "orientation": "horizontal" if horizontal else "vertical",
                           "histogram": hist})

    def bar(self, *args, **kw):
        bc = self._ax.bar(*args, **kw)
        self._bars(bc.patches, False, False)
        return bc

    def barh(self, *args, **kw):
        bc = self._ax.barh(*args, **kw)
        self._bars(bc.patches, True, False)
        return bc

    def hist(self, *args, **kw):
        n, bins, patches = self._ax.hist(*args, **kw)
        horizontal = kw.get("orientation", "vertical") == "horizontal"
        self._bars(list(patches), horizontal, True)
        return n, bins, patches

    def axvline(self, x=0, ymin=0, ymax=1, **kw):
        self.marks.append({"kind": "vline", "value": float(x), "from": ymin, "to": ymax})
        return self._ax.axvline(x, ymin, ymax, **kw)

    def axhline(self, y=0, xmin=0, xmax=1, **kw):
        self.marks.append({"kind": "hline", "value": float(y), "from": xmin, "to": xmax})
        return self._ax.axhline(y, xmin, xmax, **kw)

    def axvspan(self, lo, hi, ymin=0, ymax=1, **kw):
        self.marks.append({"kind": "vspan", "lower": float(lo), "upper": float(hi)})
        return self._ax.axvspan(lo, hi, ymin, ymax, **kw)

    def axhspan(self, lo, hi, xmin=0, xmax=1, **kw):
        self.marks.append({"kind": "hspan", "lower": float(lo), "upper": float(hi)})
        return self._ax.axhspan(lo, hi, xmin, xmax, **kw)

    def fill_between(self, x, y1, y2=0, **kw):
        x, y1, y2 = np.broadcast_arrays(np.asarray(x, float), np.asarray(y1, float),
                                        np.asarray(y2, float))
        self.marks.append({"kind": "band", "x": _arr(x), "y1": _arr(y1), "y2": _arr(y2)})
        return self._ax.fill_between(x, y1, y2, **kw)

    def fill(self, x, y, **kw):
        self.marks.append({"kind": "polygon", "x": _arr(x), "y": _arr(y)})
        return self._ax.fill(x, y, **kw)

    def errorbar(self, x, y, yerr=None, xerr=None, **kw):
        def lohi(err, n):
            if err is None:
                return None, None
            e = np.asarray(err, float)
            if e.ndim == 2:
                return _arr(e[0]), _arr(e[1])
            e = np.broadcast_to(e, (n,))
            return _arr(e), _arr(e)
        n = len(np.atleast_1d(x))
        ylo, yhi = lohi(yerr, n)
        xlo, xhi = lohi(xerr, n)
        self.marks.append({"kind": "errorbar", "x": _arr(x), "y": _arr(y), "yerr_lower": ylo,
                           "yerr_upper": yhi, "xerr_lower": xlo, "xerr_upper": xhi})
        return self._ax.errorbar(x, y, yerr=yerr, xerr=xerr, **kw)

    def text(self, *args, **kw):
        return self._ax.text(*args, **kw)

    # -- axis settings -------------------------------------------------------
    def _lim(self, name, args, kw):
        lo = hi = None
        if len(args) == 1 and np.iterable(args[0]):
            lo, hi = args[0]
        elif len(args) >= 1:
            lo = args[0]
            hi = args[1] if len(args) > 1 else None
        lo = kw.get("left", kw.get("bottom", kw.get("xmin", kw.get("ymin", lo))))
        hi = kw.get("right", kw.get("top", kw.get("xmax", kw.get("ymax", hi))))
        spec = self.axis[name]
        if lo is not None:
            spec["lower"] = float(lo)
        if hi is not None:
            spec["upper"] = float(hi)

    def set_xlim(self, *args, **kw):
        self._lim("x", args, kw)
        return self._ax.set_xlim(*args, **kw)

    def set_ylim(self, *args, **kw):
        self._lim("y", args, kw)
        return self._ax.set_ylim(*args, **kw)

    def set_xscale(self, s, **kw):
        self.axis["x"]["scale"] = s
        return self._ax.set_xscale(s, **kw)

    def set_yscale(self, s, **kw):
        self.axis["y"]["scale"] = s
        return self._ax.set_yscale(s, **kw)

    def _ticks(self, name, ticks, labels):
        self.axis[name]["ticks"] = _arr(ticks)
        if labels is not None:
            self.axis[name]["ticklabels"] = [str(s) for s in labels]

    def set_xticks(self, ticks, labels=None, **kw):
        self._ticks("x", ticks, labels)
        return self._ax.set_xticks(ticks, labels, **kw)

    def set_yticks(self, ticks, labels=None, **kw):
        self._ticks("y", ticks, labels)
        return self._ax.set_yticks(ticks, labels, **kw)

    def set_xticklabels(self, labels, **kw):
        self.axis["x"]["ticklabels"] = [str(s) for s in labels]
        return self._ax.set_xticklabels(labels, **kw)

    def set_yticklabels(self, labels, **kw):
        self.axis["y"]["ticklabels"] = [str(s) for s in labels]
        return self._ax.set_yticklabels(labels, **kw)

    def invert_xaxis(self):
        self.axis["x"]["inverted"] = not self.axis["x"]["inverted"]
        return self._ax.invert_xaxis()

    def invert_yaxis(self):
        self.axis["y"]["inverted"] = not self.axis["y"]["inverted"]
        return self._ax.invert_yaxis()

    def margins(self, x=None, y=None):
        if x is not None:
            self.axis["x"]["margin"] = x
        if y is not None:
            self.axis["y"]["margin"] = y
        return self._ax.margins(x=x, y=y)

    def formatter(self, name, spec):
        """Set a major formatter; `spec` is figpipe's TickFormatter as JSON."""
        self.axis[name]["formatter"] = spec
        axis = self._ax.xaxis if name == "x" else self._ax.yaxis
        if spec["kind"] == "strMethod":
            fmt = spec["format"]
            axis.set_major_formatter(mticker.StrMethodFormatter(
                fmt if "{" in fmt else "{x:" + fmt + "}"))
        elif spec["kind"] == "percent":
            axis.set_major_formatter(mticker.PercentFormatter(spec["xmax"], spec.get("decimals")))
        elif spec["kind"] == "plain":
            f = mticker.ScalarFormatter(useOffset=False)
            f.set_scientific(False)
            axis.set_major_formatter(f)


def subplots(rows=1, cols=1, figsize=(6.4, 4.8), sharex=False, sharey=False, **kw):
    fig, axs = plt.subplots(rows, cols, figsize=figsize, sharex=sharex, sharey=sharey,
                            squeeze=False, **kw)
    rec = [[RecAxes(a) for a in row] for row in axs]
    fig._figpipe = {"rows": rows, "cols": cols, "sharex": bool(sharex), "sharey": bool(sharey),
                    "axes": [r for row in rec for r in row]}
    return fig, rec


def record(fig, name, tight=False):
    """Inputs and outputs of every recorded axes of `fig`, after a draw."""
    meta = fig._figpipe
    fig.canvas.draw()
    dpi = fig.dpi
    w, h = fig.get_size_inches()
    axes = []
    for rec in meta["axes"]:
        ax = rec._ax
        bb = ax.get_window_extent()
        axes.append({
            "marks": rec.marks,
            "x": rec.axis["x"], "y": rec.axis["y"],
            "size_points": [bb.width / dpi * 72, bb.height / dpi * 72],
            "out": {
                "xlim": _arr(ax.get_xlim()), "ylim": _arr(ax.get_ylim()),
                "xticks": mpl_dump._ticks(ax.xaxis), "yticks": mpl_dump._ticks(ax.yaxis),
                "xoffset": ax.xaxis.get_offset_text().get_text(),
                "yoffset": ax.yaxis.get_offset_text().get_text(),
            },
        })
    return {"name": name, "size_inches": [float(w), float(h)], "dpi": float(dpi),
            "rows": meta["rows"], "cols": meta["cols"], "sharex": meta["sharex"],
            "sharey": meta["sharey"], "tight": tight, "axes": axes}


# ---------------------------------------------------------------------------
# Synthetic cases
# ---------------------------------------------------------------------------
CASES = []


def case(fn):
    CASES.append(fn)
    return fn


def one(name, figsize=(6.4, 4.8)):
    fig, axs = subplots(1, 1, figsize=figsize)
    return fig, axs[0][0]


@case
def line_basic():
    fig, ax = one("line_basic")
    ax.plot([0, 1, 2, 3], [1, 4, 2, 8])
    return fig


@case
def line_negative_cubic():
    fig, ax = one("line_negative_cubic", (5, 4))
    x = np.linspace(-5, 5, 41)
    ax.plot(x, x ** 3 - 4 * x)
    return fig


@case
def scatter_tiny_sci():
    fig, ax = one("scatter_tiny_sci")
    rng = np.random.default_rng(1)
    ax.scatter(rng.uniform(0, 3e-6, 20), rng.uniform(-2e-7, 5e-7, 20))
    return fig


@case
def line_huge_sci():
    fig, ax = one("line_huge_sci", (7, 3.5))
    ax.plot([0, 1, 2, 3, 4], [1.2e7, 3.4e7, 2.2e7, 5.1e7, 4.4e7])
    return fig


@case
def offset_1000():
    fig, ax = one("offset_1000")
    ax.plot([1000.001, 1000.0015, 1000.002], [5, 6, 7])
    return fig


@case
def offset_negative_big():
    fig, ax = one("offset_negative_big", (6, 4))
    ax.plot([0, 1, 2], [-123456.2, -123456.5, -123456.9])
    return fig


@case
def fixed_limits_140():
    fig, ax = one("fixed_limits_140", (8, 4.5))
    ax.plot([1.40, 1.55], [1.40, 1.55], "r--")
    ax.set_xlim(1.40, 1.55)
    ax.set_ylim(1.40, 1.55)
    return fig


@case
def bars_categories():
    fig, ax = one("bars_categories", (6, 4))
    ax.bar([0, 1, 2, 3], [3, 7, 2, 5])
    ax.set_xticks([0, 1, 2, 3])
    ax.set_xticklabels(["a", "b", "c", "d"])
    return fig


@case
def bars_negative():
    fig, ax = one("bars_negative", (5, 3))
    ax.bar([1, 2, 3, 4, 5], [-3, -1.5, -4.2, -0.5, -2], width=0.6)
    return fig


@case
def bars_mixed_stacked():
    fig, ax = one("bars_mixed_stacked", (6, 4))
    ax.bar([0, 1, 2], [2, 3, 1.5])
    ax.bar([0, 1, 2], [1, 0.5, 2.5], bottom=[2, 3, 1.5])
    ax.axhline(5.5, ls="--")
    return fig


@case
def barh_basic():
    fig, ax = one("barh_basic", (5, 4))
    ax.barh([0, 1, 2, 3, 4], [12, 45, 33, 8, 27])
    return fig


@case
def hist_normal():
    fig, ax = one("hist_normal", (9, 4.5))
    rng = np.random.default_rng(7)
    ax.hist(rng.normal(10, 2, 300), bins=25, edgecolor="white")
    return fig


@case
def hist_axvspan_axvline():
    fig, ax = one("hist_axvspan_axvline", (9, 4.5))
    rng = np.random.default_rng(3)
    ax.hist(rng.normal(0.0003, 0.003, 250), bins=50)
    ax.axvspan(-0.002, 0.003, alpha=0.5, zorder=0)
    ax.axvline(0, color="r")
    ax.axvline(0.011, color="k")
    return fig


@case
def axvline_only():
    fig, ax = one("axvline_only", (4, 3))
    ax.axvline(0.5)
    return fig


@case
def axvline_outside_then_line():
    fig, ax = one("axvline_outside_then_line", (6, 4))
    ax.plot([0, 10], [0, 1])
    ax.axvline(10.3)
    ax.axvline(14)
    return fig


@case
def axhspan_line():
    fig, ax = one("axhspan_line", (6, 4))
    ax.plot([0, 1, 2, 3], [2, 3, 2.5, 4])
    ax.axhspan(0.5, 1.0)
    return fig


@case
def fill_between_band():
    fig, ax = one("fill_between_band", (6.4, 3.2))
    x = np.linspace(0, 2 * np.pi, 50)
    ax.fill_between(x, np.sin(x) - 0.3, np.sin(x) + 0.3, alpha=0.3)
    ax.plot(x, np.sin(x))
    return fig


@case
def fill_between_zero():
    fig, ax = one("fill_between_zero", (5, 3))
    x = np.linspace(1, 4, 20)
    ax.fill_between(x, x ** 2)
    return fig


@case
def polygon_fill():
    fig, ax = one("polygon_fill", (4, 4))
    ax.fill([0.2, 2.5, 1.1], [0.1, 0.4, 3.3])
    return fig


@case
def errorbar_basic():
    fig, ax = one("errorbar_basic", (6, 4))
    ax.errorbar([1, 2, 3, 4], [2.0, 3.1, 2.7, 4.2], yerr=[0.3, 0.5, 0.2, 0.9], fmt="o")
    return fig


@case
def errorbar_asym_xerr():
    fig, ax = one("errorbar_asym_xerr", (6, 4))
    ax.errorbar([0.5, 1.5, 2.5], [10, 20, 15], yerr=[[1, 2, 3], [4, 5, 6]], xerr=0.25)
    return fig


@case
def inverted_x():
    fig, ax = one("inverted_x", (6, 4))
    ax.plot([0, 5, 10], [3, 1, 2])
    ax.invert_xaxis()
    return fig


@case
def inverted_y_fixed():
    fig, ax = one("inverted_y_fixed", (6, 4))
    ax.plot([0, 5, 10], [3, 1, 2])
    ax.set_ylim(0, 4)
    ax.invert_yaxis()
    return fig


@case
def one_sided_xlim():
    fig, ax = one("one_sided_xlim", (6, 4))
    ax.plot([1, 2, 3, 4, 5], [1, 4, 9, 16, 25])
    ax.set_xlim(left=0)
    ax.set_ylim(top=30)
    return fig


@case
def constant_line():
    fig, ax = one("constant_line", (6, 4))
    ax.plot([0, 1, 2], [3, 3, 3])
    return fig


@case
def single_point_zero():
    fig, ax = one("single_point_zero", (4, 3))
    ax.scatter([0], [0])
    return fig


@case
def margins_custom():
    fig, ax = one("margins_custom", (6, 4))
    ax.plot([0, 1, 2, 3], [0.5, 0.2, 0.9, 0.1])
    ax.margins(x=0, y=0.2)
    return fig


@case
def fixed_ticks_no_labels():
    fig, ax = one("fixed_ticks_no_labels", (6, 4))
    ax.plot([0, 10], [0, 100])
    ax.set_xticks([0, 2.5, 5, 7.5, 10, 12])
    ax.set_yticks([-20, 0, 50, 100])
    return fig


@case
def sharex_two_rows():
    fig, axs = subplots(2, 1, figsize=(6, 6), sharex=True)
    axs[0][0].plot([0, 1, 2, 3], [10, 20, 15, 30])
    axs[1][0].plot([1, 4, 5], [0.1, 0.5, 0.3])
    fig.tight_layout()
    return fig


@case
def sharey_two_cols_bars():
    fig, axs = subplots(1, 2, figsize=(8, 3.5), sharey=True)
    axs[0][0].bar([0, 1, 2], [3, 8, 5])
    axs[0][1].plot([0, 1, 2], [-1, 2, 12])
    return fig


@case
def grid_2x2_tight():
    fig, axs = subplots(2, 2, figsize=(7, 5))
    axs[0][0].plot([0, 1], [0, 1])
    axs[0][1].scatter([10, 50, 90], [0.001, 0.004, 0.002])
    axs[1][0].bar([0, 1], [5, 9])
    axs[1][1].plot([-3, 3], [1e5, 3e5])
    fig.tight_layout()
    return fig


@case
def small_figure_few_bins():
    fig, ax = one("small_figure_few_bins", (2.2, 1.8))
    ax.plot([0, 97], [0, 13])
    return fig


@case
def wide_figure_many_bins():
    fig, ax = one("wide_figure_many_bins", (14, 2.5))
    ax.plot([0, 97], [0, 13])
    return fig


@case
def strmethod_thousands():
    fig, ax = one("strmethod_thousands", (7, 4))
    ax.plot([0, 1, 2], [12000, 250000, 1800000])
    ax.formatter("y", {"kind": "strMethod", "format": ",.0f"})
    ax.formatter("x", {"kind": "strMethod", "format": ".2f"})
    return fig


@case
def strmethod_percent_spec():
    fig, ax = one("strmethod_percent_spec", (6, 4))
    ax.plot([0, 1, 2, 3], [0.05, 0.12, -0.03, 0.2])
    ax.formatter("y", {"kind": "strMethod", "format": ".1%"})
    ax.formatter("x", {"kind": "strMethod", "format": "g"})
    return fig


@case
def percent_formatter():
    fig, ax = one("percent_formatter", (6, 4))
    ax.plot([0, 1, 2, 3], [0.05, 0.12, 0.33, 0.2])
    ax.formatter("y", {"kind": "percent", "xmax": 1.0, "decimals": None})
    ax.formatter("x", {"kind": "percent", "xmax": 3.0, "decimals": 1})
    return fig


@case
def plain_formatter():
    fig, ax = one("plain_formatter", (6, 4))
    ax.plot([1000.001, 1000.002], [2e7, 5e7])
    ax.formatter("x", {"kind": "plain"})
    ax.formatter("y", {"kind": "plain"})
    return fig


@case
def log_y_three_decades():
    fig, ax = one("log_y_three_decades", (6.4, 4.8))
    x = np.arange(1, 11)
    ax.plot(x, 3.0 * 1.9 ** x)
    ax.set_yscale("log")
    return fig


@case
def log_x_sub_decade():
    fig, ax = one("log_x_sub_decade", (6, 4))
    ax.plot([20, 35, 60], [1, 2, 3])
    ax.set_xscale("log")
    return fig


@case
def log_x_narrow():
    fig, ax = one("log_x_narrow", (6, 4))
    ax.plot([31, 45], [1, 2])
    ax.set_xscale("log")
    return fig


@case
def log_x_one_to_two_decades():
    fig, ax = one("log_x_one_to_two_decades", (6, 4))
    ax.scatter([5, 40, 300, 700], [1, 2, 3, 4])
    ax.set_xscale("log")
    return fig


@case
def log_y_many_decades():
    fig, ax = one("log_y_many_decades", (6, 4))
    ax.plot([0, 1, 2, 3], [1e-3, 1e2, 1e8, 1e12])
    ax.set_yscale("log")
    return fig


@case
def log_y_many_decades_small():
    fig, ax = one("log_y_many_decades_small", (3, 2.2))
    ax.plot([0, 1, 2, 3], [1e-9, 1e2, 1e8, 1e20])
    ax.set_yscale("log")
    return fig


@case
def log_bars_nonpositive():
    fig, ax = one("log_bars_nonpositive", (6, 4))
    ax.bar([0, 1, 2, 3], [5, 50, 0, 1200])
    ax.set_yscale("log")
    return fig


@case
def log_line_with_nonpositive():
    fig, ax = one("log_line_with_nonpositive", (6, 4))
    ax.plot([-1, 0, 1, 10, 100], [1, 2, 3, 4, 5])
    ax.set_xscale("log")
    return fig


@case
def log_fixed_limits():
    fig, ax = one("log_fixed_limits", (6, 4))
    ax.plot([1, 1000], [1, 2])
    ax.set_xscale("log")
    ax.set_xlim(2, 5000)
    return fig


@case
def log_scatter_fig5_like():
    fig, ax = one("log_scatter_fig5_like", (12, 7))
    ax.scatter([55, 80, 320, 900, 2500, 4100], [1.0, 1.1, 1.3, 1.25, 1.5, 1.45])
    ax.plot([55, 900, 4100], [1.0, 1.3, 1.5], "k-")
    ax.set_xscale("log")
    return fig


@case
def loglog_inverted():
    fig, ax = one("loglog_inverted", (5, 5))
    ax.plot([0.01, 0.1, 1, 10], [1e3, 1e2, 50, 2])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.invert_xaxis()
    return fig


@case
def negative_small_values():
    fig, ax = one("negative_small_values", (9, 4.5))
    ax.plot([-0.0094, 0.009], [0, 20])
    return fig


@case
def mixed_sign_decimal():
    fig, ax = one("mixed_sign_decimal", (6.4, 4.8))
    ax.scatter([-2.7, -1.1, 0.4, 3.3], [-0.25, 0.125, 0.5, 0.05])
    return fig


@case
def nan_in_line():
    fig, ax = one("nan_in_line", (6, 4))
    ax.plot([0, 1, 2, 3, 4], [1.0, float("nan"), 3.0, 2.0, float("nan")])
    return fig


@case
def empty_axes():
    fig, ax = one("empty_axes", (4, 3))
    return fig


@case
def hist_horizontal():
    fig, ax = one("hist_horizontal", (5, 5))
    rng = np.random.default_rng(11)
    ax.hist(rng.gamma(2.0, 3.0, 200), bins=15, orientation="horizontal")
    return fig


@case
def axhline_outside():
    fig, ax = one("axhline_outside", (6, 4))
    ax.plot([0, 1, 2], [0.2, 0.5, 0.4])
    ax.axhline(0.52)
    ax.axhline(-1.0)
    return fig


@case
def fill_between_nan():
    fig, ax = one("fill_between_nan", (6, 4))
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    ax.fill_between(x, [1.0, float("nan"), 2.0, 9.0, 1.5], [0.5, 0.2, 0.3, 0.1, 0.4])
    return fig


@case
def errorbar_log_y():
    fig, ax = one("errorbar_log_y", (6, 4))
    ax.errorbar([1, 2, 3], [5.0, 50.0, 400.0], yerr=[1.0, 20.0, 150.0], fmt="s")
    ax.set_yscale("log")
    return fig


@case
def big_values_1e15():
    fig, ax = one("big_values_1e15", (6, 4))
    ax.plot([1e15, 3e15], [-2e-9, 7e-9])
    return fig


@case
def offset_large_negative_small_span():
    fig, ax = one("offset_large_negative_small_span", (7, 4))
    ax.plot([-50000.02, -50000.01], [123.45, 123.46])
    return fig


@case
def log_exact_decades():
    fig, ax = one("log_exact_decades", (6, 4))
    ax.plot([1, 10, 100, 1000], [0.001, 0.01, 0.1, 1])
    ax.set_xscale("log")
    ax.set_yscale("log")
    return fig


@case
def log_one_decade_bars():
    fig, ax = one("log_one_decade_bars", (6, 4))
    ax.bar([0, 1, 2], [12, 30, 80])
    ax.set_yscale("log")
    return fig


@case
def log_fixed_ticks():
    fig, ax = one("log_fixed_ticks", (6, 4))
    ax.plot([1, 500], [1, 2])
    ax.set_xscale("log")
    ax.set_xticks([1, 10, 100], ["one", "ten", "hundred"])
    return fig


@case
def log_x_tiny_values():
    fig, ax = one("log_x_tiny_values", (6, 4))
    ax.scatter([3e-7, 2e-6, 5e-5, 8e-4], [1, 2, 3, 4])
    ax.set_xscale("log")
    return fig


@case
def grid_share_both():
    fig, axs = subplots(2, 2, figsize=(8, 6), sharex=True, sharey=True)
    axs[0][0].plot([0, 1, 2], [0, 1, 4])
    axs[0][1].scatter([3, 4], [2, -1])
    axs[1][0].bar([0, 1], [2, 3])
    axs[1][1].plot([-1, 2], [5, 6])
    return fig


@case
def text_only_and_line():
    fig, ax = one("text_only_and_line", (6, 4))
    ax.plot([2, 3], [4, 5])
    ax.text(10, 10, "far away")
    return fig


@case
def ylim_reversed_explicit():
    fig, ax = one("ylim_reversed_explicit", (6, 4))
    ax.plot([0, 1], [0, 100])
    ax.set_ylim(120, -10)
    return fig


@case
def many_points_scatter_seaborn_like():
    fig, ax = one("many_points_scatter_seaborn_like", (10, 6))
    rng = np.random.default_rng(5)
    ax.scatter(rng.normal(50, 15, 200), rng.lognormal(0, 1, 200))
    return fig


@case
def strmethod_template_and_exp():
    fig, ax = one("strmethod_template_and_exp", (7, 4))
    ax.plot([0, 1e-4], [-1500, 2500])
    ax.formatter("x", {"kind": "strMethod", "format": "{x:.1e}"})
    ax.formatter("y", {"kind": "strMethod", "format": "{x:+,.1f} u"})
    return fig


@case
def percent_formatter_100():
    fig, ax = one("percent_formatter_100", (6, 4))
    ax.bar([0, 1, 2], [12.5, 47.0, 88.0])
    ax.formatter("y", {"kind": "percent", "xmax": 100, "decimals": None})
    return fig


@case
def log_one_decade_inside():
    fig, ax = one("log_one_decade_inside", (6, 4))
    ax.plot([5, 20], [1, 2])
    ax.set_xscale("log")
    return fig


@case
def log_under_half_decade():
    fig, ax = one("log_under_half_decade", (6, 4))
    ax.plot([2, 6], [1, 2])
    ax.set_xscale("log")
    return fig


@case
def log_tiny_span():
    fig, ax = one("log_tiny_span", (6, 4))
    ax.plot([1.5, 2.2], [1, 2])
    ax.set_yscale("log")
    ax.set_xscale("log")
    return fig


@case
def single_fixed_tick():
    fig, ax = one("single_fixed_tick", (6, 4))
    ax.plot([0, 10], [0, 1])
    ax.set_xticks([5])
    ax.set_yticks([0.25, 0.75])
    return fig


@case
def offset_100000():
    fig, ax = one("offset_100000", (6, 4))
    ax.plot([100000.5, 100001.5], [3, 4])
    return fig


@case
def barh_log_x():
    fig, ax = one("barh_log_x", (6, 4))
    ax.barh([0, 1, 2], [3, 300, 30000])
    ax.set_xscale("log")
    return fig


@case
def sharey_log_inverted():
    fig, axs = subplots(1, 2, figsize=(8, 4), sharey=True)
    axs[0][0].plot([0, 1], [2, 2000])
    axs[0][0].set_yscale("log")
    axs[0][1].plot([0, 1], [30, 300])
    axs[0][0].invert_yaxis()
    return fig


@case
def tall_narrow_figure():
    fig, ax = one("tall_narrow_figure", (2.5, 9))
    ax.plot([-7.3, 12.9], [-0.0031, 0.0447])
    return fig


def run_cases():
    out = []
    for fn in CASES:
        fig = fn()
        out.append(record(fig, fn.__name__))
        plt.close(fig)
    return out


# ---------------------------------------------------------------------------
# The compression figures, through the notebook's own cells
# ---------------------------------------------------------------------------
def run_compression(data: Path, ref_dump: Path | None):
    sys.path.insert(0, str(REFERENCE))
    import run_compression as rc

    text = rc.NOTEBOOK_COPY.read_text()
    cells = rc.split_cells(text)
    figures = {}

    shim = types.SimpleNamespace()
    for k in dir(plt):
        if not k.startswith("__"):
            setattr(shim, k, getattr(plt, k))

    def rec_subplots(nrows=1, ncols=1, **kw):
        fig, rec = subplots(nrows, ncols, **kw)
        flat = [r for row in rec for r in row]
        if nrows == 1 and ncols == 1:
            return fig, flat[0]
        return fig, (flat if min(nrows, ncols) == 1 else rec)

    shim.subplots = rec_subplots

    def save_fig(fig, stem):
        tight = stem == "fig2"
        figures[stem] = record(fig, stem, tight=tight)
        plt.close(fig)

    import tempfile
    tmp = Path(tempfile.mkdtemp())
    ns = {"__name__": "__main__", "__file__": str(rc.NOTEBOOK_COPY),
          "REF_DATA_DIR": data, "REF_OUT_DIR": tmp, "REF_ON_SAVE": lambda fig, stem: None}
    for key, figure, first, src in cells:
        code = compile("\n" * (first - 1) + src, str(rc.NOTEBOOK_COPY), "exec")
        exec(code, ns)
        if key == 1:
            ns["plt"] = shim
            ns["save_fig"] = save_fig

    out = []
    for stem in ("fig1", "fig2", "fig3", "fig4", "fig5"):
        f = figures[stem]
        if ref_dump is not None and (ref_dump / f"{stem}.json").exists():
            ref = json.loads((ref_dump / f"{stem}.json").read_text())
            for ax, rax in zip(f["axes"], ref["axes"]):
                for k in ("xlim", "ylim", "xticks", "yticks"):
                    assert ax["out"][k] == rax[k], (stem, k, ax["out"][k], rax[k])
        out.append(f)
    return out


FORMAT_SPECS = [".0f", ".1f", ".2f", ".3f", ",.0f", ",.2f", "_.1f", ".1%", ".0%", "%", "g", ".3g",
                ".2e", "e", ".1E", "G", "", ".3", ".1", "+.2f", " .1f", ">10.2f", "<8.1f", "^9.0f",
                "=+10.2f", "010.3f", "08,.1f", "#.0f", "#g", "n", ".10g", "z.1f"]
FORMAT_VALUES = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -2.5, 0.125, 1234.5, -1234567.891, 1e-5, 3.14159e-7,
                 123456789.0, 1e16, 2.5e21, 0.1, 0.30000000000000004, 999.9999, -0.04, 1e-4, 12.0,
                 123.0, 99.5, 1.5]


def format_table():
    rows = []
    for spec in FORMAT_SPECS:
        for v in FORMAT_VALUES:
            rows.append([spec, v, format(v, spec)])
    reprs = [[v, repr(v)] for v in FORMAT_VALUES + [1e22, 1.2345678901234567e-300, 5e-324,
                                                    1234567890123456.0, 12345678901234567.0]]
    return {"format": rows, "repr": reprs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--compression-data", type=Path, default=Path("/work/main/data/compression"))
    ap.add_argument("--ref-dump", type=Path, default=Path("/work/ref/compression/dump"))
    a = ap.parse_args()
    versions = {"matplotlib": matplotlib.__version__, "numpy": np.__version__,
                "python": sys.version.split()[0]}
    cases = run_cases()
    (HERE / "scales_cases.json").write_text(json.dumps(
        {"versions": versions, "figures": cases}, separators=(",", ":")))
    (HERE / "scales_pyformat.json").write_text(json.dumps(
        {"versions": versions, **format_table()}, separators=(",", ":")))
    comp = run_compression(a.compression_data, a.ref_dump if a.ref_dump.exists() else None)
    (HERE / "scales_compression.json").write_text(json.dumps(
        {"versions": versions, "figures": comp}, separators=(",", ":")))
    print(f"{len(cases)} cases, {sum(len(f['axes']) for f in cases)} axes; "
          f"{len(comp)} compression figures")


if __name__ == "__main__":
    main()
