#pragma once
// The one guard for sizes and memory a user controls (resolutions, ensembles, model widths,
// qubits). Two jobs, both done BEFORE anything is allocated:
//  - checked integer products: sizes are computed in int64 and an overflow is a usage error naming
//    what was being sized, never a wrapped (negative, tiny) size;
//  - a memory estimate compared with what this process may use (MemAvailable, the cgroup limit,
//    RLIMIT_AS, or FIELDLAB_MEMORY_LIMIT_BYTES for tests): when it does not fit, one usage error
//    line gives the estimate and its breakdown, e.g.
//    "ns2d at resolution 1000000000 needs about 144.0 EiB (grid 1e+18 cells × 8 B × 20 fields);
//     23.1 GiB are available (MemAvailable); reduce --resolution".

#include <cstdint>
#include <string>
#include <string_view>

namespace fieldlab {

// a × b, or a usage error "{what} is too large ({a} × {b} overflows 64-bit integers)".
// Both factors must be >= 0.
std::int64_t checked_mul(std::int64_t a, std::int64_t b, std::string_view what);
std::int64_t checked_add(std::int64_t a, std::int64_t b, std::string_view what);

// A number of bytes for people: "512 B", "3.0 KiB", "23.1 GiB", "8.0 EiB".
std::string format_bytes(double bytes);

// Bytes this process may still allocate, and where that figure comes from.
struct MemoryBudget {
  double bytes = 0;
  std::string source;  // "MemAvailable", "cgroup memory limit", "ulimit -v", "FIELDLAB_MEMORY_..."
};

// The smallest of: FIELDLAB_MEMORY_LIMIT_BYTES (when set, it replaces the system figures; a value
// that is not a non-negative integer is a usage error), MemAvailable from /proc/meminfo, the cgroup
// v2 / v1 limit less current usage, and RLIMIT_AS less the current address space. Read fresh on
// every call (cheap: a few small files), so a test can change the variable between cases.
MemoryBudget available_memory();

// An estimate built from terms, each `count × bytes_each` (doubles, so a term itself cannot
// overflow; the caller checks the integer sizes it will allocate with checked_mul).
class MemoryEstimate {
 public:
  // `what` names the thing being sized: "ns2d at resolution 1000000000".
  explicit MemoryEstimate(std::string what);

  // Adds count × bytes_each × multiplicity bytes, described as
  // "label {count} cells × {bytes_each} B × {multiplicity} {unit}" (the multiplicity part only
  // when it is not 1).
  MemoryEstimate& add(std::string_view label, double count, std::string_view count_unit,
                      double bytes_each, double multiplicity = 1, std::string_view unit = "");

  double bytes() const { return bytes_; }
  const std::string& what() const { return what_; }
  std::string breakdown() const { return breakdown_; }

  // Usage error when bytes() exceeds available_memory(); `hint` says what to reduce
  // ("reduce --resolution or --threads"). One line.
  void check(std::string_view hint) const;
  // The same against a given budget (for tests and for callers that already read it).
  void check(std::string_view hint, const MemoryBudget& budget) const;

 private:
  std::string what_;
  std::string breakdown_;
  double bytes_ = 0;
};

}  // namespace fieldlab
