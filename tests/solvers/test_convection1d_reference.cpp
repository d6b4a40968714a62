// References of the 1D convection family (solvers/convection1d_reference.hpp): the Fourier
// solution exact for sin, Cole-Hopf against the pseudo-spectral solver (two independent methods),
// the spectral solver's convergence with resolution, characteristics of the nu = 0 problems
// against the residual u_t + f(u) u_x by finite differences, and the refusals.

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "core/stop_token.hpp"
#include "solvers/convection1d_reference.hpp"
#include "solvers/spectral1d.hpp"

using namespace fieldlab::solvers;

namespace {
constexpr double kPi = std::numbers::pi;

double max_diff(const std::vector<double>& a, const std::vector<double>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
  return m;
}

Convection1dProblem problem(Convection1dPde pde, double c, double nu, InitialProfile1d u0,
                            double offset = 0) {
  Convection1dProblem p;
  p.pde = pde;
  p.speed = c;
  p.viscosity = nu;
  p.initial = u0;
  p.offset = offset;
  return p;
}
}  // namespace

TEST_CASE("Fourier solution of convection-diffusion is exp(-nu t) sin(x - c t) for u0 = sin x") {
  const auto p = problem(Convection1dPde::convection_diffusion, 30, 0.01, InitialProfile1d::sine);
  CHECK(reference_kind(p) == Convection1dReferenceKind::fourier);
  const auto x = linspace(0, 2 * kPi, 64), t = linspace(0, 1, 11);
  const auto u = reference_solution(p, x, t);
  double worst = 0;
  for (std::size_t j = 0; j < t.size(); ++j)
    for (std::size_t i = 0; i < x.size(); ++i)
      worst = std::max(
          worst, std::abs(u[j * 64 + i] - std::exp(-0.01 * t[j]) * std::sin(x[i] - 30 * t[j])));
  CHECK(worst < 1e-12);
  // The spectral solver agrees for the Gaussian bump (whose periodic extension has a slope kink of
  // 3e-3 at x = 0, so both series converge algebraically there: measured 7.7e-6 at 256 points).
  const auto g =
      problem(Convection1dPde::convection_diffusion, 2, 0.05, InitialProfile1d::gaussian);
  Spectral1dOptions so;
  so.points = 256;
  const auto frames = solve_spectral1d(g, {0.5}, so);
  std::vector<double> xs(256);
  for (int i = 0; i < 256; ++i) xs[i] = 2 * kPi * i / 256;
  CHECK(max_diff(frames[0], reference_solution(g, xs, std::vector<double>{0.5})) < 2e-5);
}

TEST_CASE("Cole-Hopf burgers agrees with the pseudo-spectral solver") {
  for (double nu : {0.1, 0.01})
    for (double offset : {0.0, 2.0}) {
      CAPTURE(nu);
      CAPTURE(offset);
      const auto p =
          problem(Convection1dPde::burgers, offset, nu,
                  offset == 0 ? InitialProfile1d::sine : InitialProfile1d::shifted_sine, offset);
      CHECK(reference_kind(p) == Convection1dReferenceKind::cole_hopf);
      std::vector<double> xs(512);
      for (int i = 0; i < 512; ++i) xs[i] = 2 * kPi * i / 512;
      const std::vector<double> times{0.25, 1.0};
      const auto exact = reference_solution(p, xs, times);
      Spectral1dOptions so;
      so.points = 512;
      const auto frames = solve_spectral1d(p, times, so);
      std::vector<double> spectral;
      for (const auto& f : frames) spectral.insert(spectral.end(), f.begin(), f.end());
      const double d = max_diff(exact, spectral);
      MESSAGE("nu " << nu << " C " << offset << ": max |Cole-Hopf - spectral| = " << d);
      // Measured 2.4e-12 (nu 0.1) and 3.2e-7 (nu 0.01: the spectral solver's resolution).
      CHECK(d < (nu < 0.05 ? 1e-6 : 1e-10));
    }
}

TEST_CASE("the spectral solver converges with resolution towards Cole-Hopf") {
  const auto p = problem(Convection1dPde::burgers, 0, 0.05, InitialProfile1d::sine);
  double previous = 1;
  for (int n : {32, 64, 128}) {
    std::vector<double> xs(n);
    for (int i = 0; i < n; ++i) xs[i] = 2 * kPi * i / n;
    Spectral1dOptions so;
    so.points = n;
    const auto frames = solve_spectral1d(p, {1.0}, so);
    const double e = max_diff(frames[0], reference_solution(p, xs, std::vector<double>{1.0}));
    MESSAGE("n " << n << ": error " << e);
    CHECK(e < previous / 4);  // faster than any power at these n: spectral
    previous = e;
  }
  CHECK(previous < 1e-5);  // measured 1.9e-2, 1.4e-3, 5.3e-6 at n = 32, 64, 128
}

TEST_CASE("characteristic solutions of nu = 0 problems satisfy u_t + f(u) u_x = 0") {
  for (auto pde : {Convection1dPde::reaction, Convection1dPde::burgers}) {
    auto p = problem(
        pde, 2, 0,
        pde == Convection1dPde::reaction ? InitialProfile1d::gaussian : InitialProfile1d::sine);
    p.t_end = 0.5;  // before breaking (1 for burgers from sin)
    CHECK(reference_kind(p) == Convection1dReferenceKind::characteristics);
    double previous = 0;
    for (double h : {1e-2, 5e-3}) {
      double worst = 0;
      for (double x : {0.5, 2.0, 3.1, 4.4, 5.9}) {
        const double t = 0.3;
        const std::vector<double> xs{x - h, x, x + h}, ts{t - h, t, t + h};
        const auto u = reference_solution(p, xs, ts);  // [t][x]
        const double ut = (u[2 * 3 + 1] - u[0 * 3 + 1]) / (2 * h);
        const double ux = (u[1 * 3 + 2] - u[1 * 3 + 0]) / (2 * h);
        worst = std::max(worst, std::abs(ut + p.speed_of(u[1 * 3 + 1]) * ux));
      }
      if (previous > 0) CHECK(worst < previous / 3);  // second order: / 4 in theory
      previous = worst;
    }
    CHECK(previous < 1e-3);
    p.t_end = 2;  // past the breaking time
    CHECK_THROWS_WITH_AS(reference_kind(p), doctest::Contains("characteristics cross"),
                         fieldlab::Error);
  }
}

TEST_CASE("the spectral solve stops on request and rejects bad input") {
  const auto p = problem(Convection1dPde::reaction_diffusion, 1, 0.01, InitialProfile1d::gaussian);
  CHECK(reference_kind(p) == Convection1dReferenceKind::spectral);
  fieldlab::StopSource s;
  s.request_stop();
  CHECK_THROWS_WITH_AS(solve_spectral1d(p, {0.1}, {}, s.token()), doctest::Contains("interrupted"),
                       fieldlab::Error);
  Spectral1dOptions bad;
  bad.points = 7;
  CHECK_THROWS_AS(solve_spectral1d(p, {0.1}, bad), fieldlab::Error);
  CHECK_THROWS_AS(reference_solution(p, std::vector<double>{1.0}, std::vector<double>{2.0}),
                  fieldlab::Error);
}
