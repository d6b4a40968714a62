#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/, clang + ASan + UBSan, cmake/Fuzz.cmake) and runs
# each for a fixed time over its seed corpus and kept crash inputs. Fails if any harness finds a
# crash, leak, timeout or out-of-memory; the input is kept under BUILD_DIR/fuzz-crashes/<name>/
# and the command that reproduces it is printed. Per-harness figures (executions, coverage) go
# to BUILD_DIR/fuzz-summary.txt.
# Usage: scripts/fuzz.sh [BUILD_DIR (build-fuzz)] [SECONDS_PER_HARNESS (60)] [HARNESS...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build-fuzz}
seconds=${2:-60}
shift $(($# < 2 ? $# : 2))
jobs=$(nproc 2>/dev/null || echo 2)
export CCACHE_BASEDIR="$root"
mkdir -p "$build"
build=$(cd "$build" && pwd)

start=$(date +%s)
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Fuzz \
  -DFIELDLAB_FUZZ=ON -DFIELDLAB_TESTS=OFF -DFIELDLAB_OPENMP=OFF -DFIELDLAB_BENCH=OFF >/dev/null
cmake --build "$build" -j "$jobs" --target fieldlab_fuzzers
echo "fuzz build: $(($(date +%s) - start)) s"

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for f in "$root"/tests/fuzz/fuzz_*.cpp; do
    n=$(basename "$f" .cpp)
    harnesses+=("${n#fuzz_}")
  done
fi

summary=$build/fuzz-summary.txt
printf '%-16s %10s %8s %8s %6s\n' harness executions cov ft crash >"$summary"
status=0
for name in "${harnesses[@]}"; do
  bin=$build/tests/fuzz/fuzz_$name
  corpus=$build/fuzz-corpus/$name  # grows across runs; the seeds stay in tests/fuzz/corpus
  crashes=$build/fuzz-crashes/$name
  mkdir -p "$corpus" "$crashes"
  log=$build/fuzz-$name.log
  # libFuzzer exits on a missing input folder; a harness with no kept crash has none in git.
  inputs=("$corpus")
  for dir in "$root/tests/fuzz/corpus/$name" "$root/tests/fuzz/crashes/$name"; do
    [ -d "$dir" ] && inputs+=("$dir")
  done
  echo "== fuzz_$name for $seconds s"
  rc=0
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/" \
    "${inputs[@]}" >"$log" 2>&1 || rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -1 || true)
  cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
  found=no
  if [ "$rc" -ne 0 ]; then
    found=yes
    status=1
    tail -n 60 "$log"
    for input in "$crashes"/*; do
      [ -e "$input" ] || continue
      echo "fuzz_$name failed on $input; reproduce with:"
      echo "  $bin $input"
    done
  fi
  printf '%-16s %10s %8s %8s %6s\n' "$name" "${execs:-0}" "${cov:-?}" "${ft:-?}" "$found" >>"$summary"
done
cat "$summary"
echo "fuzz pass: $(($(date +%s) - start)) s"
exit "$status"
