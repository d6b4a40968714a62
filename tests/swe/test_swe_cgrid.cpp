// Rotating shallow water on the C-grid: conservation, the steady balanced jet, bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "solvers/swe_cgrid.hpp"

using namespace fieldlab::solvers;

namespace {

SweCgridConfig small_config(int n) {
  SweCgridConfig c;
  c.nx = c.ny = n;
  c.f0 = 10.0;
  return c;
}

// dE/dt of the semi-discrete system: sum over centres of (g h + K) dh/dt plus sum over u and v
// points of the mass fluxes times du/dt, dv/dt (the exact derivative of the discrete energy).
double energy_tendency(const SweCgridConfig& c, const Field& s, const Field& ds) {
  const int nx = c.nx, ny = c.ny;
  double total = 0, scale = 0;
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const int ip = (i + 1) % nx, jp = (j + 1) % ny, im = (i + nx - 1) % nx,
                jm = (j + ny - 1) % ny;
      const double h = s(i, j), u = s(nx + i, j), v = s(2 * nx + i, j);
      const double k = 0.25 * (u * u + s(nx + ip, j) * s(nx + ip, j) + v * v +
                               s(2 * nx + i, jp) * s(2 * nx + i, jp));
      const double terms[3] = {(c.gravity * h + k) * ds(i, j),
                               0.5 * (s(im, j) + h) * u * ds(nx + i, j),
                               0.5 * (s(i, jm) + h) * v * ds(2 * nx + i, j)};
      for (double t : terms) {
        total += t;
        scale += std::abs(t);
      }
    }
  return total / scale;
}

}  // namespace

TEST_CASE("C-grid: the energy scheme conserves energy in semi-discrete form, mass exactly") {
  for (double beta : {0.0, 20.0}) {
    SweCgridConfig c = small_config(32);
    c.beta = beta;
    SweCgridSolver solver(c);
    std::mt19937_64 rng(7);
    Field h, u, v;
    swe_random_state(c, false, 0.1, 3.0, 15.0, rng, h, u, v);
    solver.set_state(h, u, v);
    solver.advance_to(0.2);  // develop velocities
    Field ds(3 * c.nx, c.ny);
    solver.rhs(solver.state(), ds);
    const double relative = energy_tendency(c, solver.state(), ds);
    MESSAGE("relative semi-discrete dE/dt (beta ", beta, "): ", relative);
    CHECK(std::abs(relative) < 1e-13);
    CHECK(std::abs(ds.topRows(c.nx).sum()) < 1e-11 * ds.topRows(c.nx).abs().sum());
  }
}

TEST_CASE("C-grid: energy drift comes from time stepping only and shrinks with dt") {
  std::vector<double> drifts;
  for (double dt : {2e-3, 1e-3}) {
    SweCgridConfig c = small_config(32);
    c.dt = dt;
    SweCgridSolver solver(c);
    std::mt19937_64 rng(3);
    Field h, u, v;
    swe_random_state(c, false, 0.1, 3.0, 15.0, rng, h, u, v);
    solver.set_state(h, u, v);
    const auto d0 = solver.diagnostics();
    solver.advance_to(1.0);
    const auto d1 = solver.diagnostics();
    drifts.push_back(std::abs(d1.energy - d0.energy) / d0.energy);
    CHECK(std::abs(d1.mass - d0.mass) < 1e-14 * d0.mass);
  }
  MESSAGE("RK4 relative energy drift over t = 1 (32^2, unbalanced): dt 2e-3 ", drifts[0],
          ", dt 1e-3 ", drifts[1], ", ratio ", drifts[0] / drifts[1]);
  CHECK(drifts[0] < 1e-7);
  CHECK(drifts[0] / drifts[1] > 12.0);  // RK4: ~2^4 to 2^5
}

TEST_CASE("C-grid: SSP-RK3 (odeint explicit_generic_rk) is third order in the energy drift") {
  std::vector<double> drifts;
  for (double dt : {2e-3, 1e-3}) {
    SweCgridConfig c = small_config(32);
    c.stepper = SweCgridStepper::ssprk3;
    c.dt = dt;
    SweCgridSolver solver(c);
    std::mt19937_64 rng(3);
    Field h, u, v;
    swe_random_state(c, false, 0.1, 3.0, 15.0, rng, h, u, v);
    solver.set_state(h, u, v);
    const auto d0 = solver.diagnostics();
    solver.advance_to(1.0);
    const auto d1 = solver.diagnostics();
    drifts.push_back(std::abs(d1.energy - d0.energy) / d0.energy);
    CHECK(std::abs(d1.mass - d0.mass) < 1e-14 * d0.mass);
  }
  MESSAGE("SSP-RK3 relative energy drift over t = 1: dt 2e-3 ", drifts[0], ", dt 1e-3 ", drifts[1],
          ", ratio ", drifts[0] / drifts[1]);
  CHECK(drifts[0] < 1e-5);
  CHECK(drifts[0] / drifts[1] > 6.0);  // third order: ~2^3
}

