#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "solvers/periodic_operators.hpp"
#include "support/convergence.hpp"

using fieldlab::test::observed_order;
using namespace fieldlab::solvers;
using std::numbers::pi;

TEST_CASE("Arakawa Jacobian conserves sum J, sum psi J and sum zeta J to round-off") {
  const PeriodicGrid grid(40, 56, 1.0, 1.3);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  Field psi(grid.nx, grid.ny), zeta(grid.nx, grid.ny), jac(grid.nx, grid.ny);
  for (auto& v : psi.reshaped()) v = normal(rng);
  for (auto& v : zeta.reshaped()) v = normal(rng);
  arakawa_jacobian(grid, psi, zeta, jac);
  // Scale of the individual terms, so "zero" means round-off relative to what was summed.
  const double scale = jac.abs().sum() * std::max(psi.abs().maxCoeff(), zeta.abs().maxCoeff());
  CHECK(std::abs(jac.sum()) < 1e-13 * jac.abs().sum());
  CHECK(std::abs((psi * jac).sum()) < 1e-13 * scale);
  CHECK(std::abs((zeta * jac).sum()) < 1e-13 * scale);
  // Antisymmetry: J(a, b) = -J(b, a), and J(a, a) = 0.
  Field swapped(grid.nx, grid.ny), self(grid.nx, grid.ny);
  arakawa_jacobian(grid, zeta, psi, swapped);
  arakawa_jacobian(grid, psi, psi, self);
  CHECK((jac + swapped).abs().maxCoeff() < 1e-12 * jac.abs().maxCoeff());
  CHECK(self.abs().maxCoeff() < 1e-12 * jac.abs().maxCoeff());
}

TEST_CASE("Arakawa Jacobian is second-order accurate on smooth fields") {
  auto error_at = [](int n) {
    const PeriodicGrid grid(n, n, 1.0, 1.0);
    Field a(n, n), b(n, n), exact(n, n), jac(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) {
        const double x = 2 * pi * grid.x(i), y = 2 * pi * grid.y(j);
        a(i, j) = std::sin(x) * std::cos(2 * y);
        b(i, j) = std::cos(3 * x + y);
        // J = a_x b_y - a_y b_x
        const double ax = 2 * pi * std::cos(x) * std::cos(2 * y);
        const double ay = -4 * pi * std::sin(x) * std::sin(2 * y);
        const double bx = -6 * pi * std::sin(3 * x + y), by = -2 * pi * std::sin(3 * x + y);
        exact(i, j) = ax * by - ay * bx;
      }
    arakawa_jacobian(grid, a, b, jac);
    return (jac - exact).abs().maxCoeff();
  };
  const double order = observed_order(error_at(64), error_at(128));
  CHECK(order == doctest::Approx(2.0).epsilon(0.03));
}

TEST_CASE("velocity of a streamfunction is discretely divergence-free") {
  const PeriodicGrid grid(32, 32, 1.0, 1.0);
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  Field psi(32, 32), u(32, 32), v(32, 32), div(32, 32);
  for (auto& x : psi.reshaped()) x = normal(rng);
  velocity_from_streamfunction(grid, psi, u, v);
  divergence(grid, u, v, div);
  CHECK(div.abs().maxCoeff() < 1e-12 * u.abs().maxCoeff() / grid.dx());
}
