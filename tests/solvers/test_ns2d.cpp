#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "core/error.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"
#include "solvers/poisson_fft.hpp"
#include "support/convergence.hpp"

using fieldlab::test::observed_order;
using namespace fieldlab::solvers;
using std::numbers::pi;

namespace {

Ns2dConfig taylor_green_config(int n, double nu) {
  Ns2dConfig c;
  c.resolution = n;
  c.length = 2 * pi;
  c.viscosity = nu;
  c.forcing = Ns2dForcing::none;
  c.initial_condition = Ns2dInitialCondition::taylor_green;
  return c;
}

double taylor_green_velocity_error(int n, double nu, double t_end) {
  Ns2dSolver solver(taylor_green_config(n, nu));
  solver.set_vorticity(taylor_green_vorticity(solver.grid()));
  solver.advance_to(t_end);
  Field u, v, ue, ve;
  solver.velocity(u, v);
  taylor_green_velocity(solver.grid(), nu, t_end, ue, ve);
  return std::sqrt(((u - ue).square() + (v - ve).square()).mean());
}

// Vorticity of the random initial state used by the nonlinear tests.
Field random_vorticity(const Ns2dConfig& c, unsigned seed) {
  std::mt19937_64 rng(seed);
  return gaussian_random_field(PeriodicGrid(c.resolution, c.resolution, c.length, c.length),
                               c.spectrum, rng);
}

}  // namespace

TEST_CASE("Taylor-Green: velocity error against the exact solution falls at second order") {
  const double e16 = taylor_green_velocity_error(16, 0.1, 1.0);
  const double e32 = taylor_green_velocity_error(32, 0.1, 1.0);
  const double e64 = taylor_green_velocity_error(64, 0.1, 1.0);
  const double p1 = observed_order(e16, e32), p2 = observed_order(e32, e64);
  MESSAGE("Taylor-Green velocity RMS errors " << e16 << " " << e32 << " " << e64 << " orders " << p1
                                              << " " << p2);
  CHECK(p1 >= 1.9);
  CHECK(p2 >= 1.9);
  CHECK(e64 < 1e-3);
}

TEST_CASE("RK4 is fourth order in time (linear decay and nonlinear flow)") {
  SUBCASE("Taylor-Green against the semi-discrete exact decay") {
    // The grid mode decays as exp(nu * lambda_h t) exactly in the semi-discrete system, so the
    // remaining error is the time stepper's.
    auto error_with_dt = [](double dt) {
      Ns2dConfig c = taylor_green_config(16, 0.5);
      c.dt = dt;
      Ns2dSolver solver(c);
      const Field w0 = taylor_green_vorticity(solver.grid());
      solver.set_vorticity(w0);
      solver.advance_to(2.0);
      PeriodicPoissonSolver p(solver.grid(), LaplacianSymbol::second_order);
      const double lambda = p.eigenvalue(1, 1);
      return (solver.vorticity() - w0 * std::exp(0.5 * lambda * 2.0)).abs().maxCoeff();
    };
    const double order = observed_order(error_with_dt(0.1), error_with_dt(0.05));
    MESSAGE("RK4 linear temporal order " << order);
    CHECK(order == doctest::Approx(4.0).epsilon(0.05));
  }
  SUBCASE("random initial field, self-convergence against a 32x finer step") {
    Ns2dConfig c;
    c.resolution = 32;
    c.viscosity = 1e-3;
    c.spectrum.tau = 3.0;  // stronger, larger-scale flow so the nonlinear term dominates
    const Field w0 = random_vorticity(c, 11);
    auto run = [&](double dt) {
      Ns2dConfig cc = c;
      cc.dt = dt;
      Ns2dSolver solver(cc);
      solver.set_vorticity(w0);
      solver.advance_to(0.5);
      return Field(solver.vorticity());
    };
    Ns2dSolver probe(c);
    probe.set_vorticity(w0);
    const double dt = 0.5 / std::ceil(0.5 / probe.automatic_dt());
    // Coarse steps sit outside the asymptotic range; dt/2 and dt/4 against dt/32 are inside it.
    const Field reference = run(dt / 32);
    const double e1 = (run(dt / 2) - reference).abs().maxCoeff();
    const double e2 = (run(dt / 4) - reference).abs().maxCoeff();
    const double order = observed_order(e1, e2);
    MESSAGE("RK4 nonlinear temporal order " << order << " (errors " << e1 << ", " << e2 << ")");
    CHECK(order > 3.7);
    CHECK(order < 4.6);  // approaches 4 from above (measured 4.3)
  }
}

TEST_CASE("Dormand-Prince with dense output matches the RK4 solution to its tolerance") {
  Ns2dConfig c;
  c.resolution = 32;
  c.spectrum.tau = 3.0;
  const Field w0 = random_vorticity(c, 5);
  Ns2dConfig fine = c;
  fine.dt = 1e-3;
  Ns2dSolver reference(fine);
  reference.set_vorticity(w0);
  reference.advance_to(1.0);
  Ns2dConfig adaptive = c;
  adaptive.stepper = Ns2dStepper::dopri5;
  adaptive.rtol = 1e-9;
  adaptive.atol = 1e-11;
  Ns2dSolver solver(adaptive);
  solver.set_vorticity(w0);
  solver.advance_to(0.37);  // an output time between steps exercises the dense output
  solver.advance_to(1.0);
  const double scale = w0.abs().maxCoeff();
  CHECK((solver.vorticity() - reference.vorticity()).abs().maxCoeff() < 1e-7 * scale);
  CHECK(solver.steps() < reference.steps());
}

