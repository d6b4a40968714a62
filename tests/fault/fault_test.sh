#!/usr/bin/env bash
# Usage: fault_test.sh PATH/TO/fieldlab PATH/TO/fault_shim.so
# Full disks and concurrent writers against the output-file policy (datasets/io/output_file.hpp):
# every writer (generate, train, predict, solve, render, qsim) runs with fault_shim.so making
# writes under full/ fail after a budget of bytes, and must give one clear line and a non-zero
# exit, leave a pre-existing file at its final name byte for byte as it was, leave no temporary
# behind, and (generate) resume to the same data as an unfaulted run. Then two writers of one
# output: the second fails at once, the first completes a valid file.
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
shim=$(realpath "$2")
. "$(dirname "$0")/../support/cli_harness.sh"
mkdir full
full=$work/full

# faulty BUDGET ERRNO command...: runs with writes under full/ failing after BUDGET bytes.
faulty() {
  local budget=$1 errno=$2
  shift 2
  LD_PRELOAD=$shim FIELDLAB_FAULT_DIR=$full FIELDLAB_FAULT_AFTER=$budget FIELDLAB_FAULT_ERRNO=$errno "$@"
}

# expect_fault NAME PATTERN KEEP -- command...: exit 1, one stderr line matching PATTERN, KEEP
# (a file in full/) identical to KEEP.orig, and no temporary or lock file left in full/.
expect_fault() {
  local name=$1 pattern=$2 keep=$3
  shift 4
  "$@" >out.txt 2>err.txt
  local rc=$? lines leftovers
  lines=$(wc -l <err.txt)
  leftovers=$(cd "$full" && ls -a | grep -E '\.tmp|\.lock$' | tr '\n' ' ')
  if [ "$rc" -eq 1 ] && [ "$lines" -eq 1 ] && grep -qE -e "$pattern" err.txt &&
    cmp -s "$full/$keep" "$full/$keep.orig" && [ -z "$leftovers" ]; then
    ok "$name"
  else
    not_ok "$name (exit $rc, $lines stderr lines: $(head -c 300 err.txt); left: $leftovers;" \
      "kept: $(cmp -s "$full/$keep" "$full/$keep.orig" && echo yes || echo no))"
  fi
}

# Same data in two native files: every dataset equal (attributes such as times may differ).
same_data() {
  local d
  for d in vorticity t x y completed; do
    h5diff -q "$1" "$2" "/$d" >/dev/null 2>&1 || return 1
  done
}

# One thread: trajectories then finish in order, so the budget below always leaves some finished
# (with two, both running trajectories can be cut short and none is kept).
gen=(--trajectories 4 --resolution 16 --frames 4 --dt-out 0.5 --quiet --threads 1)
enospc="no space left on device while writing 'full/"

# --- generate ---------------------------------------------------------------------------------
"$fieldlab" generate ns2d --out ref.h5 "${gen[@]}"
"$fieldlab" generate ns2d --out full/g.h5 "${gen[@]}" --seed 9
cp full/g.h5 full/g.h5.orig
# A budget past the header and the first trajectories: the fault hits mid-run.
budget=$(($(stat -c %s ref.h5) * 6 / 10))
faulty $budget ENOSPC "$fieldlab" generate ns2d --out full/g.h5 "${gen[@]}" --overwrite >out.txt 2>err.txt
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -qF "$enospc" err.txt &&
  cmp -s full/g.h5 full/g.h5.orig && [ -e full/g.h5.partial ] && [ ! -e full/g.h5.lock ]; then
  ok "generate on a full disk: one line, exit 1, the old file kept, the .partial kept"
else
  not_ok "generate on a full disk (exit $rc: $(head -c 300 err.txt); $(ls -a full | tr '\n' ' '))"
fi
if "$fieldlab" generate ns2d --out full/g.h5 "${gen[@]}" --resume >/dev/null 2>err.txt &&
  same_data ref.h5 full/g.h5 && [ ! -e full/g.h5.partial ]; then
  ok "generate resumes after the fault to the same data as an unfaulted run"
else
  not_ok "generate resumes after the fault ($(head -c 300 err.txt))"
