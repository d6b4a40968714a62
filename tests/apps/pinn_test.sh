#!/usr/bin/env bash
# Usage: pinn_test.sh PATH/TO/fieldlab
# `fieldlab train lpinn|pinn`, and eval/predict/render of their checkpoints, end to end on tiny
# budgets: a run converges on constant-speed convection (the LPINN's characteristics are exact
# lines there), eval --json is valid JSON with the numbers, predict writes the documented datasets,
# render a PNG, a run stopped by SIGINT and resumed equals one never stopped (the same loss log and
# final error), and bad input is one line with a non-zero exit.
set -u
expect_timeout=300
. "$(dirname "$0")/../support/cli_harness.sh"

# Convection at c = 1: u = sin(x - t). A 32 x 16 collocation grid and a small network.
tiny=(--pde convection --speed 1 --collocation 32 16 --width 16 --adam-steps 300 --adam-lr 1e-2
      --lbfgs-iterations 10 --lbfgs-step-iterations 20 --threads 2 --quiet)

# --- bad input -----------------------------------------------------------------------------
expect_error "unknown --pde" 2 "euler" -- "$fieldlab" train lpinn --pde euler --out a.h5
expect_error "negative viscosity" 2 "viscosity" -- \
  "$fieldlab" train lpinn --pde convection-diffusion --viscosity -0.1 --out a.h5
expect_error "viscosity given to convection" 2 "viscosity" -- \
  "$fieldlab" train lpinn --pde convection --viscosity 0.1 --out a.h5
expect_error "--collocation 1 1" 2 "collocation" -- "$fieldlab" train lpinn --collocation 1 1 --out a.h5
expect_error "unknown --loss" 2 "cubed" -- "$fieldlab" train pinn --loss cubed --out a.h5
expect_error "missing --out" 2 "--out" -- "$fieldlab" train lpinn
[ ! -e a.h5 ] && ok "failed runs wrote nothing" || not_ok "failed runs wrote nothing"

# --- a tiny LPINN run, eval, predict, render -------------------------------------------------
if "$fieldlab" train lpinn "${tiny[@]}" --out lpinn.h5 >out.txt 2>err.txt &&
  grep -q "relative L2" out.txt && [ -e lpinn.h5 ]; then
  ok "train lpinn writes a checkpoint ($(tail -1 out.txt))"
else
  not_ok "train lpinn writes a checkpoint ($(tail -c 300 err.txt))"
fi
expect_error "existing --out without --resume/--overwrite" 2 "overwrite" -- \
  "$fieldlab" train lpinn "${tiny[@]}" --out lpinn.h5
if "$fieldlab" eval lpinn.h5 --json >eval.json 2>err.txt && python3 -m json.tool eval.json >/dev/null &&
  python3 -c '
import json, sys
d = json.load(open("eval.json"))
assert d["method"] == "lpinn" and d["grid"] == [256, 100], d
assert d["reference"] == "fourier", d
assert 0 <= d["relative_l2"] < 0.1, d["relative_l2"]
assert d["max_error"] >= 0 and d["loss"]["total"] > 0, d
print(d["relative_l2"])' >l2.txt; then
  ok "eval --json parses and gives the relative L2 ($(cat l2.txt))"
else
  not_ok "eval --json ($(cat eval.json err.txt | head -c 300))"
fi
"$fieldlab" eval lpinn.h5 --grid 64 20 >out.txt 2>err.txt && grep -q "relative L2" out.txt &&
  grep -q "64 x 20" out.txt && ok "eval text with --grid" || not_ok "eval text with --grid ($(cat err.txt))"
if "$fieldlab" predict lpinn.h5 --out pred.h5 --grid 64 20 --quiet 2>err.txt &&
  h5ls pred.h5 >ls.txt && grep -Eq '^x +Dataset \{64\}' ls.txt && grep -Eq '^t +Dataset \{20\}' ls.txt &&
  grep -Eq '^u +Dataset \{20, 64\}' ls.txt && grep -Eq '^reference +Dataset \{20, 64\}' ls.txt &&
  grep -Eq '^X +Dataset \{20, 64\}' ls.txt; then
  ok "predict writes x, t, u, reference, X"
