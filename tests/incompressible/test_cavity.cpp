// Lid-driven cavity at Re = 100 against Ghia, Ghia & Shin (1982), and the solver's invariants.
// (Re = 1000 needs 128^2 and ~60 time units: scripts/incompressible/verify_cavity.sh checks it;
// docs/incompressible.md records the measured deviation.)

#include <doctest/doctest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "solvers/cavity.hpp"
#include "solvers/cavity_reference.hpp"

using namespace fieldlab::solvers;

TEST_CASE("cavity Re=100 on 64^2 matches Ghia et al. (1982) centreline velocities" *
          doctest::test_suite("slow")) {
  // One thread: 64^2 loops are too small to gain from more, and ctest runs modules side by side.
  const int saved = fieldlab::max_threads();
  fieldlab::set_threads(1);
  CavityConfig config;
  config.reynolds = 100;
  config.resolution = 64;
  config.tolerance = 1e-5;
  LidDrivenCavity cavity(config);
  const CavityResult result = cavity.run();
  fieldlab::set_threads(saved);
  REQUIRE(result.converged);
  const GhiaDeviation d = ghia_deviation(cavity);
  MESSAGE("Re=100 64^2: steady at t = " << result.time << " (" << result.steps
                                        << " steps), max |u - Ghia| = " << d.u
                                        << ", max |v - Ghia| = " << d.v);
  CHECK(d.u < 0.008);
  CHECK(d.v < 0.008);
  // The u minimum on the vertical centreline: Ghia -0.21090 at y = 0.4531.
  CHECK(cavity.u_at(0.5, 0.4531) == doctest::Approx(-0.21090).epsilon(0.03));
  CHECK(result.max_divergence < 1e-11);
  CHECK(result.history_residual.back() < 1e-5);

  Field u, v, p, psi, omega;
  cavity.node_fields(u, v, p, psi, omega);
  CHECK(u.rows() == 65);
  CHECK(u(32, 64) == 1.0);  // the lid
  CHECK(u(32, 0) == 0.0);
  // psi is zero on all four walls (it starts at zero on the bottom; the walls carry no flux).
  CHECK(psi.row(0).abs().maxCoeff() < 1e-12);
  CHECK(psi.row(64).abs().maxCoeff() < 1e-12);
  CHECK(psi.col(64).abs().maxCoeff() < 1e-12);
  // Primary vortex: Ghia psi_min = -0.103423 at (0.6172, 0.7344).
  Eigen::Index imin, jmin;
  const double psi_min = psi.minCoeff(&imin, &jmin);
  MESSAGE("psi_min = " << psi_min << " at (" << imin / 64.0 << ", " << jmin / 64.0 << ")");
  CHECK(psi_min == doctest::Approx(-0.103423).epsilon(0.03));
  CHECK(std::abs(imin / 64.0 - 0.6172) < 0.04);
  CHECK(std::abs(jmin / 64.0 - 0.7344) < 0.04);
}

TEST_CASE("cavity run stops at the next check once its StopToken is requested") {
  CavityConfig config;
  config.reynolds = 100;
  config.resolution = 16;
  config.tolerance = 1e-12;  // would take thousands of steps
  LidDrivenCavity cavity(config);
  fieldlab::StopSource source;
  long long checks = 0;
  const CavityResult result = cavity.run(
      [&](double, double) {
        if (++checks == 3) source.request_stop();
        return true;
      },
      source.token());
  CHECK(!result.converged);
  CHECK(checks == 3);
  CHECK(result.steps == 3 * config.check_every);
  // A second run with a fresh source is not stopped by the first request.
  fieldlab::StopSource fresh;
  config.max_time = 19.5 * config.time_step();  // ceil: 20 steps
  LidDrivenCavity bounded(config);
  const CavityResult full = bounded.run({}, fresh.token());
  CHECK(full.steps == 20);
}