fi
for errno in EIO EDQUOT; do
  pattern="^fieldlab: error: input/output error while writing 'full/g.h5.partial'"
  [ $errno = EDQUOT ] && pattern="^fieldlab: error: disk quota exceeded while writing 'full/g.h5.partial'"
  cp full/g.h5 full/g.h5.orig
  faulty $budget $errno "$fieldlab" generate ns2d --out full/g.h5 "${gen[@]}" --overwrite >/dev/null 2>err.txt
  rc=$?
  if [ "$rc" -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && grep -qE "$pattern" err.txt &&
    cmp -s full/g.h5 full/g.h5.orig; then
    ok "generate reports $errno as the cause"
  else
    not_ok "generate reports $errno ($(head -c 300 err.txt))"
  fi
  rm -f full/g.h5.partial
done

# --- train ------------------------------------------------------------------------------------
data=(--resolution 16 --frames 6 --dt-out 1 --quiet --fields vorticity,u)
"$fieldlab" generate ns2d --out nstrain.h5 --trajectories 4 --seed 1 "${data[@]}"
tiny=(sinenet --waves 1 --mult 1.5 --hidden 4 --levels 2 --history 2 --batch 2 --lr 3e-3
  --threads 1 --quiet --data nstrain.h5)
"$fieldlab" train "${tiny[@]}" --epochs 2 --out full/ckpt.h5 >/dev/null
cp full/ckpt.h5 full/ckpt.h5.orig
for budget in 0 3000 $(($(stat -c %s full/ckpt.h5) / 2)); do
  expect_fault "train on a full disk (budget $budget): the old checkpoint kept" "$enospc" ckpt.h5 -- \
    faulty $budget ENOSPC "$fieldlab" train "${tiny[@]}" --epochs 2 --out full/ckpt.h5 --overwrite
done

# --- predict ----------------------------------------------------------------------------------
"$fieldlab" predict full/ckpt.h5 --data nstrain.h5 --trajectory 0 --out full/pred.h5 --quiet
cp full/pred.h5 full/pred.h5.orig
for budget in 0 5000 $(($(stat -c %s full/pred.h5) / 2)); do
  expect_fault "predict on a full disk (budget $budget): the old output kept" "$enospc" pred.h5 -- \
    faulty $budget ENOSPC "$fieldlab" predict full/ckpt.h5 --data nstrain.h5 --trajectory 1 \
    --out full/pred.h5 --overwrite --quiet
  [ ! -e full/pred.h5.partial ] && ok "predict leaves no .partial" || not_ok "predict leaves no .partial"
done

# --- solve ------------------------------------------------------------------------------------
tg=(taylor-green --resolution 32 --viscosity 0.1 --t-end 0.2)
"$fieldlab" solve "${tg[@]}" --out full/tg.h5 >/dev/null
cp full/tg.h5 full/tg.h5.orig
for budget in 0 4000 $(($(stat -c %s full/tg.h5) / 2)); do
  expect_fault "solve on a full disk (budget $budget): the old output kept" "$enospc" tg.h5 -- \
    faulty $budget ENOSPC "$fieldlab" solve "${tg[@]}" --out full/tg.h5 --overwrite
done

# --- render -----------------------------------------------------------------------------------
"$fieldlab" render ref.h5 --out full/r.png >/dev/null
cp full/r.png full/r.png.orig
for budget in 0 100; do
  expect_fault "render on a full disk (budget $budget): the old PNG kept" "$enospc" r.png -- \
    faulty $budget ENOSPC "$fieldlab" render ref.h5 --out full/r.png --overwrite
done

# --- qsim -------------------------------------------------------------------------------------
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[10];\nh q;\ncx q[0],q[1];\n' >c.qasm
"$fieldlab" qsim c.qasm --out full/s.h5 >/dev/null
cp full/s.h5 full/s.h5.orig
for budget in 0 8000 $(($(stat -c %s full/s.h5) / 2)); do
  expect_fault "qsim --out on a full disk (budget $budget): the old state kept" "$enospc" s.h5 -- \
    faulty $budget ENOSPC "$fieldlab" qsim c.qasm --out full/s.h5 --overwrite
done

# --- concurrent writers -----------------------------------------------------------------------
# wait_for FILE: up to 60 s for FILE to appear.
wait_for() {
  local i
  for i in $(seq 600); do
    [ -e "$1" ] && return 0
    sleep 0.1
  done
  return 1
}
# The first writer runs long enough to be caught holding its lock.
"$fieldlab" generate ns2d --out busy.h5 --trajectories 200 --resolution 32 --frames 8 --dt-out 1 \
  --threads 1 --quiet --overwrite 2>first.txt &
first=$!
wait_for busy.h5.lock
start=$(date +%s)
"$fieldlab" generate ns2d --out busy.h5 "${gen[@]}" --overwrite >/dev/null 2>err.txt
rc=$?
elapsed=$(($(date +%s) - start))
wait $first
first_rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <err.txt)" -eq 1 ] && [ "$elapsed" -le 5 ] &&
  grep -qF "another process is writing 'busy.h5' (lock 'busy.h5.lock' is held)" err.txt; then
  ok "a second generate --overwrite of one output fails at once"
else
  not_ok "a second generate --overwrite (exit $rc after ${elapsed}s: $(head -c 300 err.txt))"
