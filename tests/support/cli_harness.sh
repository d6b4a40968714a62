# Shared by the CLI test scripts (tests/apps/*.sh, tests/fault/fault_test.sh): source it after
# `set -u` with the fieldlab binary as $1. It sets $fieldlab, moves into a scratch folder that is
# removed on exit, and gives the checks below. Each check prints "ok - name" or "not ok - name";
# `finish` prints "N passed, N failed" and is the script's exit status.
#
# Set before sourcing (optional): expect_match=F (fixed-string patterns; default E, extended
# regular expressions) and expect_timeout=SECONDS (default 120; nothing may hang or read forever).
fieldlab=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0
failed=0
: "${expect_match:=E}" "${expect_timeout:=120}"

ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }

# expect_error NAME CODE PATTERN -- command...: exit code CODE and exactly one stderr line, which
# matches PATTERN. Standard input is /dev/null.
expect_error() {
  local name=$1 code=$2 pattern=$3
  shift 4
  timeout "$expect_timeout" "$@" >out.txt 2>err.txt </dev/null
  local rc=$?
  local lines
  lines=$(wc -l <err.txt)
  if [ "$rc" -eq "$code" ] && [ "$lines" -eq 1 ] && grep -q"$expect_match" -e "$pattern" err.txt; then
    ok "$name"
  else
    not_ok "$name (exit $rc, $lines stderr lines: $(head -c 300 err.txt))"
  fi
}

finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
