#!/usr/bin/env python3
"""make check-browser, the review part: the gallery, `figpipe diff`'s page and
`figpipe serve` in headless Chromium (Debian's chromium, driven by playwright).

Usage: check_browser_review.py FIGPIPE FIGURES_DIR OUT_DIR [--reloads N]

- gallery: FIGURES_DIR/index.html (made by `figpipe run`): every thumbnail
  loads, and a click opens the full-size viewer;
- diff: two runs of a small project (a loess fit's bandwidth 0.3, then 0.6)
  compared by `figpipe diff --report`: the page with scripts (tabs, the
  swipe's slider, the blink) and without them (every view on the page);
- serve: `figpipe serve --port 0` on that project: the page shows the running
  stages, and after each edit of the bandwidth in pipeline.json the reload
  arrives and the new image replaces the old one. It measures save → image
  replaced (the new image loaded in the page) N times and prints the median
  and the largest; a failing stage shows its error with the last good image.

Screenshots go to OUT_DIR. Exit 0 when every check passes. Not run in CI.
"""
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

try:
    from playwright.sync_api import sync_playwright
except ImportError:
    print("check_browser_review.py needs playwright (pip install playwright) and a chromium "
          "(apt-get install chromium); run it with PYTHON_REF=<a python that has playwright>")
    sys.exit(2)

failures = []


