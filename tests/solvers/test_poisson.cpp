#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/threads.hpp"

#include "solvers/fft2d.hpp"
#include "solvers/periodic_operators.hpp"
#include "solvers/poisson_fft.hpp"
#include "support/convergence.hpp"

using fieldlab::test::observed_order;
using namespace fieldlab::solvers;
using std::numbers::pi;

namespace {
Field random_zero_mean(const PeriodicGrid& g, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  Field f(g.nx, g.ny);
  for (auto& v : f.reshaped()) v = u(rng);
  return f - f.mean();
}
}  // namespace

TEST_CASE("FFT Poisson solve inverts the finite-difference Laplacian to round-off") {
  const PeriodicGrid grid(48, 32, 1.0, 2.0);  // rectangular, anisotropic spacing on purpose
  for (auto [order, symbol] : {std::pair{DifferenceOrder::second, LaplacianSymbol::second_order},
                               std::pair{DifferenceOrder::fourth, LaplacianSymbol::fourth_order}}) {
    CAPTURE(static_cast<int>(order));
    const Field u = random_zero_mean(grid, 7);
    Field f(grid.nx, grid.ny), recovered(grid.nx, grid.ny);
    laplacian(grid, u, f, order);
    PeriodicPoissonSolver solver(grid, symbol);
    solver.solve(f, recovered);
    CHECK((recovered - u).abs().maxCoeff() < 1e-12 * u.abs().maxCoeff());
  }
}

TEST_CASE("spectral Poisson solve reproduces a manufactured trigonometric solution") {
  const PeriodicGrid grid(32, 32, 2.0, 2.0);
  Field u(32, 32), f(32, 32), recovered(32, 32);
  for (int i = 0; i < 32; ++i)
    for (int j = 0; j < 32; ++j) {
      const double x = grid.x(i), y = grid.y(j);
      u(i, j) = std::sin(pi * x) * std::cos(3 * pi * y) + 0.5 * std::cos(2 * pi * (x + y));
      f(i, j) = -10 * pi * pi * std::sin(pi * x) * std::cos(3 * pi * y) -
                0.5 * 8 * pi * pi * std::cos(2 * pi * (x + y)) + 3.0;  // mean shift is ignored
    }
  PeriodicPoissonSolver solver(grid, LaplacianSymbol::spectral);
  solver.solve(f, recovered);
  CHECK((recovered - u).abs().maxCoeff() < 1e-13);
  solver.solve(f, recovered, -2.0);  // the scale argument multiplies the right-hand side
  CHECK((recovered + 2 * u).abs().maxCoeff() < 1e-13);
}

TEST_CASE("Laplacian stencils converge at their order") {
  auto error_at = [](int n, DifferenceOrder order) {
    const PeriodicGrid grid(n, n, 1.0, 1.0);
    Field u(n, n), exact(n, n), lap(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        u(i, j) = std::sin(2 * pi * grid.x(i)) * std::sin(4 * pi * grid.y(j));
        exact(i, j) = -20 * pi * pi * u(i, j);
      }
    laplacian(grid, u, lap, order);
    return (lap - exact).abs().maxCoeff();
  };
  const double p2 =
      observed_order(error_at(32, DifferenceOrder::second), error_at(64, DifferenceOrder::second));
  const double p4 =
      observed_order(error_at(32, DifferenceOrder::fourth), error_at(64, DifferenceOrder::fourth));
  CHECK(p2 == doctest::Approx(2.0).epsilon(0.03));
  CHECK(p4 == doctest::Approx(4.0).epsilon(0.03));
}

TEST_CASE("Fft2d matches a direct DFT and is identical for any thread count") {
  const int nx = 12, ny = 20, nyc = ny / 2 + 1;  // 11 columns: one block of 8 plus a tail of 3
  std::mt19937_64 rng(4);
  std::normal_distribution<double> normal;
  std::vector<double> real(nx * ny);
  for (auto& v : real) v = normal(rng);
  Fft2d fft(nx, ny);
  std::vector<std::complex<double>> spectrum(nx * nyc), again(nx * nyc);
  fieldlab::set_threads(1);
  fft.forward(real.data(), spectrum.data());
  fieldlab::set_threads(2);
  fft.forward(real.data(), again.data());
  CHECK(spectrum == again);
  double worst = 0;
  for (int m = 0; m < nx; ++m)
    for (int n = 0; n < nyc; ++n) {
      std::complex<double> sum = 0;
      for (int i = 0; i < nx; ++i)
        for (int j = 0; j < ny; ++j)
          sum += real[i * ny + j] *
                 std::polar(1.0, -2 * pi * (double(m) * i / nx + double(n) * j / ny));
      worst = std::max(worst, std::abs(sum - spectrum[m * nyc + n]));
    }
  CHECK(worst < 1e-12 * nx * ny);
  std::vector<double> back(nx * ny);
  fft.backward(spectrum.data(), back.data());
  for (int k = 0; k < nx * ny; ++k)
    CHECK(back[k] == doctest::Approx(real[k] * nx * ny).epsilon(1e-12));
}
