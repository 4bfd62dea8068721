#!/usr/bin/env python3
"""Fixtures for Numerics' bounded least squares (scipy.optimize.curve_fit with
bounds -> least_squares(method='trf')) and the Delphi Richards fits.

    /work/main/.venv-ref/bin/python Tests/NumericsTests/Fixtures/make_richards_fixtures.py

Writes, next to this script:
  lsq_problems.json     generic bounded curve_fit problems (exponential decay,
                        logistic, optimum on a bound, a max_nfev failure)
  richards_delphi.json  every `_fit_richards` call the Delphi exporter makes
                        (inputs x, y, floor, ceiling), scipy's popt and the
                        fitted curve on a grid.

Each problem records the inputs, scipy's popt (or the failure), cost, nfev,
status, and the model evaluated at popt on a 200-point grid `x_grid`.
Model names (`model`) are the ones the Swift tests know how to evaluate.
"""
from __future__ import annotations

import importlib.util
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import curve_fit, least_squares

HERE = Path(__file__).resolve().parent
EXPORTER = Path("/work/shared/reference/delphi_export_figures.py")
DATA = Path("/work/main/data/delphi")


def versions() -> dict:
    return {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__}


def fl(a):
    return [float(v) for v in np.asarray(a, float).ravel()]


# ---------------------------------------------------------------------------
# Models (same formulas, same operation order, as the Swift tests use)
# ---------------------------------------------------------------------------
def m_expdecay(x, a, b, c):
    return a * np.exp(-b * x) + c


def m_logistic(x, L, k, x0):
    return L / (1.0 + np.exp(-k * (x - x0)))


def m_line(x, a, b):
    return a * x + b


def richards_free(floor):
    def model(xv, k, x0, v, C):
        return floor + (C - floor) / (1.0 + np.exp(-k * (xv - x0))) ** v
    return model


def richards_pinned(floor, ceiling):
    def model_pinned(xv, k, x0, v):
        return floor + (ceiling - floor) / (1.0 + np.exp(-k * (xv - x0))) ** v
    return model_pinned


MODELS = {"expdecay": m_expdecay, "logistic": m_logistic, "line": m_line}


def run_problem(name, model_name, f, x, y, p0, lb, ub, maxfev, grid):
    """curve_fit as the exporter calls it, plus the raw least_squares result
    (cost, nfev, status) from the identical call curve_fit makes."""
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    rec = {
        "name": name, "model": model_name, "x": fl(x), "y": fl(y), "p0": fl(p0),
        "lb": fl(lb), "ub": fl(ub), "maxfev": maxfev, "x_grid": fl(grid),
    }
    # The same least_squares call curve_fit makes (for cost / nfev / status).
    res = least_squares(lambda p: f(x, *p) - y, np.asarray(p0, float), jac="2-point",
                        bounds=(lb, ub), method="trf", max_nfev=maxfev)
    rec.update(status=int(res.status), nfev=int(res.nfev), cost=float(res.cost),
               x_final=fl(res.x))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            popt, pcov = curve_fit(f, x, y, p0=p0, bounds=(lb, ub), maxfev=maxfev)
        rec["success"] = True
        rec["popt"] = fl(popt)
        rec["pcov"] = fl(pcov)
        rec["curve"] = fl(f(np.asarray(grid, float), *popt))
        assert np.array_equal(popt, res.x), name
    except RuntimeError as e:
        rec["success"] = False
        rec["error"] = str(e)
        rec["popt"] = None
        rec["pcov"] = None
        rec["curve"] = None
    return rec


