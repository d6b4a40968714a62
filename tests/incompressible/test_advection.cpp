// Advection of a smooth blob once around a solid-body rotation: semi-Lagrangian converges at
// first order, MacCormack at second order (dt proportional to dx, Courant number ~1.3 at the blob).

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "solvers/advection.hpp"
#include "support/convergence.hpp"

using namespace fieldlab::solvers;
using std::numbers::pi;

namespace {

double blob(double x, double y) {
  const double r2 = (x - 0.5) * (x - 0.5) + (y - 0.7) * (y - 0.7);
  return std::exp(-r2 / (2 * 0.07 * 0.07));
}

// L1 error after one revolution (period 1) over the disk r < 0.45 about the centre: solid-body
// rotation maps that disk onto itself, so the walls never touch the measured region.
double rotation_error(int n, AdvectionScheme scheme, bool limiter) {
  const MacGrid g(n, n, 1.0, 1.0);
  const WallSet walls;
  const double omega = 2 * pi;
  Field u = g.u_faces(), v = g.v_faces(), c = g.cells(), next = g.cells();
  for (int i = 0; i <= n; ++i)
    for (int j = 0; j < n; ++j) u(i, j) = -omega * (g.yc(j) - 0.5);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j <= n; ++j) v(i, j) = omega * (g.xc(i) - 0.5);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) c(i, j) = blob(g.xc(i), g.yc(j));
  const Field initial = c;
  Advector advector(g, walls, scheme, limiter);
  const int steps = n;  // dt = dx
  for (int s = 0; s < steps; ++s) {
    advector.advect_cells(c, u, v, 1.0 / steps, next);
    std::swap(c, next);
  }
  double error = 0.0;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const double r2 = std::pow(g.xc(i) - 0.5, 2) + std::pow(g.yc(j) - 0.5, 2);
      if (r2 < 0.45 * 0.45) error += std::abs(c(i, j) - initial(i, j)) * g.cell_area();
    }
  return error;
}

std::vector<double> orders(AdvectionScheme scheme, bool limiter) {
  std::vector<double> errors;
  for (int n : {32, 64, 128}) errors.push_back(rotation_error(n, scheme, limiter));
  const std::vector<double> result = fieldlab::test::observed_orders(errors);
  MESSAGE(std::string(to_string(scheme))
          << (limiter ? " (limited)" : "") << ": L1 errors " << errors[0] << ", " << errors[1]
          << ", " << errors[2] << "; orders " << result[0] << ", " << result[1]);
  return result;
}

}  // namespace

TEST_CASE("semi-Lagrangian advection converges at first order in solid-body rotation") {
  const auto p = orders(AdvectionScheme::semi_lagrangian, false);
  CHECK(p.back() > 0.7);
  CHECK(p.back() < 1.4);
}

TEST_CASE("MacCormack advection converges at second order in solid-body rotation") {
  const auto p = orders(AdvectionScheme::maccormack, false);
  CHECK(p.back() > 1.8);
  CHECK(rotation_error(64, AdvectionScheme::maccormack, false) <
        0.5 * rotation_error(64, AdvectionScheme::semi_lagrangian, false));
}

TEST_CASE("limited MacCormack creates no new extrema and stays more accurate than SL") {
  const auto p = orders(AdvectionScheme::maccormack, true);
  CHECK(p.back() > 1.3);
  const int n = 64;
  const MacGrid g(n, n, 1.0, 1.0);
  Field u = Field::Constant(n + 1, n, 0.7), v = Field::Constant(n, n + 1, -0.4);
  Field c = g.cells(), next = g.cells();
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) c(i, j) = (std::abs(g.xc(i) - 0.5) < 0.2 && g.yc(j) > 0.4) ? 1 : 0;
  Advector advector(g, WallSet{}, AdvectionScheme::maccormack, true);
  for (int s = 0; s < 20; ++s) {
    advector.advect_cells(c, u, v, 0.01, next);
    std::swap(c, next);
  }
  CHECK(c.minCoeff() >= 0.0);
  CHECK(c.maxCoeff() <= 1.0);
}
