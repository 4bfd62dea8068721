"""Vega's regression and loess, computed independently of figpipe's Swift
code, for the fixture generators (make_vega_fixtures.py,
make_vega_example_fixtures.py).

The coefficients by numpy least squares
(np.polyfit; exp as ln(y) on x weighted by y, Vega's fit), R² as Vega
defines it (1 − SSE/SST against the mean of y), the sampled curves by a
recursive version of Vega's documented adaptive sampling (vega-statistics
sampleCurve), and loess by a direct implementation of its algorithm.
"""

import math

import numpy as np

def sample_curve(f, lo, hi, min_steps=25, max_steps=200):
    """Uniform grid of min_steps intervals; between neighbours, split at the
    midpoint (recursively, left half first) while the half-interval is at least
    span/max_steps and the chord and the line to the midpoint, in coordinates
    scaled by 1/span and 1/(y range of the grid), differ by over 0.5°."""
    span = hi - lo
    grid = [lo] + [lo + (i / min_steps) * span for i in range(1, min_steps)] + [hi]
    ys = [f(x) for x in grid]
    sx, sy = 1 / span, 1 / (max(ys) - min(ys))
    out = [(grid[0], ys[0])]

    def refine(p, r):
        mx = (p[0] + r[0]) / 2
        m = (mx, f(mx))
        a0 = math.atan2(sy * (r[1] - p[1]), sx * (r[0] - p[0]))
        a1 = math.atan2(sy * (m[1] - p[1]), sx * (m[0] - p[0]))
        if m[0] - p[0] >= span / max_steps and abs(a0 - a1) > 0.5 * math.pi / 180:
            refine(p, m)
            refine(m, r)
        else:
            out.append(r)

    for k in range(min_steps):
        refine(out[-1], (grid[k + 1], ys[k + 1]))
    return out


def r_squared(x, y, predict):
    return float(1 - np.sum((y - predict(x)) ** 2) / np.sum((y - y.mean()) ** 2))


def fit(method, x, y, order=3):
    """(coefficients, constant first; R²; prediction) by numpy least squares."""
    if method in ("linear", "quad", "poly"):
        degree = {"linear": 1, "quad": 2}.get(method, order)
        c = np.polyfit(x, y, degree)[::-1]
        predict = lambda v: np.polyval(c[::-1], v)
    elif method == "log":
        b, a = np.polyfit(np.log(x), y, 1)
        c = [a, b]
        predict = lambda v: a + b * np.log(v)
    elif method == "pow":
        b, la = np.polyfit(np.log(x), np.log(y), 1)
        c = [math.exp(la), b]
        predict = lambda v: c[0] * np.power(v, b)
    elif method == "exp":
        b, la = np.polyfit(x, np.log(y), 1, w=np.sqrt(y))
        c = [math.exp(la), b]
        predict = lambda v: c[0] * np.exp(b * v)
    return [float(v) for v in c], r_squared(x, y, predict), predict


def loess(x, y, bandwidth, iterations=2, eps=1e-12):
    """Vega's loess: sort by x; for each point, a weighted straight-line fit over
    its window of max(2, int(bandwidth·n)) neighbours (the window slides right
    while the next point is no farther from x_i than the window's left end);
    tricube weights by distance / distance to the farther window end (1 if 0),
    times robustness weights; two reweighting passes with the bisquare of
    residual/(6·median residual) (1e-12 past 1). Output: one point per distinct
    x; for repeated x, Vega's running average that starts its count at 0 (the
    second fit replaces the first, later ones are averaged with it)."""
    order = np.argsort(x, kind="stable")
    x, y = np.asarray(x)[order], np.asarray(y)[order]
    n = len(x)
    k = max(2, int(bandwidth * n))
    robust = np.ones(n)
    for it in range(iterations + 1):
        left = 0
        fits = np.zeros(n)
        for i in range(n):
            while i > left and left + k < n and x[left + k] - x[i] <= x[i] - x[left]:
                left += 1
            window = slice(left, left + k)
            far = max(abs(x[i] - x[left]), abs(x[left + k - 1] - x[i]))
            far = far if far != 0 else 1
            d = np.abs(x[window] - x[i]) / far
            w = (1 - d ** 3) ** 3 * robust[window]
            X = np.column_stack([np.ones(k), x[window]])
            W = np.diag(w)
            a, b = np.linalg.solve(X.T @ W @ X, X.T @ W @ y[window])
            fits[i] = a + b * x[i]
        if it == iterations:
            break
        resid = np.abs(y - fits)
        med = np.median(resid)
        if abs(med) < eps:
            break
        u = resid / (6 * med)
        robust = np.where(u >= 1, eps, (1 - u ** 2) ** 2)
    out = []
    count = 0
    for xi, fi in zip(x, fits):
        if out and out[-1][0] == xi:
            count += 1
            out[-1][1] += (fi - out[-1][1]) / count
        else:
            count = 0
            out.append([float(xi), float(fi)])
    return out


