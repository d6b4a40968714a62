#!/usr/bin/env bash
# The main job on embedded defaults: install what is missing, build (Release), generate a small
# periodic Navier-Stokes dataset, print its summary and draw it.
# Output: out/ns2d_demo.h5 and out/ns2d_demo.png
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install_deps.sh
scripts/build.sh build -DFIELDLAB_TESTS=OFF
mkdir -p out
build/apps/fieldlab generate ns2d --out out/ns2d_demo.h5 --overwrite \
  --trajectories 8 --resolution 64 --frames 20 --dt-out 1
build/apps/fieldlab info out/ns2d_demo.h5
build/apps/fieldlab render out/ns2d_demo.h5 --trajectory 0 --panels 6 --out out/ns2d_demo.png
