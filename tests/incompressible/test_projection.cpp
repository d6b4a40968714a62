// Pressure projection on the MAC grid: exactness on divergence-free and gradient fields,
// round-off divergence, and the DCT Poisson solver as the exact inverse of the Neumann stencil.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/threads.hpp"
#include "solvers/pressure_projection.hpp"

using namespace fieldlab::solvers;
using std::numbers::pi;

namespace {

// u = psi_y, v = -psi_x by differences of a node streamfunction that is zero on the walls:
// discretely divergence-free with zero normal velocity on the walls.
void solenoidal_field(const MacGrid& g, Field& u, Field& v) {
  auto psi = [&](int i, int j) {
    const double x = i * g.dx(), y = j * g.dy();
    return std::pow(std::sin(pi * x / g.lx), 2) * std::pow(std::sin(pi * y / g.ly), 2) *
           (1.0 + 0.3 * std::cos(3 * pi * x / g.lx));
  };
  u = g.u_faces();
  v = g.v_faces();
  for (int i = 0; i <= g.nx; ++i)
    for (int j = 0; j < g.ny; ++j) u(i, j) = (psi(i, j + 1) - psi(i, j)) / g.dy();
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j <= g.ny; ++j) v(i, j) = -(psi(i + 1, j) - psi(i, j)) / g.dx();
}

// The discrete gradient of a cell-centred potential (zero on the wall faces).
void gradient_field(const MacGrid& g, Field& u, Field& v) {
  Field phi = g.cells();
  for (int i = 0; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j)
      phi(i, j) = std::cos(pi * g.xc(i) / g.lx) * std::cos(2 * pi * g.yc(j) / g.ly) +
                  0.5 * std::sin(5.0 * g.xc(i) * g.yc(j));
  u = g.u_faces();
  v = g.v_faces();
  for (int i = 1; i < g.nx; ++i)
    for (int j = 0; j < g.ny; ++j) u(i, j) = (phi(i, j) - phi(i - 1, j)) / g.dx();
  for (int i = 0; i < g.nx; ++i)
    for (int j = 1; j < g.ny; ++j) v(i, j) = (phi(i, j) - phi(i, j - 1)) / g.dy();
}

}  // namespace

TEST_CASE("DCT Neumann Poisson solve is the exact inverse of the 5-point Neumann Laplacian") {
  for (auto [nx, ny] : {std::pair{16, 16}, std::pair{24, 40}, std::pair{33, 17}}) {
    CAPTURE(nx);
    CAPTURE(ny);
    const double dx = 1.7 / nx, dy = 0.9 / ny;
    NeumannPoissonSolver poisson(nx, ny, dx, dy);
    std::mt19937_64 rng(7);
    std::normal_distribution<double> normal;
    Field f(nx, ny), phi(nx, ny), back(nx, ny);
    for (Eigen::Index k = 0; k < f.size(); ++k) f.data()[k] = normal(rng);
    poisson.solve(f, phi);
    poisson.apply_laplacian(phi, back);
    const Field expected = f - f.mean();
    CHECK((back - expected).abs().maxCoeff() < 1e-10 * expected.abs().maxCoeff());
    CHECK(std::abs(phi.mean()) < 1e-12 * phi.abs().maxCoeff());
  }
}

TEST_CASE("projection leaves a divergence-free field unchanged") {
  const MacGrid g(48, 40, 1.0, 1.3);
  Field u, v;
  solenoidal_field(g, u, v);
  REQUIRE(max_abs_divergence(g, u, v) < 1e-11);
  const Field u0 = u, v0 = v;
  PressureProjection projection(g);
  projection.project(u, v);
  const double scale = std::max(u0.abs().maxCoeff(), v0.abs().maxCoeff());
  CHECK((u - u0).abs().maxCoeff() < 1e-12 * scale);
  CHECK((v - v0).abs().maxCoeff() < 1e-12 * scale);
}

TEST_CASE("projection removes a gradient field entirely") {
  const MacGrid g(64, 32, 2.0, 1.0);
  Field u, v;
  gradient_field(g, u, v);
  const double scale = std::max(u.abs().maxCoeff(), v.abs().maxCoeff());
  REQUIRE(scale > 1.0);
  PressureProjection projection(g);
  projection.project(u, v);
  CHECK(u.abs().maxCoeff() < 1e-11 * scale);
  CHECK(v.abs().maxCoeff() < 1e-11 * scale);
}

TEST_CASE("projection splits a sum into its solenoidal part; divergence at round-off") {
  const MacGrid g(128, 128, 32.0, 32.0);
  Field us, vs, ug, vg;
  solenoidal_field(g, us, vs);
  gradient_field(g, ug, vg);
  Field u = us + ug, v = vs + vg;
  PressureProjection projection(g);
  projection.project(u, v);
  const double scale = std::max(ug.abs().maxCoeff(), us.abs().maxCoeff());
  CHECK((u - us).abs().maxCoeff() < 1e-11 * scale);
  CHECK((v - vs).abs().maxCoeff() < 1e-11 * scale);

  // A random field: afterwards |div u| * dx / max|u| is at double-precision round-off.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (Eigen::Index k = 0; k < u.size(); ++k) u.data()[k] = uniform(rng);
  for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = uniform(rng);
  projection.project(u, v);
  const double relative_divergence =
      max_abs_divergence(g, u, v) * g.dx() / std::max(u.abs().maxCoeff(), v.abs().maxCoeff());
  MESSAGE(
      "random 128^2 field: max |div u| dx / max |u| after projection = " << relative_divergence);
  CHECK(relative_divergence < 1e-13);
}

TEST_CASE("projection gives identical bits on 1 and 2 threads") {
  const MacGrid g(64, 64, 1.0, 1.0);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  Field u = g.u_faces(), v = g.v_faces();
  for (Eigen::Index k = 0; k < u.size(); ++k) u.data()[k] = uniform(rng);
  for (Eigen::Index k = 0; k < v.size(); ++k) v.data()[k] = uniform(rng);
  Field u1 = u, v1 = v, u2 = u, v2 = v;
  PressureProjection projection(g);
  const int saved = fieldlab::max_threads();
  fieldlab::set_threads(1);
  projection.project(u1, v1);
  fieldlab::set_threads(2);
  projection.project(u2, v2);
  fieldlab::set_threads(saved);
  CHECK((u1 == u2).all());
  CHECK((v1 == v2).all());
}
