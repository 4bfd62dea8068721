"""Writes Tests/VegaLiteTests/Fixtures/scales.json: what real Vega computes
for axis ticks, axis labels and d3-format, through vl-convert (Vega and
Vega-Lite in an embedded JavaScript engine, no browser):

- "formats": `format(value, specifier)` evaluated by Vega's expression
  language (a formula transform feeding a text mark), for many values and
  specifiers;
- "axes": small Vega-Lite specs with one quantitative x field. The compiled
  Vega spec gives the scale definition (type, zero, nice, …) and the axis
  tick count; the scenegraph gives each label's text and x position. The
  axis `labelExpr` appends the tick's value (JavaScript's `String(value)`)
  to its label, and a probe text mark writes the final scale domain, so
  tick values and domains are exact;
- "defaults": the `zero` and `nice` that Vega-Lite writes into the compiled
  scale for channel × mark × scale type × bin × explicit domain.

Run from the repository root with the reference venv:
    /work/main/.venv-ref/bin/python scripts/make_scale_fixtures.py
"""

import json
from pathlib import Path

import vl_convert as vlc

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/VegaLiteTests/Fixtures/scales.json"
SEP = "\u241f"  # a separator no label contains


def walk(node, found):
    """Every mark of the scenegraph, depth first."""
    if isinstance(node, dict):
        if "marktype" in node:
            found.append(node)
        for v in node.values():
            walk(v, found)
    elif isinstance(node, list):
        for v in node:
            walk(v, found)
    return found


# ---------------------------------------------------------------- formats

FORMAT_VALUES = [
    0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1.005, 2.675, 0.1, 0.3,
    1 / 3, -2 / 3, 12.0, 42.195, 999.5, 999999.5, 1234.5678, -1234.5678, 1e-7,
    1.234e-5, 0.000999, 0.001, 0.0125, 123456789.0, 1e15, 1.5e20, 1e21, 2.5e21,
    2.0**70, 1e-300, 5e-324, 1.7976931348623157e308, 9.995, 0.995, 7.0, 255.0,
    -255.5, 65535.0, 3.14159265358979, 6.02214076e23, 1e-9, -4.5e-8, 0.045,
]
FORMAT_SPECIFIERS = [
    "", ".2f", ".0f", "f", ".1%", "%", ".0%", "~s", "s", ".3s", ".0e", "e", ".2e",
    ",d", "d", ".3~g", "g", ".2g", ".12g", "$,.2f", ",", ",.2f", "r", ".3r", ".2p",
    "p", "x", "X", "#x", "o", "#o", "b", "#b", "c", "+.2f", " .2f", "(.2f", "(,.0f",
    "-.1f", "08.2f", "010,.1f", "*^12.2f", ">10", "<10.1f", "^9", "=+10.1f",
    "0=12,d", "010,d", "020,.3f", "~f", ".4~f", "~e", ".3~e", "~%", ".1~%", "n",
    ".3n", "$.0f", "$s", "+$,.2f", "~r", "~g", ".21g", ".20f", ".0s", "~d", "#,.0f",
    "_<12,.2f", "06d", ",.0%",
]
FORMAT_SPECIALS = [("NaN", ".2f"), ("NaN", ""), ("Infinity", ".2f"), ("-Infinity", ",d"),
                   ("Infinity", "s"), ("Infinity", "e"), ("NaN", "$,.2f")]


def format_cases():
    rows = []
    for s in FORMAT_SPECIFIERS:
        for v in FORMAT_VALUES:
            rows.append({"v": v, "s": s})
    specials = [{"t": t, "s": s} for t, s in FORMAT_SPECIALS]
    spec = {
        "$schema": "https://vega.github.io/schema/vega/v6.json",
        "width": 10, "height": 10,
        "data": [
            {"name": "t", "values": rows,
             "transform": [{"type": "formula", "as": "out", "expr": "format(datum.v, datum.s)"}]},
            {"name": "u", "values": specials,
             "transform": [{"type": "formula", "as": "out", "expr": "format(toNumber(datum.t), datum.s)"}]},
        ],
        "marks": [
            {"type": "text", "name": "formats", "from": {"data": "t"},
             "encode": {"update": {"text": {"field": "out"}}}},
            {"type": "text", "name": "specials", "from": {"data": "u"},
             "encode": {"update": {"text": {"field": "out"}}}},
        ],
    }
    marks = {m.get("name"): m for m in walk(vlc.vega_to_scenegraph(spec), [])}
    out = []
    for row, item in zip(rows, marks["formats"]["items"]):
        out.append({"value": row["v"], "specifier": row["s"], "text": item["text"]})
    assert len(out) == len(rows)
    for (t, s), item in zip(FORMAT_SPECIALS, marks["specials"]["items"]):
        out.append({"value": t, "specifier": s, "text": item["text"]})
    return out


# ---------------------------------------------------------------- axes

