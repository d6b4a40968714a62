// Rotating shallow water on the C-grid: conservation, the steady balanced jet, bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

#include "core/error.hpp"
#include "solvers/swe_cgrid.hpp"
#include "support/convergence.hpp"

using fieldlab::test::observed_order;
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
            ", 64^2 ", errors[1], ", order ", observed_order(errors[0], errors[1]));
    CHECK(observed_order(errors[0], errors[1]) > 1.8);
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

namespace {

// Diagnostics of the adjustment in the disc r < radius around the centre of the domain (the
// corner (nx/2, ny/2), where swe_adjustment_state centres its bump), from the staggered fields.
struct AdjustmentMeasures {
  double imbalance;      // |f k x u + g grad eta| / |g grad eta| at u and v points (1 at rest)
  double divergence;     // rms of div u at centres
  double pv_anomaly;     // integral of q - f0/H at corners
  double pv_max_change;  // max |q - q(0)| at corners (set by the caller's reference)
};

struct AdjustmentProbe {
  const SweCgridConfig& c;
  double radius;

  bool inside(double x, double y) const {
    const double dx = x - 0.5 * c.lx, dy = y - 0.5 * c.ly;
    return dx * dx + dy * dy < radius * radius;
  }
  // Potential vorticity (f0 + zeta) / h at corner (i, j), i.e. (i dx, j dy).
  double pv(const Field& h, const Field& u, const Field& v, int i, int j) const {
    const int nx = c.nx, ny = c.ny, im = (i + nx - 1) % nx, jm = (j + ny - 1) % ny;
    const double zeta = (v(i, j) - v(im, j)) / c.dx() - (u(i, j) - u(i, jm)) / c.dy();
    const double hc = 0.25 * (h(i, j) + h(im, j) + h(i, jm) + h(im, jm));
    return (c.f0 + zeta) / hc;
  }
  AdjustmentMeasures measure(const Field& h, const Field& u, const Field& v,
                             const Field* pv0) const {
    const int nx = c.nx, ny = c.ny;
    const double dx = c.dx(), dy = c.dy(), g = c.gravity, f = c.f0;
    double residual = 0, gradient = 0, div2 = 0, pv_sum = 0, pv_change = 0;
    int centres = 0;
    for (int i = 0; i < nx; ++i)
      for (int j = 0; j < ny; ++j) {
        const int ip = (i + 1) % nx, jp = (j + 1) % ny, im = (i + nx - 1) % nx,
                  jm = (j + ny - 1) % ny;
        if (inside(i * dx, (j + 0.5) * dy)) {  // u point
          const double gx = g * (h(i, j) - h(im, j)) / dx;
          const double vbar = 0.25 * (v(im, j) + v(i, j) + v(im, jp) + v(i, jp));
          residual += (gx - f * vbar) * (gx - f * vbar);
          gradient += gx * gx;
        }
        if (inside((i + 0.5) * dx, j * dy)) {  // v point
          const double gy = g * (h(i, j) - h(i, jm)) / dy;
          const double ubar = 0.25 * (u(i, jm) + u(ip, jm) + u(i, j) + u(ip, j));
          residual += (gy + f * ubar) * (gy + f * ubar);
          gradient += gy * gy;
        }
        if (inside((i + 0.5) * dx, (j + 0.5) * dy)) {
          const double d = (u(ip, j) - u(i, j)) / dx + (v(i, jp) - v(i, j)) / dy;
          div2 += d * d;
          ++centres;
        }
        if (inside(i * dx, j * dy)) {
          const double q = pv(h, u, v, i, j);
          pv_sum += (q - f / c.depth) * dx * dy;
          if (pv0) pv_change = std::max(pv_change, std::abs(q - (*pv0)(i, j)));
        }
      }
    return {std::sqrt(residual / gradient), std::sqrt(div2 / centres), pv_sum, pv_change};
  }
};

}  // namespace

TEST_CASE("C-grid: geostrophic adjustment settles to a balanced state, central PV conserved") {
  // A Gaussian bump (amplitude 0.1, width 0.08) at rest on the f-plane, f0 = 20, c = 1: Rossby
  // radius 0.05, inertial period 0.31. The unbalanced part leaves as inertia-gravity waves (speed
  // <= 1); on the 2 x 2 periodic domain the waves from the periodic images are back at the centre
  // only after t ~ 1.7, so until t = 1.2 the disc r < 0.15 shows the adjustment: the geostrophic
  // residual and the divergence decay (oscillating at the inertial period), and the potential
  // vorticity stays what it was (the fluid barely moves; PV is materially conserved).
  SweCgridConfig c = small_config(128);
  c.lx = c.ly = 2.0;
  c.f0 = 20.0;
  Field h, u, v;
  swe_adjustment_state(c, 0.1, 0.08, h, u, v);
  SweCgridSolver solver(c);
  solver.set_state(h, u, v);
  const AdjustmentProbe probe{c, 0.15};
  Field pv0(c.nx, c.ny);
  for (int i = 0; i < c.nx; ++i)
    for (int j = 0; j < c.ny; ++j) pv0(i, j) = probe.pv(h, u, v, i, j);
  const double pv_range = pv0.maxCoeff() - pv0.minCoeff();
  const AdjustmentMeasures m0 = probe.measure(h, u, v, &pv0);
  CHECK(m0.imbalance == doctest::Approx(1.0));  // at rest: pure pressure gradient
  double peak_divergence = 0, late_imbalance = 0, late_divergence = 0, pv_change = 0;
  AdjustmentMeasures m = m0;
  std::string series;
  for (int k = 1; k <= 24; ++k) {
    solver.advance_to(0.05 * k);
    solver.fields(h, u, v);
    m = probe.measure(h, u, v, &pv0);
    peak_divergence = std::max(peak_divergence, m.divergence);
    pv_change = std::max(pv_change, m.pv_max_change);
    if (k >= 21) {  // t = 1.05 .. 1.2, half an inertial period
      late_imbalance = std::max(late_imbalance, m.imbalance);
      late_divergence = std::max(late_divergence, m.divergence);
    }
    series += " " + std::to_string(m.imbalance).substr(0, 5) + "/" +
              std::to_string(m.divergence).substr(0, 6);
  }
  MESSAGE("adjustment, r < 0.15, imbalance/rms divergence every 0.05:", series);
  MESSAGE("t = 1.05..1.2: imbalance <= ", late_imbalance,
          " (1 at t = 0), divergence <= ", late_divergence, " (peak ", peak_divergence,
          "); PV anomaly integral ", m0.pv_anomaly, " -> ", m.pv_anomaly, ", max |q - q0| ",
          pv_change, " (PV range ", pv_range, ")");
  CHECK(late_imbalance < 0.1);
  CHECK(late_divergence < 0.1 * peak_divergence);
  CHECK(std::abs(m.pv_anomaly - m0.pv_anomaly) < 0.02 * std::abs(m0.pv_anomaly));
  CHECK(pv_change < 0.02 * pv_range);
  // The balanced high survives: positive eta and anticyclonic flow at the centre.
  Field eta, uc, vc, vorticity;
  solver.centred(eta, uc, vc, vorticity);
  CHECK(eta(64, 64) > 0.02);
  CHECK(vorticity(64, 64) < 0.0);
}
