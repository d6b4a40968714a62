#!/usr/bin/env bash
# Usage: limits_test.sh PATH/TO/fieldlab
# Resource limits (issue 12): sizes a user controls are checked against the grid and against the
# memory available BEFORE anything is allocated, and --threads is bounded. Each refusal must be
# exit 2 with one stderr line, within seconds, and (where the platform allows it) under a 2 GiB
# address-space limit, so that an attempt to allocate the huge buffer would fail differently
# (std::bad_alloc or a crash) instead of passing by luck.
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
. "$(dirname "$0")/../support/cli_harness.sh"

# A sanitizer build reserves terabytes of shadow memory and cannot run under ulimit -v: there the
# checks run without it (the time limit still catches an allocation that is attempted).
limit_kib=2097152
if (ulimit -v "$limit_kib" && "$fieldlab" --version) >/dev/null 2>&1; then
  limited() { (ulimit -v "$limit_kib" && exec timeout 30 "$@"); }
  echo "# running refusals under ulimit -v $limit_kib"
else
  limited() { timeout 30 "$@"; }
  echo "# ulimit -v unusable with this build (sanitizer?): refusals run without it"
fi

# expect_refusal NAME PATTERN -- command...: exit 2, exactly one stderr line matching PATTERN,
# finished within 10 s.
expect_refusal() {
  local name=$1 pattern=$2
  shift 3
  local start=$SECONDS
  limited "$@" >out.txt 2>err.txt
  local rc=$? took=$((SECONDS - start))
  local lines
  lines=$(wc -l <err.txt)
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && [ "$took" -le 10 ] && grep -qE -e "$pattern" err.txt; then
    ok "$name"
  else
    not_ok "$name (exit $rc, ${took}s, $lines stderr lines: $(head -c 400 err.txt))"
  fi
}

estimate="needs about [0-9.]+ [KMGTPEZY]?i?B \(.*\); [0-9.]+ [KMGTPEZY]?i?B are available"

# --- grids ----------------------------------------------------------------------------------
expect_refusal "generate ns2d at resolution 1e9" "ns2d ensemble at resolution 1000000000 .*$estimate.*reduce --resolution" -- \
  "$fieldlab" generate ns2d --out big.h5 --resolution 1000000000 --trajectories 2 --frames 2 --quiet
[ ! -e big.h5 ] && [ ! -e big.h5.partial ] && ok "refused generate leaves no file" ||
  not_ok "refused generate leaves no file"
# smoke2d has a cheap range limit first; its memory check is shown with a small budget.
expect_refusal "generate smoke2d at resolution 1e9" "--resolution must be in \[8, 8192\]" -- \
  "$fieldlab" generate smoke2d --out big.h5 --resolution 1000000000 --quiet
expect_refusal "generate smoke2d beyond a 100 MB budget" "smoke2d ensemble at resolution 8192 .*$estimate" -- \
  env FIELDLAB_MEMORY_LIMIT_BYTES=100000000 "$fieldlab" generate smoke2d --out big.h5 --resolution 8192 --quiet
expect_refusal "generate swe2d at resolution 1e9" "swe2d ensemble at resolution 1000000000 .*$estimate" -- \
  "$fieldlab" generate swe2d --out big.h5 --resolution 1000000000 --quiet
expect_refusal "generate dambreak2d at resolution 1e9" "dambreak2d ensemble at resolution 1000000000 .*$estimate" -- \
  "$fieldlab" generate dambreak2d --out big.h5 --resolution 1000000000 --quiet
expect_refusal "solve taylor-green at resolution 1e9" "ns2d at resolution 1000000000 $estimate" -- \
  "$fieldlab" solve taylor-green --resolution 1000000000 --out tg.h5
expect_refusal "solve dam-break at resolution 1e9" "shallow water \(finite volume\) at resolution 1000000000x4 $estimate" -- \
  "$fieldlab" solve dam-break --resolution 1000000000 --out db.h5
expect_refusal "generate ns2d: frames beyond memory" "ns2d ensemble .*diagnostics" -- \
  "$fieldlab" generate ns2d --out big.h5 --resolution 16 --frames 100000000000000 --quiet
