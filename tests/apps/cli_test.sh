#!/usr/bin/env bash
# Usage: cli_test.sh PATH/TO/fieldlab
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
expect_timeout=600
. "$(dirname "$0")/../support/cli_harness.sh"

small=(--trajectories 3 --resolution 16 --frames 3 --dt-out 0.5 --quiet)

# --- bad input -----------------------------------------------------------------------------
printf 'trajectories: [1, 2\nresolution: 8\n' >bad.yaml
expect_error "malformed YAML" 2 "YAML" -- "$fieldlab" generate ns2d --out a.h5 --config bad.yaml
printf 'trajectories: 2\nwarp-speed: 9\n' >extra.yaml
expect_error "unknown YAML key" 2 "warp-speed" -- "$fieldlab" generate ns2d --out a.h5 --config extra.yaml
expect_error "unknown PDE" 2 "unknown generate target 'euler3d'" -- "$fieldlab" generate euler3d --out a.h5
expect_error "unknown option" 2 "--bogus" -- "$fieldlab" generate ns2d --out a.h5 --bogus 1
expect_error "zero resolution" 2 "resolution" -- "$fieldlab" generate ns2d --out a.h5 --resolution 0
expect_error "odd resolution" 2 "resolution" -- "$fieldlab" generate ns2d --out a.h5 --resolution 15
expect_error "unknown forcing" 2 "gravity" -- "$fieldlab" generate ns2d --out a.h5 --forcing gravity
expect_error "unwritable path" 1 "does not exist" -- "$fieldlab" generate ns2d --out /nonexistent/dir/a.h5 "${small[@]}"
expect_error "unstable time step" 1 "step [0-9]+.*CFL number" -- \
  "$fieldlab" generate ns2d --out unstable.h5 --dt 5 --dt-out 20 --grf-tau 3 --trajectories 2 --resolution 16 --frames 3 --quiet
[ ! -e unstable.h5 ] && [ ! -e unstable.h5.partial ] && ok "unstable run leaves no file" ||
  not_ok "unstable run leaves no file"
expect_error "info on a missing file" 1 "no such file" -- "$fieldlab" info missing.h5
echo "not hdf5" >text.h5
expect_error "info on a non-HDF5 file" 1 "not an HDF5 file" -- "$fieldlab" info text.h5
[ ! -e a.h5 ] && [ ! -e a.h5.partial ] && ok "failed runs wrote nothing" || not_ok "failed runs wrote nothing"

# --- a normal run, info, render ------------------------------------------------------------
printf 'trajectories: 3\nresolution: 16\nframes: 3\ndt-out: 0.5\nfields: [vorticity, u, v]\n' >good.yaml
if "$fieldlab" generate ns2d --out good.h5 --config good.yaml --quiet >/dev/null 2>err.txt; then
  ok "generate with a YAML config"
else
  not_ok "generate with a YAML config ($(cat err.txt))"
