#!/usr/bin/env bash
# make bench: the foundation's benchmarks, with the commands that measure them.
#  1. a no-op `figpipe run` over the committed sample data       (target < 100 ms)
#  2. a no-op run over synth compression data at --scale 100      (target < 150 ms)
#  3. decode + parse of that scale-100 results.jsonl.zst          (target < 1.5 s, < 300 MB)
#     beside the notebook's own read of the same file (zstandard + json), when a
#     python with zstandard is at hand (.venv-ref, see README).
# The scale-100 data is generated into a temporary folder and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
FIG=.build/release/figpipe
BENCH=.build/release/figpipe-bench
RUNS=${RUNS:-20}
SHARED=${SHARED:-../shared}

PY=""
for candidate in "${PYTHON:-}" .venv-ref/bin/python python3; do
    [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import zstandard' 2>/dev/null; then PY=$candidate; break; fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== 1. no-op run over data/ (sample data)"
echo "\$ $FIG run --quiet   (after one warm-up run)"
$FIG run --quiet
$BENCH time --runs "$RUNS" -- $FIG run --quiet

if [ -z "$PY" ]; then
    echo "== 2, 3 skipped: need a python3 with zstandard to generate the scale-100 data (PYTHON=..., or .venv-ref)"
    exit 0
fi

echo "== generating synth compression data at --scale 100 into $tmp (not kept)"
"$PY" "$SHARED/synth/compression.py" --out "$tmp/data/compression" --scale 100 --seed 0
ls -l "$tmp/data/compression/results/results.jsonl.zst"
roots=(--data "$tmp/data" --out "$tmp/out" --cache "$tmp/cache")

echo "== 2. no-op run over the scale-100 data"
echo "\$ $FIG run --quiet ${roots[*]}   (cold once, then timed no-op runs)"
$BENCH time --runs 1 --warmup 0 -- $FIG run --quiet "${roots[@]}" | sed 's/^/cold run: /'
sleep 2  # let the data's mtimes age past the stat cache's same-tick guard
$FIG run --quiet "${roots[@]}"
$BENCH time --runs "$RUNS" -- $FIG run --quiet "${roots[@]}"

echo "== 3. decode + parse of the scale-100 results.jsonl.zst"
echo "\$ $BENCH decode $tmp/data/compression/results/results.jsonl.zst --repeat 3"
$BENCH decode "$tmp/data/compression/results/results.jsonl.zst" --repeat 3
echo "-- the notebook's read of the same file (zstandard decompress + json.loads per line), one pass:"
"$PY" - "$tmp/data/compression/results/results.jsonl.zst" <<'PYEOF'
import json, resource, sys, time, zstandard
t0 = time.perf_counter()
with open(sys.argv[1], 'rb') as f:
    raw = zstandard.ZstdDecompressor().decompress(f.read(), max_output_size=2 << 30)
n = sum(1 for line in raw.decode('utf-8').splitlines() if line.strip() and json.loads(line) is not None)
dt = time.perf_counter() - t0
print(f"python: {n} records in {dt*1000:.0f} ms per pass (the notebook makes 3 passes); "
      f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024:.0f} MB")
PYEOF