TEST_CASE("inviscid unforced flow conserves energy and enstrophy up to the RK4 error") {
  // The semi-discrete system conserves both exactly (Arakawa); RK4 is dissipative at O(dt^4)
  // per unit time, so at CFL 0.5 the relative drift over a hundred steps is tiny.
  Ns2dConfig c;
  c.resolution = 64;
  c.viscosity = 0.0;
  c.forcing = Ns2dForcing::none;
  c.spectrum.tau = 3.0;
  Ns2dSolver solver(c);
  solver.set_vorticity(random_vorticity(c, 2));
  const auto d0 = solver.diagnostics();
  solver.advance_to(20.0);
  const auto d1 = solver.diagnostics();
  const double energy_drift = std::abs(d1.kinetic_energy / d0.kinetic_energy - 1);
  const double enstrophy_drift = std::abs(d1.enstrophy / d0.enstrophy - 1);
  MESSAGE("steps " << d1.steps << " energy drift " << energy_drift << " enstrophy drift "
                   << enstrophy_drift << " max CFL " << d1.cfl);
  CHECK(energy_drift < 1e-7);     // measured 1.5e-9 over 92 steps
  CHECK(enstrophy_drift < 1e-5);  // measured 2.1e-7: grid-scale enstrophy sees the most RK4 damping
  CHECK(d1.max_divergence < 1e-10 * d1.max_speed / solver.grid().dx());
}

TEST_CASE("forced laminar flows reach the discrete steady state") {
  for (Ns2dForcing forcing : {Ns2dForcing::kolmogorov, Ns2dForcing::fno}) {
    CAPTURE(to_string(forcing));
    Ns2dConfig c;
    c.resolution = 32;
    c.viscosity = 0.05;
    c.forcing = forcing;
    c.forcing_wavenumber = 2;
    Ns2dSolver solver(c);
    solver.set_vorticity(solver.grid().zeros());
    // Both forcings excite single Fourier modes, where the Jacobian vanishes; the steady
    // vorticity is f / (nu |lambda_h|) with lambda_h the discrete Laplacian eigenvalue.
    const Field f = vorticity_forcing(solver.grid(), c);
    PeriodicPoissonSolver p(solver.grid(), LaplacianSymbol::second_order);
    const double lambda =
        forcing == Ns2dForcing::kolmogorov ? p.eigenvalue(0, 2) : p.eigenvalue(1, 1);
    const double decay_time = 1.0 / (c.viscosity * std::abs(lambda));
    solver.advance_to(40 * decay_time);
    const Field steady = f / (c.viscosity * std::abs(lambda));
    CHECK((solver.vorticity() - steady).abs().maxCoeff() < 1e-9 * steady.abs().maxCoeff());
  }
}

TEST_CASE("a fixed time step beyond the stability limit stops with the step and CFL number") {
  Ns2dConfig c;
  c.resolution = 32;
  c.spectrum.tau = 3.0;
  c.dt = 5.0;
  Ns2dSolver solver(c);
  solver.set_vorticity(random_vorticity(c, 1));
  try {
    solver.advance_to(50.0);
    FAIL("no error for an unstable step");
  } catch (const fieldlab::Error& e) {
    const std::string message = e.what();
    CHECK(message.find("step 1") != std::string::npos);
    CHECK(message.find("CFL number") != std::string::npos);
    CHECK(e.kind() == fieldlab::ErrorKind::numerical);
  }
}

TEST_CASE("configuration errors name the option") {
  Ns2dConfig c;
  c.resolution = 0;
  CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("--resolution"), fieldlab::Error);
  c = Ns2dConfig{};
  c.viscosity = -1;
  CHECK_THROWS_WITH_AS(c.validate(), doctest::Contains("--viscosity"), fieldlab::Error);
  CHECK_THROWS_WITH_AS(parse_forcing("gravity"), doctest::Contains("gravity"), fieldlab::Error);
}

TEST_CASE("Gaussian random field has zero mean and the requested spectrum's variance") {
  const PeriodicGrid grid(64, 64, 1.0, 1.0);
  GaussianRandomFieldSpectrum s;  // FNO defaults
  std::mt19937_64 rng(9);
  // Expected pointwise variance: sum over modes of (sqrt 2 sigma lambda_k)^2 * E[Re(xi e)^2]
  // where E[Re(xi e)^2] = 1 for a standard complex normal xi with unit-variance parts.
  double expected = 0;
  for (int m = -32; m < 32; ++m)
    for (int n = -32; n < 32; ++n) {
      if (m == 0 && n == 0) continue;
      const double k2 = 4 * pi * pi * (m * m + n * n);
      expected += 2 * std::pow(s.effective_sigma(), 2) * std::pow(k2 + s.tau * s.tau, -s.alpha);
    }
  double variance = 0;
  const int samples = 40;
  for (int k = 0; k < samples; ++k) {
    const Field w = gaussian_random_field(grid, s, rng);
    CHECK(std::abs(w.mean()) < 1e-12);
    variance += w.square().mean() / samples;
  }
  CHECK(variance == doctest::Approx(expected).epsilon(0.15));
}
