#!/usr/bin/env python3
"""Fixtures for the MT19937, L-BFGS-B and Gaussian-process tests.

    /work/main/.venv-ref/bin/python Tests/NumericsTests/Fixtures/make_gp_fixtures.py \
        [--reference DIR] [--data DIR]

DIR defaults: ``<repo>/../shared/reference`` (the Delphi exporter) and
``<repo>/data/delphi`` (its sample caches; falls back to /work/main/data/delphi).

Writes, next to this script:

* ``mt_random_state.json``: ``np.random.RandomState(seed).random_sample(n)``
  and ``.uniform(low_array, high_array)`` streams for several seeds, plus the
  exact sequence scikit-learn draws for GP optimizer restarts.
* ``lbfgsb_problems.json``: a few bound-constrained problems solved by
  ``scipy.optimize.minimize(method='L-BFGS-B', jac=True)`` with scipy's
  defaults (x, fun, nit, nfev).
* ``gp_delphi_cells.json``: for every cell of the Delphi hparam-sweep figure
  (``build_hparam_sweep_figure``), the exact GP inputs (scaled X, y, the raw X
  the StandardScaler saw), sklearn's optimized ``kernel_.theta`` and
  ``log_marginal_likelihood_value_``, every optimizer start and optimum, the
  LML and gradient at the initial theta, and each ``_gp_pdp`` call's inputs
  and outputs. One cell also gets a full ``predict(return_cov/return_std)``.

Tests never run Python; rerun this script only when the reference changes.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.optimize
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


def versions() -> dict:
    return {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "scikit-learn": sklearn.__version__,
    }


def floats(a) -> list:
    out = np.asarray(a, dtype=float).tolist()
    return out


OUT = HERE  # --out


def dump(name: str, obj: dict) -> None:
    path = OUT / name
    path.write_text(json.dumps(obj, allow_nan=False) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


# ---------------------------------------------------------------------------
# MT19937 / RandomState
# ---------------------------------------------------------------------------
def mt_fixtures() -> dict:
    cases = []
    for seed in (0, 1, 42, 12345, 2**32 - 1):
        rs = np.random.RandomState(seed)
        sample = rs.random_sample(1000)
        rs2 = np.random.RandomState(seed)
        low = np.array([-11.512925464970229, -3.0, 0.0, 5.0, -1e3])
        high = np.array([11.512925464970229, 2.5, 1.0, 5.5, 1e3])
        uni = [floats(rs2.uniform(low, high)) for _ in range(4)]
        cases.append({
            "seed": seed,
            "random_sample": floats(sample),
            "uniform_low": floats(low),
            "uniform_high": floats(high),
            "uniform_draws": uni,
        })
    st = np.random.RandomState(42).get_state()
    # sklearn's restarts for the GP: bounds are log(1e-5), log(1e5).
    rng = np.random.RandomState(42)
    b = np.log(np.array([[1e-5, 1e5], [1e-5, 1e5]]))
    restarts = [floats(rng.uniform(b[:, 0], b[:, 1])) for _ in range(3)]
    return {
        "versions": versions(),
        "cases": cases,
        "seed42_state_head": [int(v) for v in st[1][:8]],
        "gp_restart_bounds": floats(b),
        "gp_restart_thetas": restarts,
    }


# ---------------------------------------------------------------------------
# L-BFGS-B
# ---------------------------------------------------------------------------
def rosen(x):
    x = np.asarray(x, dtype=float)
    f = np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)
    g = np.zeros_like(x)
    g[:-1] += -400.0 * x[:-1] * (x[1:] - x[:-1] ** 2) - 2.0 * (1.0 - x[:-1])
    g[1:] += 200.0 * (x[1:] - x[:-1] ** 2)
    return float(f), g


QUAD_A = np.array([[4.0, 1.0, 0.5, 0.0], [1.0, 3.0, 0.2, 0.1], [0.5, 0.2, 2.0, 0.3], [0.0, 0.1, 0.3, 1.5]])
QUAD_B = np.array([-8.0, 3.0, -1.0, 2.0])


def quad(x):
    x = np.asarray(x, dtype=float)
    f = 0.5 * x @ QUAD_A @ x + QUAD_B @ x
    return float(f), QUAD_A @ x + QUAD_B


def lbfgsb_fixtures() -> dict:
    problems = []

    def run(name, kind, x0, bounds, options=None):
        fun = {"rosenbrock": rosen, "quadratic": quad}[kind]
        res = scipy.optimize.minimize(fun, np.asarray(x0, float), method="L-BFGS-B", jac=True, bounds=bounds,
                                      options=options)
        problems.append({
            "name": name,
            "kind": kind,
            "options": options or {},
            "x0": floats(x0),
            # null = unbounded on that side
            "lower": [b[0] for b in bounds],
            "upper": [b[1] for b in bounds],
            "x": floats(res.x),
            "fun": float(res.fun),
            "nit": int(res.nit),
            "nfev": int(res.nfev),
            "status": int(res.status),
            "message": str(res.message),
        })

    inf = None
    run("rosen2_inactive", "rosenbrock", [-1.2, 1.0], [(-5.0, 5.0), (-5.0, 5.0)])
    run("rosen2_active", "rosenbrock", [-1.2, 1.0], [(-2.0, 0.5), (-1.0, 2.0)])
    run("rosen5_inactive", "rosenbrock", [-1.0, 1.5, -0.5, 0.8, 1.2], [(-10.0, 10.0)] * 5)
    run("rosen5_active", "rosenbrock", [-1.0, 1.5, -0.5, 0.8, 1.2],
        [(-2.0, 0.7), (0.0, 2.0), (-2.0, 2.0), (0.3, 0.6), (-1.0, 1.0)])
    run("rosen3_halfbounded", "rosenbrock", [3.0, -2.0, 0.5], [(1.5, inf), (inf, 1.0), (inf, inf)])
    run("quad4_box", "quadratic", [0.0, 0.0, 0.0, 0.0], [(-1.0, 1.0), (-0.5, 0.5), (0.0, 2.0), (-3.0, -1.5)])
    run("quad4_unbounded", "quadratic", [1.0, 1.0, 1.0, 1.0], [(inf, inf)] * 4)
    run("rosen5_maxiter7", "rosenbrock", [-1.0, 1.5, -0.5, 0.8, 1.2], [(-10.0, 10.0)] * 5, {"maxiter": 7})
    run("rosen5_m3_ftol", "rosenbrock", [-1.0, 1.5, -0.5, 0.8, 1.2], [(-10.0, 10.0)] * 5,
        {"maxcor": 3, "ftol": 1e-12, "gtol": 1e-9})
    run("rosen2_maxls2", "rosenbrock", [-1.2, 1.0], [(-5.0, 5.0), (-5.0, 5.0)], {"maxls": 2})
    run("quad4_x0_outside", "quadratic", [5.0, -5.0, 5.0, 5.0], [(-1.0, 1.0), (-0.5, 0.5), (0.0, 2.0), (-3.0, -1.5)])
    return {"versions": versions(), "quadratic_A": floats(QUAD_A), "quadratic_b": floats(QUAD_B), "problems": problems}


# ---------------------------------------------------------------------------
# Gaussian process: the Delphi hparam-sweep cells
# ---------------------------------------------------------------------------
def load_exporter(ref: Path):
    spec = importlib.util.spec_from_file_location("delphi_export_figures", ref / "delphi_export_figures.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["delphi_export_figures"] = mod
    spec.loader.exec_module(mod)
    return mod


def gp_fixtures(ref: Path, data: Path) -> dict:
    mod = load_exporter(ref)
    cells: list[dict] = []
    by_gp: dict[int, dict] = {}

    orig_fit = GaussianProcessRegressor.fit
    orig_opt = GaussianProcessRegressor._constrained_optimization

    def fit(self, X, y):
        caller = sys._getframe(1).f_locals
        cell = {
            "batch_size": int(caller["B"]),
            "hidden_dim": int(caller["hidden"]),
            "token_bucket": caller["bucket_label"],
            "keys": list(caller["keys"]),
            "X_raw": floats(caller["X_raw"]),
            "X": floats(X),
            "y": floats(y),
            "theory_scaled": floats(caller["theory_scaled"]),
            "kernel_repr_before": str(self.kernel),
            "alpha": float(self.alpha),
            "n_restarts_optimizer": int(self.n_restarts_optimizer),
            "random_state": self.random_state,
            "optimizer_runs": [],
            "pdp": [],
        }
        self._fixture_cell = cell
        out = orig_fit(self, X, y)
        cell["kernel_repr"] = str(self.kernel_)
        cell["theta"] = floats(self.kernel_.theta)
        cell["bounds"] = floats(self.kernel_.bounds)
        cell["log_marginal_likelihood"] = float(self.log_marginal_likelihood_value_)
        theta0 = self.kernel.theta
        lml0, grad0 = self.log_marginal_likelihood(theta0, eval_gradient=True)
        cell["theta_initial"] = floats(theta0)
        cell["lml_at_initial"] = float(lml0)
        cell["lml_grad_at_initial"] = floats(grad0)
        lmlo, grado = self.log_marginal_likelihood(self.kernel_.theta, eval_gradient=True)
        cell["lml_grad_at_optimum"] = floats(grado)
        cell["L_diag"] = floats(np.diag(self.L_))
        cell["alpha_vec"] = floats(self.alpha_)
        by_gp[id(self)] = cell
        cells.append(cell)
        return out

    def constrained(self, obj_func, initial_theta, bounds):
        theta_opt, func_min = orig_opt(self, obj_func, initial_theta, bounds)
        self._fixture_cell["optimizer_runs"].append({
            "initial_theta": floats(initial_theta),
            "theta": floats(theta_opt),
            "neg_lml": float(func_min),
        })
        return theta_opt, func_min

    gp_pdp = mod._gp_pdp

    def _gp_pdp(gp, X, feature_idx, *args, **kwargs):
        out = gp_pdp(gp, X, feature_idx, *args, **kwargs)
        include = kwargs.get("include_point", args[1] if len(args) > 1 else None)
        grid_res = kwargs.get("grid_resolution", args[0] if len(args) > 0 else 80)
        cell = by_gp[id(gp)]
        x_grid, mean, std = out
        cell["pdp"].append({
            "feature_idx": int(feature_idx),
            "grid_resolution": int(grid_res),
            "include_point": None if include is None else float(include),
            "x_grid": floats(x_grid),
            "mean": floats(mean),
            "std": floats(std),
        })
        if len(by_gp) == 1 and feature_idx == 0:
            # A full predict() on the first grid point of the first cell.
            X_mod = np.array(X, copy=True)
            X_mod[:, 0] = x_grid[0]
            mu, cov = gp.predict(X_mod, return_cov=True)
            mu2, sd = gp.predict(X_mod, return_std=True)
            cell["predict_check"] = {
                "X": floats(X_mod), "mean": floats(mu), "cov": floats(cov), "std": floats(sd),
            }
        return out

    GaussianProcessRegressor.fit = fit
    GaussianProcessRegressor._constrained_optimization = constrained
    mod._gp_pdp = _gp_pdp
    try:
        df = mod.load_sweep_runs(data / "hparam_sweep.json")
        mod.build_hparam_sweep_figure(df)
    finally:
        GaussianProcessRegressor.fit = orig_fit
        GaussianProcessRegressor._constrained_optimization = orig_opt
        mod._gp_pdp = gp_pdp
    return {
        "versions": versions(),
        "source": "shared/reference/delphi_export_figures.py build_hparam_sweep_figure on data/delphi/hparam_sweep.json",
        "kernel": "Matern(nu=2.5) + WhiteKernel(noise_level=0.01)",
        "cells": cells,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference")
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=HERE, help="where to write (default: beside this script)")
    ap.add_argument("--cells-only", action="store_true",
                    help="only gp_delphi_cells.json (make bench uses it on generated data)")
    args = ap.parse_args()
    global OUT
    OUT = args.out
    OUT.mkdir(parents=True, exist_ok=True)
    data = args.data
    if data is None:
        data = REPO / "data" / "delphi"
        if not (data / "hparam_sweep.json").exists():
            data = Path("/work/main/data/delphi")
    if not (args.reference / "delphi_export_figures.py").exists():
        args.reference = Path("/work/shared/reference")
    if not args.cells_only:
        dump("mt_random_state.json", mt_fixtures())
        dump("lbfgsb_problems.json", lbfgsb_fixtures())
    import time
    t0 = time.perf_counter()
    cells = gp_fixtures(args.reference, data)
    print(f"python: build_hparam_sweep_figure with recording: {time.perf_counter() - t0:.2f} s, "
          f"{len(cells['cells'])} cells", file=sys.stderr)
    dump("gp_delphi_cells.json", cells)
    return 0


if __name__ == "__main__":
    sys.exit(main())
