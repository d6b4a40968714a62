#!/usr/bin/env bash
# Creates build/bench-venv, the Python environment of the peer benchmarks (bench/*/run_idle.sh):
# PyTorch (nn), clawpack/PyClaw (swe), qulacs, qiskit-aer and qkan (quantum), h5py and numpy.
# The benchmarks only; the build and the test suite do not need it. PyTorch's PyPI wheel brings
# its CUDA libraries (about 5 GiB in all); the benchmarks run it on the CPU.
# Usage: bench/setup_venv.sh [VENV_DIR]   (idempotent: an existing venv is only topped up)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${1:-$root/build/bench-venv}
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
# clawpack builds its Fortran Riemann solvers from source: needs gfortran (apt-get install gfortran).
"$venv/bin/pip" install -q numpy h5py torch==2.15.0 clawpack==5.14.0 qulacs==0.6.14 qiskit==2.6.2 \
  qiskit-aer==0.18.2 qkan==0.2.3
echo "bench venv ready: $venv"
