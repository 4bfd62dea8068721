#!/usr/bin/env python3
"""Rewrite the Delphi blog family's stages in pipeline.json (run from the repository root).

Keeps every other stage as it is; the Delphi stages go before the gallery.
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


def main():
    with open("pipeline.json") as f:
        doc = json.load(f)
    stages = [s for s in doc["stages"] if not s["id"].startswith("delphi.")]
    gallery = [i for i, s in enumerate(stages) if s["kind"] == "figure.gallery"]
    at = gallery[0] if gallery else len(stages)
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
    doc["stages"] = stages[:at] + new + stages[at:]
    with open("pipeline.json", "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
