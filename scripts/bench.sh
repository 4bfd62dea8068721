#!/usr/bin/env bash
# make bench: the foundation's benchmarks, with the commands that measure them.
#  1. a no-op `figpipe run` over the committed sample data       (target < 100 ms)
#  2. a no-op run over synth compression data at --scale 100      (target < 150 ms)
#  3. decode + parse of that scale-100 results.jsonl.zst          (target < 1.5 s, < 300 MB)
#     beside the notebook's own read of the same file (zstandard + json), when a
#     python with zstandard is at hand (.venv-ref, see README).
#  4. cold render of fig1–fig5 (PNG + PDF + dumps, loaders included) on the sample
#     data, beside the notebook's figure cells run by the reference harness
#     (needs .venv-ref with matplotlib)                        (target ≥ 10× faster)
#  5. numerics: the Delphi 1000-draw bootstrap (target < 0.1 s), the GP fits and
#     PDPs of the 24 sweep cells (target < 1 s), and of synth --scale 4
#     (3,040 trials, target < 5 s), beside the exporter's own code (.venv-ref)
#  6. cold run of the Delphi blog family (the 12 plotly JSON files and their PNG/PDF, loaders and fits
#     included) on the sample data, beside the exporter's main() run by the reference
#     harness (needs .venv-ref with plotly, scipy, scikit-learn)    (target ≥ 20× faster)
#     and on the synth --scale 4 data of section 5              (target < 5 s)
#  7. cold run of the whole ΔH family (13 figures PNG + PDF + dumps, 17 CSV tables,
#     loaders included) on the sample data, beside the reference harness running
#     the three notebooks' code on the same data                (target ≥ 20× faster)
#     and on synth entropy data at --scale 4: time and peak RSS (target ≥ 20×, < 500 MB)
#  8. a declared (Vega-Lite) figure over a 1-million-row CSV: load, bin, aggregate,
#     draw PNG + PDF; beside Altair + vl-convert drawing the same spec, as Altair
#     does by default (data inline, Vega's transforms in vl-convert) and with the
#     vegafusion data transformer (needs .venv-ref with altair, vegafusion,
#     vl-convert-python)                 (target ≥ 20× faster than the default, < 400 MB)
#  9. the remote cache: a second machine's run (empty local cache) against a warm
#     remote cache (Debian's nginx with WebDAV on 127.0.0.1, filled by a CI run
#     with --remote-upload) beside a cold local run: wall time, and the bytes and
#     requests nginx logged; on the sample data and on synth --scale 4 data of all
#     three families (needs nginx, and a python with numpy and zstandard for the
#     scale-4 data). `scripts/bench.sh remote` runs this section alone.
# The scale-100 data is generated into a temporary folder and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
FIG=.build/release/figpipe
BENCH=.build/release/figpipe-bench
RUNS=${RUNS:-20}
SHARED=${SHARED:-../shared}

# python_with MODULE...: the first of $PYTHON, .venv-ref/bin/python, python3 that
# imports every MODULE (prints nothing when none does).
python_with() {
    local candidate modules
    modules=$(IFS=,; echo "$*")
    for candidate in "${PYTHON:-}" .venv-ref/bin/python python3; do
        [ -n "$candidate" ] && command -v "$candidate" >/dev/null 2>&1 || continue
        if "$candidate" -c "import $modules" 2>/dev/null; then echo "$candidate"; return 0; fi
    done
    return 0
}

PY=$(python_with zstandard)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

compression_figures() {
    echo "== 4. cold render of the compression figures fig1–fig5 (sample data)"
    local roots=(--data data --out "$tmp/fig-out" --cache "$tmp/fig-cache")
    echo "\$ $FIG run 'compression.*' ${roots[*]}   (empty cache: loaders, figures, PNG+PDF+dump)"
    $BENCH time --runs 1 --warmup 0 -- $FIG run --quiet "${roots[@]}" 'compression.*' | sed 's/^/cold, empty cache: /'
    echo "\$ $FIG run --force 'compression.*' ${roots[*]} 'compression.*'   (every stage recomputed)"
    $BENCH time --runs 10 --warmup 1 -- $FIG run --quiet --force 'compression.*' "${roots[@]}" 'compression.*' | sed 's/^/forced: /'
    local mpl
    mpl=$(python_with matplotlib zstandard)
    if [ -z "$mpl" ]; then
        echo "-- the notebook side skipped: needs .venv-ref with matplotlib (see README)"
        return
    fi
    echo "-- the notebook on the same data ($SHARED/reference/run_compression.py; its figure cells' wall time):"
    "$mpl" "$SHARED/reference/run_compression.py" --data data/compression --out "$tmp/ref" --io-repeats 1 >/dev/null
    "$mpl" - "$tmp/ref/facts/compression_timing.json" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1]))
