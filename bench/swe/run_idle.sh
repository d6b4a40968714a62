#!/usr/bin/env bash
# Shallow-water benchmarks of issue 4 in one run, for an idle machine:
#   1. bench_swe: cell updates per second of the finite-volume step (SSP-RK2 and MUSCL-Hancock,
#      HLLC + MC) and of the C-grid RK4 step at 128^2 .. 1024^2, at 1 and 2 threads, and one
#      PDEBench radial-dam-break sample (128^2, 101 frames, no I/O) per stepper;
#   2. bench/swe/pyclaw_compare.py: fieldlab vs PyClaw (PDEBench's generator) side by side, same
#      radii, grid, frames and worker count, both writing PDEBench-layout HDF5 (fieldlab's default
#      MUSCL-Hancock and its SSP-RK2 option, each against a fresh PyClaw run);
#   3. `fieldlab generate dambreak2d --layout pdebench --threads 2` for a measured fraction of
#      PDEBench's 1000-sample set, extrapolated to 1000 samples.
# Raw JSON goes to bench/results/swe_*.json (OUT=... elsewhere); a markdown table is printed at
# the end.
#
#   bench/swe/run_idle.sh              # full run, estimated 1-2 minutes on 2 idle cores
#   SMOKE=1 bench/swe/run_idle.sh      # tiny sizes, checks the pipeline end to end (~1 minute)
#
# Environment: BUILD (default build, configured with -DFIELDLAB_BENCH=ON and built with the
# targets fieldlab and bench_swe), VENV (a virtualenv with clawpack and h5py; default
# build/bench-venv, made by bench/setup_venv.sh), SAMPLES_PYCLAW (default 32), SAMPLES_GENERATE (default 100).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BUILD:-$root/build}" && pwd)
venv=${VENV:-$root/build/bench-venv}
python=$venv/bin/python
smoke=${SMOKE:-0}
if [[ $smoke == 1 ]]; then
  samples_pyclaw=${SAMPLES_PYCLAW:-2}
  samples_generate=${SAMPLES_GENERATE:-4}
  bench_filter='Step/128/|Sample/90/1'
  min_time=0.05
else
  samples_pyclaw=${SAMPLES_PYCLAW:-32}
  samples_generate=${SAMPLES_GENERATE:-100}
  bench_filter='.'
  min_time=0.5