def check(ok, what):
    print(f"{'OK  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def chromium(pw):
    path = next((shutil.which(c) for c in ("chromium", "chromium-browser", "google-chrome") if shutil.which(c)), None)
    if path:
        return pw.chromium.launch(executable_path=path, args=["--no-sandbox"])
    return pw.chromium.launch()


def project(folder, bandwidth):
    """A small pipeline: a CSV, a Vega-Lite figure with a loess fit, the gallery."""
    os.makedirs(os.path.join(folder, "data"), exist_ok=True)
    rng = random.Random(1)
    rows = ["x,y"] + [f"{i / 4},{math.sin(i / 4) + rng.gauss(0, 0.3):.4f}" for i in range(40)]
    with open(os.path.join(folder, "data", "points.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    write_pipeline(folder, bandwidth)


def write_pipeline(folder, bandwidth, field="y"):
    spec = {
        "title": "sin(x) with a loess fit",
        "data": {"name": "points"},
        "layer": [
            {"mark": "point", "encoding": {"x": {"field": "x", "type": "quantitative"},
                                           "y": {"field": "y", "type": "quantitative"}}},
            {"transform": [{"loess": field, "on": "x", "bandwidth": bandwidth}],
             "mark": {"type": "line", "color": "black"},
             "encoding": {"x": {"field": "x", "type": "quantitative"},
                          "y": {"field": field, "type": "quantitative"}}},
        ],
    }
    doc = {"version": 1, "data": "data", "out": "out", "stages": [
        {"id": "points", "kind": "table.load", "inputs": {"file": "points.csv"}},
        {"id": "fit", "kind": "figure.vega-lite", "params": {"spec": spec}, "inputs": {"points": "points"},
         "render": {"path": "fit", "formats": ["png"]}},
        {"id": "gallery", "kind": "figure.gallery", "inputs": {"figures": ["*.render"]}},
    ]}
    text = json.dumps(doc, indent=1)
    # Written in place, as an editor saves.
    with open(os.path.join(folder, "pipeline.json"), "w") as f:
        f.write(text)


def check_gallery(browser, figures, out):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto("file://" + os.path.abspath(os.path.join(figures, "index.html")))
    page.wait_for_load_state("load")
    images = page.eval_on_selector_all("figure img", "imgs => imgs.length")
    page.eval_on_selector_all("figure img", "imgs => imgs.forEach(i => i.loading = 'eager')")
    page.wait_for_function("[...document.querySelectorAll('figure img')].every(i => i.complete)", timeout=30000)
    broken = page.eval_on_selector_all("figure img", "imgs => imgs.filter(i => !i.naturalWidth).map(i => i.src)")
    check(images > 0 and not broken, f"gallery: {images} thumbnails load" + (f" (broken: {broken[:3]})" if broken else ""))
    page.screenshot(path=os.path.join(out, "gallery.png"))
    page.click("figure a.full-size")
    page.wait_for_selector("dialog#viewer[open] img", timeout=5000)
    check(page.eval_on_selector("dialog#viewer img", "i => i.complete && i.naturalWidth > 0"),
          "gallery: a click on a thumbnail opens the full-size viewer")
    page.screenshot(path=os.path.join(out, "gallery-viewer.png"))
    page.close()


def check_diff(browser, figpipe, work, out):
    a, b = os.path.join(work, "a"), os.path.join(work, "b")
    project(a, 0.3)
    project(b, 0.6)
    for folder in (a, b):
        subprocess.run([figpipe, "run", "--quiet"], cwd=folder, check=True)
    report = os.path.join(work, "report")
    r = subprocess.run([figpipe, "diff", os.path.join(a, "out"), os.path.join(b, "out"), "--report", report],
                       capture_output=True, text=True)
    check(r.returncode == 1, f"diff: exit 1 when a figure differs (got {r.returncode})")
    url = "file://" + os.path.join(report, "index.html")

    # Without JavaScript: every view is on the page; the blink and swipe open as details.
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(url)
    views = page.eval_on_selector_all(".views .view", "vs => vs.map(v => v.dataset.view)")
    check(views == ["side by side", "difference", "blink", "swipe"], f"diff without scripts: all four views ({views})")
    page.click(".blink summary")
    page.click(".swipe summary")
    loaded = page.eval_on_selector_all("img", "imgs => imgs.every(i => i.complete && i.naturalWidth > 0)")
    check(loaded, "diff without scripts: every image (inline) loads")
    page.screenshot(path=os.path.join(out, "diff-no-js.png"), full_page=True)
    context.close()

    # With JavaScript: tabs, the swipe's slider, the blink pauses on a click.
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(url)
    tabs = page.eval_on_selector_all(".tabs button", "bs => bs.map(b => b.textContent)")
    check(tabs == ["side by side", "difference", "blink", "swipe"], f"diff with scripts: tabs {tabs}")
    page.screenshot(path=os.path.join(out, "diff-side-by-side.png"), full_page=True)
    page.click(".tabs button:text('difference')")
    page.screenshot(path=os.path.join(out, "diff-difference.png"), full_page=True)
    page.click(".tabs button:text('swipe')")
    hidden = page.eval_on_selector(".view.side", "v => v.hidden")
    page.fill(".swipe input.slider", "25")
    width = page.eval_on_selector(".swipe .cover", "c => c.style.width")
    check(hidden and width == "25%", f"diff with scripts: one view at a time, the slider moves the swipe ({width})")
    page.screenshot(path=os.path.join(out, "diff-swipe.png"), full_page=True)
    page.click(".tabs button:text('blink')")
    page.click(".blink .stack")
    check(page.eval_on_selector(".blink", "b => b.classList.contains('paused')"), "diff with scripts: a click pauses the blink")
    page.screenshot(path=os.path.join(out, "diff-blink.png"), full_page=True)
    dump = page.inner_text("details.dump")
    check("axes[0].lines" in dump and "max |Δ|" in dump, "diff: the dump diff names the changed line and by how much")
    page.close()


def check_serve(browser, figpipe, work, out, reloads):
    folder = os.path.join(work, "serve")
    project(folder, 0.3)
    log = open(os.path.join(work, "serve.log"), "w+")
    server = subprocess.Popen([figpipe, "serve", "--port", "0"], cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    try:
        port = None
        for _ in range(600):
            log.seek(0)
            text = log.read()
            if "127.0.0.1:" in text and "start:" in text:
                port = int(text.split("127.0.0.1:")[1].split("/")[0])
                break
            time.sleep(0.05)
        check(port is not None, f"serve: listening ({port})")
        if port is None:
            return
        page = browser.new_page(viewport={"width": 1000, "height": 800})
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_function("document.getElementById('figpipe-live')?.textContent.includes('watching')",
                               timeout=10000)
        # Every text the status banner shows, to see the running stages.
        page.evaluate("""() => {
            window.bannerTexts = [];
            const banner = document.getElementById('figpipe-live');
            new MutationObserver(() => window.bannerTexts.push(banner.textContent))
              .observe(banner, {childList: true, characterData: true, subtree: true});
        }""")
        page.screenshot(path=os.path.join(out, "serve-before.png"))
        times = []
        for i in range(reloads):
            bandwidth = round(0.35 + 0.5 * (i + 1) / (reloads + 1) + random.random() * 1e-6, 9)
            before = page.eval_on_selector("figure#fit img", "i => i.src")
            page.evaluate("""() => {
                window.replacedAt = null;
                document.addEventListener('figpipe:reloaded', () => {
                  const img = document.querySelector('figure#fit img');
                  const done = () => { window.replacedAt = Date.now(); };
                  if (img.complete && img.naturalWidth) done(); else img.addEventListener('load', done, {once: true});
                }, {once: true});
            }""")
            saved = time.time() * 1000
            write_pipeline(folder, bandwidth)
            page.wait_for_function("window.replacedAt !== null", timeout=15000)
            replaced = page.evaluate("window.replacedAt")
            after = page.eval_on_selector("figure#fit img", "i => i.src")
            check(after != before, f"serve: edit {i + 1} (bandwidth {bandwidth}): reload arrived, image replaced "
                                   f"in {replaced - saved:.0f} ms")
            times.append(replaced - saved)
        page.screenshot(path=os.path.join(out, "serve-after.png"))
        running = [t for t in page.evaluate("window.bannerTexts") if t.startswith("running")]
        check(bool(running), f"serve: the page showed the running stages ({running[:2]})")
        times.sort()
        print(f"save → image replaced over {len(times)} edits: median {times[len(times) // 2]:.0f} ms, "
              f"max {times[-1]:.0f} ms (target: under 1000 ms){'' if times[-1] < 1000 else ' — OVER TARGET'}")

        # A failing stage: its card shows the error and keeps the last good image.
        page.evaluate("""() => { window.reloaded = false;
            document.addEventListener('figpipe:reloaded', () => { window.reloaded = true; }, {once: true}); }""")
        write_pipeline(folder, 0.5, field="no_such_field")
        page.wait_for_function("window.reloaded", timeout=15000)
        page.wait_for_function("(() => { const i = document.querySelector('figure#fit img'); "
                               "return !i || i.complete; })()", timeout=10000)
        card = page.eval_on_selector("figure#fit", """f => ({failed: f.classList.contains('failed'),
            error: f.querySelector('.error')?.textContent || '',
            image: !!f.querySelector('img') && f.querySelector('img').complete && f.querySelector('img').naturalWidth > 0})""")
        check(card["failed"] and card["error"] and card["image"],
              f"serve: a failed stage shows its error and the last good image ({card['error'][:80]!r})")
        page.screenshot(path=os.path.join(out, "serve-failed.png"))
        page.close()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def main():
    args = sys.argv[1:]
    reloads = 5
    if "--reloads" in args:
        i = args.index("--reloads")
        reloads = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 3:
        print(__doc__)
        return 2
    figpipe, figures, out = os.path.abspath(args[0]), args[1], os.path.abspath(args[2])
    os.makedirs(out, exist_ok=True)
    work = tempfile.mkdtemp(prefix="figpipe-browser-")
    try:
        with sync_playwright() as pw:
            browser = chromium(pw)
            check_gallery(browser, figures, out)
            check_diff(browser, figpipe, work, out)
            check_serve(browser, figpipe, work, out, reloads)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"screenshots in {out}")
    print(f"{'all review checks passed' if not failures else f'{len(failures)} review checks failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
