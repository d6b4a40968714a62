#!/usr/bin/env bash
# Usage: cli_options_test.sh PATH/TO/fieldlab
# Hostile option values and inputs across the subcommands (issue 12, the h-cli part): every numeric
# option parsed strictly with a readable bound, non-finite values refused, every --json output
# valid JSON (also with hostile strings echoed from the command line), and one-line messages for
# directories, devices and empty paths where a file is expected.
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
expect_match=F expect_timeout=60
. "$(dirname "$0")/../support/cli_harness.sh"

# expect_json NAME -- command...: exit 0 and stdout is one valid JSON document.
expect_json() {
  local name=$1
  shift 2
  if timeout 120 "$@" >out.json 2>err.txt && python3 -c 'import json,sys; json.load(sys.stdin)' <out.json; then
    ok "$name"
  else
    not_ok "$name ($(head -c 300 err.txt) $(head -c 300 out.json))"
  fi
}

ns=("$fieldlab" generate ns2d --out a.h5 --trajectories 1 --resolution 16 --quiet)

# --- numbers: readable bounds, strict syntax, no wrap-around, no non-finite ------------------
expect_error "negative count" 2 "--trajectories must be an integer ≥ 1, got -1" -- "${ns[@]}" --trajectories -1
expect_error "zero count" 2 "--frames must be an integer ≥ 1, got 0" -- "${ns[@]}" --frames 0
expect_error "negative real" 2 "--dt-out must be a positive number, got -1" -- "${ns[@]}" --dt-out -1
expect_error "no 309-digit bound" 2 "--dt-out must be a positive number, got -1e308" -- "${ns[@]}" --dt-out -1e308
expect_error "nan real" 2 "--viscosity must be a number ≥ 0, got nan" -- "${ns[@]}" --viscosity nan
expect_error "inf real" 2 "--drag must be a number ≥ 0, got inf" -- "${ns[@]}" --drag inf
expect_error "-inf real" 2 "--grf-sigma must be a finite number, got -inf" -- "${ns[@]}" --grf-sigma -inf
expect_error "1e309" 2 "--viscosity must be a finite number, got 1e309 (beyond the range of a double)" -- "${ns[@]}" --viscosity 1e309
expect_error "hex integer" 2 "--frames must be an integer ≥ 1, got '0x10'" -- "${ns[@]}" --frames 0x10
expect_error "hex real" 2 "--dt-out must be a positive number, got '0x10'" -- "${ns[@]}" --dt-out 0x10
expect_error "leading blanks" 2 "--frames must be an integer ≥ 1, got '  5'" -- "${ns[@]}" --frames '  5'
expect_error "trailing text" 2 "--frames must be an integer ≥ 1, got '5abc'" -- "${ns[@]}" --frames 5abc
expect_error "empty number" 2 "--dt-out must be a positive number, got ''" -- "${ns[@]}" --dt-out ''
expect_error "fraction for an integer" 2 "--frames must be an integer ≥ 1, got '2.5'" -- "${ns[@]}" --frames 2.5
expect_error "huge integer" 2 "--resolution must be an integer from 1 to 2147483647, got 99999999999" -- "${ns[@]}" --resolution 99999999999
expect_error "beyond 64 bits" 2 "(too large)" -- "${ns[@]}" --seed 99999999999999999999
expect_error "negative unsigned seed" 2 "--seed must be an integer ≥ 0, got -1" -- "${ns[@]}" --seed -1
expect_error "negative unsigned qsim seed" 2 "--seed must be an integer ≥ 0, got -1" -- "$fieldlab" qsim x.qasm --seed -1
printf 'dt-out: -2\n' >neg.yaml
expect_error "config value checked alike" 2 "--dt-out must be a positive number, got -2" -- "${ns[@]}" --config neg.yaml
if "${ns[@]}" --frames 010 --dt-out 0.5 --quiet && [ "$("$fieldlab" info a.h5 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["frames"])')" = 10 ]; then
  ok "010 is ten, not octal eight"
else
  not_ok "010 is ten, not octal eight"
fi
rm -f a.h5

