#!/usr/bin/env bash
# Builds fieldlab (Release), makes the bench virtualenv (CPU PyTorch, h5py) and runs
# fno_compare.py. Usage: bench/ns2d/run_fno_compare.sh [fno_compare.py options]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/install_deps.sh
scripts/build.sh build
venv=build/bench-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q torch h5py numpy  # PyPI's torch; the CPU kernels are what run here
"$venv/bin/python" bench/ns2d/fno_compare.py build/apps/fieldlab "$@"
