#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test twice: in the Release build (with the
# benchmark programs compiled too, so bench/ cannot rot), then in a build with AddressSanitizer +
# UndefinedBehaviorSanitizer so memory errors fail the run. Test cases in doctest's "slow" suite
# (ctest label `slow`) run in the Release pass only.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install_deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
# ctest runs test programs side by side; sleeping (not spinning) OpenMP waits keep oversubscribed
# cores from stalling each other.
export OMP_WAIT_POLICY=PASSIVE

# A small venv with h5py for the tests that write HDF5 from Python (e.g. poisoning a value to
# check the non-finite-data error); the PyTorch parity test uses build/bench-venv when present.
python3 -m venv build/test-venv
build/test-venv/bin/pip install -q --disable-pip-version-check h5py numpy
export FIELDLAB_TEST_PYTHON=$root/build/test-venv/bin/python

echo "== Release build and tests"
scripts/build.sh build -DFIELDLAB_TESTS=ON -DFIELDLAB_BENCH=ON
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== ASan + UBSan build and tests"
scripts/build.sh build-sanitize -DFIELDLAB_TESTS=ON -DFIELDLAB_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -LE slow

# A short libFuzzer run of every harness (clang; own build folder). The corpus and kept crash
# inputs also run in both passes above as the ctest entries fuzz_<harness>.
echo "== libFuzzer harnesses, ${FIELDLAB_FUZZ_SECONDS:-30} s each"
scripts/fuzz.sh build-fuzz "${FIELDLAB_FUZZ_SECONDS:-30}"