TEST_CASE("cavity configuration errors are usage errors") {
  CavityConfig c;
  c.reynolds = -1;
  CHECK_THROWS_AS(c.validate(), fieldlab::Error);
  c = CavityConfig{};
  c.resolution = 2;
  CHECK_THROWS_AS(LidDrivenCavity{c}, fieldlab::Error);
  c = CavityConfig{};
  c.tolerance = std::nan("");
  CHECK_THROWS_AS(c.validate(), fieldlab::Error);
  try {
    c.validate();
  } catch (const fieldlab::Error& e) {
    CHECK(e.kind() == fieldlab::ErrorKind::usage);
  }
}

TEST_CASE("wall kinds set the tangential velocity on the wall") {
  const MacGrid g(8, 8, 1.0, 1.0);
  Field u = g.u_faces();
  u.block(1, 0, 7, 8).setConstant(1.0);
  WallSet walls;
  walls.top.velocity = 2.5;  // a moving lid
  walls.bottom.kind = WallKind::free_slip;
  const GridSampler s = GridSampler::u(g, walls, u);
  CHECK(s(0.5, 1.0) == doctest::Approx(2.5));  // no-slip lid: the lid speed
  CHECK(s(0.5, 0.0) == doctest::Approx(1.0));  // free-slip: the interior value
  walls.bottom.kind = WallKind::no_slip;
  CHECK(GridSampler::u(g, walls, u)(0.5, 0.0) == doctest::Approx(0.0));
}

// psi = sin(pi x) sin(pi y) / pi on the unit box satisfies the free-slip conditions and is an
// eigenfunction of the Laplacian whose advection term vanishes, so its kinetic energy decays
// exactly as exp(-4 pi^2 nu t) between free-slip walls; no-slip walls must dissipate more.
TEST_CASE("free-slip box: the lowest mode decays at the exact viscous rate") {
  auto run = [](int n, double dt, WallKind kind, AdvectionScheme scheme) {
    IncompressibleConfig f;
    f.nx = f.ny = n;
    f.lx = f.ly = 1.0;
    f.viscosity = 0.01;
    f.scheme = scheme;
    f.walls.left.kind = f.walls.right.kind = f.walls.bottom.kind = f.walls.top.kind = kind;
    IncompressibleMacSolver s(f);
    const MacGrid& g = s.grid();
    auto psi = [&](int i, int j) {
      return std::sin(M_PI * i * g.dx()) * std::sin(M_PI * j * g.dy()) / M_PI;
    };
    for (int i = 0; i <= g.nx; ++i)
      for (int j = 0; j < g.ny; ++j) s.u()(i, j) = (psi(i, j + 1) - psi(i, j)) / g.dy();
    for (int i = 0; i < g.nx; ++i)
      for (int j = 0; j <= g.ny; ++j) s.v()(i, j) = -(psi(i + 1, j) - psi(i, j)) / g.dx();
    auto energy = [&] { return s.u().square().sum() + s.v().square().sum(); };
    const double e0 = energy();
    const int steps = static_cast<int>(std::lround(1.0 / dt));
    for (int k = 0; k < steps; ++k) s.step(dt);
    return energy() / e0;
  };
  const double exact = std::exp(-4 * M_PI * M_PI * 0.01 * 1.0);
  const int saved = fieldlab::max_threads();
  fieldlab::set_threads(1);  // 64^2 loops gain nothing from more threads
  const double mc = run(64, 0.01, WallKind::free_slip, AdvectionScheme::maccormack);
  const double mc_half = run(64, 0.005, WallKind::free_slip, AdvectionScheme::maccormack);
  const double sl = run(64, 0.01, WallKind::free_slip, AdvectionScheme::semi_lagrangian);
  const double no_slip = run(64, 0.01, WallKind::no_slip, AdvectionScheme::maccormack);
  fieldlab::set_threads(saved);
  MESSAGE("energy ratio at t=1: exact " << exact << ", free-slip MacCormack dt 0.01 " << mc
                                        << ", dt 0.005 " << mc_half << ", SL dt 0.01 " << sl
                                        << ", no-slip " << no_slip);
  // The gap left is the first-order splitting error of advect-then-project: it halves with dt.
  CHECK(mc == doctest::Approx(exact).epsilon(0.05));
  CHECK(std::abs(mc_half - exact) < 0.6 * std::abs(mc - exact));
  CHECK(sl == doctest::Approx(exact).epsilon(0.15));
  CHECK(no_slip < 0.6 * exact);
}