def axis_case(name, values, scale=None, axis=None, width=200, mark="point"):
    return {"name": name, "values": values, "scale": scale or {}, "axis": axis or {},
            "width": width, "mark": mark}


AXES = [
    axis_case("linear default", [-3.2, 17]),
    axis_case("linear width 300", [-3.2, 17], width=300),
    axis_case("linear width 50", [-3.2, 17], width=50),
    axis_case("linear width 500", [-3.2, 17], width=500),
    axis_case("linear small", [0.001, 0.0042]),
    axis_case("linear small zero false", [0.001, 0.0042], {"zero": False}),
    axis_case("linear millions", [1e6, 3.4e6]),
    axis_case("linear tiny span", [-1e-5, 2e-5]),
    axis_case("linear narrow zero false", [123456, 123789], {"zero": False}),
    axis_case("linear narrow nice false", [123456, 123789], {"zero": False, "nice": False}),
    axis_case("linear one value", [0.5, 0.5]),
    axis_case("linear negative", [-950, -20]),
    axis_case("linear billions", [1, 1e9]),
    axis_case("linear percent", [0, 1], axis={"format": ".0%"}),
    axis_case("linear percent auto", [0, 0.37], axis={"format": "%"}),
    axis_case("linear si", [0, 2.5e6], axis={"format": "s"}),
    axis_case("linear si trim", [0, 2.5e6], axis={"format": "~s"}),
    axis_case("linear si small", [0, 0.0031], axis={"format": "s"}),
    axis_case("linear dollars", [0, 1234.5], axis={"format": "$,.2f"}),
    axis_case("linear exp", [0, 47000], axis={"format": "e"}),
    axis_case("linear exp fixed", [0, 47000], axis={"format": ".2e"}),
    axis_case("linear g", [0, 0.047], axis={"format": "g"}),
    axis_case("linear r", [3, 17.5], {"zero": False}, axis={"format": "r"}),
    axis_case("linear d", [0, 7], axis={"format": "d"}),
    axis_case("linear comma", [0, 123456]),
    axis_case("linear nice false", [0.37, 9.81], {"zero": False, "nice": False}),
    axis_case("linear explicit domain", [1, 2], {"domain": [0, 7.3]}),
    axis_case("linear explicit domain nice", [1, 2], {"domain": [-2, 13], "nice": True}),
    axis_case("linear domainMin", [1, 2], {"domainMin": -3.3}),
    axis_case("linear tickCount 3", [0, 100], axis={"tickCount": 3}),
    axis_case("linear tickCount 20", [0, 100], axis={"tickCount": 20}),
    axis_case("linear tickCount 1", [0, 100], axis={"tickCount": 1}),
    axis_case("linear tickMinStep", [0, 2.5], axis={"tickMinStep": 1}),
    axis_case("linear values", [0, 20], axis={"values": [-1, 0, 1.5, 3, 10, 100]}),
    axis_case("linear values many", [0, 20], axis={"values": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]}),
    axis_case("linear reverse", [-3.2, 17], {"reverse": True}),
    axis_case("linear nice 4", [0.13, 97.2], {"zero": False, "nice": 4}),
    axis_case("linear bar", [3, 47], mark="bar"),
    axis_case("log default", [0.5, 1234], {"type": "log"}),
    axis_case("log decades", [1, 1e6], {"type": "log"}),
    axis_case("log narrow", [3, 40], {"type": "log"}),
    axis_case("log small", [2e-3, 5e-1], {"type": "log"}),
    axis_case("log very narrow", [1.5, 3.2], {"type": "log"}),
    axis_case("log negative", [-1000, -2], {"type": "log"}),
    axis_case("log format", [0.5, 1234], {"type": "log"}, axis={"format": ".1e"}),
    axis_case("log format s", [1, 1e6], {"type": "log"}, axis={"format": "~s"}),
    axis_case("log wide", [1e-3, 1e12], {"type": "log"}),
    axis_case("log tickCount 5", [0.5, 1234], {"type": "log"}, axis={"tickCount": 5}),
    axis_case("log base 2", [1, 100], {"type": "log", "base": 2}),
    axis_case("log base 2 small", [0.3, 9], {"type": "log", "base": 2}),
    axis_case("log base e", [1, 100], {"type": "log", "base": 2.718281828459045}),
    axis_case("log base 3", [1, 500], {"type": "log", "base": 3}),
    axis_case("log nice false", [0.7, 830], {"type": "log", "nice": False}),
    axis_case("log values", [1, 1000], {"type": "log"}, axis={"values": [0.5, 1, 3, 10, 300, 1000, 5000]}),
    axis_case("pow 2", [0, 12], {"type": "pow", "exponent": 2}),
    axis_case("pow 3 symmetric", [-5, 5], {"type": "pow", "exponent": 3}),
    axis_case("pow 0.3", [0.2, 900], {"type": "pow", "exponent": 0.3}),
    axis_case("sqrt", [0, 1000], {"type": "sqrt"}),
    axis_case("sqrt zero false", [3, 77], {"type": "sqrt", "zero": False}),
    axis_case("symlog default", [-1000, 1000], {"type": "symlog"}),
    axis_case("symlog constant 10", [0, 5000], {"type": "symlog", "constant": 10}),
    axis_case("symlog small", [0.2, 3.7], {"type": "symlog"}),
]