# Every subcommand's numeric options go through the same check.
expect_error "smoke2d --steps" 2 "--steps must be an integer ≥ 1, got -3" -- "$fieldlab" generate smoke2d --out s.h5 --steps -3
expect_error "smoke2d --dt" 2 "--dt must be a positive number, got -1" -- "$fieldlab" generate smoke2d --out s.h5 --dt -1
expect_error "swe2d --gravity" 2 "--gravity must be a positive number, got 0" -- "$fieldlab" generate swe2d --out s.h5 --gravity 0
expect_error "dambreak2d --t-end" 2 "--t-end must be a positive number, got nan" -- "$fieldlab" generate dambreak2d --out s.h5 --t-end nan
expect_error "solve taylor-green --t-end" 2 "--t-end must be a number ≥ 0, got -1" -- "$fieldlab" solve taylor-green --out s.h5 --t-end -1
expect_error "solve cavity --re" 2 "--re must be a positive number, got -100" -- "$fieldlab" solve cavity --out s.h5 --re -100
expect_error "solve dam-break --h-left" 2 "--h-left must be a positive number, got inf" -- "$fieldlab" solve dam-break --out s.h5 --h-left inf
expect_error "train --epochs" 2 "--epochs must be an integer ≥ 1, got 0" -- "$fieldlab" train sinenet --data d.h5 --out c.h5 --epochs 0
expect_error "train --lr" 2 "--lr must be a positive number, got nan" -- "$fieldlab" train sinenet --data d.h5 --out c.h5 --lr nan
expect_error "train --patience" 2 "--patience must be an integer from 0 to 1000000, got -1" -- "$fieldlab" train sinenet --data d.h5 --out c.h5 --patience -1
expect_error "train --max-steps" 2 "--max-steps must be an integer ≥ 0, got -5" -- "$fieldlab" train sinenet --data d.h5 --out c.h5 --max-steps -5
expect_error "train qkan --layers" 2 "--layers must be an integer ≥ 1, got -5" -- "$fieldlab" train qkan --layers 2,-5,1
expect_error "train qkan --lr" 2 "--lr must be a positive number, got inf" -- "$fieldlab" train qkan --lr inf
expect_error "eval --rollout" 2 "--rollout must be an integer ≥ 0, got -1" -- "$fieldlab" eval c.h5 --data d.h5 --rollout -1
expect_error "eval --batch" 2 "--batch must be an integer ≥ 1, got 0" -- "$fieldlab" eval c.h5 --data d.h5 --batch 0
expect_error "predict --trajectory" 2 "--trajectory must be an integer ≥ 0, got -1" -- "$fieldlab" predict c.h5 --data d.h5 --out p.h5 --trajectory -1
expect_error "render --panels" 2 "--panels must be an integer from 1 to 64, got 0" -- "$fieldlab" render d.h5 --out r.png --panels 0
expect_error "render --vmin nan" 2 "--vmin must be a finite number, got nan" -- "$fieldlab" render d.h5 --out r.png --vmin nan
expect_error "render --vmax inf" 2 "--vmax must be a finite number, got inf" -- "$fieldlab" render d.h5 --out r.png --vmax inf
expect_error "qsim --shots" 2 "--shots must be an integer ≥ 0, got -1" -- "$fieldlab" qsim x.qasm --shots -1
expect_error "qrc --length" 2 "--length must be an integer from 400 to 1000000, got 10" -- "$fieldlab" qrc --length 10
expect_error "qrc --washout" 2 "--washout must be an integer from 0 to 100000, got 'nan'" -- "$fieldlab" qrc --washout nan

expect_error "describe: hex model key" 2 "mult must be a number in [1, 8], got '0x2'" -- "$fieldlab" describe sinenet --mult 0x2
expect_error "describe: blank-led model key" 2 "hidden must be an integer in [1, 65536], got '  5'" -- "$fieldlab" describe sinenet --hidden '  5'
expect_error "empty --out refused before any work" 2 "--out must name a file, got ''" -- "$fieldlab" generate ns2d --out '' --trajectories 1 --resolution 16 --frames 2 --quiet
expect_error "empty --data" 2 "--data must name a file, got ''" -- "$fieldlab" eval c.h5 --data ''
expect_error "empty checkpoint" 2 "checkpoint must name a file, got ''" -- "$fieldlab" eval '' --data d.h5

# --- non-finite results and values ----------------------------------------------------------
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\ncreg c[2];\nh q[0];\ncx q[0],q[1];\nmeasure q -> c;\n' >bell.qasm
expect_error "qsim nan coefficient" 2 "coefficient 'nan' in Pauli string 'nan Z0' is not a finite number" -- "$fieldlab" qsim bell.qasm --expect "nan Z0"
expect_error "qsim inf coefficient" 2 "is not a finite number" -- "$fieldlab" qsim bell.qasm --expect "0.5 Z0 - inf Z1"
expect_error "qsim coefficient overflow" 2 "beyond double range" -- "$fieldlab" qsim bell.qasm --expect "1e300 1e300 Z0"
"$fieldlab" generate ns2d --out d.h5 --trajectories 1 --resolution 16 --frames 3 --quiet
expect_error "render inverted range" 2 "--vmin 5 must be below --vmax 1" -- "$fieldlab" render d.h5 --out r.png --vmin 5 --vmax 1
expect_error "render --vmin alone" 2 "--vmin 5 must be below --vmax 0" -- "$fieldlab" render d.h5 --out r.png --vmin 5
[ ! -e r.png ] && ok "refused render wrote nothing" || not_ok "refused render wrote nothing"