cells = sum(v["wall_s"] for v in t["figures"].values())
print(f"notebook: figure cells {cells*1000:.0f} ms + setup {t.get('setup_s', 0)*1000:.0f} ms "
      f"(total {t['total_s']*1000:.0f} ms, python imports not counted)")
PYEOF
}
numerics() {
    local fixtures=Tests/NumericsTests/Fixtures
    echo "== 5. numerics (inputs recorded from the exporter: $fixtures)"
    echo "\$ $BENCH bootstrap $fixtures/fits_delphi.json"
    $BENCH bootstrap "$fixtures/fits_delphi.json" --repeat 10
    echo "\$ $BENCH gp $fixtures/gp_delphi_cells.json"
    $BENCH gp "$fixtures/gp_delphi_cells.json" --repeat 5
    local sk
    sk=$(python_with sklearn scipy pandas)
    if [ -z "$sk" ]; then
        echo "-- the Python side and --scale 4 skipped: need .venv-ref with scikit-learn (see README)"
        return
    fi
    echo "-- the exporter's _bootstrap_scaling_fit_ci on the same inputs:"
    "$sk" - "$SHARED/reference/delphi_export_figures.py" "$fixtures/fits_delphi.json" <<'PYEOF'
import importlib.util, json, sys, time
import numpy as np
spec = importlib.util.spec_from_file_location("dx", sys.argv[1]); mod = importlib.util.module_from_spec(spec)
sys.modules["dx"] = mod; spec.loader.exec_module(mod)
b = json.load(open(sys.argv[2]))["bootstrap"]
t0 = time.perf_counter()
mod._bootstrap_scaling_fit_ci(np.array(b["C"], float), np.array(b["y"], float), b["targets"])
print(f"python: bootstrap {time.perf_counter() - t0:.2f} s")
PYEOF
    echo "== generating synth delphi data at --scale 4 into $tmp (not kept), recording its GP cells with the exporter"
    "$sk" "$SHARED/synth/delphi.py" --out "$tmp/delphi4" --scale 4 --seed 0 >/dev/null
    "$sk" "$fixtures/make_gp_fixtures.py" --data "$tmp/delphi4" --out "$tmp/gp4" --cells-only
    echo "\$ $BENCH gp $tmp/gp4/gp_delphi_cells.json"
    $BENCH gp "$tmp/gp4/gp_delphi_cells.json" --repeat 3
}

