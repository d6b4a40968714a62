#!/usr/bin/env bash
# The whole nn benchmark of issue 5, for an idle machine: SineNet training and inference steps,
# fieldlab against PyTorch CPU on the identical architecture, same threads, side by side in one
# run, each configuration of each engine in its own process (peak memory = its VmHWM); then the
# conv2d kernels (Google Benchmark). Default (portable) Release build: GEMM is OpenBLAS with
# run-time kernel selection, the hand-written loops are FIELDLAB_MULTIVERSION clones.
#
#   bench/nn/run_idle.sh                   full run, about 15-20 minutes on the 2-core machine
#   NN_BENCH_SMOKE=1 bench/nn/run_idle.sh  tiny sizes (32^2, batch 2): checks the pipeline only
#
# Raw results: bench/results/nn_steps.json and bench/results/nn_kernels.json (a smoke run writes
# nn_*_smoke.json instead). Prints a markdown table of time and memory ratios (fieldlab / PyTorch)
# and fieldlab's heap allocations in the timed steps (0 expected).
# PYTHON (default build/bench-venv/bin/python, made by bench/setup_venv.sh) must
# have torch installed; BUILD_DIR (default build-bench) is configured with -DFIELDLAB_BENCH=ON.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

smoke=${NN_BENCH_SMOKE:-0}
build_dir=${BUILD_DIR:-build-bench}
python=${PYTHON:-}
if [ -z "$python" ]; then
  for p in build/bench-venv/bin/python; do
    if [ -x "$p" ]; then
      python=$p
      break
    fi
  done
fi
if [ -z "$python" ] || ! "$python" -c "import torch" 2>/dev/null; then
  echo "run_idle.sh: no Python with torch (set PYTHON, or run bench/setup_venv.sh)" >&2
  exit 2
fi

export CCACHE_BASEDIR="$root"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDLAB_BENCH=ON >/dev/null
cmake --build "$build_dir" -j 2 --target nn_step bench_nn >/dev/null

suffix=""
[ "$smoke" = "1" ] && suffix="_smoke"
mkdir -p bench/results
steps_json=bench/results/nn_steps$suffix.json
kernels_json=bench/results/nn_kernels$suffix.json
start=$(date +%s)

echo "== SineNet steps: fieldlab vs PyTorch ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
smoke_flag=()
[ "$smoke" = "1" ] && smoke_flag=(--smoke)
"$python" bench/nn/torch_compare.py compare --nn-step "$build_dir/bench/nn/nn_step" \
  --json "$steps_json" "${smoke_flag[@]}"

echo
echo "== conv2d kernels (3x3, 64 -> 64 channels, batch 8), CPU time per call"
if [ "$smoke" = "1" ]; then
  filter='BM_Conv2d(Forward|Backward)/64/64/8/1/'
  min_time=0.01
else
  filter='BM_Conv2d'
  min_time=1
fi
"$build_dir/bench/nn/bench_nn" --benchmark_filter="$filter" --benchmark_min_time="$min_time" \
  --benchmark_out="$kernels_json" --benchmark_out_format=json

echo
echo "run_idle.sh: done in $(($(date +%s) - start)) s; raw results in $steps_json and $kernels_json"