# --- always-valid JSON, with hostile strings echoed ----------------------------------------
hostile=$'we"ird\\na\nme\x01\xff\xfe.h5'
cp d.h5 "$hostile"
expect_json "info --json, hostile path" -- "$fieldlab" info "$hostile" --json
if python3 -c 'import json,sys; d=json.load(open("out.json")); sys.exit(0 if d["path"].startswith("we\"ird\\na\nme\x01") and d["path"].endswith("\ufffd\ufffd.h5") else 1)'; then
  ok "info --json keeps the path's characters, non-UTF-8 bytes as U+FFFD"
else
  not_ok "info --json keeps the path's characters ($(head -c 200 out.json))"
fi
cp bell.qasm "$hostile.qasm"
expect_json "qsim --json, hostile path and --expect" -- "$fieldlab" qsim "$hostile.qasm" --shots 10 --expect 'Z0 Z1' --expect '0.5 X0 - Z1' --json
expect_json "qrc --json" -- "$fieldlab" qrc --task narma10 --model linear --length 400 --json
expect_json "train qkan --json" -- "$fieldlab" train qkan --layers 2,2,1 --reps 1 --steps 2 --samples 20 --threads 1 --json

# A tiny model; a checkpoint whose weights are NaN (diverged with a huge learning rate).
data=(--resolution 16 --frames 5 --dt-out 1 --quiet --fields vorticity)
"$fieldlab" generate ns2d --out nstrain.h5 --trajectories 3 --seed 1 "${data[@]}"
model=(sinenet --waves 1 --mult 1.5 --hidden 4 --levels 2 --history 2 --batch 2 --threads 1 --quiet --data nstrain.h5)
"$fieldlab" train "${model[@]}" --epochs 1 --out "$hostile.ckpt" >/dev/null 2>&1
expect_json "eval --json, hostile checkpoint path" -- "$fieldlab" eval "$hostile.ckpt" --data nstrain.h5 --rollout 2 --json
# Training stops at the NaN loss of step 2; the checkpoint of epoch 1 already holds NaN weights.
"$fieldlab" train "${model[@]}" --epochs 2 --warmup-epochs 0 --lr 1e30 --out nan.ckpt >/dev/null 2>&1
expect_error "eval of NaN weights is an error, not NaN metrics" 1 "the model produced non-finite predictions (NaN) at step 1" -- "$fieldlab" eval nan.ckpt --data nstrain.h5 --json
[ ! -s out.txt ] && ok "no JSON with NaN tokens printed" || not_ok "no JSON with NaN tokens printed ($(head -c 200 out.txt))"
expect_error "predict with NaN weights writes nothing" 1 "prediction became non-finite at rollout step 1" -- "$fieldlab" predict nan.ckpt --data nstrain.h5 --out nanpred.h5
[ ! -e nanpred.h5 ] && ok "no prediction file of NaNs" || not_ok "no prediction file of NaNs"

# --- files that are not files ----------------------------------------------------------------
mkdir adir
expect_error "qsim on a directory" 2 "OpenQASM file 'adir' is a directory, not a file" -- "$fieldlab" qsim adir
expect_error "qsim on /dev/zero ends" 2 "OpenQASM file '/dev/zero' is larger than 64 MiB" -- "$fieldlab" qsim /dev/zero
expect_error "qsim on an empty path" 2 "circuit must name a file, got ''" -- "$fieldlab" qsim ''
expect_error "qsim on /dev/null" 2 "/dev/null:1:1: the program declares no qreg" -- "$fieldlab" qsim /dev/null
for cmd in "info adir" "info /dev/null" "info /dev/zero" "info ''"; do
  eval "set -- $cmd"
  timeout 60 "$fieldlab" "$@" >out.txt 2>err.txt
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] && [ "$(wc -l <err.txt)" -eq 1 ] && ! grep -q "underflow\|H5\|HDF5-DIAG" err.txt; then
    ok "$cmd: one clear line ($(cat err.txt))"
  else
    not_ok "$cmd (exit $rc: $(head -c 300 err.txt))"
  fi
done

finish
