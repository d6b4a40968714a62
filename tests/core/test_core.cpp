#include <doctest/doctest.h>

#include <fmt/format.h>

#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/stop_token.hpp"
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

TEST_CASE("a stop request reaches every token of its source and no other source") {
  fieldlab::StopSource first, second;
  const fieldlab::StopToken a = first.token(), b = first.token(), c = second.token();
  CHECK(a.stop_possible());
  CHECK_FALSE(fieldlab::StopToken{}.stop_possible());
  CHECK_FALSE(a.stop_requested());
  first.request_stop();
  CHECK(a.stop_requested());
  CHECK(b.stop_requested());
  CHECK_FALSE(c.stop_requested());  // a second run in the same process is not stopped
  CHECK_FALSE(fieldlab::StopToken{}.stop_requested());
}

namespace {
struct RecordingSink final : fieldlab::ProgressSink {
  std::vector<std::string> events;
  void start(std::string_view label, long long total) override {
    events.push_back(fmt::format("start {} {}", label, total));
  }
  void advance(long long units, std::string_view note) override {
    events.push_back(fmt::format("advance {} {}", units, note));
  }
  void finish() override { events.push_back("finish"); }
};
}  // namespace

TEST_CASE("a progress phase starts, forwards and finishes once, also when left by an exception") {
  RecordingSink sink;
  try {
    fieldlab::ProgressPhase phase(&sink, "train", 3);
    phase.advance(2, "half");
    throw std::runtime_error("boom");
  } catch (const std::runtime_error&) {
  }
  CHECK(sink.events == std::vector<std::string>{"start train 3", "advance 2 half", "finish"});
  fieldlab::ProgressPhase silent(nullptr, "none", 1);  // a null sink reports nothing
  silent.advance();
}
