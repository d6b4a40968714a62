#!/usr/bin/env bash
# The main job on embedded defaults: install what is missing, build (Release), generate a small
# periodic Navier-Stokes dataset (train / valid / test), train a small SineNet on it for a few
# minutes, evaluate it against the persistence baseline and draw prediction vs truth.
# Output under out/: ns2d_{train,valid,test}.h5, sinenet.h5 (last checkpoint), sinenet.best.h5,
# ns2d_pred.h5, ns2d_pred.png (rows: prediction, truth, error) and ns2d_demo.png (the data).
# QUICKSTART_EPOCHS (default 30) shortens or lengthens the training.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install_deps.sh
scripts/build.sh build -DFIELDLAB_TESTS=OFF
mkdir -p out
fieldlab=build/apps/fieldlab
epochs=${QUICKSTART_EPOCHS:-30}
data=(--resolution 32 --frames 16 --dt-out 1 --overwrite --quiet)
$fieldlab generate ns2d --out out/ns2d_train.h5 --trajectories 48 --seed 1 "${data[@]}"
$fieldlab generate ns2d --out out/ns2d_valid.h5 --trajectories 8 --seed 2 "${data[@]}"
$fieldlab generate ns2d --out out/ns2d_test.h5 --trajectories 8 --seed 3 "${data[@]}"
$fieldlab info out/ns2d_train.h5
$fieldlab render out/ns2d_train.h5 --trajectory 0 --panels 6 --out out/ns2d_demo.png --overwrite
# A small SineNet (2 waves, 16 channels, 3 downsamplings, circular padding for the periodic
# data; about 0.3M parameters), history 2, AdamW with warm-up and cosine decay.
$fieldlab train sinenet --waves 2 --mult 1.5 --hidden 16 --levels 3 --history 2 \
  --padding circular --data out/ns2d_train.h5 --valid out/ns2d_valid.h5 --out out/sinenet.h5 \
  --epochs "$epochs" --batch 8 --lr 2e-3 --warmup-epochs 2 --overwrite
$fieldlab eval out/sinenet.best.h5 --data out/ns2d_test.h5
$fieldlab predict out/sinenet.best.h5 --data out/ns2d_test.h5 --trajectory 0 --out out/ns2d_pred.h5 \
  --overwrite
$fieldlab render out/ns2d_pred.h5 --truth out/ns2d_test.h5 --trajectory 0 --panels 6 \
  --out out/ns2d_pred.png --overwrite
