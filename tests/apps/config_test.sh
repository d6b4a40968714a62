#!/usr/bin/env bash
# Usage: config_test.sh PATH/TO/fieldlab
# --config files: every documented key works (including required ones such as out:) on every
# command that has --config, and hostile YAML (anchors, aliases, duplicate keys, deep nesting,
# several documents, non-files) is one clear usage error.
# Each check prints "ok - name" or "not ok - name"; the script ends with "N passed, N failed".
set -u
. "$(dirname "$0")/../support/cli_harness.sh"

# --- out: (a required option) from the file; the command line still wins ----------------------
printf 'out: fromfile.h5\ntrajectories: 2\nresolution: 16\nframes: 2\ndt-out: 0.5\nquiet: true\n' >out.yaml
if "$fieldlab" generate ns2d --config out.yaml >/dev/null 2>err.txt && [ -f fromfile.h5 ]; then
  ok "out: in a config file names the output"
else
  not_ok "out: in a config file names the output ($(head -c 300 err.txt))"
fi
if "$fieldlab" generate ns2d --config out.yaml --out cmdline.h5 >/dev/null 2>err.txt &&
  [ -f cmdline.h5 ]; then
  ok "--out on the command line wins over out: in the file"
else
  not_ok "--out on the command line wins over out: in the file ($(head -c 300 err.txt))"
fi
printf 'trajectories: 2\n' >noout.yaml
expect_error "a required option in neither place is still required" 2 "out" -- \
  "$fieldlab" generate ns2d --config noout.yaml

# --- every command with --config applies it (these ignored it before) -------------------------
printf 'threads: -1\n' >threads.yaml
printf 'warp: 1\n' >warp.yaml
printf 'OPENQASM 2.0;\nqreg q[1];\nh q[0];\n' >c.qasm
expect_error "qsim applies --config" 2 "configuration key 'threads'" -- \
  "$fieldlab" qsim c.qasm --config threads.yaml
expect_error "qrc applies --config" 2 "unknown key 'warp'" -- "$fieldlab" qrc --config warp.yaml
expect_error "generate swe2d applies --config" 2 "unknown key 'warp'" -- \
  "$fieldlab" generate swe2d --out s.h5 --config warp.yaml
expect_error "generate dambreak2d applies --config" 2 "unknown key 'warp'" -- \
  "$fieldlab" generate dambreak2d --out s.h5 --config warp.yaml
expect_error "solve dam-break applies --config" 2 "unknown key 'warp'" -- \
  "$fieldlab" solve dam-break --out s.h5 --config warp.yaml
expect_error "solve lake-at-rest applies --config" 2 "unknown key 'warp'" -- \
  "$fieldlab" solve lake-at-rest --out s.h5 --config warp.yaml
expect_error "solve geostrophic-jet applies --config" 2 "unknown key 'warp'" -- \
  "$fieldlab" solve geostrophic-jet --out s.h5 --config warp.yaml
printf 'circuit: c.qasm\n' >positional.yaml
expect_error "a positional argument as a key says so" 2 "'circuit'.*positional argument" -- \
  "$fieldlab" qsim c.qasm --config positional.yaml

# --- hostile YAML ----------------------------------------------------------------------------
gen=(generate ns2d --out h.h5 --config)
printf 'trajectories: &n 2\nframes: *n\n' >anchor.yaml
expect_error "anchors are refused" 2 "line 1: anchors \(&name\) are not supported" -- \
  "$fieldlab" "${gen[@]}" anchor.yaml
# (An alias needs its anchor first, refused above; a lone alias is an undefined anchor.)
printf 'trajectories: 2\nframes: *n\n' >alias.yaml
expect_error "a lone alias is refused" 2 "line 2: .*anchor is not defined" -- \
  "$fieldlab" "${gen[@]}" alias.yaml
# The classic alias bomb: 9 levels of 9 aliases each.
{
  echo 'a: &a ["x","x","x","x","x","x","x","x","x"]'
  for l in b c d e f g h i; do
    p=$(printf '%s' "$l" | tr 'b-i' 'a-h')
    echo "$l: &$l [*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p,*$p]"
  done
} >bomb.yaml
expect_error "an alias bomb is refused at once" 2 "anchors" -- "$fieldlab" "${gen[@]}" bomb.yaml
printf 'resolution: 16\ntrajectories: 2\nresolution: 32\n' >dup.yaml
expect_error "duplicate keys are refused" 2 "line 3: duplicate key 'resolution'" -- \
  "$fieldlab" "${gen[@]}" dup.yaml
python3 -c 'print("fields: " + "[" * 100000 + "]" * 100000)' >deep.yaml
expect_error "deep nesting is refused" 2 "nested more than 16 levels" -- \
  "$fieldlab" "${gen[@]}" deep.yaml
printf 'fields: [[vorticity]]\n' >nested.yaml
expect_error "a list inside a list is refused" 2 "'fields'.*a value or a list of values" -- \
  "$fieldlab" "${gen[@]}" nested.yaml
printf 'trajectories: 2\n---\nframes: 3\n' >twodocs.yaml
expect_error "a second document is refused" 2 "more than one YAML document" -- \
  "$fieldlab" "${gen[@]}" twodocs.yaml
printf '[a, b]: 2\n' >complexkey.yaml
expect_error "a list as a key is refused" 2 "a key must be a plain value" -- \
  "$fieldlab" "${gen[@]}" complexkey.yaml
printf 'frames:\n' >nullvalue.yaml
expect_error "a key without a value is refused" 2 "'frames'.*must hold a value" -- \
  "$fieldlab" "${gen[@]}" nullvalue.yaml
mkdir adir.yaml
expect_error "a folder as --config is refused" 2 "not a regular file" -- \
  "$fieldlab" "${gen[@]}" adir.yaml
expect_error "a missing --config is refused" 2 "cannot read configuration file" -- \
  "$fieldlab" "${gen[@]}" missing.yaml
head -c 2000000 /dev/zero | tr '\0' 'a' >huge.yaml
expect_error "a huge --config is refused" 2 "larger than 1024 KiB" -- \
  "$fieldlab" "${gen[@]}" huge.yaml
[ ! -e h.h5 ] && [ ! -e h.h5.partial ] && ok "refused configs wrote nothing" ||
  not_ok "refused configs wrote nothing"

finish
