// The 1D convection-diffusion problem family (solvers/convection1d.hpp): names, profiles, speeds,
// validation and the breaking time against closed forms. (The references of
// solvers/convection1d_reference.hpp are not implemented yet.)

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"
#include "solvers/convection1d.hpp"

using namespace fieldlab;
using namespace fieldlab::solvers;

TEST_CASE("convection1d: names round-trip and unknown names are usage errors") {
  for (const char* name :
       {"convection", "convection-diffusion", "burgers", "reaction", "reaction-diffusion"})
    CHECK(std::string(to_string(parse_convection1d_pde(name))) == name);
  for (const char* name : {"sin", "gauss", "shifted-sin"})
    CHECK(std::string(to_string(parse_initial_profile1d(name))) == name);
  try {
    parse_convection1d_pde("heat");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::usage);
    CHECK(std::string(e.what()).find("burgers") != std::string::npos);
  }
  CHECK_THROWS_AS(parse_initial_profile1d("cos"), Error);
}

TEST_CASE("convection1d: validation of viscosity and t_end") {
  Convection1dProblem p;
  CHECK_NOTHROW(p.validate());
  p.viscosity = 0.1;  // convection has no diffusion
  CHECK_THROWS_AS(p.validate(), Error);
  p.pde = Convection1dPde::convection_diffusion;
  CHECK_NOTHROW(p.validate());
  p.viscosity = -1;
  CHECK_THROWS_AS(p.validate(), Error);
  p.viscosity = 0;  // the -diffusion kinds need one
  CHECK_THROWS_AS(p.validate(), Error);
  p.pde = Convection1dPde::burgers;  // inviscid burgers is allowed
  CHECK_NOTHROW(p.validate());
  p.t_end = 0;
  CHECK_THROWS_AS(p.validate(), Error);
}

TEST_CASE("convection1d: profiles are periodic and their derivatives match finite differences") {
  Convection1dProblem p;
  p.initial = InitialProfile1d::gaussian;
  const double two_pi = 2 * std::numbers::pi;
  CHECK(p.u0(std::numbers::pi) == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(p.u0(0.3 + two_pi) == doctest::Approx(p.u0(0.3)).epsilon(1e-14));
  CHECK(p.u0(0.3 - two_pi) == doctest::Approx(p.u0(0.3)).epsilon(1e-14));
  for (InitialProfile1d profile :
       {InitialProfile1d::sine, InitialProfile1d::gaussian, InitialProfile1d::shifted_sine}) {
    p.initial = profile;
    p.offset = 0.5;
    const double h = 1e-5;
    for (double x : {0.4, 2.0, 4.5}) {
      const double fd = (p.u0(x + h) - p.u0(x - h)) / (2 * h);
      CHECK(std::abs(fd - p.u0_dx(x)) < 1e-8);
    }
  }
}

TEST_CASE("convection1d: breaking times") {
  Convection1dProblem p;
  CHECK(std::isinf(p.breaking_time()));  // constant speed never breaks
  p.pde = Convection1dPde::burgers;
  // -d/dx sin x = -cos x, maximum 1 at x = pi: t_b = 1 (and the offset does not change it).
  CHECK(p.breaking_time() == doctest::Approx(1.0).epsilon(1e-12));
  p.initial = InitialProfile1d::shifted_sine;
  p.offset = 2;
  CHECK(p.breaking_time() == doctest::Approx(1.0).epsilon(1e-12));
  // Reaction c u (1 - u) with u0 = sin x: rate -c (1 - 2 sin x) cos x, against a dense scan.
  p.pde = Convection1dPde::reaction;
  p.speed = 2;
  p.initial = InitialProfile1d::sine;
  double peak = 0;
  for (int i = 0; i < 2000000; ++i) {
    const double x = 2 * std::numbers::pi * i / 2000000;
    peak = std::max(peak, -2 * (1 - 2 * std::sin(x)) * std::cos(x));
  }
  CHECK(p.breaking_time() == doctest::Approx(1 / peak).epsilon(1e-10));
}

TEST_CASE("convection1d: describe") {
  Convection1dProblem p;
  CHECK(p.describe() == "convection c=30, u0=sin, t in [0, 1]");
}
