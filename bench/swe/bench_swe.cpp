// Google Benchmark kernels of the shallow-water solvers: finite-volume steps (HLLC + MC; SSP-RK2,
// the solver's default, and MUSCL-Hancock, the dambreak2d default) and C-grid RK4 steps at
// 128^2 .. 1024^2, plus one whole PDEBench radial-dam-break sample at 128^2. Each kernel checks a
// conservation property before and after timing (mass to round-off, finite states) and reports cell
// updates per second of process CPU time (robust on a shared machine; multiply by the thread count
// for wall-clock throughput when the cores are free).
//
//   bench_swe --benchmark_out=swe.json --benchmark_out_format=json

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "core/threads.hpp"
#include "datasets/generate/dambreak2d_ensemble.hpp"
#include "solvers/swe_cgrid.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/swe_fv_cases.hpp"

namespace {

using namespace fieldlab::solvers;

// Arguments: grid size n, time stepper (0: SSP-RK2, 1: MUSCL-Hancock).
void BM_FiniteVolumeStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  FvSweConfig c;
  c.nx = c.ny = n;
  c.stepper = state.range(1) == 1 ? SspStepper::hancock : SspStepper::ssprk2;
  c.boundary = SweBoundary::reflective;  // closed box: mass is conserved to round-off
  FvSweSolver solver(c);
  solver.set_state(radial_dam_break_depth(solver, 0.5, 2.0, 1.0), Field::Zero(n, n),
                   Field::Zero(n, n));
  const double mass0 = solver.diagnostics().mass;
  const double dt = solver.stable_dt();
  for (int k = 0; k < 3; ++k) solver.step(dt);  // warm up caches and threads
  for (auto _ : state) solver.step(dt);
  const auto d = solver.diagnostics();
  if (!(std::abs(d.mass - mass0) < 1e-12 * mass0) || !std::isfinite(d.energy))
    state.SkipWithError("mass not conserved or state not finite");
  const double cells = static_cast<double>(n) * n;
  state.counters["cell_updates/s"] =
      benchmark::Counter(cells * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["threads"] = fieldlab::max_threads();
}

void BM_CgridStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  SweCgridConfig c;
  c.nx = c.ny = n;
  c.f0 = 10.0;
  std::mt19937_64 rng(1);
  Field h, u, v;
  swe_random_state(c, true, 0.05, 3.0, 15.0, rng, h, u, v);
  SweCgridSolver probe(c);
  probe.set_state(h, u, v);
  c.dt = probe.automatic_dt();
  SweCgridSolver solver(c);
  solver.set_state(h, u, v);
  const auto d0 = solver.diagnostics();
  solver.advance_to(solver.time() + 3 * c.dt);  // warm up
  for (auto _ : state) solver.advance_to(solver.time() + c.dt);
  const auto d1 = solver.diagnostics();
  if (!(std::abs(d1.mass - d0.mass) < 1e-12 * d0.mass) || !std::isfinite(d1.energy))
    state.SkipWithError("mass not conserved or state not finite");
  state.counters["cell_updates/s"] = benchmark::Counter(
      static_cast<double>(n) * n * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["threads"] = fieldlab::max_threads();
}

// One PDEBench radial-dam-break sample (128^2, T = 1, 101 frames) without I/O, on one thread as
// the ensemble runs it (one sample per thread). Arguments: 100 x CFL number, time stepper (0:
// SSP-RK2, 1: MUSCL-Hancock, the generator's default).
void BM_DamBreakSample(benchmark::State& state) {
  fieldlab::datasets::DamBreak2dConfig c;
  c.solver.cfl = static_cast<double>(state.range(0)) / 100.0;
  c.solver.stepper = state.range(1) == 1 ? SspStepper::hancock : SspStepper::ssprk2;
  const int saved = fieldlab::max_threads();
  fieldlab::set_threads(1);
  double checksum = 0;
  for (auto _ : state)
    fieldlab::datasets::solve_dambreak2d_sample(
        c, 0, [&](long long, int, const double* values) { checksum += values[0]; });
  fieldlab::set_threads(saved);
  if (!std::isfinite(checksum)) state.SkipWithError("non-finite output");
  state.counters["samples/s"] = benchmark::Counter(state.iterations(), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_FiniteVolumeStep)
    ->ArgsProduct({{128, 256, 512, 1024}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->MinWarmUpTime(0.1)
    ->MeasureProcessCPUTime();
BENCHMARK(BM_CgridStep)
    ->Arg(128)
    ->Arg(256)
    ->Arg(512)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->MinWarmUpTime(0.1)
    ->MeasureProcessCPUTime();
BENCHMARK(BM_DamBreakSample)
    ->Args({50, 0})
    ->Args({90, 0})
    ->Args({90, 1})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

BENCHMARK_MAIN();