delphi_figures() {
    echo "== 6. cold run of the Delphi blog family (12 plotly JSON files and their static PNG/PDF renders, sample data)"
    local roots=(--data data --out "$tmp/delphi-out" --cache "$tmp/delphi-cache")
    echo "\$ $FIG run 'delphi.*' ${roots[*]}   (empty cache: loaders, fits, GP, figures, JSON)"
    $BENCH time --runs 1 --warmup 0 -- $FIG run --quiet "${roots[@]}" 'delphi.*' | sed 's/^/cold, empty cache: /'
    # The issue's measure: the 12 JSON files and their PNG/PDF (not the per-step PNGs).
    local twelve=()
    for n in isoflop-parabolas scaling-law-asymptote first-ladder first-ladder-mobile delphi-ladder \
        delphi-ladder-mobile lucky-seeds overtraining-forecast mmlu-emergence mmlu-emergence-mobile hparam-scaling \
        hparam-scaling-mobile; do
        twelve+=("delphi.$n.plotly" "delphi.$n.render")
    done
    local roots12=(--data data --out "$tmp/delphi12-out" --cache "$tmp/delphi12-cache")
    echo "\$ $FIG run ${roots12[*]} delphi.NAME.plotly delphi.NAME.render (x 12)   (empty cache: the 12 JSON and their PNG/PDF)"
    $BENCH time --runs 1 --warmup 0 -- $FIG run --quiet "${roots12[@]}" "${twelve[@]}" | sed 's/^/cold, 12 JSON + PNG\/PDF: /'
    echo "\$ $FIG run --force 'delphi.*' ${roots[*]}   (every stage recomputed)"
    $BENCH time --runs 5 --warmup 1 -- $FIG run --quiet --force 'delphi.*' "${roots[@]}" 'delphi.*' | sed 's/^/forced: /'
    local ref
    ref=$(python_with plotly scipy sklearn pandas)
    if [ -z "$ref" ]; then
        echo "-- the exporter side skipped: needs .venv-ref with plotly, scipy, scikit-learn, pandas (see README)"
        return
    fi
    echo "-- the exporter on the same data ($SHARED/reference/run_delphi.py; main() wall time, python imports not counted):"
    "$ref" "$SHARED/reference/run_delphi.py" --data data/delphi --out "$tmp/delphi-ref" | grep -E "total main\(\)" || true
    if [ -d "$tmp/delphi4" ]; then
        echo "== 6b. the Delphi family on the synth --scale 4 data of section 5 (target < 5 s; the exporter: 94 s)"
        mkdir -p "$tmp/d4root"
        ln -s "$tmp/delphi4" "$tmp/d4root/delphi"
        for d in data/*; do [ "$(basename "$d")" = delphi ] || ln -s "$PWD/$d" "$tmp/d4root/"; done
        local roots4=(--data "$tmp/d4root" --out "$tmp/delphi4-out" --cache "$tmp/delphi4-cache")
        echo "\$ /usr/bin/time $FIG run --quiet ${roots4[*]} 'delphi.*'   (empty cache)"
        /usr/bin/time -f "figpipe cold (scale 4): %e s wall, peak RSS %M KB" $FIG run --quiet "${roots4[@]}" 'delphi.*'
    fi
}

entropy_figures() {
    local mpl
    mpl=$(python_with matplotlib pandas)
    # figpipe validates every stage's files, so the other families' data sit beside the entropy data.
    bench_one() {  # $1 = data root, $2 = label
        local roots=(--data "$1" --out "$tmp/ent-out-$2" --cache "$tmp/ent-cache-$2")
        echo "\$ /usr/bin/time $FIG run --quiet ${roots[*]} 'entropy.*'   (empty cache)"
        /usr/bin/time -f "figpipe cold ($2): %e s wall, peak RSS %M KB" $FIG run --quiet "${roots[@]}" 'entropy.*'
        echo "\$ $FIG run --quiet --force 'entropy.*' ${roots[*]}   (every stage recomputed)"
        $BENCH time --runs 3 --warmup 0 -- $FIG run --quiet --force 'entropy.*' "${roots[@]}" 'entropy.*' | sed "s/^/figpipe forced ($2): /"
        if [ -n "$mpl" ]; then
            echo "\$ /usr/bin/time $mpl $SHARED/reference/run_entropy.py --data $1/entropy --out $tmp/ent-ref-$2"
            /usr/bin/time -f "reference ($2): %e s wall, peak RSS %M KB" \
                "$mpl" "$SHARED/reference/run_entropy.py" --data "$1/entropy" --out "$tmp/ent-ref-$2" >/dev/null
            "$mpl" "$SHARED/reference/compare.py" dirs "$tmp/ent-ref-$2" "$tmp/ent-out-$2/entropy" | tail -1 \
                | sed "s/^/compare.py dirs ($2): /"
        else
            echo "-- the reference side skipped: needs .venv-ref with matplotlib and pandas (see README)"
        fi
    }
    echo "== 7. cold run of the ΔH family (sample data)"
    bench_one data sample
    if [ -n "$mpl" ]; then
        echo "== 7b. the ΔH family on synth entropy data at --scale 4 (generated into $tmp, not kept)"
        mkdir -p "$tmp/ent4"
        for d in data/*; do [ "$(basename "$d")" = entropy ] || ln -s "$PWD/$d" "$tmp/ent4/"; done
        "$mpl" "$SHARED/synth/entropy.py" --out "$tmp/ent4/entropy" --seed 0 --scale 4 --quiet
        bench_one "$tmp/ent4" scale4
    fi
}
# remote_cache: section 9.
remote_cache() {
    local nginx
    nginx=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
    if [ -z "$nginx" ]; then
        echo "== 9. skipped: needs nginx (apt-get install nginx)"
        return
    fi
    # nginx under /tmp (its workers run as nobody when this runs as root), on a free port.
    local ng port
    ng=$(mktemp -d /tmp/figpipe-bench-nginx.XXXXXX)
    chmod 755 "$ng"
    mkdir -m 777 "$ng/store" "$ng/body"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat > "$ng/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
$( [ "$(id -u)" -eq 0 ] && echo "user nobody nogroup;" )
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 256; }
http {
    log_format cache '\$request_method \$uri \$status \$bytes_sent \$request_length';
    access_log $ng/access.log cache;
    client_body_temp_path $ng/body;
    proxy_temp_path $ng/body/proxy; fastcgi_temp_path $ng/body/fastcgi;
    uwsgi_temp_path $ng/body/uwsgi; scgi_temp_path $ng/body/scgi;
    default_type application/octet-stream;
    server {
        listen 127.0.0.1:$port;
        root $ng/store;
        client_max_body_size 0;
        location / { dav_methods PUT DELETE; create_full_put_path on; dav_access user:rw group:rw all:r; }
    }
}
NGINX
    "$nginx" -p "$ng" -c "$ng/nginx.conf" 2>"$ng/stderr" &
    nginx_pid=$!
    trap 'kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; rm -rf "$tmp" "$ng"' EXIT
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        sleep 0.1
    done
    local url="http://127.0.0.1:$port"

    # traffic FROM: what nginx logged from line FROM on: requests, bytes sent and received (headers included).
    traffic() {
        tail -n "+$1" "$ng/access.log" | awk '{ n++; by[$1]++; sent += $4; got += $5 }
            END { printf "%d requests (", n; sep = ""; for (m in by) { printf "%s%d %s", sep, by[m], m; sep = ", " }
                  printf "), %.2f MB from the server, %.2f MB to it\n", sent / 1e6, got / 1e6 }'
    }
    lines() { wc -l < "$ng/access.log" 2>/dev/null || echo 0; }
    # fresh RUNS LABEL ARGS...: RUNS runs of `figpipe run ARGS` each on an empty cache and output root (not timed).
    fresh() {
        local runs=$1 label=$2 t0 t1 times=()
        shift 2
        for _ in $(seq "$runs"); do
            rm -rf "$tmp/rc-cache" "$tmp/rc-out"
            t0=$(date +%s%N)
            $FIG run --quiet --out "$tmp/rc-out" --cache "$tmp/rc-cache" "$@"
            t1=$(date +%s%N)
            times+=("$(( (t1 - t0) / 1000000 ))")
        done
        printf '%s: %s ms (%s runs: %s)\n' "$label" \
            "$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')" \
            "$runs" "$(IFS=' '; echo "${times[*]}")"
    }
    one_dataset() {  # $1 = data root, $2 = label, $3 = timed runs of each
        local data=$1 label=$2 runs=$3 before
        echo "-- $label"
        echo "\$ $FIG run --quiet --data $data --out OUT --cache EMPTY   (cold, no remote cache)"
        fresh "$runs" "cold local run ($label)" --data "$data"
        cp -r "$tmp/rc-out" "$tmp/rc-reference"
        echo "\$ $FIG run --quiet --data $data --out OUT --cache EMPTY --remote-cache $url --remote-upload   (CI, filling the cache)"
        before=$(( $(lines) + 1 ))
        fresh 1 "CI run with uploads ($label)" --data "$data" --remote-cache "$url" --remote-upload
        echo "uploads ($label): $(traffic "$before")"
        echo "\$ $FIG run --quiet --data $data --out OUT --cache EMPTY --remote-cache $url   (a second machine, warm remote)"
        before=$(( $(lines) + 1 ))
        fresh "$runs" "second machine ($label)" --data "$data" --remote-cache "$url"
        echo "second machine, per run ($label): $(tail -n "+$before" "$ng/access.log" | awk -v r="$runs" '{ n++; sent += $4; got += $5 }
            END { printf "%d requests, %.2f MB from the server, %.3f MB to it", n / r, sent / r / 1e6, got / r / 1e6 }')"
        $FIG run --data "$data" --out "$tmp/rc-out" --cache "$tmp/rc-cache" --remote-cache "$url" | tail -1 \
            | sed "s/^/its next run ($label): /"
        rm -rf "$tmp/rc-cache" "$tmp/rc-out"
        $FIG run --data "$data" --out "$tmp/rc-out" --cache "$tmp/rc-cache" --remote-cache "$url" | tail -1 \
            | sed "s/^/a second machine's summary ($label): /"
        if diff -r "$tmp/rc-reference" "$tmp/rc-out" >/dev/null; then
            echo "outputs ($label): byte-identical to the cold local run"
        else
            echo "outputs ($label): DIFFER from the cold local run"
        fi
        rm -rf "$tmp/rc-reference" "$tmp/rc-cache" "$tmp/rc-out"
    }
    echo "== 9. remote cache: a second machine against a warm remote (nginx on $url) vs a cold local run"
    one_dataset data "sample data" 3
    local py4
    py4=$(python_with numpy zstandard)
    if [ -n "$py4" ]; then
        echo "\$ $py4 $SHARED/synth/all.py --out $tmp/synth4 --seed 0 --scale 4"
        "$py4" "$SHARED/synth/all.py" --out "$tmp/synth4" --seed 0 --scale 4 >/dev/null
        echo "synth --scale 4 data: $(du -sh "$tmp/synth4" | cut -f1)"
        one_dataset "$tmp/synth4" "synth --scale 4" 1
    else
        echo "-- synth --scale 4 skipped: needs a python with numpy and zstandard (PYTHON=..., or .venv-ref)"
    fi
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
    rm -rf "$ng"
}

if [ "${1:-}" = remote ]; then
    remote_cache
    exit 0
fi

echo "== 1. no-op run over data/ (sample data)"
echo "\$ $FIG run --quiet   (after one warm-up run)"
$FIG run --quiet
$BENCH time --runs "$RUNS" -- $FIG run --quiet

scale100() {
    echo "== generating synth compression data at --scale 100 into $tmp (not kept)"
    "$PY" "$SHARED/synth/compression.py" --out "$tmp/data/compression" --scale 100 --seed 0
    # figpipe validates every stage's files: the other families' sample data sit beside it.
    for d in data/*; do [ "$(basename "$d")" = compression ] || ln -s "$PWD/$d" "$tmp/data/"; done
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
}

declared_figure() {
    echo "== 8. a declared figure (figure.vega-lite) over a 1,000,000-row CSV"
    local dir="$tmp/declared"
    mkdir -p "$dir/data"
    # 20 runs × 50,000 steps: a loss that falls with the step, with noise (awk's seeded rand).
    awk 'BEGIN { srand(7); print "run,step,loss,lr";
        for (r = 0; r < 20; r++) for (s = 0; s < 50000; s++)
            printf "run_%02d,%d,%.6f,%.3e\n", r, s, 2 + 3 / (1 + s / 2000) + r * 0.01 + (rand() - 0.5) * 0.2, 1e-4 * (1 + r % 4) }' \
        > "$dir/data/steps.csv"
    cat > "$dir/steps.vl.json" <<'JSON'
{"data": {"name": "steps"}, "title": "Mean loss per 1,000 steps",
 "mark": "line",
 "encoding": {"x": {"field": "step", "type": "quantitative", "bin": {"maxbins": 50}},
              "y": {"field": "loss", "type": "quantitative", "aggregate": "mean", "scale": {"zero": false}},
              "color": {"field": "run", "type": "nominal"}}}
JSON
    cat > "$dir/pipeline.json" <<'JSON'
{"version": 1, "data": "data", "out": "out",
 "stages": [{"id": "steps", "kind": "figure.vega-lite",
             "inputs": {"spec": "{pipeline}/steps.vl.json", "steps": "steps.csv"},
             "render": {"path": "steps", "formats": ["png", "pdf"], "dump": false}}]}
JSON
    echo "\$ $BENCH csv $dir/data/steps.csv   (the CSV read alone: figpipe's plain-CSV path beside CSV.swift)"
    $BENCH csv "$dir/data/steps.csv"
    echo "\$ $FIG run --config $dir/pipeline.json   (empty cache: CSV read, bin, aggregate, PNG + PDF; 1,000,000 rows, $(du -h "$dir/data/steps.csv" | cut -f1))"
    $BENCH time --runs 3 --warmup 0 -- $FIG run --quiet --config "$dir/pipeline.json" --force steps | sed 's/^/figpipe: /'
    local alt
    alt=$(python_with altair vegafusion vl_convert)
    if [ -z "$alt" ]; then
        echo "-- the Altair side skipped: needs .venv-ref with altair, vegafusion, vl-convert-python (see README)"
        return
    fi
    for mode in inline vegafusion; do
        echo "\$ $alt scripts/bench_vega_altair.py $mode $dir/steps.vl.json $dir/data/steps.csv $dir"
        "$alt" scripts/bench_vega_altair.py "$mode" "$dir/steps.vl.json" "$dir/data/steps.csv" "$dir" 2>&1 | grep -v Warning
    done
}

if [ -z "$PY" ]; then
    echo "== 2, 3 skipped: need a python3 with zstandard to generate the scale-100 data (PYTHON=..., or .venv-ref)"
else
    scale100
fi
compression_figures
numerics
delphi_figures
entropy_figures
declared_figure
remote_cache