# The override the doctests use works through the CLI too, and names itself as the source.
expect_refusal "FIELDLAB_MEMORY_LIMIT_BYTES applies" \
  "are available \(FIELDLAB_MEMORY_LIMIT_BYTES\)" -- \
  env FIELDLAB_MEMORY_LIMIT_BYTES=1000 "$fieldlab" generate ns2d --out small.h5 --resolution 16 --trajectories 1 --frames 2 --quiet

# --- threads --------------------------------------------------------------------------------
expect_refusal "--threads 100000" "--threads.*between 0 \(all cores\) and [0-9]+" -- \
  "$fieldlab" generate ns2d --out t.h5 --resolution 16 --trajectories 2 --frames 2 --threads 100000 --quiet
[ ! -e t.h5 ] && [ ! -e t.h5.partial ] && ok "refused --threads leaves no file" || not_ok "refused --threads leaves no file"
expect_refusal "solve --threads 100000" "--threads" -- \
  "$fieldlab" solve taylor-green --resolution 16 --out tg.h5 --threads 100000
expect_refusal "--threads -1" "--threads" -- \
  "$fieldlab" solve taylor-green --resolution 16 --out tg.h5 --threads -1
# The same bound on OpenMP's own default, named as the variable the user set.
OMP_NUM_THREADS=100000 expect_refusal "OMP_NUM_THREADS=100000 (generate)" "OMP_NUM_THREADS=100000 asks for 100000 threads" -- \
  "$fieldlab" generate ns2d --out t.h5 --resolution 16 --trajectories 2 --frames 2 --quiet
OMP_NUM_THREADS=100000 expect_refusal "OMP_NUM_THREADS=100000 (solve)" "OMP_NUM_THREADS=100000" -- \
  "$fieldlab" solve taylor-green --resolution 16 --out tg.h5

# --- models ---------------------------------------------------------------------------------
if "$fieldlab" generate ns2d --out d.h5 --resolution 16 --trajectories 2 --frames 6 --dt-out 0.5 \
  --quiet >/dev/null 2>err.txt; then
  ok "small dataset for the model cases"
else
  not_ok "small dataset for the model cases ($(cat err.txt))"
fi
expect_refusal "SineNet levels too deep for the grid" "d.h5: grid 16x16 is not divisible by 65536" -- \
  "$fieldlab" train sinenet2 --data d.h5 --out m.h5 --levels 16 --epochs 1 --quiet
[ ! -e m.h5 ] && ok "refused train leaves no checkpoint" || not_ok "refused train leaves no checkpoint"
expect_refusal "SineNet width beyond memory" "sinenet1 with [0-9]+ parameters $estimate" -- \
  "$fieldlab" train sinenet1 --data d.h5 --out m.h5 --levels 1 --hidden 65536 --epochs 1 --quiet
expect_refusal "U-Net width beyond memory" "unet with [0-9]+ parameters $estimate" -- \
  "$fieldlab" train unet --data d.h5 --out m.h5 --levels 1 --hidden 65536 --epochs 1 --quiet
expect_refusal "channel count that would overflow" "more than 1048576: reduce hidden, mult or levels" -- \
  "$fieldlab" describe sinenet1 --hidden 65536 --mult 8 --levels 16
# describe declares without allocating: a large model prints a positive exact count.
if limited "$fieldlab" describe sinenet8 --hidden 4096 >out.txt 2>err.txt &&
  ! grep -qE -- '(^|[^A-Za-z0-9])-[0-9]' out.txt && grep -qE '[0-9]{9,}' out.txt; then
  ok "describe a 10^9-parameter SineNet: positive counts, nothing allocated"
else
  not_ok "describe a 10^9-parameter SineNet ($(head -c 300 err.txt) $(tail -n 2 out.txt))"
fi

# --- qubits ---------------------------------------------------------------------------------
printf 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[40];\nh q[0];\n' >q40.qasm
expect_refusal "qsim with 40 qubits" "40-qubit state vector $estimate" -- "$fieldlab" qsim q40.qasm

finish
