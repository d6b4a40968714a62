#!/usr/bin/env bash
# Refactoring check: runs the same generate/train commands with two fieldlab binaries (e.g. a
# build of main before a change and one after) and reports, per output file, whether every dataset
# and attribute is identical (wall-clock attributes excepted), and whether the training loss logs
# are identical byte for byte. Needs a Python with h5py (build/test-venv has one).
# Usage: scripts/dev/same_outputs.sh OLD_FIELDLAB NEW_FIELDLAB [PYTHON]
set -uo pipefail
old=$(realpath "$1") new=$(realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${3:-$root/build/test-venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/old" "$work/new"
# The same file name for both, so the stored command_line attributes agree.
cp "$old" "$work/old/fieldlab"
cp "$new" "$work/new/fieldlab"
status=0
run() {  # NAME ARGS...: one command in both folders, output NAME.h5
  local name=$1
  shift
  for v in old new; do
    (cd "$work/$v" && ./fieldlab "$@" --out "$name.h5" --quiet >"$name.log" 2>&1) ||
      { echo "FAILED: $v $name"; status=1; }
  done
}
run ns2d generate ns2d --trajectories 3 --resolution 32 --frames 6 --seed 3
run ns2d_f64 generate ns2d --trajectories 2 --resolution 16 --solve-resolution 32 --frames 4 \
  --seed 5 --dtype float64
run smoke2d generate smoke2d --trajectories 2 --resolution 32 --steps 12 --skip 2 --every 2 --seed 1
run NavierStokes2D_train_0 generate smoke2d --trajectories 2 --resolution 32 --steps 12 --skip 2 \
  --every 2 --seed 1 --layout pdearena
run dambreak2d generate dambreak2d --samples 2 --resolution 32 --frames 6 --seed 2
run dambreak2d_pdebench generate dambreak2d --samples 2 --resolution 32 --frames 6 --seed 2 \
  --layout pdebench
run swe2d generate swe2d --trajectories 2 --resolution 32 --frames 4 --seed 2
run swe2d_pdebench generate swe2d --trajectories 2 --resolution 32 --frames 4 --seed 2 --layout pdebench
run train generate ns2d --trajectories 12 --resolution 32 --frames 10 --seed 9
for v in old new; do
  (cd "$work/$v" &&
    ./fieldlab train sinenet2 --data train.h5 --out sinenet.h5 --epochs 2 --batch 4 \
      --loss-log sinenet_loss.txt --quiet --threads 1 >sinenet.log 2>&1 &&
    ./fieldlab train unet --data train.h5 --out unet.h5 --epochs 1 --batch 4 --hidden 8 \
      --loss-log unet_loss.txt --quiet --threads 1 >unet.log 2>&1) ||
    { echo "FAILED: $v train"; status=1; }
done
for f in "$work"/old/*.h5; do
  n=$(basename "$f")
  echo "$n: $("$python" "$root/scripts/dev/compare_h5.py" "$work/old/$n" "$work/new/$n" training/history)"
done
for f in sinenet_loss.txt unet_loss.txt; do
  if cmp -s "$work/old/$f" "$work/new/$f"; then echo "$f: same ($(wc -l <"$work/old/$f") steps)"
  else echo "$f: DIFFERENT"; status=1; fi
done
exit $status
