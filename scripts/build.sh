#!/usr/bin/env bash
# Configures and builds fieldlab. Usage: scripts/build.sh BUILD_DIR [extra cmake args...]
# Release by default; ccache is used when present (installed by install_deps.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build_dir=$1
shift
jobs=$(nproc 2>/dev/null || echo 2)
# Paths relative to the checkout in ccache's hashes: another clone of the same sources hits the cache.
export CCACHE_BASEDIR="$root"
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build "$build_dir" -j "$jobs"
