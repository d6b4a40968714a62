#!/usr/bin/env bash
# Lid-driven cavity against Ghia, Ghia & Shin (1982): solves Re = 100 and Re = 1000 with
# `fieldlab solve cavity` and prints the maximum centreline deviation it reports (also stored in
# each output file as ghia1982_max_deviation_u / _v). Re = 1000 at 128^2 takes ~20k steps, too
# long for the unit-test suite; docs/incompressible.md records this script's output.
#   scripts/incompressible/verify_cavity.sh [FIELDLAB_BINARY] [RESOLUTION] [OUTDIR]
set -euo pipefail
fieldlab=${1:-build/apps/fieldlab}
n=${2:-128}
out=${3:-$(mktemp -d)}
for re in 100 1000; do
  /usr/bin/time -f "  wall %e s, user %U s, peak RSS %M KiB" \
    "$fieldlab" solve cavity --re "$re" --resolution "$n" --out "$out/cavity_re${re}_${n}.h5" \
    --overwrite --quiet --threads 1
done
