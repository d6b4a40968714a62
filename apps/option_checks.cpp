#include "apps/option_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string_view>

namespace fieldlab::apps {
namespace {

constexpr const char* kValidatorName = "fieldlab-number";

// A bound this far out is a type's limit, not one the option states: messages leave it out.
bool stated(double bound, bool integer) {
  return integer ? std::abs(bound) < 2147483647.0 : std::abs(bound) < 1e300;
}

std::string show(double v, bool integer) {
  if (!integer) return fmt::format("{}", v);
  // The 64-bit limits do not round-trip through a double: print them, never cast out of range.
  if (v >= 9.2e18) return v >= 1.8e19 ? "18446744073709551615" : "9223372036854775807";
  if (v <= -9.2e18) return "-9223372036854775808";
  return fmt::format("{}", static_cast<long long>(v));
}

// "an integer ≥ 1", "a positive number", "a number from 0 to 1", ...
std::string requirement(const NumberRule& r, bool integer) {
  const bool has_lo = stated(r.lo, integer), has_hi = stated(r.hi, integer);
  const std::string kind = integer ? "an integer" : "a number";
  if (has_lo && has_hi)
    return fmt::format("{} from {} to {}", kind, show(r.lo, integer), show(r.hi, integer));
  if (has_lo && r.lo == 0 && r.lo_open) return integer ? "an integer ≥ 1" : "a positive number";
  if (has_lo) return fmt::format("{} {} {}", kind, r.lo_open ? ">" : "≥", show(r.lo, integer));
  if (has_hi) return fmt::format("{} ≤ {}", kind, show(r.hi, integer));
  return integer ? "an integer" : "a finite number";
}

// Decimal digits with an optional sign and nothing else (no blanks, no 0x, no exponent).
bool plain_integer(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// A decimal real: digits, one point, an exponent; the words nan / inf / infinity are told apart.
bool plain_real(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'))
      return false;
  return s[0] != 'e' && s[0] != 'E';
}

bool non_finite_word(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower == "nan" || lower == "inf" || lower == "infinity";
}

std::string quoted_value(const std::string& s) {
  // Keep the message one short line whatever was passed.
  std::string shown;
  for (char c : s.substr(0, 40)) shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
  if (s.size() > 40) shown += "...";
  return "'" + shown + "'";
}

std::string check_integer(std::string& s, const NumberRule& r) {
  const std::string need = requirement(r, true);
  if (!plain_integer(s)) return fmt::format("must be {}, got {}", need, quoted_value(s));
  std::string_view digits = s;
  if (digits[0] == '+') digits.remove_prefix(1);
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec != std::errc() || end != digits.data() + digits.size())
    return fmt::format("must be {}, got {} (too large)", need, quoted_value(s));
  const double d = static_cast<double>(v);
  const bool low = d < r.lo || (r.lo_open && d == r.lo), high = d > r.hi;
  if (!low && !high) {
    s = std::to_string(v);  // CLI11 reads "010" as octal: hand it plain decimal
    return {};
  }
  // Beyond the variable's type: name that limit too, since the rule itself does not state it.
  if ((low && !stated(r.lo, true)) || (high && !stated(r.hi, true))) {
    if (stated(r.lo, true) || stated(r.hi, true) || (low && high))
      return fmt::format("must be an integer from {} to {}, got {}", show(r.lo, true),
                         show(r.hi, true), v);
    return low ? fmt::format("must be an integer ≥ {}, got {}", show(r.lo, true), v)
               : fmt::format("must be an integer ≤ {}, got {}", show(r.hi, true), v);
  }
  return fmt::format("must be {}, got {}", need, v);
}

std::string check_real(const std::string& s, const NumberRule& r) {
  const std::string need = requirement(r, false);
  if (non_finite_word(s)) {
    const bool nan =
        s.find_first_of("nN") != std::string::npos && s.find_first_of("fF") == std::string::npos;
    if ((nan && r.allow_nan) || (!nan && r.allow_inf)) return {};
    return fmt::format("must be {}, got {}", need, s);
  }
  if (!plain_real(s)) return fmt::format("must be {}, got {}", need, quoted_value(s));
  std::string_view text = s;
  if (text[0] == '+') text.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (end != text.data() + text.size() ||
      (ec != std::errc() && ec != std::errc::result_out_of_range))
    return fmt::format("must be {}, got {}", need, quoted_value(s));
  if (ec == std::errc::result_out_of_range) {
    // Beyond a double (1e309) is refused; so small it rounds to zero (1e-400) reads as 0.
    const auto e = text.find_first_of("eE");
    const bool tiny = e != std::string_view::npos && e + 1 < text.size() && text[e + 1] == '-';
    if (!tiny)
      return fmt::format("must be a finite number, got {} (beyond the range of a double)", s);
    v = 0;
  }
  if (v < r.lo || (r.lo_open && v == r.lo) || v > r.hi)
    return fmt::format("must be {}, got {}", need, s);
  return {};
}

}  // namespace

NumberRule finite() { return {}; }
NumberRule positive() {
  NumberRule r;
  r.lo = 0;
  r.lo_open = true;
  return r;
}
NumberRule non_negative() { return at_least(0); }
NumberRule at_least(double lo) {
  NumberRule r;
  r.lo = lo;
  return r;
}
NumberRule in_range(double lo, double hi) {
  NumberRule r;
  r.lo = lo;
  r.hi = hi;
  return r;
}

CLI::Validator number_validator(NumberRule rule, bool integer) {
  // An integer > 0 is an integer ≥ 1: say so in the message.
  if (integer && rule.lo_open) {
    rule.lo = std::floor(rule.lo) + 1;
    rule.lo_open = false;
  }
  CLI::Validator v(
      [rule, integer](std::string& s) {
        return integer ? check_integer(s, rule) : check_real(s, rule);
      },
      integer ? (requirement(rule, true) == "an integer" ? std::string() : requirement(rule, true))
              : (requirement(rule, false) == "a finite number" ? std::string()
                                                               : requirement(rule, false)),
      kValidatorName);
  return v;
}

void check_numeric_options(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    const std::string type = option->get_type_name();
    if (type != "INT" && type != "UINT" && type != "FLOAT") continue;
    try {
      option->get_validator(kValidatorName);
      continue;  // declared with its own rule
    } catch (const CLI::OptionNotFound&) {
    }
    NumberRule rule;
    if (type == "UINT") rule = non_negative();
    option->transform(number_validator(rule, type != "FLOAT"));
  }
  for (CLI::App* sub : app.get_subcommands({})) check_numeric_options(*sub);
}

void check_path_options(CLI::App& app) {
  static const char* const kPathOptions[] = {"out",    "data", "valid",      "truth",  "loss-log",
                                             "config", "file", "checkpoint", "circuit"};
  for (CLI::Option* option : app.get_options()) {
    const std::string name = option->get_single_name();
    if (std::find(std::begin(kPathOptions), std::end(kPathOptions), name) == std::end(kPathOptions))
      continue;
    // An empty path would otherwise run the whole command and fail at the last rename.
    option->check(CLI::Validator(
        [](std::string& s) { return s.empty() ? std::string("must name a file, got ''") : ""; }, "",
        "fieldlab-path"));
  }
  for (CLI::App* sub : app.get_subcommands({})) check_path_options(*sub);
}

std::string readable_parse_error(const std::string& message) {
  const auto at = message.find(": must ");
  if (at == std::string::npos) return message;
  return message.substr(0, at) + message.substr(at + 1);
}

}  // namespace fieldlab::apps