fi
if [ "$first_rc" -eq 0 ] && "$fieldlab" info busy.h5 --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["complete"] and d["trajectories"] == 200, d
' && [ ! -e busy.h5.lock ] && [ ! -e busy.h5.partial ]; then
  ok "the first generate completes a valid file"
else
  not_ok "the first generate completes (exit $first_rc: $(head -c 300 first.txt))"
fi

"$fieldlab" train "${tiny[@]}" --epochs 400 --out busy.ckpt.h5 >/dev/null 2>first.txt &
first=$!
wait_for busy.ckpt.h5  # the first checkpoint: Ctrl-C is handled from here on
"$fieldlab" train "${tiny[@]}" --epochs 2 --out busy.ckpt.h5 --overwrite >/dev/null 2>err.txt
rc=$?
kill -INT $first
wait $first
if [ "$rc" -eq 1 ] && grep -qF "another process is writing 'busy.ckpt.h5'" err.txt &&
  [ "$(wc -l <err.txt)" -eq 1 ]; then
  ok "a second train of one checkpoint fails at once"
else
  not_ok "a second train of one checkpoint (exit $rc: $(head -c 300 err.txt))"
fi
if "$fieldlab" train "${tiny[@]}" --epochs 400 --out busy.ckpt.h5 --resume --max-steps 1 >/dev/null 2>err.txt; then
  ok "the first train's checkpoint is valid after it stops"
else
  not_ok "the first train's checkpoint is valid ($(head -c 300 err.txt))"
fi

"$fieldlab" solve taylor-green --resolution 128 --viscosity 0.01 --t-end 20 --out busy_tg.h5 \
  >/dev/null 2>first.txt &
first=$!
wait_for busy_tg.h5.lock
"$fieldlab" solve "${tg[@]}" --out busy_tg.h5 --overwrite >/dev/null 2>err.txt
rc=$?
wait $first
first_rc=$?
if [ "$rc" -eq 1 ] && grep -qF "another process is writing 'busy_tg.h5'" err.txt &&
  [ "$first_rc" -eq 0 ] && h5dump -H busy_tg.h5 >/dev/null 2>&1 && [ ! -e busy_tg.h5.lock ]; then
  ok "a second solve of one output fails at once; the first completes"
else
  not_ok "concurrent solve (exit $rc / $first_rc: $(head -c 300 err.txt) $(head -c 200 first.txt))"
fi

# --- outputs that are not regular files -------------------------------------------------------
mkfifo fifo.png
mkdir dir.h5
ln -s dir.h5 link.h5
"$fieldlab" render ref.h5 --out fifo.png --overwrite >/dev/null 2>err.txt
rc=$?
[ "$rc" -eq 2 ] && [ -p fifo.png ] && grep -q "not a regular file" err.txt &&
  ok "render refuses a FIFO even with --overwrite" || not_ok "render refuses a FIFO ($(cat err.txt))"
for out in dir.h5 link.h5; do
  "$fieldlab" generate ns2d --out $out "${gen[@]}" --overwrite >/dev/null 2>err.txt
  rc=$?
  [ "$rc" -eq 2 ] && [ -d dir.h5 ] && grep -q "not a regular file" err.txt &&
    ok "generate refuses $out (a directory or a link to one)" ||
    not_ok "generate refuses $out ($(cat err.txt))"
done
"$fieldlab" render ref.h5 --out r2.png >/dev/null
expect_refusal() {
  "$@" >/dev/null 2>err.txt
  [ $? -eq 2 ] && grep -q -- "--overwrite" err.txt
}
cp r2.png r2.png.orig
expect_refusal "$fieldlab" render ref.h5 --out r2.png --trajectory 1 && cmp -s r2.png r2.png.orig &&
  ok "render keeps an existing PNG without --overwrite" || not_ok "render keeps an existing PNG ($(cat err.txt))"
"$fieldlab" qsim c.qasm --out s2.h5 >/dev/null
cp s2.h5 s2.h5.orig
expect_refusal "$fieldlab" qsim c.qasm --out s2.h5 && cmp -s s2.h5 s2.h5.orig &&
  ok "qsim keeps an existing --out without --overwrite" || not_ok "qsim keeps an existing --out ($(cat err.txt))"

# A stale lock file (a killed writer's) and stale temporaries do not block the next run.
touch stale.h5.lock stale.h5.tmp-99999-0
if "$fieldlab" solve "${tg[@]}" --out stale.h5 >/dev/null 2>err.txt && [ ! -e stale.h5.tmp-99999-0 ] &&
  [ ! -e stale.h5.lock ]; then
  ok "a stale lock file and temporary do not block the next run"
else
  not_ok "stale lock and temporary ($(cat err.txt); $(ls stale*))"
fi

finish