def axis_spec(case):
    scale = dict(case["scale"])
    axis = dict(case["axis"])
    axis["labelExpr"] = f"datum.label + '{SEP}' + datum.value"
    axis["labelOverlap"] = False
    enc = {"x": {"field": "a", "type": "quantitative", "scale": scale, "axis": axis}}
    if case["mark"] == "bar":
        enc["y"] = {"field": "c", "type": "nominal"}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": case["width"], "height": 20,
        "data": {"values": [{"a": v, "c": "k"} for v in case["values"]]},
        "mark": case["mark"], "encoding": enc,
    }


def axis_results(case):
    vg = vlc.vegalite_to_vega(axis_spec(case))
    scale = next(s for s in vg["scales"] if s["name"] == "x")
    axis = next(a for a in vg["axes"] if a["scale"] == "x" and a.get("labels", True) is not False)
    vg["marks"].append({
        "type": "text", "name": "probe",
        "encode": {"update": {"text": {"signal": f"domain('x')[0] + '{SEP}' + domain('x')[1]"}}},
    })
    marks = walk(vlc.vega_to_scenegraph(vg), [])
    probe = next(m for m in marks if m.get("name") == "probe")
    lo, hi = probe["items"][0]["text"].split(SEP)
    labels = next(m for m in marks if m.get("role") == "axis-label")
    ticks, texts, xs = [], [], []
    for item in labels["items"]:
        text, value = item["text"].rsplit(SEP, 1)
        ticks.append(float(value))
        texts.append(text)
        xs.append(item["x"])
    vega_scale = {k: v for k, v in scale.items() if k not in ("name", "domain", "range")}
    tick_count = axis.get("tickCount")
    return {
        **case,
        "vegaScale": vega_scale,
        "vegaTickCount": tick_count if not isinstance(tick_count, dict) else tick_count["signal"],
        "domain": [float(lo), float(hi)],
        "ticks": ticks,
        "labels": texts,
        "labelX": xs,
    }


# ---------------------------------------------------------------- defaults

def default_cases():
    out = []
    combos = []
    for mark, orient in [("point", None), ("bar", "horizontal"), ("bar", "vertical"),
                         ("line", "vertical"), ("line", "horizontal"), ("area", "vertical"),
                         ("tick", None), ("rule", None), ("trail", "vertical"), ("circle", None)]:
        for channel in ["x", "y", "size", "color"]:
            for scale_type in ["linear", "log", "pow", "sqrt", "symlog"]:
                for binned in [False, True]:
                    for domain in [None, [1, 5], [-1, 5], "unaggregated"]:
                        if binned and (scale_type != "linear" or domain is not None):
                            continue
                        if domain is not None and scale_type not in ("linear", "sqrt"):
                            continue
                        if channel in ("size", "color") and mark not in ("point", "bar"):
                            continue
                        combos.append((mark, orient, channel, scale_type, binned, domain))
    for mark, orient, channel, scale_type, binned, domain in combos:
        scale = {"type": scale_type}
        if domain is not None:
            scale["domain"] = domain
        enc = {channel: {"field": "a", "type": "quantitative", "scale": scale}}
        if binned:
            enc[channel]["bin"] = True
        for other in ["x", "y"]:
            if other != channel:
                enc[other] = {"field": "b", "type": "quantitative"}
        mark_def = {"type": mark}
        if orient:
            mark_def["orient"] = orient
        spec = {
            "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
            "data": {"values": [{"a": 2, "b": 3}, {"a": 4, "b": 5}]},
            "mark": mark_def, "encoding": enc,
        }
        vg = vlc.vegalite_to_vega(spec)
        names = {"x": "x", "y": "y", "size": "size", "color": "color"}
        scale_out = next((s for s in vg["scales"] if s["name"] == names[channel]), None)
        if scale_out is None:
            continue
        out.append({
            "mark": mark, "orient": orient, "channel": channel, "scaleType": scale_type,
            "binned": binned, "domain": domain,
            "vegaType": scale_out.get("type"),
            "zero": scale_out.get("zero"), "nice": scale_out.get("nice"),
        })
    return out


def main():
    result = {
        "generator": "scripts/make_scale_fixtures.py",
        "tool": "vl-convert-python",
        "vlConvert": getattr(vlc, "__version__", "1.9.0"),
        "vega": vlc.get_vega_version(),
        "vegaLite": vlc.get_vegalite_versions()[-1],
        "formats": format_cases(),
        "axes": [axis_results(c) for c in AXES],
        "defaults": default_cases(),
    }
    OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(result['formats'])} formats, {len(result['axes'])} axes, "
          f"{len(result['defaults'])} defaults")


if __name__ == "__main__":
    main()
