#!/usr/bin/env bash
# Issue 6 benchmarks, everything side by side in one run: memory bandwidth, time per 1- and
# 2-qubit gate at 10-28 qubits, 20-qubit QFT and random circuits (fieldlab vs qulacs vs
# qiskit-aer on the same OpenQASM files), QKAN forward + backward vs the `qkan` package, and
# onion-QRC time steps per second, each at 1 and 2 threads. Meant for an idle machine: it takes
# about 12-15 minutes on the 2-core development VM (most of it the 26- and 28-qubit gates, 4 GiB
# state vectors) and needs ~10 GiB of free memory. Writes bench/results/quantum_*.json and prints
# markdown tables (see docs/benchmarks.md, "Quantum").
#
# Usage: bench/quantum/run_idle.sh [--smoke] [--threads 1,2] [--only gates,circuits,...]
#          [--sizes 20,22] [--rounds 3]  (gate table: registers; ours/qulacs alternations per row)
#   --smoke  tiny sizes (10-12 qubits, a small QKAN layer; ~1 minute), results under
#            build/bench-results-smoke instead of bench/results: checks the pipeline only.
# Environment: BUILD (build folder, default build), VENV (Python with qulacs, qiskit-aer, qkan,
# torch; default build/bench-venv, made by bench/setup_venv.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$root/build}
venv=${VENV:-$root/build/bench-venv}
out_dir=$root/bench/results
for arg in "$@"; do
  if [[ $arg == --smoke ]]; then out_dir=$build/bench-results-smoke; fi
done
export CCACHE_BASEDIR="$root"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFIELDLAB_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target bench_quantum >/dev/null
cd "$root"
"$venv/bin/python" bench/quantum/peers.py --bench "$build/bench/quantum/bench_quantum" \
  --folder "$build/bench-quantum-qasm" --out-dir "$out_dir" "$@"