fi
expect_error "existing output is refused" 2 "--overwrite" -- "$fieldlab" generate ns2d --out good.h5 "${small[@]}"
if "$fieldlab" info good.h5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["trajectories"] == 3 and d["frames"] == 3 and d["nx"] == 16 and d["complete"], d
assert set(d["fields"]) == {"vorticity", "u", "v"}, d["fields"]
assert d["fields"]["vorticity"]["dtype"] == "float32"
assert abs(d["fields"]["vorticity"]["mean"]) < 1e-6, d["fields"]["vorticity"]
assert "fields: vorticity,u,v" in d["attributes"]["config"]
'; then ok "info --json"; else not_ok "info --json"; fi
"$fieldlab" render good.h5 --field u --out good.png >/dev/null 2>err.txt &&
  [ "$(head -c 8 good.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && ok "render writes a PNG" ||
  not_ok "render writes a PNG ($(cat err.txt))"
expect_error "render unknown field" 2 "no field 'pressure'" -- "$fieldlab" render good.h5 --field pressure --out x.png

# --- determinism and crash-safe resume ------------------------------------------------------
run=(--trajectories 6 --resolution 32 --frames 6 --dt-out 1 --quiet)
"$fieldlab" generate ns2d --out t1.h5 --threads 1 "${run[@]}"
"$fieldlab" generate ns2d --out t2.h5 --threads 2 "${run[@]}"
h5diff -q t1.h5 t2.h5 vorticity vorticity && ok "same data for 1 and 2 threads" || not_ok "same data for 1 and 2 threads"

# Kill -9 part way, then resume: the result must equal the uninterrupted file.
slow=(--trajectories 6 --resolution 96 --frames 30 --dt-out 1 --threads 2 --quiet)
"$fieldlab" generate ns2d --out full.h5 "${slow[@]}"
"$fieldlab" generate ns2d --out killed.h5 "${slow[@]}" &
pid=$!
for _ in $(seq 1 100); do
  [ -e killed.h5.partial ] && [ "$("$fieldlab" info killed.h5.partial --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["completed"])' 2>/dev/null)" -ge 1 ] 2>/dev/null && break
  sleep 0.1
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
if [ -e killed.h5.partial ] && [ ! -e killed.h5 ]; then
  done_count=$("$fieldlab" info killed.h5.partial --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["completed"]) if not d["complete"] else print(-1)')
  [ "$done_count" -ge 0 ] && ok "killed run left a readable partial file ($done_count of 6 done)" ||
    not_ok "killed run left a readable partial file"
  expect_error "resume with other options is refused, naming the change" 2 "different options \\(dt-out was 1, now 2\\)" -- \
    "$fieldlab" generate ns2d --out killed.h5 --resume --trajectories 6 --resolution 96 --frames 30 --dt-out 2 --quiet
  "$fieldlab" generate ns2d --out killed.h5 --resume "${slow[@]}" &&
    h5diff -q full.h5 killed.h5 vorticity vorticity && ok "resume completes to the uninterrupted data" ||
    not_ok "resume completes to the uninterrupted data"
else
  not_ok "killed run left a partial file (run finished before the kill?)"
fi

# SIGINT stops cleanly with a hint to resume.
"$fieldlab" generate ns2d --out interrupted.h5 "${slow[@]}" 2>int.txt &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ] && grep -q -- "--resume" int.txt && [ -e interrupted.h5.partial ]; then
  ok "Ctrl-C saves finished trajectories and exits 130"
else
  not_ok "Ctrl-C saves finished trajectories and exits 130 (exit $rc: $(cat int.txt))"
fi
# The interrupted run completes with --resume (other thread count) to the uninterrupted data.
if "$fieldlab" generate ns2d --out interrupted.h5 --resume --trajectories 6 --resolution 96 --frames 30 --dt-out 1 --threads 1 --quiet 2>err.txt &&
  h5diff -q full.h5 interrupted.h5 vorticity vorticity; then
  ok "after Ctrl-C, --resume completes to the uninterrupted data"
else
  not_ok "after Ctrl-C, --resume completes to the uninterrupted data ($(cat err.txt))"
fi

# Ctrl-C during a steady cavity solve: exit 130, nothing written, an existing output kept.
echo "keep me" >cavity_keep.h5
"$fieldlab" solve cavity --resolution 128 --out cavity_keep.h5 --overwrite --quiet 2>cav.txt &
pid=$!
sleep 1
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ] && grep -q "nothing written" cav.txt && [ "$(cat cavity_keep.h5)" = "keep me" ] &&
  [ -z "$(ls -a | grep -E '^\.?cavity_keep\.h5\..+' || true)" ]; then
  ok "Ctrl-C stops solve cavity: exit 130, the existing output kept, no temporary left"
else
  not_ok "Ctrl-C stops solve cavity (exit $rc: $(cat cav.txt); $(ls -a | grep cavity_keep))"
fi

