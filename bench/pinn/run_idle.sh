#!/usr/bin/env bash
# The LPINN/PINN benchmarks of issue 14 for an idle machine (bench/pinn/README.md): builds
# pinn_step and pinn_sweep_run (Release, -DFIELDLAB_BENCH=ON), waits up to IDLE_WAIT seconds
# (default 600) for the 1-minute load average to fall below 0.5, then runs compare.py (fieldlab
# vs PyTorch, threads 1 and 2) and sweep.py (the c-sweep). Load averages are recorded in the JSON.
#
#   bench/pinn/run_idle.sh            both
#   bench/pinn/run_idle.sh compare    only the step comparison
#   bench/pinn/run_idle.sh sweep      only the c-sweep (SWEEP_ARGS: extra sweep.py options)
#
# PYTHON (default build/bench-venv/bin/python) must have torch; PLOT_PYTHON (default PYTHON) is
# used for sweep.py, which plots when it has matplotlib. BUILD_DIR defaults to build-bench.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
what=${1:-all}
build_dir=${BUILD_DIR:-build-bench}
python=${PYTHON:-build/bench-venv/bin/python}
plot_python=${PLOT_PYTHON:-$python}
export CCACHE_BASEDIR="$root"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDLAB_BENCH=ON >/dev/null
cmake --build "$build_dir" -j 2 --target pinn_step pinn_sweep_run >/dev/null

waited=0
while awk '{exit !($1 >= 0.5)}' /proc/loadavg && [ "$waited" -lt "${IDLE_WAIT:-600}" ]; do
  sleep 10
  waited=$((waited + 10))
done
echo "== load $(cut -d' ' -f1-3 /proc/loadavg) after waiting ${waited} s ($(nproc) cores)"
mkdir -p bench/results
if [ "$what" = all ] || [ "$what" = compare ]; then
  "$python" bench/pinn/compare.py --pinn-step "$build_dir/bench/pinn/pinn_step" --python "$python" \
    --json bench/results/pinn_torch.json
fi
if [ "$what" = all ] || [ "$what" = sweep ]; then
  # shellcheck disable=SC2086
  "$plot_python" bench/pinn/sweep.py --run "$build_dir/bench/pinn/pinn_sweep_run" ${SWEEP_ARGS:-} \
    --json bench/results/pinn_sweep.json --png bench/results/pinn_sweep.png
fi
