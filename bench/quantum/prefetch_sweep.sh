#!/usr/bin/env bash
# Tunes the gate kernels' software-prefetch distance on this machine: builds kernel_sweep with
# quantum/kernels.cpp once per distance (0 = no prefetch) and prints a table of GB/s per kernel and
# target at one thread. Run on an idle machine.
# Usage: [DISTANCES="0 1024"] bench/quantum/prefetch_sweep.sh [QUBITS]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
qubits="${1:-26}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
read -r -a distances <<< "${DISTANCES:-0 256 512 1024 2048}"  # bytes; 0 = off
for d in "${distances[@]}"; do
  # The project's portable flags: the kernels pick their x86-64-v3 clone at run time.
  g++ -std=c++20 -O3 -DNDEBUG -Wno-psabi -DFIELDLAB_QSIM_PREFETCH_BYTES="$d" -I"$root" \
    "$root/bench/quantum/kernel_sweep.cpp" "$root/quantum/kernels.cpp" "$root/quantum/state_buffer.cpp" -o "$work/sweep_$d"
done
# Two rounds, distances interleaved, best of both: a slow drift of the machine cannot favour one.
for round in 1 2; do
  for d in "${distances[@]}"; do
    OMP_NUM_THREADS=1 taskset -c 0 "$work/sweep_$d" "$qubits" | sed "s/^/$d /" >> "$work/out_$d"
  done
done
python3 - "$work" "${distances[@]}" <<'PY'
import sys
work, ds = sys.argv[1], sys.argv[2:]
rows = {}
for d in ds:
    for line in open(f"{work}/out_{d}"):
        f = line.split()
        v = rows.setdefault((f[1], f[2]), {})
        v[d] = max(v.get(d, 0.0), float(f[5]))
print("| kernel | target | " + " | ".join(f"{d} B" for d in ds) + " |")
print("| --- | --- |" + " --- |" * len(ds))
for (k, t), v in rows.items():
    print(f"| {k} | {t[2:]} | " + " | ".join(f"{v[d]:.1f}" for d in ds) + " |")
mean = {d: sum(v[d] for v in rows.values()) / len(rows) for d in ds}
print("| mean | | " + " | ".join(f"{mean[d]:.1f}" for d in ds) + " |")
PY