# --- train / eval / predict / render --truth -------------------------------------------------
data=(--resolution 16 --frames 6 --dt-out 1 --quiet --fields vorticity,u)
"$fieldlab" generate ns2d --out nstrain.h5 --trajectories 6 --seed 1 "${data[@]}"
"$fieldlab" generate ns2d --out nsvalid.h5 --trajectories 2 --seed 2 "${data[@]}"
model=(sinenet --waves 1 --mult 1.5 --hidden 4 --levels 2 --history 2 --batch 2 --lr 3e-3
  --threads 1 --quiet)
tiny=("${model[@]}" --data nstrain.h5 --valid nsvalid.h5)
if "$fieldlab" train "${tiny[@]}" --epochs 3 --out full.ckpt.h5 --loss-log full.log >/dev/null 2>err.txt &&
  [ -e full.ckpt.best.h5 ] && [ "$(wc -l <full.log)" -eq 9 ]; then
  ok "train writes last and best checkpoints and a loss per step"
else
  not_ok "train writes last and best checkpoints ($(cat err.txt))"
fi
"$fieldlab" train "${tiny[@]}" --epochs 3 --out part.ckpt.h5 --loss-log part.log --max-steps 4 >/dev/null
"$fieldlab" train "${tiny[@]}" --epochs 3 --out part.ckpt.h5 --loss-log part.log --resume >/dev/null 2>err.txt
cmp -s full.log part.log && ok "--max-steps then --resume gives the same losses bit for bit" ||
  not_ok "--max-steps then --resume gives the same losses ($(cat err.txt); $(diff full.log part.log | head -3))"
# --loss-log is crash-safe: lines a killed run wrote after its last checkpoint are cut on --resume
# (simulated here, deterministically) and a SIGKILLed run's log, flushed per line, continues.
"$fieldlab" train "${tiny[@]}" --epochs 3 --out cut.ckpt.h5 --loss-log cut.log --max-steps 4 >/dev/null
printf '5 0.5\n6 0.25\n7 0.1' >>cut.log
"$fieldlab" train "${tiny[@]}" --epochs 3 --out cut.ckpt.h5 --loss-log cut.log --resume >/dev/null 2>err.txt
cmp -s full.log cut.log && ok "--resume cuts the loss log back to its checkpoint" ||
  not_ok "--resume cuts the loss log back ($(cat err.txt); $(diff full.log cut.log | head -3))"
"$fieldlab" train "${tiny[@]}" --epochs 40 --out long.ckpt.h5 --loss-log long.log >/dev/null
"$fieldlab" train "${tiny[@]}" --epochs 40 --out kill.ckpt.h5 --loss-log kill.log >/dev/null 2>&1 &
killed=$!
for _ in $(seq 300); do [ -e kill.ckpt.h5 ] && break; sleep 0.05; done
sleep 0.2
kill -KILL $killed 2>/dev/null
wait $killed 2>/dev/null
"$fieldlab" train "${tiny[@]}" --epochs 40 --out kill.ckpt.h5 --loss-log kill.log --resume >/dev/null 2>err.txt
cmp -s long.log kill.log && ok "a SIGKILLed and resumed run's loss log equals the uninterrupted one" ||
  not_ok "SIGKILLed and resumed loss log ($(cat err.txt); $(diff long.log kill.log | head -3))"
expect_error "an existing loss log needs --overwrite" 2 "--overwrite" -- \
  "$fieldlab" train "${tiny[@]}" --epochs 1 --out other.ckpt.h5 --loss-log long.log
if "$fieldlab" eval full.ckpt.h5 --data nsvalid.h5 --json --rollout 3 | python3 -c '
import json, math, sys
d = json.load(sys.stdin)
assert d["fields"] == ["vorticity", "u"] and d["windows"] == 8 and d["rollout_steps"] == 3, d
assert len(d["rollout"]["model"]) == 3 and len(d["rollout"]["model"][0]) == 2
for k in ("model_mean", "persistence_mean"):
    assert math.isfinite(d["one_step"][k]) and math.isfinite(d["rollout"][k]) and d["one_step"][k] > 0
