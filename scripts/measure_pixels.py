"""Issue 14's measurement: figpipe's PNGs against matplotlib's.

For every PNG that both folders hold (matched by file name, in any
subfolder), prints both pixel sizes and, where they agree, the RMS of the
pixel difference on matplotlib's 0–255 scale, as
`matplotlib.testing.compare.calculate_rms` computes it over the RGB channels
(the test suite's "RMS"). Where the sizes differ, the RMS of the common
top-left crop is printed in brackets, for orientation only.

    .venv-ref/bin/python scripts/measure_pixels.py REF_FOLDER OUR_FOLDER

REF_FOLDER is what the reference harness writes, e.g.
    .venv-ref/bin/python ../shared/reference/run_compression.py --data data/compression --out /tmp/ref/compression
    .venv-ref/bin/python ../shared/reference/run_entropy.py --data data/entropy --out /tmp/ref/entropy
    .venv-ref/bin/python scripts/measure_pixels.py /tmp/ref figures
"""

import sys
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.testing.compare import calculate_rms
from PIL import Image


def rgb(path):
    return np.asarray(Image.open(path).convert("RGB")).astype(float)


def main(ref_root, our_root):
    ours = {p.name: p for p in Path(our_root).rglob("*.png")}
    rows = []
    for ref in sorted(Path(ref_root).rglob("*.png")):
        mine = ours.get(ref.name)
        if mine is None:
            continue
        a, b = rgb(ref), rgb(mine)
        same = a.shape == b.shape
        if same:
            rms = calculate_rms(a, b)
        else:
            h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
            rms = calculate_rms(a[:h, :w], b[:h, :w])
        rows.append((ref.name, a.shape[1], a.shape[0], b.shape[1], b.shape[0], same, rms))
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  matplotlib   figpipe      RMS")
    for name, aw, ah, bw, bh, same, rms in rows:
        rms_text = f"{rms:6.2f}" if same else f"[{rms:5.2f}]"
        mark = "" if same else "  size differs"
        print(f"{name:<{width}}  {aw:4d}×{ah:<4d}  {bw:4d}×{bh:<4d}  {rms_text}{mark}")
    same_size = [r for r in rows if r[5]]
    print(
        f"{len(rows)} figures: {len(same_size)} of matplotlib's size"
        + (f", RMS {min(r[6] for r in same_size):.2f}–{max(r[6] for r in same_size):.2f}" if same_size else "")
        + f" (matplotlib {matplotlib.__version__})"
    )


if __name__ == "__main__":
    main(*sys.argv[1:3])
