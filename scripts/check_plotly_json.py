"""Checks that plotly figure JSON files are figures plotly accepts.

Each file is read with `plotly.io.from_json(text, skip_invalid=False)`, which
validates every property against plotly's schema (an unknown property or a
value of the wrong type is an error). Prints one line per file; exits 1 if
any file is not a valid figure, 2 on bad usage.

Run with a Python that has plotly (e.g. the reference venv):
    .venv-ref/bin/python scripts/check_plotly_json.py figures/delphi/*.json
"""

import sys

import plotly
import plotly.io as pio


def check(path):
    """None when `path` holds a valid plotly figure, else the error."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        pio.from_json(text, skip_invalid=False)
    except Exception as error:  # plotly raises ValueError; reading may raise OSError
        # plotly's message lists every valid property after the first lines; keep
        # the problem and the bad property's path.
        lines = str(error).strip().splitlines()
        head = lines[:1] + [l for l in lines if l.startswith("Bad property path") or l.startswith("Did you mean")]
        path = lines[lines.index("Bad property path:") + 1] if "Bad property path:" in lines else None
        if path:
            head.append(path)
        return f"{type(error).__name__}: " + " | ".join(dict.fromkeys(head))
    return None


def main(paths):
    if not paths:
        print("usage: check_plotly_json.py FILE.json...", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        error = check(path)
        if error is None:
            print(f"ok      {path}")
        else:
            failed += 1
            print(f"INVALID {path}\n        {error}")
    print(f"{len(paths) - failed} valid, {failed} invalid (plotly {plotly.__version__})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