def generic_problems() -> list[dict]:
    out = []
    rng = np.random.default_rng(20240601)

    # 1. exponential decay, interior optimum.
    x = np.linspace(0, 4, 50)
    y = m_expdecay(x, 2.5, 1.3, 0.5) + 0.05 * rng.standard_normal(x.size)
    out.append(run_problem("expdecay_interior", "expdecay", m_expdecay, x, y, [1.0, 1.0, 1.0],
                           [0.0, 0.0, 0.0], [10.0, 5.0, 3.0], 20000, np.linspace(-0.5, 6, 200)))

    # 2. the scipy docs' bounded example: optimum on the upper bound of b.
    y2 = m_expdecay(x, 2.5, 1.3, 0.5) + 0.2 * rng.standard_normal(x.size)
    out.append(run_problem("expdecay_on_bound", "expdecay", m_expdecay, x, y2, [1.0, 0.5, 0.25],
                           [0.0, 0.0, 0.0], [3.0, 1.0, 0.5], 20000, np.linspace(0, 4, 200)))

    # 3. logistic.
    xl = np.linspace(-3, 5, 40)
    yl = m_logistic(xl, 0.8, 2.2, 1.1) + 0.02 * rng.standard_normal(xl.size)
    out.append(run_problem("logistic", "logistic", m_logistic, xl, yl, [1.0, 1.0, 0.0],
                           [0.1, 0.1, -5.0], [2.0, 20.0, 5.0], 20000, np.linspace(-5, 7, 200)))

    # 4. line whose unconstrained optimum lies outside the box (slope on lower bound).
    xs = np.linspace(0, 1, 12)
    ys = -2.0 * xs + 1.0 + 0.01 * rng.standard_normal(xs.size)
    out.append(run_problem("line_slope_on_lower_bound", "line", m_line, xs, ys, [0.5, 0.0],
                           [-1.0, -10.0], [3.0, 10.0], 20000, np.linspace(-1, 2, 200)))

    # 5. max_nfev reached -> curve_fit raises RuntimeError.
    out.append(run_problem("logistic_maxfev_fails", "logistic", m_logistic, xl, yl, [1.0, 1.0, 0.0],
                           [0.1, 0.1, -5.0], [2.0, 20.0, 5.0], 3, np.linspace(-5, 7, 200)))

    # 6. Richards-shaped synthetic data, free ceiling, with the exporter's model.
    xr = np.sort(rng.uniform(-2.0, -0.1, 25))
    yr = richards_free(0.25)(xr, 6.0, -0.9, 1.5, 0.85) + 0.01 * rng.standard_normal(xr.size)
    rec = run_problem("richards_synthetic_free", "richards", richards_free(0.25), xr, yr,
                      [5.0, float(np.median(xr)), 1.0, 0.95],
                      [0.1, xr.min() - 2.0, 0.1, 0.30], [50.0, xr.max() + 2.0, 20.0, 1.0],
                      20000, np.linspace(-4, 0, 200))
    rec["floor"] = 0.25
    out.append(rec)

    # 7. Richards with a pinned ceiling (the exporter's 3-parameter branch).
    yp = richards_pinned(0.0, 0.6)(xr, 9.0, -1.1, 0.7) + 0.01 * rng.standard_normal(xr.size)
    rec = run_problem("richards_synthetic_pinned", "richards", richards_pinned(0.0, 0.6), xr, yp,
                      [5.0, float(np.median(xr)), 1.0], [0.1, xr.min() - 2.0, 0.1],
                      [50.0, xr.max() + 2.0, 20.0], 20000, np.linspace(-4, 0, 200))
    rec["floor"] = 0.0
    rec["ceiling"] = 0.6
    out.append(rec)
    return out


def svd_cases() -> list[dict]:
    """numpy's singular values (LAPACK gesdd) of a few small dense matrices."""
    rng = np.random.default_rng(7)
    mats = [rng.standard_normal((12, 3)), rng.standard_normal((3, 5)),
            np.vander(np.linspace(0, 1, 9), 4), np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]])]
    return [{"rows": a.shape[0], "cols": a.shape[1], "a": fl(a),
             "s": fl(np.linalg.svd(a, compute_uv=False))} for a in mats]


# ---------------------------------------------------------------------------
# Delphi: capture every _fit_richards call the exporter makes
# ---------------------------------------------------------------------------
def load_exporter():
    spec = importlib.util.spec_from_file_location("delphi_export_figures", EXPORTER)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["delphi_export_figures"] = mod
    spec.loader.exec_module(mod)
    return mod


