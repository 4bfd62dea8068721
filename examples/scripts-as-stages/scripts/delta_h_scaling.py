"""How does the entropy change scale with the learning-rate step?

Reads the ΔH summary table figpipe wrote (one row per η: the mean and standard
deviation of ΔH_true over the E=512 runs), fits log|ΔH| = a + b·log η with
numpy, and draws the points with the fitted power law with matplotlib.

    python3 delta_h_scaling.py SUMMARY.csv FIGURE.png FIT.json
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def main(table_path, figure_path, fit_path):
    table = np.genfromtxt(table_path, delimiter=",", names=True)
    eta = table["eta"]
    size = np.abs(table["delta_true_mean"])
    spread = table["delta_true_std"]
    slope, intercept = np.polyfit(np.log(eta), np.log(size), 1)
    predicted = intercept + slope * np.log(eta)
    residual = np.log(size) - predicted
    r2 = 1.0 - np.sum(residual**2) / np.sum((np.log(size) - np.mean(np.log(size))) ** 2)
    print(f"{len(eta)} step sizes; |ΔH| ∝ η^{slope:.4f} (R² = {r2:.6f})")

    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.errorbar(eta, size, yerr=spread, fmt="o", ms=4, capsize=3, label="E=512 runs, mean ± std")
    grid = np.geomspace(eta.min(), eta.max(), 100)
    ax.plot(grid, np.exp(intercept) * grid**slope, "-", label=f"fit: |ΔH| ∝ η^{slope:.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning-rate step η")
    ax.set_ylabel("|ΔH_true|")
    ax.set_title("Entropy change against step size")
    ax.legend(frameon=False)
    fig.tight_layout()
    # No timestamp or version in the file, so the same table gives the same bytes.
    fig.savefig(figure_path, dpi=100, metadata={"Software": None})

    with open(fit_path, "w") as out:
        json.dump({"slope": slope, "intercept": intercept, "r2": r2, "points": int(len(eta))}, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