'; then ok "eval --json"; else not_ok "eval --json"; fi
"$fieldlab" eval full.ckpt.h5 --data nsvalid.h5 | grep -q "persistence" && ok "eval table" || not_ok "eval table"
if "$fieldlab" predict full.ckpt.h5 --data nsvalid.h5 --trajectory 1 --steps 3 --out pred.h5 --quiet &&
  "$fieldlab" info pred.h5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["trajectories"] == 1 and d["frames"] == 5 and d["complete"], d
assert d["attributes"]["source_trajectory"] == "1" or d["attributes"]["source_trajectory"] == 1, d["attributes"]
assert "predict" in d["attributes"]["command_line"]
'; then ok "predict writes a native file with provenance"; else not_ok "predict writes a native file"; fi
"$fieldlab" render pred.h5 --truth nsvalid.h5 --trajectory 1 --field u --out cmp.png >/dev/null 2>err.txt &&
  [ "$(head -c 8 cmp.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && ok "render --truth writes a PNG" ||
  not_ok "render --truth writes a PNG ($(cat err.txt))"
"$fieldlab" generate smoke2d --out smoke_train.h5 --layout pdearena --trajectories 4 --resolution 16 \
  --steps 24 --skip 0 --every 4 --threads 1 --quiet
"$fieldlab" generate dambreak2d --out dam.h5 --layout pdebench --trajectories 4 --resolution 16 --frames 5 --quiet
"$fieldlab" train "${model[@]}" --data smoke_train.h5 --epochs 1 --out smoke.ckpt.h5 >/dev/null 2>err.txt &&
  "$fieldlab" eval smoke.ckpt.h5 --data smoke_train.h5 | grep -q "one-step vx" && ok "train/eval on a PDEArena file" ||
  not_ok "train/eval on a PDEArena file ($(cat err.txt))"
"$fieldlab" train "${model[@]}" --data dam.h5 --epochs 1 --out dam.ckpt.h5 >/dev/null 2>err.txt &&
  "$fieldlab" eval dam.ckpt.h5 --data dam.h5 | grep -q "one-step h" && ok "train/eval on a PDEBench file" ||
  not_ok "train/eval on a PDEBench file ($(cat err.txt))"
# Conditioned models: dt (and a PDE parameter) per window from the file, recorded in the
# checkpoint so eval and predict feed them too; several windows per trajectory from a YAML config.
printf 'conditioning: adagn\nwindows-per-trajectory: all\n' >cond.yaml
if "$fieldlab" train "${tiny[@]}" --config cond.yaml --epochs 2 --out cond.ckpt.h5 --loss-log cond.log >/dev/null 2>err.txt &&
  [ "$(wc -l <cond.log)" -eq 24 ] &&
  "$fieldlab" eval cond.ckpt.h5 --data nsvalid.h5 | grep -q "persistence" &&
  "$fieldlab" predict cond.ckpt.h5 --data nsvalid.h5 --steps 6 --out cpred.h5 --quiet; then
  ok "conditioned train (config: adagn, all windows: 24 per epoch) / eval / predict past the data"
else
  not_ok "conditioned train / eval / predict ($(cat err.txt))"
fi
"$fieldlab" train "${tiny[@]}" --conditioning adagn --windows-per-trajectory 2 --epochs 2 --out cpart.ckpt.h5 --loss-log cpart.log --max-steps 5 >/dev/null
"$fieldlab" train "${tiny[@]}" --conditioning adagn --windows-per-trajectory 2 --epochs 2 --out cpart.ckpt.h5 --loss-log cpart.log --resume >/dev/null 2>err.txt
"$fieldlab" train "${tiny[@]}" --conditioning adagn --windows-per-trajectory 2 --epochs 2 --out cfull.ckpt.h5 --loss-log cfull.log >/dev/null
[ "$(wc -l <cfull.log)" -eq 12 ] && cmp -s cfull.log cpart.log &&
  ok "conditioned, 2 windows per trajectory: --max-steps then --resume gives the same losses" ||
  not_ok "conditioned resume ($(cat err.txt); $(diff cfull.log cpart.log | head -3))"
expect_error "resume with another --windows-per-trajectory" 2 "other options" -- "$fieldlab" train "${tiny[@]}" --conditioning adagn --windows-per-trajectory 3 --epochs 2 --out cpart.ckpt.h5 --resume
"$fieldlab" train "${model[@]}" --data smoke_train.h5 --conditioning add --condition-parameter buo_y --epochs 1 --out smokec.ckpt.h5 >/dev/null 2>err.txt &&
  "$fieldlab" eval smokec.ckpt.h5 --data smoke_train.h5 | grep -q "one-step vx" && ok "conditioned on dt and buo_y: train/eval on a PDEArena file" ||
  not_ok "conditioned on dt and buo_y on a PDEArena file ($(cat err.txt))"
"$fieldlab" train "${model[@]}" --data dam.h5 --conditioning add --condition-parameter dam_radius --epochs 1 --out damc.ckpt.h5 >/dev/null 2>err.txt &&
  "$fieldlab" eval damc.ckpt.h5 --data dam.h5 | grep -q "one-step h" && ok "conditioned on dt and dam_radius: train/eval on a PDEBench file" ||
  not_ok "conditioned on dt and dam_radius on a PDEBench file ($(cat err.txt))"
expect_error "train: conditioning parameter the data lacks" 2 "no PDE parameter 'buo_y'" -- "$fieldlab" train "${tiny[@]}" --conditioning add --condition-parameter buo_y --out x.ckpt.h5
"$fieldlab" generate dambreak2d --out dam_native.h5 --trajectories 2 --resolution 16 --frames 5 --quiet
expect_error "eval: conditioned checkpoint on data without its parameter" 2 "no PDE parameter 'dam_radius'" -- "$fieldlab" eval damc.ckpt.h5 --data dam_native.h5
expect_error "train: --windows-per-trajectory 0" 2 "whole number >= 1 or 'all'" -- "$fieldlab" train "${tiny[@]}" --windows-per-trajectory 0 --out x.ckpt.h5
expect_error "train: more windows than start times" 2 "only 4 start times" -- "$fieldlab" train "${tiny[@]}" --windows-per-trajectory 5 --out x.ckpt.h5
mkdir -p ckpt_dir.h5
expect_error "train: a checkpoint path that is a directory is refused before training" 2 "not a regular file" -- "$fieldlab" train "${tiny[@]}" --out ckpt_dir.h5 --overwrite
expect_error "train: a negative --patience" 2 "--patience must be an integer from 0 to 1000000, got -1" -- "$fieldlab" train "${tiny[@]}" --patience -1 --out x.ckpt.h5
"$fieldlab" train "${tiny[@]}" --unroll 2 --pushforward --epochs 2 --out upart.ckpt.h5 --loss-log upart.log --max-steps 3 >/dev/null
"$fieldlab" train "${tiny[@]}" --unroll 2 --pushforward --epochs 2 --out upart.ckpt.h5 --loss-log upart.log --resume >/dev/null 2>err.txt
"$fieldlab" train "${tiny[@]}" --unroll 2 --pushforward --epochs 2 --out ufull.ckpt.h5 --loss-log ufull.log >/dev/null
[ "$(wc -l <ufull.log)" -eq 6 ] && cmp -s ufull.log upart.log &&
  ok "unrolled pushforward training: --max-steps then --resume gives the same losses" ||
  not_ok "unrolled pushforward resume ($(cat err.txt); $(diff ufull.log upart.log | head -3))"
expect_error "train: --pushforward without --unroll" 2 "needs --unroll 2" -- "$fieldlab" train "${tiny[@]}" --pushforward --out x.ckpt.h5
expect_error "train: unknown conditioning" 2 "unknown conditioning 'film'" -- "$fieldlab" train "${tiny[@]}" --conditioning film --out x.ckpt.h5
# SIGINT stops at a step boundary with a checkpoint that resumes.
"$fieldlab" train "${tiny[@]}" --epochs 100000 --out sig.ckpt.h5 2>int.txt &
pid=$!
sleep 2
kill -INT "$pid"
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ] && grep -q -- "--resume" int.txt && "$fieldlab" eval sig.ckpt.h5 --data nsvalid.h5 >/dev/null; then
  ok "Ctrl-C during training saves a checkpoint and exits 130"
