// Google Benchmark kernels of the wall-bounded incompressible solver (solvers/incompressible_mac):
// one smoke2d step and one whole smoke2d trajectory (PDEArena NavierStokes-2D setup: 128^2, 64
// steps of dt 1.5) on 1 and 2 threads, the advection schemes, and the Neumann Poisson solve by
// DCT against Eigen's conjugate gradient on the same matrix (why the projection uses the DCT).
// Every kernel checks its result first (divergence at round-off, finite smoke, CG residual).
//
//   bench_incompressible --benchmark_out=incompressible.json --benchmark_out_format=json

#include <benchmark/benchmark.h>

#include <Eigen/IterativeLinearSolvers>
#include <Eigen/Sparse>
#include <cmath>
#include <random>

#include "core/threads.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "solvers/incompressible_mac.hpp"
#include "solvers/pressure_projection.hpp"
#include "solvers/smoke_noise.hpp"

namespace {

using namespace fieldlab::solvers;
using fieldlab::datasets::Smoke2dConfig;

IncompressibleConfig smoke_flow(int n, AdvectionScheme scheme) {
  IncompressibleConfig f;
  f.nx = f.ny = n;
  f.lx = f.ly = 32.0;
  f.viscosity = 0.01;
  f.scheme = scheme;
  f.scalar = true;
  f.buoyancy_y = 0.5;
  return f;
}

// range(0): resolution, range(1): threads, range(2): 0 semi-Lagrangian, 1 MacCormack.
void BM_Smoke2dStep(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(static_cast<int>(state.range(1)));
  IncompressibleMacSolver solver(smoke_flow(
      n, state.range(2) ? AdvectionScheme::maccormack : AdvectionScheme::semi_lagrangian));
  std::mt19937_64 rng(1);
  smooth_noise(solver.grid(), SmokeNoise{}, rng, solver.scalar());
  solver.scalar() = solver.scalar().abs();
  for (int k = 0; k < 16; ++k) solver.step(1.5);  // a developed flow, not the quiescent start
  for (auto _ : state) solver.step(1.5);
  const double divergence = max_abs_divergence(solver.grid(), solver.u(), solver.v());
  if (!(divergence < 1e-10) || !solver.scalar().allFinite())
    state.SkipWithError("divergence not at round-off or smoke not finite");
  state.counters["cell_updates/s"] = benchmark::Counter(
      static_cast<double>(n) * n * state.iterations(), benchmark::Counter::kIsRate);
  state.counters["threads"] = fieldlab::max_threads();
}

// One whole trajectory as `fieldlab generate smoke2d` computes it (frames handed to a no-op sink).
void BM_Smoke2dTrajectory(benchmark::State& state) {
  fieldlab::set_threads(static_cast<int>(state.range(0)));
  Smoke2dConfig c;
  long long index = 0;
  double mass = 0;
  for (auto _ : state) {
    fieldlab::datasets::Smoke2dTrajectory result;
    fieldlab::datasets::simulate_smoke2d(
        c, index++, [](long long, int, const double*) {}, result);
    mass = result.mass.back();
  }
  if (!std::isfinite(mass)) state.SkipWithError("smoke mass not finite");
  state.counters["threads"] = fieldlab::max_threads();
}

void random_rhs(Field& f) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  for (Eigen::Index k = 0; k < f.size(); ++k) f.data()[k] = normal(rng);
  f -= f.mean();
}

void BM_NeumannPoissonDct(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(1);
  NeumannPoissonSolver poisson(n, n, 1.0 / n, 1.0 / n);
  Field f(n, n), phi(n, n), check(n, n);
  random_rhs(f);
  for (auto _ : state) {
    poisson.solve(f, phi);
    benchmark::DoNotOptimize(phi.data());
  }
  poisson.apply_laplacian(phi, check);
  const double residual = (check - f).abs().maxCoeff() / f.abs().maxCoeff();
  if (!(residual < 1e-10)) state.SkipWithError("DCT solve inaccurate");
  state.counters["rel_residual"] = residual;
}

// The same Neumann matrix assembled for Eigen's conjugate gradient (diagonal preconditioner),
// solved to a relative residual of 1e-10 (the DCT reaches ~1e-14), warm-started from zero.
void BM_NeumannPoissonCg(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  fieldlab::set_threads(1);
  const double h2 = 1.0 * n * n;
  std::vector<Eigen::Triplet<double>> entries;
  auto id = [n](int i, int j) { return i * n + j; };
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      double diagonal = 0;
      for (auto [di, dj] : {std::pair{-1, 0}, {1, 0}, {0, -1}, {0, 1}}) {
        const int a = i + di, b = j + dj;
        if (a < 0 || a >= n || b < 0 || b >= n) continue;
        // Negated Laplacian (positive semi-definite), as CG needs.
        entries.emplace_back(id(i, j), id(a, b), -h2);
        diagonal += h2;
      }
      entries.emplace_back(id(i, j), id(i, j), diagonal);
    }
  Eigen::SparseMatrix<double, Eigen::RowMajor> matrix(n * n, n * n);
  matrix.setFromTriplets(entries.begin(), entries.end());
  Field f(n, n);
  random_rhs(f);
  const Eigen::Map<const Eigen::VectorXd> rhs(f.data(), f.size());
  Eigen::ConjugateGradient<decltype(matrix), Eigen::Lower | Eigen::Upper> cg;
  cg.setTolerance(1e-10);
  cg.setMaxIterations(20 * n);
  cg.compute(matrix);
  Eigen::VectorXd x;
  for (auto _ : state) {
    x = cg.solve(-rhs);
    benchmark::DoNotOptimize(x.data());
  }
  if (cg.info() != Eigen::Success) state.SkipWithError("CG did not converge");
  state.counters["iterations"] = static_cast<double>(cg.iterations());
}

}  // namespace

BENCHMARK(BM_Smoke2dStep)
    ->ArgsProduct({{128}, {1, 2}, {0, 1}})
    ->Args({256, 1, 0})
    ->Args({256, 2, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Smoke2dTrajectory)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_NeumannPoissonDct)->Arg(64)->Arg(128)->Arg(256)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_NeumannPoissonCg)->Arg(64)->Arg(128)->Unit(benchmark::kMicrosecond);

BENCHMARK_MAIN();