else
  not_ok "predict writes x, t, u, reference, X ($(cat ls.txt err.txt | head -c 300))"
fi
expect_error "predict to an existing --out" 2 "overwrite" -- "$fieldlab" predict lpinn.h5 --out pred.h5
"$fieldlab" render lpinn.h5 --out pinn.png --grid 64 20 >/dev/null 2>err.txt &&
  [ "$(head -c 8 pinn.png | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] && ok "render writes a PNG" ||
  not_ok "render writes a PNG ($(cat err.txt))"
echo "not hdf5" >text.h5
expect_error "eval of a non-checkpoint file" 2 "not an LPINN/PINN checkpoint" -- "$fieldlab" eval text.h5
expect_error "eval of a non-checkpoint HDF5 file" 2 "not (an LPINN/PINN|a fieldlab) checkpoint" -- "$fieldlab" eval pred.h5

# --- a tiny PINN run ----------------------------------------------------------------------
"$fieldlab" train pinn --pde convection --speed 1 --collocation 32 16 --widths 2,16,16,1 \
  --adam-steps 100 --lbfgs-iterations 2 --threads 2 --quiet --out pinn.h5 >out.txt 2>err.txt &&
  "$fieldlab" eval pinn.h5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["method"] == "pinn" and d["relative_l2"] >= 0, d' && ok "train pinn, eval --json" ||
  not_ok "train pinn, eval --json ($(tail -c 300 err.txt))"
"$fieldlab" predict pinn.h5 --out pinn_pred.h5 --grid 16 8 --quiet && h5ls pinn_pred.h5 >ls.txt &&
  ! grep -q '^X ' ls.txt && ok "PINN predict has no X" || not_ok "PINN predict has no X"

# --- Ctrl-C and --resume ------------------------------------------------------------------
# Long enough for the signal to land in Adam; checkpoints every 50 steps.
long=(--pde convection --speed 1 --collocation 32 16 --width 16 --adam-steps 3000
      --lbfgs-iterations 5 --checkpoint-every 50 --threads 2 --quiet)
"$fieldlab" train lpinn "${long[@]}" --out full.h5 --loss-log full.log >full.txt 2>/dev/null
"$fieldlab" train lpinn "${long[@]}" --out cut.h5 --loss-log cut.log >/dev/null 2>cut_err.txt &
pid=$!
for _ in $(seq 1 600); do
  [ -e cut.log ] && [ "$(wc -l <cut.log)" -ge 200 ] && break
  sleep 0.05
done
kill -INT "$pid" 2>/dev/null
wait "$pid"
rc=$?
if [ "$rc" -eq 130 ] && grep -q "rerun with --resume" cut_err.txt; then
  ok "SIGINT saves and says how to resume ($(tail -1 cut_err.txt))"
  expect_error "resume with another configuration names the key" 2 "adam" -- \
    "$fieldlab" train lpinn "${long[@]}" --adam-steps 2000 --out cut.h5 --resume
  "$fieldlab" train lpinn "${long[@]}" --out cut.h5 --loss-log cut.log --resume >cut.txt 2>/dev/null &&
    cmp -s full.log cut.log && [ "$(grep -o 'relative L2 [^,]*' full.txt)" = "$(grep -o 'relative L2 [^,]*' cut.txt)" ] &&
    ok "resumed run equals the uninterrupted one (loss log and final error)" ||
    not_ok "resumed run equals the uninterrupted one ($(wc -l <full.log) vs $(wc -l <cut.log) log lines)"
else
  not_ok "SIGINT saves and says how to resume (exit $rc: $(tail -c 300 cut_err.txt); finished first?)"
fi

finish
