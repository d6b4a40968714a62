#pragma once
// The solvers' use of core/resource_guard: every solver checks its grid before allocating it, so
// `--resolution 1000000000` is one usage line with an estimate instead of an allocation that runs
// the machine out of memory.

#include <cstdint>
#include <string_view>

#include "core/resource_guard.hpp"

namespace fieldlab::solvers {

// The memory an nx × ny grid of `fields` double arrays needs (`fields` counts every grid-sized
// array the solver and its stepper hold, rounded), as an estimate named
// "{solver} at resolution {nx}[x{ny}]". The cell count is computed with checked_mul, so a product
// that does not fit in 64 bits is a usage error too.
MemoryEstimate grid_memory(std::string_view solver, std::int64_t nx, std::int64_t ny,
                           double fields);

// grid_memory(...).check("reduce --resolution").
void check_grid_memory(std::string_view solver, std::int64_t nx, std::int64_t ny, double fields);

}  // namespace fieldlab::solvers