else
  not_ok "Ctrl-C during training saves a checkpoint and exits 130 (exit $rc: $(cat int.txt))"
fi
"$fieldlab" generate ns2d --out uonly.h5 --trajectories 2 --seed 3 --resolution 16 --frames 6 --dt-out 1 --quiet --fields u
expect_error "train: a field the data lacks" 2 "no field 'pressure'" -- "$fieldlab" train "${tiny[@]}" --out x.ckpt.h5 --fields vorticity,pressure
expect_error "eval: data without the model's fields" 2 "no field 'vorticity'" -- "$fieldlab" eval full.ckpt.h5 --data uonly.h5
expect_error "eval: not a checkpoint" 2 "not a fieldlab checkpoint" -- "$fieldlab" eval nstrain.h5 --data nsvalid.h5
expect_error "resume with another model" 2 "other options" -- "$fieldlab" train sinenet --waves 1 --mult 1.5 --hidden 8 --levels 2 --history 2 --batch 2 --lr 3e-3 --threads 1 --quiet --data nstrain.h5 --valid nsvalid.h5 --epochs 3 --out full.ckpt.h5 --resume
expect_error "existing checkpoint needs --resume or --overwrite" 2 "--resume" -- "$fieldlab" train "${tiny[@]}" --epochs 3 --out full.ckpt.h5
expect_error "train: unwritable --out" 1 "not writable" -- "$fieldlab" train "${tiny[@]}" --out /nonexistent/dir/c.h5
expect_error "train: diverging loss names the step" 1 "at step [0-9]+" -- "$fieldlab" train sinenet --waves 1 --mult 1.5 --hidden 4 --levels 2 --history 2 --batch 2 --threads 1 --quiet --data nstrain.h5 --lr 1e12 --clip 0 --warmup-epochs 0 --out nan.ckpt.h5
expect_error "predict: trajectory out of range" 2 "out of range" -- "$fieldlab" predict full.ckpt.h5 --data nsvalid.h5 --trajectory 7 --out p2.h5
# Non-finite data: needs h5py to poison a value (FIELDLAB_TEST_PYTHON, else python3).
py=${FIELDLAB_TEST_PYTHON:-python3}
cp nstrain.h5 poisoned.h5
if "$py" -c 'import h5py' 2>/dev/null; then
  "$py" -c 'import h5py; f = h5py.File("poisoned.h5", "r+"); f["u"][2, 3, 4, 5] = float("nan"); f.close()'
  expect_error "train: non-finite data names trajectory/frame/field" 1 "field 'u', trajectory 2, frame 3" -- \
    "$fieldlab" train "${model[@]}" --data poisoned.h5 --out p.ckpt.h5
