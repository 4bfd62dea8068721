#!/usr/bin/env python3
"""make check-browser: draw every Delphi blog figure figpipe wrote with plotly.js in headless
Chromium (the plotly.min.js of the pip plotly package), save a screenshot of each, and compare
where plotly.js puts the text with where figpipe's static render puts it.

Usage: check_browser.py FIGURES_DIR OUT_DIR [--tolerance PX]
       (FIGURES_DIR holds delphi/*.json and the static renders' delphi/*.layout.json)

For each figure, the page draws the plotly JSON at the static render's size (from its
`.layout.json`: 700 x 450 px, the mobile variants 400 px wide) in DejaVu Sans, the static
render's font, so that the comparison is of the layout and not of the fonts. From the live DOM it
reads the boxes of the tick labels, legend entries (and title), annotations, point texts, slider
and dropdown texts, and matches each to figpipe's text of the same content. A text's deviation is the larger
of the horizontal distance between the two boxes' centres and the vertical distance between the
two baselines (the last line's; turned texts: the boxes' centres), in CSS pixels. A figure fails
when a text deviates by more than the tolerance (default 3 px: Chromium snaps baselines to whole
pixels and measures text with its own shaper), or when a text is on one side only (different
ticks, a legend entry missing). Where plotly.js itself draws texts over each other, the static
render resolves the collision, and the report lists those texts apart, not as failures:
annotations it moved up or down (`moved` in the `.layout.json`, with their deviation) and tick
labels it left out (`withheld`). Writes OUT_DIR/<name>.png (the browser's drawing) and
OUT_DIR/report.json; prints the largest deviation per figure.

Needs python with plotly, and a chromium / google-chrome binary on PATH (Debian: apt-get install
chromium) or playwright with its Chromium. Not run in CI.
"""
import glob
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import plotly

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{js}"></script></head><body style="margin:0">
<div id="fig" style="width:{width}px;height:{height}px"></div>
<pre id="layout" style="display:none"></pre>
<script>
const fig = {fig};
function descentRatio(family) {{
  // The font's descent below the baseline, per pixel of font size (Chromium's line box).
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const t = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  t.setAttribute('y', '0'); t.setAttribute('font-size', '1000px'); t.setAttribute('font-family', family);
  t.textContent = 'x';
  svg.appendChild(t); document.body.appendChild(svg);
  const b = t.getBBox(); svg.remove();
  return (b.y + b.height) / 1000;
}}
function extract(gd) {{
  const fl = gd._fullLayout;
  const d = descentRatio(fl.font.family);
  const out = {{size: fl._size, texts: []}};
  function add(kind, el, extra) {{
    const r = el.getBoundingClientRect();
    if (r.width === 0 || !el.textContent.trim()) return;
    const fs = parseFloat(el.style.fontSize || getComputedStyle(el).fontSize);
    const turned = /rotate\\(\\s*-?[1-9]/.test(el.getAttribute('transform') || '');
    out.texts.push(Object.assign({{kind: kind, text: el.textContent, x0: r.left, x1: r.right, y0: r.top,
      y1: r.bottom, baseline: r.bottom - Math.round(d * fs), fontSize: fs, turned: turned}}, extra || {{}}));
  }}
  gd.querySelectorAll('g[class$="tick"] > text').forEach(el => {{
    const cls = el.parentNode.getAttribute('class').split(' ').find(c => /^[xy][0-9]*tick$/.test(c));
    if (cls) add('tickLabel', el, {{axis: cls.slice(0, -4)}});
  }});
  gd.querySelectorAll('text.legendtext').forEach(el => add('legendEntry', el));
  gd.querySelectorAll('text.legendtitletext').forEach(el => add('legendTitle', el));
  gd.querySelectorAll('text.annotation-text').forEach(el => add('mark', el));
  gd.querySelectorAll('g.textpoint > text').forEach(el => add('mark', el));
  gd.querySelectorAll('.slider-container text').forEach(el => add('mark', el));
  gd.querySelectorAll('.updatemenu-header-group text').forEach(el => add('mark', el));
  return out;
}}
const gd = document.getElementById('fig');
Plotly.newPlot(gd, fig.data, fig.layout, {{displayModeBar: false}})
  .then(() => {{ if (fig.frames) return Plotly.addFrames(gd, fig.frames); }})
  .then(() => {{ document.getElementById('layout').textContent = JSON.stringify(extract(gd));
                 document.title = 'ok'; }})
  .catch(e => {{ document.title = 'error: ' + e; }});
</script></body></html>"""

# The texts compared: tick labels, legend entries and title, annotations and the widgets' texts.
COMPARED = {"tickLabel", "legendEntry", "legendTitle", "mark"}
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def normalized(text):
    """A text as both sides spell it: no spaces or zero-width spaces, mathtext and superscripts as digits."""
    t = text.replace("\\mathdefault", "").replace("\\times", "×").replace("\\$", "$")
    t = re.sub(r"(?<!\\)\$", "", t)
    t = re.sub(r"[{}^\s\u200b]", "", t).translate(SUPERSCRIPTS)
    return t.replace("−", "-")


def centre(t):
    return (t["x0"] + t["x1"]) / 2, (t["y0"] + t["y1"]) / 2


def deviation(a, b):
    """Horizontal distance of the box centres and vertical distance of the baselines (turned: the centres)."""
    (ax, ay), (bx, by) = centre(a), centre(b)
    if a.get("turned") or abs(b.get("rotation", 0)) > 1e-9:
        return max(abs(ax - bx), abs(ay - by))
    return max(abs(ax - bx), abs(a["baseline"] - b["baseline"]))


def compare(browser, ours):
    """Matches each browser text to the nearest figpipe text of the same content and kind.

    Returns the matched rows, the texts on one side only, and the texts figpipe's layout
    withheld (tick labels plotly.js draws over other tick labels)."""
    theirs = [t for t in browser["texts"] if t["kind"] in COMPARED]
    mine = [t for t in ours["texts"] if t["kind"] in COMPARED]
    withheld = [normalized(w["text"]) for w in ours.get("withheld", [])]
    used = set()
    rows, missing, left_out = [], [], []
    for t in theirs:
        candidates = [(i, m) for i, m in enumerate(mine) if i not in used and m["kind"] == t["kind"]
                      and normalized(m["text"]) == normalized(t["text"])]
        if not candidates:
            if t["kind"] == "tickLabel" and normalized(t["text"]) in withheld:
                withheld.remove(normalized(t["text"]))
                left_out.append(f"{t['kind']} {t['text']!r}")
            else:
                missing.append(f"{t['kind']} {t['text']!r} only in plotly.js")
            continue
        i, m = min(candidates, key=lambda c: deviation(t, c[1]))
        used.add(i)
        rows.append({"kind": t["kind"], "text": t["text"], "deviation": round(deviation(t, m), 2),
                     "moved": m.get("moved", 0),
                     "plotly": [round(v, 1) for v in (*centre(t), t["baseline"])],
                     "figpipe": [round(v, 1) for v in (*centre(m), m["baseline"])]})
    missing += [f"{m['kind']} {m['text']!r} only in figpipe" for i, m in enumerate(mine) if i not in used]
    return rows, missing, left_out


def pages_for(figures, tmp):
    js = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    # The figures' plotly JSON; the `*.dump.json` and `*.layout.json` files beside the static renders are not figures.
    paths = sorted(p for p in glob.glob(os.path.join(figures, "delphi", "*.json"))
                   if not p.endswith((".dump.json", ".layout.json")))
    out = []
    for p in paths:
        with open(p) as f:
            fig = json.load(f)
        layout_path = p[:-5] + ".layout.json"
        ours = None
        if os.path.exists(layout_path):
            with open(layout_path) as f:
                ours = json.load(f)
        layout = fig.setdefault("layout", {})
        width = round(ours["width"]) if ours else layout.get("width", 700)
        height = round(ours["height"]) if ours else layout.get("height", 450)
        layout["font"] = dict(layout.get("font", {}), family="DejaVu Sans")
        page = os.path.join(tmp, os.path.basename(p) + ".html")
        with open(page, "w") as f:
            f.write(PAGE.format(js="file://" + js, fig=json.dumps(fig), width=width, height=height))
        out.append((p, page, int(width), int(height), ours))
    return out


def browser_runs(pages, out):
    """Yields (path, title, extracted layout) per page, with a screenshot in `out`."""
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        sync_playwright = None
    chrome = next((shutil.which(c) for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
    if chrome is None and sync_playwright is not None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch()
            for p, page, width, height, _ in pages:
                tab = browser.new_page(viewport={"width": width, "height": height})
                tab.goto("file://" + page)
                tab.wait_for_function("document.title !== ''", timeout=30000)
                tab.screenshot(path=os.path.join(out, os.path.basename(p)[:-5] + ".png"))
                text = tab.inner_text("#layout")
                yield p, tab.title(), json.loads(text) if text else None
            browser.close()
        return
    if chrome is None:
        raise SystemExit("check-browser needs a chromium / google-chrome binary on PATH (apt-get install chromium) "
                         "or playwright (pip install playwright; playwright install chromium)")
    flags = [chrome, "--headless=new", "--disable-gpu", "--no-sandbox", "--allow-file-access-from-files",
             "--hide-scrollbars", "--virtual-time-budget=10000"]
    for p, page, width, height, _ in pages:
        shot = os.path.join(out, os.path.basename(p)[:-5] + ".png")
        subprocess.run(flags + [f"--window-size={width},{height}", f"--screenshot={shot}", "file://" + page],
                       capture_output=True, text=True)
        dom = subprocess.run(flags + [f"--window-size={width},{height}", "--dump-dom", "file://" + page],
                             capture_output=True, text=True).stdout
        title = re.search(r"<title>(.*?)</title>", dom)
        found = re.search(r'<pre id="layout"[^>]*>(.*?)</pre>', dom, re.S)
        text = html.unescape(found.group(1)) if found else ""
        yield p, html.unescape(title.group(1)) if title else "no title", json.loads(text) if text else None


def main() -> int:
    args = sys.argv[1:]
    tolerance = 3.0
    if "--tolerance" in args:
        i = args.index("--tolerance")
        tolerance = float(args[i + 1])
        del args[i:i + 2]
    figures, out = args[0], args[1]
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp()
    pages = pages_for(figures, tmp)
    if not pages:
        print(f"no figures under {figures}/delphi; run `figpipe run 'delphi.*'` first")
        return 2
    ours_by_path = {p: ours for p, _, _, _, ours in pages}
    failed = 0
    report = {}
    for p, title, browser in browser_runs(pages, out):
        name = os.path.basename(p)[:-5]
        if title != "ok" or browser is None:
            failed += 1
            print(f"FAIL {name}: plotly.js did not draw it ({title})")
            continue
        ours = ours_by_path[p]
        if ours is None:
            failed += 1
            print(f"FAIL {name}: no {name}.layout.json beside it (figure.render with \"layout\": true)")
            continue
        rows, missing, left_out = compare(browser, ours)
        placed = [r for r in rows if not r["moved"]]
        moved = [r for r in rows if r["moved"]]
        worst = max(placed, key=lambda r: r["deviation"], default=None)
        largest = worst["deviation"] if worst else 0.0
        ok = largest <= tolerance and not missing
        failed += not ok
        report[name] = {"largest": largest, "texts": rows, "unmatched": missing, "withheld": left_out,
                        "plot_area": browser["size"]}
        where = f" ({worst['kind']} {worst['text']!r})" if worst else ""
        notes = [f"{len(missing)} unmatched: {'; '.join(missing[:4])}"] if missing else []
        notes += [f"moved out of a collision: {r['kind']} {r['text']!r} {r['deviation']:.2f} px" for r in moved]
        notes += [f"withheld (overlaps another tick label): {w}" for w in left_out]
        print(f"{'OK  ' if ok else 'FAIL'} {name:24s} largest deviation {largest:5.2f} px{where}, "
              f"{len(rows)} texts compared" + "".join(f"\n       {n}" for n in notes))
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    print(f"{len(pages) - failed} within {tolerance:g} px, {failed} failed (details: {out}/report.json)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
