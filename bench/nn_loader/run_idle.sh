#!/usr/bin/env bash
# Window-loader throughput, ours (foreground / background thread, with and without a simulated
# 20 ms training step per batch) and the peer (h5py + numpy, foreground), on the same file and
# windows, side by side; and the read path alone in process CPU time per window: one HDF5 read
# per frame and field (the loader before multi-frame reads) versus one hyperslab per field and
# window (the loader now), next to the peer's CPU time per window. Writes
# bench/results/nn_loader*.json and prints two markdown tables.
#   bench/nn_loader/run_idle.sh [BUILD_DIR]      full size: 64 trajectories x 20 frames of 128^2
#   SMOKE=1 bench/nn_loader/run_idle.sh          tiny sizes, end-to-end check (~30 s)
# Needs a build configured with -DFIELDLAB_BENCH=ON and a Python with h5py and numpy
# (PYTHON, default /work/main/build/bench-venv/bin/python, else python3).
# Full-size runtime: ~1.5 min to generate the file (2 threads) + 10 cases x ~2 s + peer ~10 s.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build}
py=${PYTHON:-/work/main/build/bench-venv/bin/python}
[ -x "$py" ] || py=python3
results=$root/bench/results
mkdir -p "$results"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ "${SMOKE:-0}" = 1 ]; then
  trajectories=8
  gen=(--resolution 32 --frames 8)
  min_time=0.1
  suffix=_smoke
else
  trajectories=64
  gen=(--resolution 128 --frames 20)
  min_time=2
  suffix=
fi
file=$work/loader.h5
"$build/apps/fieldlab" generate ns2d --out "$file" --trajectories "$trajectories" "${gen[@]}" --dt-out 1 --fields vorticity,u,v \
  --threads 2 --quiet
FIELDLAB_LOADER_FILE=$file "$build/bench/nn_loader/bench_nn_loader" --benchmark_format=json \
  --benchmark_min_time="$min_time" >"$results/nn_loader$suffix.json"
: >"$results/nn_loader_peer$suffix.json"
for b in 8 32; do
  if [ "$b" -le "$trajectories" ]; then
    "$py" "$root/bench/nn_loader/peer_loader.py" "$file" "$b" "$min_time" >>"$results/nn_loader_peer$suffix.json"
  fi
done
"$py" - "$results/nn_loader$suffix.json" "$results/nn_loader_peer$suffix.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1]))["benchmarks"]
peer = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
peer_by_batch = {int(p["name"].split(":")[1]): p["windows_per_s"] for p in peer}
print("| batch | consumer ms/batch | ours foreground (windows/s) | ours background (windows/s) | h5py+numpy (windows/s) |")
print("| --- | --- | --- | --- | --- |")
rows = {}
reads = {}
for b in ours:
    if b["name"].startswith("BM_read_windows"):
        reads[int(b["hyperslab"])] = b["cpu_time"] / 1e3 / (b["windows"] / b["iterations"])
        continue
    c = b
    key = (int(c["batch"]), int(c["consumer_us"]))
    rows.setdefault(key, {})["bg" if c["background"] else "fg"] = c["windows_per_s"]
for (batch, us), r in sorted(rows.items()):
    p = peer_by_batch.get(batch) if us == 0 else None
    print(f"| {batch} | {us / 1000:g} | {r.get('fg', 0):.0f} | {r.get('bg', 0):.0f} | "
          f"{p:.0f} |" if p else f"| {batch} | {us / 1000:g} | {r.get('fg', 0):.0f} | {r.get('bg', 0):.0f} | - |")
print()
print("| read path (history 4 + 1 target, all fields) | CPU ms per window |")
print("| --- | --- |")
names = {0: "ours, one read per frame and field", 1: "ours, one hyperslab per field (loader)"}
for k in sorted(reads):
    print(f"| {names[k]} | {reads[k] * 1e3:.3f} |")
for p in peer:
    print(f"| h5py + numpy, {p['name'].split('/')[1]} (includes batch assembly) | "
          f"{p['cpu_s_per_window'] * 1e3:.3f} |")
PY
