#include <doctest/doctest.h>

#include <set>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/threads.hpp"

using namespace fieldlab;

TEST_CASE("errors carry their kind and the CLI exit code") {
  try {
    fail(ErrorKind::usage, "bad value {}", 3);
    FAIL("fail() returned");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) == "bad value 3");
    CHECK(e.exit_code() == 2);
  }
  CHECK(Error(ErrorKind::io, "x").exit_code() == 1);
  CHECK(Error(ErrorKind::numerical, "x").exit_code() == 1);
  CHECK_THROWS_AS(require(false, "no"), Error);
  CHECK_NOTHROW(require(true, "yes"));
}

TEST_CASE("derived seeds are distinct per index and stable") {
  std::set<unsigned long long> seen;
  for (unsigned long long i = 0; i < 10000; ++i) seen.insert(derive_seed(42, i));
  CHECK(seen.size() == 10000);
  CHECK(derive_seed(42, 7) == derive_seed(42, 7));
  CHECK(derive_seed(42, 7) != derive_seed(43, 7));
}

TEST_CASE("durations format as mm:ss or h:mm:ss") {
  CHECK(format_duration(0) == "00:00");
  CHECK(format_duration(75) == "01:15");
  CHECK(format_duration(3725) == "1:02:05");
  CHECK(format_duration(-1) == "--:--");
}
