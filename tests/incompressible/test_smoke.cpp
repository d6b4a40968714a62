// smoke2d trajectories: finite frames over several seeds, smoke mass kept to the accuracy of the
// (non-conservative) semi-Lagrangian scheme, identical results on 1 and 2 threads, per-trajectory
// buoyancy, and usage errors for bad options.

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"

using namespace fieldlab::datasets;
using namespace fieldlab::io;

namespace {

struct Recorded {
  std::vector<std::vector<double>> frames;  // [frame * fields + field]
  Smoke2dTrajectory info;
};

Recorded simulate(const Smoke2dConfig& c, long long index) {
  Recorded r;
  const size_t n = static_cast<size_t>(c.resolution) * c.resolution;
  const size_t fields = c.fields().size();
  r.frames.assign(c.frames() * fields, {});
  REQUIRE(simulate_smoke2d(
      c, index,
      [&](long long frame, int field, const double* values) {
        r.frames[frame * fields + field].assign(values, values + n);
      },
      r.info));
  return r;
}

double initial_mass(const Smoke2dConfig& c, long long index) {
  // Mass before any step: run zero kept steps' worth by asking for the first frame of a
  // one-step run and undoing nothing; instead integrate |noise| directly.
  Smoke2dConfig one = c;
  one.steps = 1;
  one.skip = 0;
  one.every = 1;
  one.viscosity = 0;
  one.buoyancy_y = 0;
  one.buoyancy_min = one.buoyancy_max = 0;
  return simulate(one, index).info.mass[0];  // velocity is zero in step 1: smoke unmoved
}

}  // namespace

TEST_CASE("smoke2d: defaults are PDEArena's NavierStokes-2D setup") {
  const Smoke2dConfig c;
  CHECK(c.resolution == 128);
  CHECK(c.length == 32.0);
  CHECK(c.viscosity == 0.01);
  CHECK(c.buoyancy_y == 0.5);
  CHECK(c.dt == 1.5);
  CHECK(c.frames() == 14);
  CHECK(c.times().front() == doctest::Approx(13.5));
  CHECK(c.times().back() == doctest::Approx(91.5));
}

TEST_CASE("smoke2d: finite frames over seeds, mass kept, divergence at round-off") {
  Smoke2dConfig c;  // the full 128^2, 64-step default
  for (unsigned long long seed : {0ull, 1ull, 2ull}) {
    c.seed = seed;
    const Recorded r = simulate(c, 0);
    bool finite = true;
    for (const auto& frame : r.frames)
      for (double value : frame) finite = finite && std::isfinite(value);
    CHECK(finite);
    const double m0 = initial_mass(c, 0);
    double drift = 0;
    for (double m : r.info.mass) drift = std::max(drift, std::abs(m / m0 - 1));
    double divergence = 0;
    for (double d : r.info.max_divergence) divergence = std::max(divergence, d);
    MESSAGE("seed " << seed << ": max relative smoke-mass change over 14 frames " << drift
                    << ", max |div u| " << divergence << ", final CFL " << r.info.cfl.back());
    CHECK(drift < 0.03);  // semi-Lagrangian is not conservative: ~1-2% at CFL up to 7
    CHECK(divergence < 1e-10);
  }
}

TEST_CASE("smoke2d: MacCormack also runs finite") {
  Smoke2dConfig c;
  c.resolution = 64;
  c.scheme = fieldlab::solvers::AdvectionScheme::maccormack;
  const Recorded r = simulate(c, 3);
  bool finite = true;
  for (const auto& frame : r.frames)
    for (double value : frame) finite = finite && std::isfinite(value);
  CHECK(finite);
  const double m0 = initial_mass(c, 3);
  MESSAGE("MacCormack 64^2: relative mass change " << r.info.mass.back() / m0 - 1);
  CHECK(std::abs(r.info.mass.back() / m0 - 1) < 0.02);
}

TEST_CASE("smoke2d: identical bits on 1 and 2 threads; buoyancy drawn per trajectory") {
  Smoke2dConfig c;
  c.resolution = 48;
  c.steps = 12;
  c.skip = 2;
  c.buoyancy_min = 0.2;
  c.buoyancy_max = 0.5;
  const int saved = fieldlab::max_threads();
  fieldlab::set_threads(1);
  const Recorded one = simulate(c, 5);
  fieldlab::set_threads(2);
  const Recorded two = simulate(c, 5);
  fieldlab::set_threads(saved);
  CHECK(one.frames == two.frames);
  CHECK(one.info.buoyancy_y >= 0.2);
  CHECK(one.info.buoyancy_y <= 0.5);
  CHECK(simulate(c, 6).info.buoyancy_y != one.info.buoyancy_y);
}

TEST_CASE("smoke2d: bad options are usage errors") {
  auto bad = [](auto mutate) {
    Smoke2dConfig c;
    mutate(c);
    try {
      c.validate();
    } catch (const fieldlab::Error& e) {
      return e.kind() == fieldlab::ErrorKind::usage;
    }
    return false;
  };
  CHECK(bad([](Smoke2dConfig& c) { c.resolution = 2; }));
  CHECK(bad([](Smoke2dConfig& c) { c.dt = -1; }));
  CHECK(bad([](Smoke2dConfig& c) { c.dt = std::nan(""); }));
  CHECK(bad([](Smoke2dConfig& c) { c.skip = 64; }));
  CHECK(bad([](Smoke2dConfig& c) { c.every = 0; }));
  CHECK(bad([](Smoke2dConfig& c) { c.viscosity = -0.1; }));
  CHECK(bad([](Smoke2dConfig& c) {
    c.buoyancy_min = 0.5;
    c.buoyancy_max = 0.2;
  }));
  CHECK(bad([](Smoke2dConfig& c) { c.noise.scale = 0; }));
}