TEST_CASE("C-grid: the balanced jet stays steady, deviations converge at second order") {
  for (SweCgridScheme scheme : {SweCgridScheme::energy, SweCgridScheme::enstrophy}) {
    std::vector<double> errors;
    for (int n : {32, 64}) {
      SweCgridConfig c = small_config(n);
      c.scheme = scheme;
      Field h0, u0, v0;
      swe_jet_state(c, 0.1, 1, 0.0, h0, u0, v0);
      SweCgridSolver solver(c);
      solver.set_state(h0, u0, v0);
      solver.advance_to(1.0);
      Field h, u, v;
      solver.fields(h, u, v);
      errors.push_back(
          std::max({(u - u0).abs().maxCoeff(), v.abs().maxCoeff(), (h - h0).abs().maxCoeff()}));
      CHECK((u - u0).abs().maxCoeff() < 1e-3 * 0.1 * 32 / n * 4);
    }
    MESSAGE(std::string(to_string(scheme)), " jet max deviation at t = 1: 32^2 ", errors[0],
            ", 64^2 ", errors[1], ", order ", std::log2(errors[0] / errors[1]));
    CHECK(std::log2(errors[0] / errors[1]) > 1.8);
  }
}

TEST_CASE("C-grid: geostrophic adjustment radiates waves and conserves mass and energy") {
  SweCgridConfig c = small_config(48);
  c.f0 = 20.0;
  Field h, u, v;
  swe_adjustment_state(c, 0.1, 0.08, h, u, v);
  SweCgridSolver solver(c);
  solver.set_state(h, u, v);
  const auto d0 = solver.diagnostics();
  solver.advance_to(1.0);
  const auto d1 = solver.diagnostics();
  CHECK(d1.max_speed > 0.01);  // the bump set up a flow
  CHECK(std::abs(d1.mass - d0.mass) < 1e-14 * d0.mass);
  CHECK(std::abs(d1.energy - d0.energy) < 1e-7 * d0.energy);
  Field eta, uc, vc, vorticity;
  solver.centred(eta, uc, vc, vorticity);
  // Rotation keeps part of the bump as a geostrophically balanced high: positive eta at the
  // centre with anticyclonic (negative, for f > 0) vorticity.
  CHECK(eta(24, 24) > 0.02);
  CHECK(vorticity(24, 24) < 0.0);
}

TEST_CASE("C-grid: bad input gets usage errors") {
  SweCgridConfig c = small_config(16);
  SweCgridSolver solver(c);
  Field h = Field::Ones(16, 16), z = Field::Zero(16, 16);
  h(2, 2) = -1.0;
  CHECK_THROWS_AS(solver.set_state(h, z, z), fieldlab::Error);
  h(2, 2) = 0.0;  // dry: unsupported here
  CHECK_THROWS_AS(solver.set_state(h, z, z), fieldlab::Error);
  c.dt = 0.5;  // far above the gravity-wave limit
  SweCgridSolver coarse(c);
  coarse.set_state(Field::Ones(16, 16), z, z);
  try {
    coarse.advance_to(1.0);
    FAIL("accepted a CFL violation");
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
    CHECK(std::string(e.what()).find("CFL") != std::string::npos);
  }
  SweCgridConfig b = small_config(16);
  b.cfl = 2.0;
  CHECK_THROWS_AS(SweCgridSolver{b}, fieldlab::Error);
  b = small_config(2);
  CHECK_THROWS_AS(SweCgridSolver{b}, fieldlab::Error);
  b = small_config(16);
  b.f0 = 0.0;
  Field hh, uu, vv;
  CHECK_THROWS_AS(swe_jet_state(b, 0.1, 1, 0.0, hh, uu, vv), fieldlab::Error);
  CHECK_THROWS_AS(parse_swe_cgrid_stepper("euler"), fieldlab::Error);
}