else
  echo "ok - non-finite data check skipped (no h5py for $py)"
fi

# --- train qkan (generated targets, no data file) -------------------------------------------
if "$fieldlab" train qkan --layers 2,5,1 --extend 1,3 --steps 20 --samples 200 --threads 1 --json |
  python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [s["reps"] for s in d["stages"]] == [1, 3], d
assert d["test_mse"] < 1e-3 and d["stages"][1]["test_mse"] < d["stages"][0]["test_mse"], d
' 2>err.txt; then
  ok "train qkan fits exp(sin(pi x) + y^2) and layer extension lowers the test MSE"
else
  not_ok "train qkan fits exp-sin ($(cat err.txt))"
fi
expect_error "train qkan: unknown task" 2 "unknown qkan task" -- "$fieldlab" train qkan --task classification
expect_error "train qkan: unknown function" 2 "unknown regression function" -- "$fieldlab" train qkan --function zeta --steps 1
expect_error "train without a model" 2 "name a MODEL" -- "$fieldlab" train --data x.h5 --out y.h5

# --- model options from the models' configuration keys --------------------------------------
"$fieldlab" describe mlp --widths 2,20,20,1 | grep -q "parameters: 501" &&
  "$fieldlab" describe hqkan --inputs 2 --outputs 1 --core 4,4 | grep -q "parameters: " &&
  ok "describe works for the pointwise models (mlp, hqkan)" || not_ok "describe mlp / hqkan"
