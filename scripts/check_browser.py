#!/usr/bin/env python3
"""make check-browser: load every blog figure figpipe wrote in headless Chromium with
the plotly.min.js of the pip plotly package, and save a screenshot per figure.

Usage: check_browser.py FIGURES_DIR OUT_DIR   (FIGURES_DIR holds delphi/*.json)

Needs python with plotly and either playwright (with its Chromium) or a chromium /
google-chrome binary on PATH. A figure fails when plotly throws while drawing it.
Not run in CI.
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

import plotly

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<script src="{js}"></script></head><body style="margin:0">
<div id="fig" style="width:1000px;height:{height}px"></div>
<script>
const fig = {fig};
window.figError = null;
Plotly.newPlot('fig', fig.data, fig.layout, {{staticPlot: false}})
  .then(() => {{ if (fig.frames) return Plotly.addFrames('fig', fig.frames); }})
  .then(() => {{ document.title = 'ok'; }})
  .catch(e => {{ document.title = 'error: ' + e; }});
</script></body></html>"""


def main() -> int:
    figures, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    js = os.path.join(os.path.dirname(plotly.__file__), "package_data", "plotly.min.js")
    # The figures' plotly JSON; the `*.dump.json` files beside the static renders are not figures.
    paths = sorted(p for p in glob.glob(os.path.join(figures, "delphi", "*.json")) if not p.endswith(".dump.json"))
    if not paths:
        print(f"no figures under {figures}/delphi; run `figpipe run 'delphi.*'` first")
        return 2
    tmp = tempfile.mkdtemp()
    pages = []
    for p in paths:
        with open(p) as f:
            fig = json.load(f)
        height = fig.get("layout", {}).get("height", 520)
        page = os.path.join(tmp, os.path.basename(p) + ".html")
        with open(page, "w") as f:
            f.write(PAGE.format(js="file://" + js, fig=json.dumps(fig), height=height))
        pages.append((p, page, height))
    failed = 0
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415
    except ImportError:
        sync_playwright = None
    if sync_playwright is not None:
        with sync_playwright() as pw:
            browser = pw.chromium.launch()
            for p, page, height in pages:
                tab = browser.new_page(viewport={"width": 1000, "height": int(height)})
                tab.goto("file://" + page)
                tab.wait_for_function("document.title !== ''", timeout=30000)
                title = tab.title()
                shot = os.path.join(out, os.path.basename(p)[:-5] + ".png")
                tab.screenshot(path=shot)
                ok = title == "ok"
                failed += not ok
                print(f"{'OK  ' if ok else 'FAIL'} {os.path.basename(p)} -> {shot}" + ("" if ok else f" ({title})"))
            browser.close()
    else:
        chrome = next((shutil.which(c) for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
        if chrome is None:
            print("check-browser needs playwright (pip install playwright; playwright install chromium) "
                  "or a chromium / google-chrome binary on PATH")
            return 2
        for p, page, height in pages:
            shot = os.path.join(out, os.path.basename(p)[:-5] + ".png")
            r = subprocess.run([chrome, "--headless=new", "--disable-gpu", "--no-sandbox", "--allow-file-access-from-files",
                                f"--window-size=1000,{int(height)}", "--virtual-time-budget=10000",
                                f"--screenshot={shot}", "file://" + page], capture_output=True, text=True)
            dom = subprocess.run([chrome, "--headless=new", "--disable-gpu", "--no-sandbox",
                                  "--allow-file-access-from-files", "--virtual-time-budget=10000", "--dump-dom",
                                  "file://" + page], capture_output=True, text=True).stdout
            ok = r.returncode == 0 and "<title>ok</title>" in dom
            failed += not ok
            print(f"{'OK  ' if ok else 'FAIL'} {os.path.basename(p)} -> {shot}")
    print(f"{len(pages) - failed} drawn, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
