#include "core/resource_guard.hpp"

#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <utility>

#include "core/error.hpp"

namespace fieldlab {
namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

// A count for people: exact below a million, then "1e+18".
std::string format_count(double count) {
  if (count < 1e6 && count == std::floor(count)) return fmt::format("{:.0f}", count);
  return fmt::format("{:.3g}", count);
}

// The first whitespace-separated number in `path` after `key` (or the first token when key is
// empty); nullopt-like -1 when the file or the key is missing or the value is "max".
double read_number(const std::string& path, std::string_view key = {}) {
  std::ifstream in(path);
  if (!in) return -1;
  std::string line;
  while (std::getline(in, line)) {
    if (!key.empty() && line.rfind(key, 0) != 0) continue;
    std::istringstream fields(key.empty() ? line : line.substr(key.size()));
    double value = -1;
    if (fields >> value) return value;
    return -1;
  }
  return -1;
}

void consider(MemoryBudget& best, double bytes, const char* source) {
  if (bytes < 0) return;
  if (best.source.empty() || bytes < best.bytes) best = {bytes, source};
}

// Limit less usage of the cgroup at `dir` (v2 names or v1 names), or -1.
double cgroup_headroom(const std::string& dir, const char* limit_file, const char* usage_file) {
  const double limit = read_number(dir + "/" + limit_file);
  if (limit < 0 || limit >= 0.9 * static_cast<double>(kMax)) return -1;  // "max" or v1 unlimited
  const double usage = std::max(0.0, read_number(dir + "/" + usage_file));
  return std::max(0.0, limit - usage);
}

// This process's cgroup path from /proc/self/cgroup: v2 "0::/path", v1 "N:...memory...:/path".
std::pair<std::string, std::string> cgroup_paths() {
  std::ifstream in("/proc/self/cgroup");
  std::string line, v2, v1;
  while (std::getline(in, line)) {
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) v2 = path;
    if (controllers.find("memory") != std::string::npos) v1 = path;
  }
  return {v2, v1};
}

}  // namespace

std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view what) {
  require(a >= 0 && b >= 0, "{} has a negative size ({} × {})", what, a, b);
  if (a != 0 && b > kMax / a)
    fail(ErrorKind::usage, "{} is too large ({} × {} overflows 64-bit integers)", what, a, b);
  return a * b;
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view what) {
  require(a >= 0 && b >= 0, "{} has a negative size ({} + {})", what, a, b);
  if (b > kMax - a)
    fail(ErrorKind::usage, "{} is too large ({} + {} overflows 64-bit integers)", what, a, b);
  return a + b;
}

std::string format_bytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
  if (!(bytes >= 1024)) return fmt::format("{:.0f} B", std::max(0.0, bytes));
  int unit = 0;
  while (bytes >= 1024 && unit < 8) bytes /= 1024, ++unit;
  return fmt::format("{:.1f} {}", bytes, units[unit]);
}

MemoryBudget available_memory() {
  MemoryBudget best;
  if (const char* env = std::getenv("FIELDLAB_MEMORY_LIMIT_BYTES"); env && *env) {
    char* end = nullptr;
    const double value = std::strtod(env, &end);
    require(*end == '\0' && std::isfinite(value) && value >= 0,
            "FIELDLAB_MEMORY_LIMIT_BYTES must be a number of bytes >= 0 (got '{}')", env);
    return {value, "FIELDLAB_MEMORY_LIMIT_BYTES"};
  }
  const double kib = read_number("/proc/meminfo", "MemAvailable:");
  consider(best, kib < 0 ? -1 : kib * 1024, "MemAvailable");

  const auto [v2, v1] = cgroup_paths();
  const std::string root = "/sys/fs/cgroup";
  for (const std::string& dir : {root + v2, root})
    consider(best, cgroup_headroom(dir, "memory.max", "memory.current"), "cgroup memory limit");
  for (const std::string& dir : {root + "/memory" + v1, root + "/memory"})
    consider(best, cgroup_headroom(dir, "memory.limit_in_bytes", "memory.usage_in_bytes"),
             "cgroup memory limit");

  rlimit as{};
  if (getrlimit(RLIMIT_AS, &as) == 0 && as.rlim_cur != RLIM_INFINITY) {
    const double used_kib = std::max(0.0, read_number("/proc/self/status", "VmSize:"));
    consider(best, std::max(0.0, static_cast<double>(as.rlim_cur) - used_kib * 1024), "ulimit -v");
  }
  // Nothing readable (not Linux, no /proc): do not refuse on a guess.
  if (best.source.empty()) best = {std::numeric_limits<double>::infinity(), "unknown"};
  return best;
}

MemoryEstimate::MemoryEstimate(std::string what) : what_(std::move(what)) {}

MemoryEstimate& MemoryEstimate::add(std::string_view label, double count,
                                    std::string_view count_unit, double bytes_each,
                                    double multiplicity, std::string_view unit) {
  bytes_ += count * bytes_each * multiplicity;
  std::string term = fmt::format("{} {} {} × {}", label, format_count(count), count_unit,
                                 format_bytes(bytes_each));
  if (multiplicity != 1) term += fmt::format(" × {} {}", format_count(multiplicity), unit);
  breakdown_ += (breakdown_.empty() ? "" : " + ") + term;
  return *this;
}

void MemoryEstimate::check(std::string_view hint) const { check(hint, available_memory()); }

void MemoryEstimate::check(std::string_view hint, const MemoryBudget& budget) const {
  if (bytes_ <= budget.bytes) return;
  fail(ErrorKind::usage, "{} needs about {} ({}); {} are available ({}){}{}", what_,
       format_bytes(bytes_), breakdown_, format_bytes(budget.bytes), budget.source,
       hint.empty() ? "" : "; ", hint);
}

}  // namespace fieldlab