expect_error "describe: a key the model does not have names the valid ones" 2 "mlp: unknown configuration key 'waves' \(valid: widths, activation\)" -- "$fieldlab" describe mlp --waves 2
expect_error "describe: a value out of range names the range" 2 "hidden must be an integer in \[1, 65536\]" -- "$fieldlab" describe sinenet --hidden 0
expect_error "describe: an unknown model name lists every registered family" 2 "unknown model 'sinenet[xX]' \(known: sinenet, .*unet, mlp, lpinn, hqkan\)" -- "$fieldlab" describe sinenetX
expect_error "train: a pointwise model is not a frame model" 2 "not a frame-to-frame model" -- "$fieldlab" train mlp --data nstrain.h5 --out m.ckpt.h5 --quiet
# Resume compares resolved settings: --lr 3e-3 and --lr 0.003 are the same run.
spelled=("${tiny[@]/3e-3/0.003}")
"$fieldlab" train "${tiny[@]}" --epochs 2 --out spell.ckpt.h5 --loss-log spell.log --max-steps 2 >/dev/null
"$fieldlab" train "${spelled[@]}" --epochs 2 --out spell.ckpt.h5 --loss-log spell.log --resume >/dev/null 2>err.txt
"$fieldlab" train "${tiny[@]}" --epochs 2 --out spellfull.ckpt.h5 --loss-log spellfull.log >/dev/null
cmp -s spell.log spellfull.log && ok "resume with a differently spelled --lr continues the same run" ||
  not_ok "resume with --lr 0.003 after 3e-3 ($(cat err.txt))"

# --- verification case ----------------------------------------------------------------------
if "$fieldlab" solve taylor-green --resolution 32 --viscosity 0.1 --t-end 1 --out tg.h5 >/dev/null &&
  python3 - <<'PY'
import subprocess, sys
out = subprocess.run(["h5dump", "-a", "velocity_rms_error", "tg.h5"], capture_output=True, text=True).stdout
err = float(out.split("(0):")[1].split()[0])
assert err < 2e-3, err
dims = subprocess.run(["h5dump", "-H", "-d", "u", "tg.h5"], capture_output=True, text=True).stdout
assert "( 32, 32 )" in dims, dims
PY
then ok "solve taylor-green writes fields with a small error"; else not_ok "solve taylor-green"; fi
expect_error "solve keeps an existing output" 2 "--overwrite" -- "$fieldlab" solve taylor-green --resolution 16 --t-end 0.1 --out tg.h5
mkdir -p outdir
expect_error "solve refuses an --out that is not a regular file" 2 "not a regular file" -- "$fieldlab" solve dam-break --resolution 20 --t-end 0.1 --out outdir --overwrite
expect_error "solve into a missing directory" 1 "does not exist" -- "$fieldlab" solve lake-at-rest --resolution 8 --t-end 0.1 --out nodir/lake.h5
[ -z "$(ls -A outdir)" ] && [ -z "$(ls | grep -E '\.tmp-')" ] && ok "refused solves leave no temporary" ||
  not_ok "refused solves leave no temporary ($(ls))"

finish
