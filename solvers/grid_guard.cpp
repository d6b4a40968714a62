#include "solvers/grid_guard.hpp"

#include <fmt/format.h>

#include <string>

namespace fieldlab::solvers {

MemoryEstimate grid_memory(std::string_view solver, std::int64_t nx, std::int64_t ny,
                           double fields) {
  const std::string what = nx == ny ? fmt::format("{} at resolution {}", solver, nx)
                                    : fmt::format("{} at resolution {}x{}", solver, nx, ny);
  const std::int64_t cells = checked_mul(nx, ny, what);
  MemoryEstimate estimate(what);
  estimate.add("grid", static_cast<double>(cells), "cells", sizeof(double), fields, "fields");
  return estimate;
}

void check_grid_memory(std::string_view solver, std::int64_t nx, std::int64_t ny, double fields) {
  grid_memory(solver, nx, ny, fields).check("reduce --resolution");
}

}  // namespace fieldlab::solvers
