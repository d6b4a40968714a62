#pragma once
// The one validator for numeric command-line options. Every number is parsed strictly (decimal
// only: no hex, octal, blanks or trailing text; integers as signed 64-bit, so "-1" is never a
// huge unsigned value; reals finite unless a rule allows otherwise) and checked against a
// readable bound: "--dt must be a positive number, got -1", "--steps must be an integer ≥ 1,
// got -3". The same check runs for values from a --config file.
//
// Declare numeric options with add_number (the variable's type gives integer or real and its
// range); check_numeric_options, called once on the whole command tree, gives every numeric
// option declared otherwise the default rule (finite; unsigned: ≥ 0), so none escapes.

#include <CLI/CLI.hpp>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace fieldlab::apps {

struct NumberRule {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;    // lo itself refused (a positive number)
  bool allow_nan = false;  // nan accepted (an option that documents it)
  bool allow_inf = false;  // inf / -inf accepted (an option that documents it)
};

NumberRule finite();                        // any finite number
NumberRule positive();                      // > 0
NumberRule non_negative();                  // ≥ 0
NumberRule at_least(double lo);             // ≥ lo
NumberRule in_range(double lo, double hi);  // lo ≤ x ≤ hi

// The validator itself; `integer` parses as a signed 64-bit integer (and writes it back in plain
// decimal so CLI11's own conversion, which reads "010" as octal, sees what the user meant).
CLI::Validator number_validator(NumberRule rule, bool integer);

// Attaches the rule to an option bound to a variable of type T (the range of T is added to it).
template <typename T>
CLI::Option* check_number(CLI::Option* option, NumberRule rule) {
  if constexpr (std::is_integral_v<T>) {
    rule.lo = std::max<double>(rule.lo, static_cast<double>(std::numeric_limits<T>::min()));
    rule.hi = std::min<double>(rule.hi, static_cast<double>(std::numeric_limits<T>::max()));
    option->transform(number_validator(rule, true));
  } else {
    static_assert(std::is_floating_point_v<T>, "check_number: a numeric type");
    const double max = static_cast<double>(std::numeric_limits<T>::max());
    if (!rule.allow_inf) {
      rule.lo = std::max(rule.lo, -max);
      rule.hi = std::min(rule.hi, max);
    }
    option->transform(number_validator(rule, false));
  }
  return option;
}

template <typename T>
CLI::Option* add_number(CLI::App* command, const std::string& name, T& value,
                        const std::string& help, NumberRule rule = finite()) {
  return check_number<T>(command->add_option(name, value, help), rule);
}

template <typename T>
CLI::Option* add_number(CLI::App* command, const std::string& name, std::vector<T>& values,
                        const std::string& help, NumberRule rule = finite()) {
  return check_number<T>(command->add_option(name, values, help), rule);
}

// Gives every INT / UINT / FLOAT option of the command tree without a number rule the default
// one: finite reals, signed 64-bit integers, unsigned ones ≥ 0.
void check_numeric_options(CLI::App& app);

// Refuses an empty value for every file option (--out, --data, --valid, --truth, --loss-log,
// --config and the FILE / CHECKPOINT / CIRCUIT positionals): "--out must name a file, got ''".
void check_path_options(CLI::App& app);

// CLI11 reports a failed check as "--dt: must be ..."; this reads "--dt must be ...".
std::string readable_parse_error(const std::string& message);

}  // namespace fieldlab::apps
