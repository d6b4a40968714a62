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

# The test venv (pinned, so the stub check compares like with like): h5py for the tests that
# write HDF5 from Python; pybind11 and scikit-build-core to build the Python module; pytest,
# nbmake, matplotlib, tqdm and xarray for the Python tests and the notebooks. The PyTorch parity
# test uses build/bench-venv when present.
venv=$root/build/test-venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check h5py==3.16.0 numpy==2.4.6 pybind11==3.1.0 \
  scikit-build-core==1.1.2 pybind11-stubgen==3.0.0 pytest==9.2.0 nbmake==1.5.5 \
  matplotlib==3.11.2 tqdm==4.70.1 xarray==2026.9.0
export FIELDLAB_TEST_PYTHON=$venv/bin/python

echo "== Release build (with the Python module) and tests"
scripts/build.sh build -DFIELDLAB_TESTS=ON -DFIELDLAB_BENCH=ON -DFIELDLAB_PYTHON=ON \
  -DPython_EXECUTABLE="$venv/bin/python"
# `pip install .` into the venv, reusing the build folder just made (nothing recompiles), then an
# import of the installed package from outside the checkout: the wheel holds what it must.
"$venv/bin/pip" install -q --disable-pip-version-check --no-build-isolation -C build-dir=build .
(cd /tmp && "$venv/bin/python" -c 'import fieldlab, sys; assert "site-packages" in fieldlab.__file__, fieldlab.__file__; print("installed", fieldlab.__version__, fieldlab.__file__)')
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== ASan + UBSan build and tests"
scripts/build.sh build-sanitize -DFIELDLAB_TESTS=ON -DFIELDLAB_SANITIZE=ON
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize --output-on-failure -j "$jobs" -LE slow

# A short libFuzzer run of every harness (clang; own build folder). The corpus and kept crash
# inputs also run in both passes above as the ctest entries fuzz_<harness>.
echo "== libFuzzer harnesses, ${FIELDLAB_FUZZ_SECONDS:-30} s each"
scripts/fuzz.sh build-fuzz "${FIELDLAB_FUZZ_SECONDS:-30}"
