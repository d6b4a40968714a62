#include "datasets/generate/ensemble_memory.hpp"

#include <fmt/format.h>

#include <string>

#include "core/resource_guard.hpp"
#include "core/threads.hpp"

namespace fieldlab::datasets {
namespace {

// The shared shape of every generator's estimate. solver_fields: grid arrays in one solver (see
// solvers/*.cpp constructors); work_fields: grid arrays each unit converts frames on;
// diagnostics: values per frame kept until the unit ends.
void check_ensemble(const char* name, std::int64_t nx, std::int64_t ny, long long units,
                    int threads, double solver_fields, double work_fields, long long frames,
                    double diagnostics) {
  const long long side_by_side = concurrent_units(units, threads);
  const std::string what =
      fmt::format("{} ensemble at resolution {} ({} {} at a time, {} frames)", name,
                  nx == ny ? fmt::format("{}", nx) : fmt::format("{}x{}", nx, ny), side_by_side,
                  side_by_side == 1 ? "trajectory" : "trajectories", frames);
  const std::int64_t cells = checked_mul(nx, ny, what);
  MemoryEstimate estimate(what);
  estimate.add("grid", static_cast<double>(cells), "cells", sizeof(double),
               static_cast<double>(side_by_side) * (solver_fields + work_fields),
               fmt::format("fields ({} per trajectory)", solver_fields + work_fields));
  estimate.add("diagnostics", static_cast<double>(frames), "frames", sizeof(double),
               static_cast<double>(side_by_side) * diagnostics + 1,
               fmt::format("series ({} per trajectory, and the time axis)", diagnostics));
  estimate.check("reduce --resolution, --frames or --threads");
}

}  // namespace

long long concurrent_units(long long units, int threads) {
  if (threads <= 0) threads = max_threads();
  return units >= threads && threads > 1 ? threads : 1;
}

// Solver field counts match solvers/grid_guard.hpp's callers; work fields are the per-unit
// Fields and frame buffers in each *_ensemble.cpp.
void check_ns2d_memory(const Ns2dEnsembleConfig& c, int threads) {
  check_ensemble("ns2d", c.solver.resolution, c.solver.resolution, c.trajectories, threads, 20, 4,
                 c.frames, 4);
}

void check_smoke2d_memory(const Smoke2dConfig& c, int threads) {
  check_ensemble("smoke2d", c.resolution, c.resolution, c.trajectories, threads, 14, 4, c.frames(),
                 4);
}

void check_swe2d_memory(const Swe2dConfig& c, int threads) {
  check_ensemble("swe2d", c.solver.nx, c.solver.ny, c.trajectories, threads, 20, 11, c.frames, 6);
}

void check_dambreak2d_memory(const DamBreak2dConfig& c, int threads) {
  check_ensemble("dambreak2d", c.solver.nx, c.solver.ny, c.samples, threads, 20, 6, c.frames, 4);
}

}  // namespace fieldlab::datasets
