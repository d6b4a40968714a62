// The numeric option validator (apps/option_checks.hpp) through a real CLI11 parse: readable
// bounds, strict decimal syntax, no wrap-around of negative values, no non-finite reals.

#include <doctest/doctest.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "apps/option_checks.hpp"

using namespace fieldlab::apps;

namespace {

struct Parsed {
  bool ok = false;
  std::string error;
};

// Parses `args` into a fresh command with a few typical options.
template <typename Setup>
Parsed parse(std::vector<std::string> args, Setup&& setup) {
  CLI::App app{"test", "test"};
  setup(app);
  check_numeric_options(app);
  std::vector<const char*> argv{"test"};
  for (auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
    return {true, ""};
  } catch (const CLI::ParseError& e) {
    return {false, readable_parse_error(e.what())};
  }
}

}  // namespace

TEST_CASE("integer options: readable bounds, no wrap-around, strict decimal") {
  int steps = 0;
  unsigned long long seed = 0;
  long long big = 0;
  auto setup = [&](CLI::App& app) {
    add_number(&app, "--steps", steps, "", at_least(1));
    app.add_option("--seed", seed, "");  // left to the default rule: UINT, so ≥ 0
    add_number(&app, "--big", big, "", non_negative());
  };
  CHECK(parse({"--steps", "3"}, setup).ok);
  CHECK(steps == 3);
  CHECK(parse({"--steps", "-3"}, setup).error == "--steps must be an integer ≥ 1, got -3");
  CHECK(parse({"--steps", "0x10"}, setup).error == "--steps must be an integer ≥ 1, got '0x10'");
  CHECK(parse({"--steps", "  5"}, setup).error == "--steps must be an integer ≥ 1, got '  5'");
  CHECK(parse({"--steps", "5abc"}, setup).error == "--steps must be an integer ≥ 1, got '5abc'");
  CHECK(parse({"--steps", "2.5"}, setup).error == "--steps must be an integer ≥ 1, got '2.5'");
  CHECK(parse({"--steps", "3000000000"}, setup).error ==
        "--steps must be an integer from 1 to 2147483647, got 3000000000");
  // CLI11 alone would read "010" as octal 8.
  CHECK(parse({"--steps", "010"}, setup).ok);
  CHECK(steps == 10);
  CHECK(parse({"--seed", "-1"}, setup).error.find("--seed must be an integer ≥ 0, got -1") == 0);
  CHECK(parse({"--seed", "18446744073709551615"}, setup).error.find("too large") !=
        std::string::npos);
  CHECK(parse({"--big", "9000000000"}, setup).ok);
  CHECK(big == 9000000000LL);
  CHECK(parse({"--big", "99999999999999999999"}, setup).error.find("too large") !=
        std::string::npos);
}

TEST_CASE("real options: finite, bounded, and the message names the bound") {
  double dt = 0, x = 0, any = 0;
  std::vector<double> range;
  auto setup = [&](CLI::App& app) {
    add_number(&app, "--dt", dt, "", positive());
    add_number(&app, "--x", x, "", in_range(0, 1));
    app.add_option("--any", any, "");  // default rule: finite
    add_number(&app, "--range", range, "", non_negative())->delimiter(',');
  };
  CHECK(parse({"--dt", "0.5"}, setup).ok);
  CHECK(dt == 0.5);
  CHECK(parse({"--dt", "1e-3"}, setup).ok);
  CHECK(parse({"--dt", "+2"}, setup).ok);
  CHECK(parse({"--dt", "-1"}, setup).error == "--dt must be a positive number, got -1");
  CHECK(parse({"--dt", "0"}, setup).error == "--dt must be a positive number, got 0");
  CHECK(parse({"--dt", "nan"}, setup).error == "--dt must be a positive number, got nan");
  CHECK(parse({"--any", "inf"}, setup).error == "--any must be a finite number, got inf");
  CHECK(parse({"--any", "-Infinity"}, setup).error ==
        "--any must be a finite number, got -Infinity");
  CHECK(parse({"--any", "1e309"}, setup).error ==
        "--any must be a finite number, got 1e309 (beyond the range of a double)");
  CHECK(parse({"--any", "0x10"}, setup).error == "--any must be a finite number, got '0x10'");
  CHECK(parse({"--any", "5abc"}, setup).error == "--any must be a finite number, got '5abc'");
  CHECK(parse({"--any", ""}, setup).error == "--any must be a finite number, got ''");
  CHECK(parse({"--x", "2"}, setup).error == "--x must be a number from 0 to 1, got 2");
  CHECK(parse({"--range", "0.5,2"}, setup).ok);
  CHECK(range == std::vector<double>{0.5, 2});
  CHECK(parse({"--range", "0.5,-2"}, setup).error == "--range must be a number ≥ 0, got -2");
  // No 309-digit number anywhere.
  CHECK(parse({"--dt", "-1e308"}, setup).error.size() < 80);
}

TEST_CASE("a rule may allow non-finite values when the option documents it") {
  double limit = 0;
  NumberRule r = positive();
  r.allow_inf = true;
  auto setup = [&](CLI::App& app) { add_number(&app, "--limit", limit, "", r); };
  CHECK(parse({"--limit", "inf"}, setup).ok);
  CHECK(parse({"--limit", "nan"}, setup).error == "--limit must be a positive number, got nan");
}