fi
for f in "$build/apps/fieldlab" "$build/bench/swe/bench_swe" "$python"; do
  [[ -x $f ]] || { echo "run_idle.sh: missing $f (build fieldlab and bench_swe, see header)" >&2; exit 2; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/swe_idle.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A smoke run keeps its JSON in the scratch folder, so it never overwrites real results.
if [[ $smoke == 1 ]]; then out=${OUT:-$work/results}; else out=${OUT:-$root/bench/results}; fi
mkdir -p "$out"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# 1. Kernels at 1 and 2 threads.
for threads in 1 2; do
  echo "== bench_swe, $threads thread(s)"
  OMP_NUM_THREADS=$threads "$build/bench/swe/bench_swe" --benchmark_filter="$bench_filter" \
    --benchmark_min_time=$min_time --benchmark_out="$out/swe_bench_t$threads.json" \
    --benchmark_out_format=json >/dev/null
done

# 2. PyClaw side by side (2 workers each); from the scratch folder, where PyClaw leaves pyclaw.log.
cd "$work"
for stepper in hancock ssprk2; do
  echo "== PyClaw vs fieldlab ($stepper), $samples_pyclaw samples"
  "$python" "$root/bench/swe/pyclaw_compare.py" --fieldlab "$build/apps/fieldlab" \
    --samples "$samples_pyclaw" --threads 2 --stepper "$stepper" \
    --json "$out/swe_pyclaw_$stepper.json" | sed 's/^/   /'
done

# 3. A measured fraction of PDEBench's 1000-sample radial dam break.
echo "== fieldlab generate dambreak2d --layout pdebench --threads 2, $samples_generate samples"
"$python" - "$build/apps/fieldlab" "$samples_generate" "$work/rdb.h5" "$out/swe_generate.json" <<'EOF'
import json, os, resource, subprocess, sys, time
fieldlab, samples, path, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cmd = [fieldlab, "generate", "dambreak2d", "--layout", "pdebench", "--samples", str(samples),
       "--threads", "2", "--out", path, "--quiet"]
start = time.perf_counter()
subprocess.run(cmd, check=True)
wall = time.perf_counter() - start
r = resource.getrusage(resource.RUSAGE_CHILDREN)
result = {"command": " ".join(cmd[1:]), "samples": samples, "wall_seconds": wall,
          "cpu_seconds": r.ru_utime + r.ru_stime, "file_bytes": os.path.getsize(path),
          "extrapolated_1000_wall_seconds": wall * 1000 / samples,
          "extrapolated_1000_file_bytes": os.path.getsize(path) * 1000 / samples,
          "load_average": os.getloadavg()}
json.dump(result, open(out, "w"), indent=2)
EOF

# Markdown summary from the JSON files.
"$python" - "$out" <<'EOF'
import json, os, sys
out = sys.argv[1]
rows = {}
for threads in (1, 2):
    for b in json.load(open(os.path.join(out, f"swe_bench_t{threads}.json")))["benchmarks"]:
        if b.get("error_occurred"):
            print(f"ERROR in {b['name']}: {b.get('error_message')}")
            continue
        rows.setdefault(b["run_name"].split("/min_warmup")[0].replace("/process_time", ""), {})[threads] = b
print("\n### Cell updates per second (wall clock; per process CPU-second in brackets)\n")
print("| kernel | grid | 1 thread | 2 threads |")
print("| --- | --- | --- | --- |")
names = {"BM_FiniteVolumeStep": "finite volume", "BM_CgridStep": "C-grid RK4"}
steppers = {"0": "SSP-RK2", "1": "MUSCL-Hancock"}
def per_s(b, scale):  # benchmark times are in the benchmark's unit (ms here)
    unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
    return scale / (b["real_time"] * unit), scale / (b["cpu_time"] * unit)
for name, by_threads in rows.items():
    parts = name.split("/")
    if parts[0] not in names:
        continue
    n = int(parts[1])
    label = names[parts[0]] + (f", {steppers[parts[2]]}" if len(parts) > 2 else "")
    cells = []
    for t in (1, 2):
        if t in by_threads:
            wall, cpu = per_s(by_threads[t], n * n)
            cells.append(f"{wall / 1e6:.1f} M/s ({cpu / 1e6:.1f})")
        else:
            cells.append("-")
    print(f"| {label} | {n}^2 | {cells[0]} | {cells[1]} |")
print("\n### One radial-dam-break sample, 128^2, 101 frames, no I/O, one thread\n")
print("| stepper, CFL | wall s | CPU s |")
print("| --- | --- | --- |")
for name, by_threads in rows.items():
    if name.startswith("BM_DamBreakSample") and 1 in by_threads:
        _, cfl, st = name.split("/")
        b = by_threads[1]
        unit = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
        print(f"| {steppers[st]}, {int(cfl) / 100} | {b['real_time'] * unit:.3f} | {b['cpu_time'] * unit:.3f} |")
print("\n### PyClaw (PDEBench's generator) vs fieldlab, 2 workers each\n")
print("| fieldlab stepper | samples | fieldlab s/sample | PyClaw s/sample | ratio (wall) | ratio (CPU) | rel. L1 diff of h at t = 1 (mean) |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for stepper in ("hancock", "ssprk2"):
    p = os.path.join(out, f"swe_pyclaw_{stepper}.json")
    if os.path.exists(p):
        r = json.load(open(p))
        print(f"| {stepper} | {r['samples']} | {r['fieldlab_seconds_per_sample']:.3f} | "
              f"{r['pyclaw_seconds_per_sample']:.3f} | {r['speedup']:.2f}x | {r['cpu_ratio']:.2f}x | "
              f"{r['relative_l1_difference_final_h']['mean']:.2e} |")
g = json.load(open(os.path.join(out, "swe_generate.json")))
print(f"\n### PDEBench 1000-sample radial dam break (measured {g['samples']} samples)\n")
print(f"`{g['command']}`: {g['wall_seconds']:.1f} s wall, {g['cpu_seconds']:.1f} CPU-s, "
      f"{g['file_bytes'] / 1e6:.0f} MB; extrapolated to 1000 samples: "
      f"{g['extrapolated_1000_wall_seconds']:.0f} s wall, {g['extrapolated_1000_file_bytes'] / 1e9:.1f} GB.")
print(f"\nload average at the end: {os.getloadavg()}")
EOF
