// ns2d throughput: grid-point updates per second of one RK4 step, beside a STREAM-style triad
// that measures this machine's memory bandwidth, so the step can be reported as a fraction of it.
//
// Traffic model of one RK4 step (bytes per grid point, float64), used for the bandwidth fraction:
//   4 right-hand sides, each: Poisson solve (copy in 16, r2c 24, scale 32, c2r 24, copy out 16 =
//   112) + fused stencil pass (read zeta, psi, forcing, write dzeta = 32) = 144, so 576;
//   odeint's RK4 vector updates: 3 stage states (3 x 24) + final update (5 arrays: 40) = 112.
//   Total ~688 B/point. FFT passes are counted once each way although a 2D FFT reads and writes
//   its data more than once beyond cache, so the model understates the real traffic there.

#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "core/threads.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"
#include "solvers/poisson_fft.hpp"

namespace {

constexpr double kModelBytesPerPoint = 688.0;

void BM_Ns2dRk4Step(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(static_cast<int>(state.range(1)));
  fieldlab::solvers::Ns2dConfig config;
  config.resolution = n;
  fieldlab::solvers::Ns2dSolver solver(config);
  std::mt19937_64 rng(1);
  solver.set_vorticity(
      fieldlab::solvers::gaussian_random_field(solver.grid(), config.spectrum, rng));
  const double dt = 0.5 * solver.automatic_dt();
  solver.advance_to(solver.time() + dt);  // warm-up: allocates the stepper's buffers once
  for (auto _ : state) {
    solver.advance_to(solver.time() + dt);  // exactly one RK4 step
    benchmark::ClobberMemory();
  }
  const double points = static_cast<double>(n) * n;
  state.counters["points_per_s"] =
      benchmark::Counter(points * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["model_bytes_per_s"] = benchmark::Counter(
      points * kModelBytesPerPoint * state.iterations(), benchmark::Counter::kIsRate);
}

// The Poisson solve alone (forward FFT, scaling, inverse FFT): 4 of them per RK4 step.
void BM_PoissonSolve(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(static_cast<int>(state.range(1)));
  const fieldlab::solvers::PeriodicGrid grid(n, n, 1.0, 1.0);
  fieldlab::solvers::PeriodicPoissonSolver poisson(
      grid, fieldlab::solvers::LaplacianSymbol::second_order);
  fieldlab::solvers::Field f = fieldlab::solvers::Field::Random(n, n), u(n, n);
  for (auto _ : state) {
    poisson.solve(f, u);
    benchmark::ClobberMemory();
  }
  state.counters["points_per_s"] = benchmark::Counter(
      static_cast<double>(n) * n * state.iterations(), benchmark::Counter::kIsRate);
}

void BM_StreamTriad(benchmark::State& state) {
  // 3 arrays of 2^23 doubles (64 MiB each): far beyond any cache on this machine.
  const long long n = 1LL << 23;
  fieldlab::set_threads(static_cast<int>(state.range(0)));
  std::vector<double> a(n, 0.0), b(n, 1.0), c(n, 2.0);
  const double s = 3.0;
  for (auto _ : state) {
#pragma omp parallel for schedule(static)
    for (long long i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
    benchmark::ClobberMemory();
  }
  state.counters["bytes_per_s"] =
      benchmark::Counter(24.0 * n * state.iterations(), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_StreamTriad)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PoissonSolve)
    ->ArgsProduct({{128, 256, 512, 1024}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ns2dRk4Step)
    ->ArgsProduct({{128, 256, 512, 1024}, {1, 2}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
