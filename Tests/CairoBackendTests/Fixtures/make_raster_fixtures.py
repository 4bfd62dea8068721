"""Writes raster_fixtures.json: how matplotlib's Agg back end places and rasterizes text.

Run with the reference venv:
    /work/main/.venv-ref/bin/python Tests/CairoBackendTests/Fixtures/make_raster_fixtures.py

* `mathtext`: `MathTextParser('path').parse` (the parser `RendererAgg` draws
  mathtext with) for formulas at several sizes and dpis: the box as Agg
  reports it (whole pixels) and every glyph's face, size, glyph index and
  offset (pixels, y up from the baseline).
* `glyphs`: `FT2Font._render_glyph` after `FT2Font._set_transform`, as
  `RendererAgg._draw_text_glyphs_and_boxes` renders each glyph: the bitmap's
  left, top, size and coverage (hex, row by row), for glyphs at fractional
  origins and turned by 0, 30 and 90 degrees.
"""
import json
import math
import pathlib

import matplotlib

matplotlib.use("Agg")
from matplotlib import font_manager  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.ft2font import LoadFlags, RenderMode, __freetype_version__  # noqa: E402
from matplotlib.mathtext import MathTextParser  # noqa: E402

out = {"matplotlib": matplotlib.__version__, "freetype": __freetype_version__, "mathtext": [], "glyphs": []}

FACES = {"DejaVuSans.ttf": "regular", "DejaVuSans-Oblique.ttf": "oblique", "DejaVuSans-Bold.ttf": "bold",
         "DejaVuSans-BoldOblique.ttf": "boldOblique"}

parser = MathTextParser("path")
formulas = [
    "$\\mathdefault{10^{-3}}$", "$\\mathdefault{10^{0}}$", "$\\mathdefault{9.92\\times10^{-1}}$",
    "$\\mathdefault{4\\times10^{-4}}$", "$\\Delta H$", "$\\alpha + \\beta$", "1.076$\\times$ bound",
    "$x_i^2$", "$a=-b$", "$f(x) = x^{2}, y$", "ratio ($\\eta$)", "$\\mathrm{lr}\\,\\times\\,10^{3}$",
    "$T_{\\mathrm{max}}$",
]
for bold in (False, True):
    for s in formulas:
        for size, dpi in ((10, 100), (10, 150), (12, 150), (8, 240)):
            prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
            p = parser.parse(s, dpi=dpi, prop=prop)
            glyphs = [{"face": FACES[font.fname.split("/")[-1]], "size": float(fs), "index": int(gi),
                       "x": float(dx), "y": float(dy)} for font, fs, _c, gi, dx, dy in p.glyphs]
            out["mathtext"].append({"text": s, "size": size, "dpi": dpi, "bold": bold, "width": float(p.width),
                                    "height": float(p.height), "depth": float(p.depth), "glyphs": glyphs,
                                    "rects": len(p.rects)})

font = font_manager.get_font(font_manager.findfont(FontProperties(family="DejaVu Sans")))
bold = font_manager.get_font(font_manager.findfont(FontProperties(family="DejaVu Sans", weight="bold")))
cases = []
for face, f in (("regular", font), ("bold", bold)):
    for ch in "a0gW.\u2212":
        for size, dpi in ((10, 100), (12, 150)):
            for angle in (0, 30, 90):
                for fx, fy in ((0, 0), (13, 47), (32, 32), (63, 1)):
                    cases.append((face, f, ch, size, dpi, angle, 64 * 37 + fx, 64 * 11 + fy))
for face, f, ch, size, dpi, angle, dx, dy in cases:
    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    matrix = [[round(0x10000 * c), round(0x10000 * -s)], [round(0x10000 * s), round(0x10000 * c)]]
    f.set_size(size, dpi)
    f._set_transform(matrix, [dx, dy])
    index = f.get_char_index(ord(ch))
    bitmap = f._render_glyph(index, LoadFlags.DEFAULT, RenderMode.NORMAL)
    buf = bitmap.buffer
    out["glyphs"].append({"face": face, "index": int(index), "size": size, "dpi": dpi,
                          "matrix": [matrix[0][0], matrix[0][1], matrix[1][0], matrix[1][1]],
                          "origin": [dx, dy], "left": int(bitmap.left), "top": int(bitmap.top),
                          "width": int(buf.shape[1]), "rows": int(buf.shape[0]),
                          "coverage": buf.tobytes().hex()})

path = pathlib.Path(__file__).with_name("raster_fixtures.json")
path.write_text(json.dumps(out, indent=1) + "\n")
print(f"wrote {path}: {len(out['mathtext'])} formulas, {len(out['glyphs'])} glyphs")
