#!/usr/bin/env python3
"""Rewrite the Delphi blog family's stages in pipeline.json (run from the repository root).

Keeps every other stage as it is; the Delphi stages stay where they are (new: before the gallery).
"""
import json

FIGS = [  # (figure id, kind, params, inputs, mobile transform)
    ("isoflop-parabolas", "delphi.isoflop-parabolas", {}, {"runs": "delphi.runs"}, None),
    ("scaling-law-asymptote", "delphi.scaling-law-asymptote", {}, {"runs": "delphi.runs"}, None),
    ("first-ladder", "delphi.ladder", {"suite": "adamc"}, {"runs": "delphi.runs"}, "stack"),
    ("delphi-ladder", "delphi.ladder", {"suite": "adamh"}, {"runs": "delphi.runs"}, "stack"),
    ("lucky-seeds", "delphi.lucky-seeds", {}, {"runs": "delphi.runs"}, None),
    ("overtraining-forecast", "delphi.overtraining-forecast", {}, {"runs": "delphi.runs"}, None),
    ("mmlu-emergence", "delphi.mmlu-emergence", {}, {k: f"delphi/{k}.json" for k in (
        "mmlu", "mmlu_external", "humaneval", "humaneval_external", "gsm8k", "gsm8k_external")}, "mmlu-stack"),
    ("hparam-scaling", "delphi.hparam-scaling", {}, {"sweep": "delphi/hparam_sweep.json"}, "3x2"),
]
EXTRA = []  # loaders of the optional caches and their figures, added as they land

# The static renders (issue 6): every figure's default view as PNG (150 dpi) and PDF through
# the Cairo back end, plus one PNG per slider step of overtraining-forecast. Plotly's default
# 700 × 450 px for the desktop figures; the mobile variants keep their layout height at a
# phone-width 400 px.
RENDER = {"formats": ["png", "pdf"], "dpi": 150}
MOBILE_WIDTH = 400
# DEFAULT_SLIDER_SCALES as the slider labels them (f"{scale:.3g}×").
SLIDER_SCALES = [0.2, 1 / 3, 0.5, 2 / 3, 2.0, 3.0, 4.0, 5.0, 10.0]


def step_label(scale):
    return f"{scale:.3g}\u00d7"


def file_safe(label):
    """A slider label as a file-name part: × → x, anything but letters, digits, '.', '-' → '_'."""
    out = label.replace("\u00d7", "x")
    return "".join(c if c.isalnum() or c in ".-" else "_" for c in out)


def static_stages(vname, src, mobile, step=None):
    """figure.static (the view as a figure) + figure.render (PNG/PDF) for one view."""
    p = {}
    if mobile:
        p["width"] = MOBILE_WIDTH
    if step is None:
        sid, path, render = f"delphi.{vname}", f"delphi/{vname}", dict(RENDER)
        what = "the default view"
    else:
        safe = file_safe(step)
        sid, path = f"delphi.{vname}.step-{safe}", f"delphi/{vname}@{safe}"
        render = {"formats": ["png"], "dpi": RENDER["dpi"], "dump": False}
        p["step"] = step
        what = f"slider step {step}"
    return [
        {"id": f"{sid}.static", "kind": "figure.static",
         "description": f"{vname}: {what} as a static figure (blog theme).",
         **({"params": p} if p else {}), "inputs": {"figure": src}},
        {"id": f"{sid}.render", "kind": "figure.render", "params": {"path": path, **render},
         "inputs": {"figure": f"{sid}.static"}},
    ]


def main():
    with open("pipeline.json") as f:
        doc = json.load(f)
    first = next((i for i, s in enumerate(doc["stages"]) if s["id"].startswith("delphi.")), None)
    stages = [s for s in doc["stages"] if not s["id"].startswith("delphi.")]
    gallery = [i for i, s in enumerate(stages) if s["kind"] == "figure.gallery"]
    # Where the Delphi stages already are, else before the gallery.
    at = first if first is not None else (gallery[0] if gallery else len(stages))
    new = [{
        "id": "delphi.runs", "kind": "delphi.load-runs",
        "description": "W&B runs: display names, run types, GFLOP buckets; C-AdamC matched to the AdamH grid; per-bucket parabolas.",
        "inputs": {"file": "delphi/runs.json"},
    }] + EXTRA
    for name, kind, params, inputs, mobile in FIGS:
        s = {"id": f"delphi.{name}", "kind": kind, "inputs": inputs}
        if params:
            s["params"] = params
        new.append(s)
        variants = [(name, f"delphi.{name}", False)]
        if mobile:
            new.append({"id": f"delphi.{name}-mobile", "kind": "delphi.mobile", "params": {"transform": mobile},
                        "inputs": {"figure": f"delphi.{name}"}})
            variants.append((f"{name}-mobile", f"delphi.{name}-mobile", True))
        for vname, src, keep in variants:
            p = {"path": f"delphi/{vname}"}
            if keep:
                p["keep_height"] = True
            new.append({"id": f"delphi.{vname}.plotly", "kind": "figure.plotly", "params": p,
                        "inputs": {"figure": src}})
            new += static_stages(vname, src, keep)
            if name == "overtraining-forecast":
                for scale in SLIDER_SCALES:
                    new += static_stages(vname, src, keep, step=step_label(scale))
    doc["stages"] = stages[:at] + new + stages[at:]
    for s in doc["stages"]:
        if s["kind"] == "figure.gallery":
            figs = s["inputs"]["figures"]
            if "*.plotly" not in figs:
                figs.append("*.plotly")
    with open("pipeline.json", "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
