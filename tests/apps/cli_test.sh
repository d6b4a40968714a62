#!/usr/bin/env bash
# Usage: cli_test.sh PATH/TO/fieldlab
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
fieldlab=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0
failed=0

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

# expect_error NAME CODE PATTERN -- command...: exit code CODE, exactly one stderr line matching PATTERN.
expect_error() {
  local name=$1 code=$2 pattern=$3
  shift 4
  "$@" >out.txt 2>err.txt
  local rc=$?
  local lines
  lines=$(wc -l <err.txt)
  if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && grep -qE -e "$pattern" err.txt; then
    ok "$name"
  else
    not_ok "$name (exit $rc, $lines stderr lines: $(head -c 300 err.txt))"
  fi
}

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
  expect_error "resume with other options is refused" 2 "different options" -- \
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

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
