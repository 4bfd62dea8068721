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


def write(name, payload):
    payload = {"versions": versions(), **payload}
    path = os.path.join(HERE, name)
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


if __name__ == "__main__":
    which = sys.argv[1:] or ["numpy", "random", "fits"]
    if "numpy" in which:
        numpy_fixtures()
    if "random" in which and "random_fixtures" in globals():
        random_fixtures()
    if "fits" in which and "fits_fixtures" in globals():
        fits_fixtures()
