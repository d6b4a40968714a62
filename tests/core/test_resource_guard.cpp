// The size/memory guard (core/resource_guard.hpp): checked products, the memory budget and its
// override, and the one-line refusal with the estimate.

#include <doctest/doctest.h>
#include <stdlib.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/resource_guard.hpp"
#include "core/threads.hpp"

using namespace fieldlab;

namespace {

// Sets FIELDLAB_MEMORY_LIMIT_BYTES for one scope and restores the previous value.
class MemoryLimitOverride {
 public:
  explicit MemoryLimitOverride(const char* value) {
    if (const char* old = std::getenv("FIELDLAB_MEMORY_LIMIT_BYTES")) had_ = true, old_ = old;
    setenv("FIELDLAB_MEMORY_LIMIT_BYTES", value, 1);
  }
  ~MemoryLimitOverride() {
    if (had_)
      setenv("FIELDLAB_MEMORY_LIMIT_BYTES", old_.c_str(), 1);
    else
      unsetenv("FIELDLAB_MEMORY_LIMIT_BYTES");
  }

 private:
  bool had_ = false;
  std::string old_;
};

std::string message_of(const MemoryEstimate& estimate, std::string_view hint) {
  try {
    estimate.check(hint);
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    return e.what();
  }
  return {};
}

}  // namespace

TEST_CASE("checked products refuse 64-bit overflow and name what was sized") {
  const std::int64_t big = std::int64_t{1} << 40;
  CHECK(checked_mul(1000000000, 1000000000, "grid") == 1000000000000000000);
  CHECK(checked_mul(0, std::numeric_limits<std::int64_t>::max(), "grid") == 0);
  CHECK_THROWS_WITH_AS(checked_mul(big, big, "ns2d grid"),
                       doctest::Contains("ns2d grid is too large"), Error);
  CHECK_THROWS_AS(checked_mul(-1, 3, "x"), Error);
  CHECK(checked_add(2, 3, "x") == 5);
  CHECK_THROWS_AS(checked_add(std::numeric_limits<std::int64_t>::max(), 1, "count"), Error);
}

TEST_CASE("byte counts print in binary units") {
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(3 * 1024) == "3.0 KiB");
  CHECK(format_bytes(23.1 * 1073741824.0) == "23.1 GiB");
  CHECK(format_bytes(8.0 * 1152921504606846976.0) == "8.0 EiB");
}

TEST_CASE("FIELDLAB_MEMORY_LIMIT_BYTES replaces the system figure") {
  {
    MemoryLimitOverride limit("1048576");
    const MemoryBudget budget = available_memory();
    CHECK(budget.bytes == 1048576);
    CHECK(budget.source == "FIELDLAB_MEMORY_LIMIT_BYTES");
  }
  {
    MemoryLimitOverride limit("lots");
    CHECK_THROWS_WITH_AS(available_memory(), doctest::Contains("FIELDLAB_MEMORY_LIMIT_BYTES"),
                         Error);
  }
  // Without the override: a positive figure from /proc/meminfo, a cgroup or ulimit -v.
  const MemoryBudget system = available_memory();
  CHECK(system.bytes > 0);
  CHECK(!system.source.empty());
}

TEST_CASE("an estimate over the budget is one usage line with the estimate and the budget") {
  MemoryLimitOverride limit("1073741824");  // 1 GiB
  MemoryEstimate fits("small grid");
  fits.add("grid", 1024.0 * 1024, "cells", 8, 20, "fields");  // 160 MiB
  CHECK_NOTHROW(fits.check("reduce --resolution"));

  MemoryEstimate huge("ns2d at resolution 1000000000");
  huge.add("grid", 1e18, "cells", 8, 20, "fields");
  CHECK(huge.bytes() == doctest::Approx(1.6e20));
  const std::string m = message_of(huge, "reduce --resolution");
  CHECK(m ==
        "ns2d at resolution 1000000000 needs about 138.8 EiB (grid 1e+18 cells × 8 B × 20 "
        "fields); 1.0 GiB are available (FIELDLAB_MEMORY_LIMIT_BYTES); reduce --resolution");
  CHECK(m.find('\n') == std::string::npos);
}

TEST_CASE("terms add up and every term is in the breakdown") {
  MemoryEstimate e("an ensemble");
  e.add("grid", 100, "cells", 8, 2, "fields").add("diagnostics", 10, "frames", 8);
  CHECK(e.bytes() == 1680);
  CHECK(e.breakdown() == "grid 100 cells × 8 B × 2 fields + diagnostics 10 frames × 8 B");
  CHECK_THROWS_AS(e.check("", MemoryBudget{1000, "test"}), Error);
  CHECK_NOTHROW(e.check("", MemoryBudget{1680, "test"}));
}

TEST_CASE("thread counts are bounded before OpenMP sees them") {
  CHECK(thread_limit() >= 64);
  CHECK_NOTHROW(check_thread_count(0));
  CHECK_NOTHROW(check_thread_count(thread_limit()));
  CHECK_THROWS_WITH_AS(check_thread_count(100000), doctest::Contains("--threads must be between 0"),
                       Error);
  CHECK_THROWS_AS(check_thread_count(-1), Error);
  const int before = max_threads();
  CHECK_THROWS_AS(set_threads(100000), Error);
  CHECK(max_threads() == before);  // refused, not applied
}
