"""Writes the Numerics test fixtures (numpy_*.json, random_*.json, fits_*.json).

Run with the reference environment:
    /work/main/.venv-ref/bin/python Tests/NumericsTests/Fixtures/make_numpy_fixtures.py

Doubles are written with repr (JSON numbers round-trip exactly); NaN and infinities are
written as the strings "nan", "inf", "-inf". Integers are JSON numbers. Each file records
the library versions that made it.
"""
import json
import math
import os
import platform
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def versions():
    v = {"python": platform.python_version(), "numpy": np.__version__}
    try:
        import scipy
        v["scipy"] = scipy.__version__
    except ImportError:
        pass
    try:
        import sklearn
        v["scikit-learn"] = sklearn.__version__
    except ImportError:
        pass
    try:
        import pandas
        v["pandas"] = pandas.__version__
    except ImportError:
        pass
    return v


def enc(x):
    """JSON-ready value: floats by repr (non-finite as strings), ints as ints."""
    if isinstance(x, dict):
        return {k: enc(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [enc(v) for v in x]
    if isinstance(x, np.ndarray):
        return [enc(v) for v in x.tolist()]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if x is None:
        return None
    return x


# The family fits' fixtures live with the families' tests (DelphiFits, EntropyFits).
DELPHI_FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "DelphiFiguresTests", "Fixtures")
ENTROPY_FIXTURES = os.path.join(os.path.dirname(os.path.dirname(HERE)), "EntropyFiguresTests", "Fixtures")


def write(name, payload, folder=HERE):
    payload = {"versions": versions(), **payload}
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        json.dump(enc(payload), f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: {os.path.getsize(path)} bytes")


# ---------------------------------------------------------------------------
# numpy_*: deterministic numerics
# ---------------------------------------------------------------------------

def numpy_fixtures():
    rng = np.random.default_rng(12345)

    def data(n, spread=3.0):
        return rng.standard_normal(n) * 10.0 ** rng.uniform(-spread, spread, n)

    linspace = []
    for start, stop, num, endpoint in [
        (0.0, 1.0, 50, True), (0.0, 1.0, 50, False), (-3.7, 12.25, 7, True), (1e-3, 1e3, 101, True),
        (5.0, 5.0, 4, True), (2.0, -1.0, 13, False), (0.0, 1.0, 1, True), (0.0, 1.0, 1, False),
        (0.0, 1.0, 0, True), (0.0, 5e-324 * 3, 5, True), (19.0, 24.5, 400, True), (0.1, 0.7, 100, True),
        (math.log10(3e19), math.log10(2e24), 200, True),
    ]:
        linspace.append({"start": start, "stop": stop, "num": num, "endpoint": endpoint,
                         "out": np.linspace(start, stop, num, endpoint=endpoint)})
    logspace = []
    for start, stop, num, endpoint, base in [
        (0.0, 3.0, 10, True, 10.0), (-2.0, 2.0, 50, True, 10.0), (18.0, 25.0, 400, True, 10.0),
        (0.0, 1.0, 8, False, 2.0), (1.0, 4.0, 31, True, math.e),
    ]:
        logspace.append({"start": start, "stop": stop, "num": num, "endpoint": endpoint, "base": base,
                         "out": np.logspace(start, stop, num, endpoint=endpoint, base=base)})

    polyfit = []
    for n, deg in [(5, 1), (12, 1), (40, 1), (3, 2), (7, 2), (25, 2), (60, 2), (9, 3)]:
        x = np.sort(rng.uniform(-2, 5, n))
        y = 0.7 * x ** 2 - 1.3 * x + 0.2 + rng.normal(0, 0.3, n) if deg >= 2 else 2.5 * x - 1 + rng.normal(0, 0.5, n)
        polyfit.append({"x": x, "y": y, "deg": deg, "out": np.polyfit(x, y, deg)})
    # the shapes the fits see: log10 compute vs log10 loss, quadratic in log space
    for n in [4, 6, 9]:
        x = np.log(np.sort(rng.uniform(1e18, 1e21, n)))
        y = 0.01 * (x - 45) ** 2 + 0.3 + rng.normal(0, 0.002, n)
        polyfit.append({"x": x, "y": y, "deg": 2, "out": np.polyfit(x, y, 2)})
        polyfit.append({"x": x, "y": y, "deg": 1, "out": np.polyfit(x, y, 1)})

    polyval = []
    for p in [[1.0], [2.0, -1.0], [0.7, -1.3, 0.2], [1e-3, -2.0, 3.0, 0.5]]:
        x = data(9, 1)
        polyval.append({"p": p, "x": x, "out": np.polyval(p, x)})

    stats = []
    for n in [1, 2, 3, 7, 8, 9, 16, 17, 100, 127, 128, 129, 255, 256, 300, 2049]:
        a = data(n)
        stats.append({
            "a": a, "sum": np.sum(a), "mean": np.mean(a), "var0": np.var(a), "var1": np.var(a, ddof=1) if n > 1 else None,
            "std0": np.std(a), "std1": np.std(a, ddof=1) if n > 1 else None, "median": np.median(a),
        })

    quantile = []
    qs = [0.0, 0.025, 0.1, 0.25, 0.3, 0.5, 0.5 + 1e-9, 0.75, 0.9, 0.975, 1.0]
    ps = [0.0, 2.5, 10.0, 25.0, 50.0, 75.0, 97.5, 99.0, 100.0]
    for n in [1, 2, 3, 4, 5, 10, 11, 100, 200, 201]:
        a = data(n)
        quantile.append({"a": a, "q": qs, "quantile": np.quantile(a, qs), "p": ps, "percentile": np.percentile(a, ps)})
    a = [1.0, 2.0, float("nan"), 0.5]
    quantile.append({"a": a, "q": [0.5], "quantile": np.quantile(a, [0.5]), "p": [50.0], "percentile": np.percentile(a, [50.0])})

    histogram = []
    for n, bins, rng_ in [(100, 10, None), (400, 37, None), (57, 5, (-1.0, 1.0)), (500, 50, None),
                          (10, 3, None), (0, 4, None), (200, 64, (-0.3, 0.8))]:
        a = rng.normal(0, 1, n)
        counts, edges = np.histogram(a, bins=bins, range=rng_)
        dens, _ = np.histogram(a, bins=bins, range=rng_, density=True) if n else (counts, None)
        histogram.append({"a": a, "bins": bins, "range": rng_, "counts": counts, "edges": edges, "density": dens})
    # values exactly on edges
    a = np.linspace(0, 1, 11)
    counts, edges = np.histogram(a, bins=10)
    histogram.append({"a": a, "bins": 10, "range": None, "counts": counts, "edges": edges, "density": np.histogram(a, bins=10, density=True)[0]})
    a = np.array([3.0, 3.0, 3.0])
    counts, edges = np.histogram(a, bins=4)
    histogram.append({"a": a, "bins": 4, "range": None, "counts": counts, "edges": edges, "density": np.histogram(a, bins=4, density=True)[0]})
    hist_edges = []
    for n, e in [(100, [-3, -1, 0, 0.5, 2, 3]), (50, [-1, 1]), (300, list(np.linspace(-2, 2, 17)))]:
        a = rng.normal(0, 1, n)
        a[:3] = [e[0], e[-1], e[1]]
        counts, edges = np.histogram(a, bins=np.asarray(e, dtype=float))
        hist_edges.append({"a": a, "edges": edges, "counts": counts})

    unique = []
    for a in [[3.0, 1.0, 2.0, 3.0, 1.0], [float("nan"), 1.0, float("nan"), -2.0], list(np.round(data(40, 1), 1)), []]:
        unique.append({"a": a, "out": np.unique(np.asarray(a, dtype=float))})

    argsort = []
    for a in [[3.0, 1.0, 2.0, 3.0, 1.0], list(np.round(rng.normal(0, 1, 60), 1)), [2.0, float("nan"), 1.0, float("nan"), 0.0]]:
        argsort.append({"a": a, "out": np.argsort(np.asarray(a, dtype=float), kind="stable")})

    # round_sig as the Delphi exporter does it
    def round_sig(x, sig=2):
        x = float(x)
        if x == 0 or np.isnan(x):
            return x
        return float(f"{x:.{sig}g}")
    round_sig_cases = []
    for x in list(data(40, 12)) + [0.125, 0.135, 2.5, 3.5, 1.05, 1.15, 9.95, 99.5, 1e23, 123456789.0, -0.0045, 0.0]:
        for sig in [1, 2, 3, 4]:
            round_sig_cases.append({"x": x, "sig": sig, "out": round_sig(x, sig)})

    clip = []
    for a, lo, hi in [(data(20, 1), -0.5, 0.5), ([float("nan"), 1.0, -1.0], 0.0, 0.5)]:
        clip.append({"a": a, "lo": lo, "hi": hi, "out": np.clip(np.asarray(a, dtype=float), lo, hi)})

    write("numpy_fixtures.json", {
        "linspace": linspace, "logspace": logspace, "polyfit": polyfit, "polyval": polyval, "stats": stats,
        "quantile": quantile, "histogram": histogram, "histogram_edges": hist_edges, "unique": unique,
        "argsort": argsort, "round_sig": round_sig_cases, "clip": clip,
    })


# ---------------------------------------------------------------------------
# random_*: numpy Generator / PCG64 / SeedSequence streams
# ---------------------------------------------------------------------------

def words32(n):
    out = []
    if n == 0:
        return [0]
    while n > 0:
        out.append(n & 0xFFFFFFFF)
        n >>= 32
    return out


def random_fixtures():
    from numpy.random import SeedSequence, default_rng

    seeds = [0, 1, 42, 12345, 2**32 - 1, 2**32, 2**63 + 5, 2**64 - 1, 2**100 + 7, 123456789012345678901234567890]
    seedseq = []
    for s in seeds:
        ss = SeedSequence(s)
        seedseq.append({"seed_words": words32(s), "pool": ss.pool, "state32": ss.generate_state(8, np.uint32),
                        "state64": ss.generate_state(4, np.uint64)})
    ss = SeedSequence([3, 2**40 + 1, 7])
    seedseq_seq = {"sequence": [3, 2**40 + 1, 7], "pool": ss.pool, "state32": ss.generate_state(8, np.uint32)}

    def after(rng):
        # the stream position after a call: integers() uses the buffered 32-bit half, random() does not
        return {"ints": rng.integers(0, 1000, size=3), "double": rng.random()}

    random = []
    for s in [0, 1, 42, 12345, 2**64 - 1]:
        rng = default_rng(s)
        random.append({"seed": s, "out": rng.random(20)})

    integers = []
    for s, low, high, size in [
        (0, 0, 10, 20), (42, 0, 5, 5), (1, -5, 5, 31), (7, 0, 2**32, 8), (7, 0, 2**32 + 1, 8), (7, 0, 2**32 - 1, 8),
        (3, 0, 2**40, 10), (3, -2**62, 2**62, 10), (3, -(2**63), 2**63 - 1, 5), (9, 5, 6, 4), (9, 10**12, 10**12 + 3, 9),
        (11, 0, 1, 3), (12, 0, 3, 7),
    ] + [(s, 0, n, n) for s in [0, 1, 42] for n in [3, 5, 8, 13, 17, 29]]:
        rng = default_rng(s)
        integers.append({"seed": s, "low": low, "high": high, "size": size, "out": rng.integers(low, high, size=size),
                         "after": after(rng)})
    # interleaving: the buffered upper half survives random() calls
    rng = default_rng(5)
    a = rng.integers(0, 10, size=3)
    b = rng.random(2)
    c = rng.integers(0, 10, size=3)
    d = rng.integers(0, 2**40, size=2)
    e = rng.integers(0, 7, size=1)
    f = int(rng.integers(0, 7))
    interleaved = {"seed": 5, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "after": after(rng)}

    choice = []
    for s, n, size, replace, shuffle in [
        (0, 2048, 256, False, True), (1, 2048, 256, False, True), (42, 2048, 256, False, True),
        (0, 20000, 1000, False, True), (1, 20000, 401, False, True), (2, 20000, 100, False, True),
        (3, 10001, 300, False, True), (4, 12000, 700, False, False), (4, 12000, 500, False, False),
        (5, 10, 20, True, True), (6, 5, 3, False, True), (7, 5, 5, False, True), (8, 100, 0, False, True),
        (9, 3000, 3000, False, True), (10, 64, 60, False, False), (0, 50000, 1200, False, True),
        (0, 2**40, 6, True, True), (13, 7, 1, False, True),
    ]:
        rng = default_rng(s)
        choice.append({"seed": s, "n": n, "size": size, "replace": replace, "shuffle": shuffle,
                       "out": rng.choice(n, size, replace=replace, shuffle=shuffle), "after": after(rng)})

    permutation = []
    for s, n in [(0, 1), (0, 2), (1, 10), (2, 100), (3, 1000)]:
        rng = default_rng(s)
        permutation.append({"seed": s, "n": n, "out": rng.permutation(n), "after": after(rng)})
    shuffle = []
    for s, n in [(0, 7), (4, 33)]:
        rng = default_rng(s)
        x = list(range(100, 100 + n))
        rng.shuffle(x)
        shuffle.append({"seed": s, "n": n, "out": x, "after": after(rng)})

    uniform = []
    for s, lo, hi, size in [(0, -2.0, 3.0, 10), (8, 1e-3, 1e3, 5)]:
        rng = default_rng(s)
        uniform.append({"seed": s, "low": lo, "high": hi, "size": size, "out": rng.uniform(lo, hi, size)})

    write("random_fixtures.json", {
        "seedseq": seedseq, "seedseq_sequence": seedseq_seq, "random": random, "integers": integers,
        "interleaved": interleaved, "choice": choice, "permutation": permutation, "shuffle": shuffle,
        "uniform": uniform,
    })


# ---------------------------------------------------------------------------
# fits_*: the Delphi exporter's fits on the sample data, and the ΔH notebook fits
# ---------------------------------------------------------------------------

REFERENCE = "/work/shared/reference/delphi_export_figures.py"
DELPHI_DATA = "/work/main/data/delphi"
DELPHI_FACTS = "/work/ref/delphi/facts/delphi.json"


def load_delphi_module():
    """The exporter, loaded as shared/reference/run_delphi.py loads it."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("delphi_export_figures", REFERENCE)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["delphi_export_figures"] = mod
    spec.loader.exec_module(mod)
    return mod


def fit_dict(f):
    return {"ok": bool(f["ok"]), "L_inf": f["L_inf"], "A": f["A"], "alpha": f["alpha"], "sse_log": f["sse_log"]}


def fits_fixtures():
    import time
    from pathlib import Path
    mod = load_delphi_module()
    df = mod.load_runs(Path(DELPHI_DATA) / "runs.json")
    df = mod.subsample_cadamc_to_adamh_grid(df)
    fits, optima, gflop_groups, unique_quantizers = mod.compute_optima(df)

    # fit_parabola on every IsoFLOP bucket, inputs as compute_optima passes them
    iso = df[df["run_type"] == "isoflop"]
    parabolas = []
    for (q, g), f in fits.items():
        sub = iso[(iso["quantizer"] == q) & (iso["gflops_q"] == g)]
        parabolas.append({
            "quantizer": q, "gflops": g,
            "tokens": sub["tokens"].to_numpy(float), "loss": sub["loss"].to_numpy(float),
            "params": sub["params"].to_numpy(float),
            "fit": {k: getattr(f, k) for k in ["a", "b", "c", "logT_star", "T_star", "loss_star", "P_star", "a_under", "a_over"]},
        })

    # the asymptotic fits, on the per-optimizer optima as the scaling-law figure builds them
    per_q = {}
    for q in sorted(optima["quantizer"].unique().tolist()):
        sub = optima[optima["quantizer"] == q].sort_values("C_flops")
        per_q[q] = (sub["C_flops"].to_numpy(float), sub["loss_star"].to_numpy(float))
    series = [{"name": q, "C": C, "y": y} for q, (C, y) in per_q.items()]
    per_q_fit = {q: fit_dict(f) for q, f in mod.fit_asymptotic_powerlaw_per_q(per_q).items()}
    per_q_fit100 = {q: fit_dict(f) for q, f in mod.fit_asymptotic_powerlaw_per_q(per_q, n_grid=100).items()}
    shared_fit = {q: fit_dict(f) for q, f in mod.fit_asymptotic_powerlaw_shared_linf(per_q).items()}
    # unsorted input with a too-short series, for the skip rules
    odd = {"short": (np.array([3e19]), np.array([3.1])), **{q: (C[::-1], y[::-1]) for q, (C, y) in per_q.items()}}
    odd_series = [{"name": q, "C": C, "y": y} for q, (C, y) in odd.items()]
    odd_per_q = {q: fit_dict(f) for q, f in mod.fit_asymptotic_powerlaw_per_q(odd).items()}
    odd_shared = {q: fit_dict(f) for q, f in mod.fit_asymptotic_powerlaw_shared_linf(odd).items()}
    power_at = []
    C, y = per_q[mod.ADAMH_LABEL]
    for Linf in [0.0, 1.0, 1.9, 2.5, float(np.min(y))]:
        f = mod._fit_power_at_linf(C, y, Linf)
        power_at.append({"L_inf": Linf, "fit": None if f is None else fit_dict(f)})

    # the bootstrap exactly as build_lucky_seeds_figure calls it
    q = mod.ADAMH_LABEL
    optima_q = optima[optima["quantizer"] == q].sort_values("C_flops")
    C_train = optima_q["C_flops"].to_numpy(float)
    y_train = optima_q["loss_star"].to_numpy(float)
    targets = [1e21, 1e22, 1e23]
    t0 = time.perf_counter()
    ci = mod._bootstrap_scaling_fit_ci(C_train, y_train, targets, n_boot=1000)
    print(f"reference bootstrap: {time.perf_counter() - t0:.2f} s")
    facts = json.load(open(DELPHI_FACTS))
    ref_ci = facts["lucky_seeds"]["bootstrap_ci"]
    for t in targets:
        assert list(ci[t]) == ref_ci[repr(t)], (t, ci[t], ref_ci[repr(t)])
    # a short bootstrap on 3 points: many draws have < 3 distinct C
    ci_small = mod._bootstrap_scaling_fit_ci(C_train[:3], y_train[:3], [1e21], n_boot=50, rng_seed=7)
    ci_none = mod._bootstrap_scaling_fit_ci(C_train[:2], y_train[:2], [1e21], n_boot=20)

    richards = []
    for call in facts["richards_calls"]:
        k, x0, v, Cc = call["result_k_x0_v_C"]
        floor = call["floor"]
        for target in [floor + 0.5 * (Cc - floor), Cc - 1.0 / 100.0]:
            richards.append({"k": k, "x0": x0, "v": v, "target": target, "floor": floor, "ceiling": Cc,
                             "out": mod._invert_richards(k, x0, v, target=target, floor=floor, ceiling=Cc)})

    round_sig = [{"x": x, "sig": s, "out": mod.round_sig(x, s)}
                 for x in [0.0, float("nan"), 1234.5, 0.0001234, -98.76, 2.5e21, 1.0] for s in [1, 2, 3]]

    write("fits_delphi.json", {
        "source": {"script": REFERENCE, "data": DELPHI_DATA, "facts": DELPHI_FACTS},
        "parabolas": parabolas, "series": series, "per_q": per_q_fit, "per_q_100": per_q_fit100,
        "shared": shared_fit, "odd_series": odd_series, "odd_per_q": odd_per_q, "odd_shared": odd_shared,
        "power_at_linf": power_at,
        "bootstrap": {"C": C_train, "y": y_train, "targets": targets, "ci": [list(ci[t]) for t in targets]},
        "bootstrap_small": {"C": C_train[:3], "y": y_train[:3], "targets": [1e21], "seed": 7, "n_boot": 50,
                            "ci": [list(ci_small[1e21])]},
        "bootstrap_none": {"C": C_train[:2], "y": y_train[:2], "targets": [1e21], "n_boot": 20,
                           "ci": [list(ci_none[1e21])]},
        "richards": richards, "round_sig": round_sig,
    }, folder=DELPHI_FIXTURES)

    # ΔH notebook fits (entropy_notebooks.py cells 8-10), the notebook's formulas verbatim
    rng = np.random.default_rng(2024)
    entropy = []
    for n, sign in [(6, 1.0), (9, -1.0), (12, 1.0), (4, 1.0)]:
        eta_vals = np.sort(10.0 ** rng.uniform(-4, -2, n))
        delta_true = sign * 3.0 * eta_vals ** 1.3 * np.exp(rng.normal(0, 0.1, n))
        abs_true = np.abs(delta_true)
        log_eta = np.log(eta_vals)
        log_true = np.log(abs_true)
        slope, intercept = np.polyfit(log_eta, log_true, 1)
        ss_tot = np.sum((log_true - log_true.mean()) ** 2)
        ss_res = np.sum((log_true - (slope * log_eta + intercept)) ** 2)
        r_squared = 1.0 - ss_res / ss_tot if ss_tot > 0 else np.nan
        sign_true = np.sign(delta_true.mean()) or 1.0
        fit_eta = np.logspace(np.log10(eta_vals.min()), np.log10(eta_vals.max()), 200)
        fit_abs = np.exp(intercept) * fit_eta ** slope
        coeffs = np.polyfit(eta_vals, delta_true, 1)
        slope_lin, intercept_lin = coeffs
        fit = np.poly1d(coeffs)
        ss_tot_l = np.sum((delta_true - delta_true.mean()) ** 2)
        ss_res_l = np.sum((delta_true - fit(eta_vals)) ** 2)
        r_squared_l = 1.0 - ss_res_l / ss_tot_l if ss_tot_l > 0 else np.nan
        entropy.append({"eta": eta_vals, "delta_true": delta_true, "slope": slope, "intercept": intercept,
                        "r_squared": r_squared, "sign": sign_true, "fit_eta": fit_eta[::20], "fit_abs": fit_abs[::20],
                        "slope_linear": slope_lin, "intercept_linear": intercept_lin, "r_squared_linear": r_squared_l})
    # constant data: ss_tot == 0 gives NaN
    eta_vals = np.array([1e-3, 2e-3, 4e-3])
    delta_true = np.array([0.5, 0.5, 0.5])
    log_true = np.log(np.abs(delta_true))
    log_eta = np.log(eta_vals)
    slope, intercept = np.polyfit(log_eta, log_true, 1)
    ss_tot = np.sum((log_true - log_true.mean()) ** 2)
    coeffs = np.polyfit(eta_vals, delta_true, 1)
    entropy_const = {"eta": eta_vals, "delta_true": delta_true, "slope": slope, "intercept": intercept,
                     "ss_tot": ss_tot, "slope_linear": coeffs[0], "intercept_linear": coeffs[1]}
    write("fits_entropy.json", {"source": "entropy_notebooks.py cells 8-10", "cases": entropy, "constant": entropy_const},
          folder=ENTROPY_FIXTURES)


if __name__ == "__main__":
    which = sys.argv[1:] or ["numpy", "random", "fits"]
    if "numpy" in which:
        numpy_fixtures()
    if "random" in which and "random_fixtures" in globals():
        random_fixtures()
    if "fits" in which and "fits_fixtures" in globals():
        fits_fixtures()