def delphi_calls() -> list[dict]:
    mod = load_exporter()
    calls: list[dict] = []
    inner = mod._fit_richards

    def _fit_richards(x, y, *, floor, ceiling=None):
        out = inner(x, y, floor=floor, ceiling=ceiling)
        calls.append({"x": np.asarray(x, float).copy(), "y": np.asarray(y, float).copy(),
                      "floor": float(floor), "ceiling": ceiling, "result": out})
        return out

    mod._fit_richards = _fit_richards
    mmlu = mod.load_mmlu_runs(DATA / "mmlu.json")
    ext = mod.load_mmlu_external(DATA / "mmlu_external.json")
    he = mod.load_humaneval_runs(DATA / "humaneval.json")
    he_ext = mod.load_humaneval_external(DATA / "humaneval_external.json")
    gsm = mod.load_gsm8k_runs(DATA / "gsm8k.json")
    gsm_ext = mod.load_gsm8k_external(DATA / "gsm8k_external.json")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mod.build_mmlu_emergence_figure(mmlu, ext, he, gsm, humaneval_external_df=he_ext,
                                        gsm8k_external_df=gsm_ext)
    names = ["mmlu", "humaneval", "gsm8k"]
    # Cross-check against the reference facts.
    facts = json.loads(Path("/work/ref/delphi/facts/delphi.json").read_text())["richards_calls"]
    assert len(facts) == len(calls), (len(facts), len(calls))
    out = []
    for i, c in enumerate(calls):
        ref = facts[i]["result_k_x0_v_C"]
        got = None if c["result"] is None else list(c["result"])
        assert (ref is None) == (got is None) and (ref is None or ref == got), (ref, got)
        x, y, floor, ceiling = c["x"], c["y"], c["floor"], c["ceiling"]
        x_lo, x_hi = float(x.min()), float(x.max())
        # The exporter plots x = logprob / -bpb: a grid over the data range
        # and out to x = 0 (perfect model), where the 1e25 forecasts land.
        grid = np.linspace(x_lo - 1.0, 0.0, 200)
        if ceiling is None:
            f = richards_free(floor)
            p0 = [5.0, float(np.median(x)), 1.0, 0.95]
            lb, ub = [0.1, x_lo - 2.0, 0.1, floor + 0.05], [50.0, x_hi + 2.0, 20.0, 1.0]
        else:
            f = richards_pinned(floor, ceiling)
            p0 = [5.0, float(np.median(x)), 1.0]
            lb, ub = [0.1, x_lo - 2.0, 0.1], [50.0, x_hi + 2.0, 20.0]
        rec = run_problem(f"delphi_{names[i] if i < len(names) else i}", "richards", f, x, y, p0, lb, ub,
                          20000, grid)
        rec["floor"] = floor
        rec["ceiling"] = ceiling
        rec["exporter_result_k_x0_v_C"] = got
        if got is not None:
            assert rec["success"] and list(rec["popt"][:3]) == got[:3], (rec["popt"], got)
        # Sensitivity of scipy's own answer to last-bit differences in the
        # model (math.exp / math.pow instead of numpy's SIMD exp / power):
        # how far apart two faithful implementations may land.
        if ceiling is None:
            def f_libm(xv, k, x0, v, C, floor=floor):
                return np.array([floor + (C - floor) / __import__("math").pow(
                    1.0 + __import__("math").exp(-k * (t - x0)), v) for t in xv])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    p_libm, _ = curve_fit(f_libm, x, y, p0=p0, bounds=(lb, ub), maxfev=20000)
                rec["libm_popt"] = fl(p_libm)
                rec["libm_curve_maxdiff"] = float(np.max(np.abs(f(grid, *p_libm) - f(grid, *rec["popt"]))))
            except Exception as e:  # noqa: BLE001
                rec["libm_popt"] = None
                rec["libm_error"] = str(e)
        out.append(rec)
    return out


def main() -> None:
    lsq = {"about": "bounded curve_fit problems; see make_richards_fixtures.py", "versions": versions(),
           "problems": generic_problems(), "svd_cases": svd_cases()}
    (HERE / "lsq_problems.json").write_text(json.dumps(lsq, indent=1) + "\n")
    rich = {"about": "every _fit_richards call of the Delphi exporter; see make_richards_fixtures.py",
            "versions": versions(), "fits": delphi_calls()}
    (HERE / "richards_delphi.json").write_text(json.dumps(rich, indent=1) + "\n")
    for p in lsq["problems"] + rich["fits"]:
        print(f"{p['name']:32s} success={p['success']} status={p['status']} nfev={p['nfev']} popt={p['popt']}"
              + (f" libm={p.get('libm_popt')} dcurve={p.get('libm_curve_maxdiff')}" if "libm_popt" in p else ""))


if __name__ == "__main__":
    main()
