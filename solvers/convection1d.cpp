// The 1D convection-diffusion problem family: names, profiles, speeds, validation.

#include "solvers/convection1d.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/error.hpp"

namespace fieldlab::solvers {
namespace {

constexpr double kTwoPi = 2 * std::numbers::pi;
constexpr double kGaussWidth = std::numbers::pi / 4;

// x wrapped into [0, 2 pi): the Gaussian is defined on one period and repeated.
double wrap(double x) {
  double y = std::fmod(x, kTwoPi);
  if (y < 0) y += kTwoPi;
  return y >= kTwoPi ? 0.0 : y;
}

bool is_diffusive(Convection1dPde pde) {
  return pde == Convection1dPde::convection_diffusion || pde == Convection1dPde::reaction_diffusion;
}

}  // namespace

Convection1dPde parse_convection1d_pde(const std::string& name) {
  if (name == "convection") return Convection1dPde::convection;
  if (name == "convection-diffusion") return Convection1dPde::convection_diffusion;
  if (name == "burgers") return Convection1dPde::burgers;
  if (name == "reaction") return Convection1dPde::reaction;
  if (name == "reaction-diffusion") return Convection1dPde::reaction_diffusion;
  fail(ErrorKind::usage,
       "pde: unknown '{}' (allowed: convection, convection-diffusion, burgers, reaction, "
       "reaction-diffusion)",
       name);
}

const char* to_string(Convection1dPde pde) {
  switch (pde) {
    case Convection1dPde::convection:
      return "convection";
    case Convection1dPde::convection_diffusion:
      return "convection-diffusion";
    case Convection1dPde::burgers:
      return "burgers";
    case Convection1dPde::reaction:
      return "reaction";
    case Convection1dPde::reaction_diffusion:
      return "reaction-diffusion";
  }
  return "?";
}

InitialProfile1d parse_initial_profile1d(const std::string& name) {
  if (name == "sin") return InitialProfile1d::sine;
  if (name == "gauss") return InitialProfile1d::gaussian;
  if (name == "shifted-sin") return InitialProfile1d::shifted_sine;
  fail(ErrorKind::usage, "u0: unknown '{}' (allowed: sin, gauss, shifted-sin)", name);
}

const char* to_string(InitialProfile1d profile) {
  switch (profile) {
    case InitialProfile1d::sine:
      return "sin";
    case InitialProfile1d::gaussian:
      return "gauss";
    case InitialProfile1d::shifted_sine:
      return "shifted-sin";
  }
  return "?";
}

double Convection1dProblem::u0(double x) const {
  switch (initial) {
    case InitialProfile1d::sine:
      return std::sin(x);
    case InitialProfile1d::gaussian: {
      const double d = wrap(x) - std::numbers::pi;
      return std::exp(-d * d / (2 * kGaussWidth * kGaussWidth));
    }
    case InitialProfile1d::shifted_sine:
      return offset + std::sin(x);
  }
  return 0;
}

double Convection1dProblem::u0_dx(double x) const {
  switch (initial) {
    case InitialProfile1d::sine:
    case InitialProfile1d::shifted_sine:
      return std::cos(x);
    case InitialProfile1d::gaussian: {
      const double d = wrap(x) - std::numbers::pi;
      const double s2 = kGaussWidth * kGaussWidth;
      return -d / s2 * std::exp(-d * d / (2 * s2));
    }
  }
  return 0;
}

double Convection1dProblem::speed_of(double u) const {
  switch (pde) {
    case Convection1dPde::convection:
    case Convection1dPde::convection_diffusion:
      return speed;
    case Convection1dPde::burgers:
      return u;
    case Convection1dPde::reaction:
    case Convection1dPde::reaction_diffusion:
      return speed * u * (1 - u);
  }
  return 0;
}

double Convection1dProblem::speed_du(double u) const {
  switch (pde) {
    case Convection1dPde::convection:
    case Convection1dPde::convection_diffusion:
      return 0;
    case Convection1dPde::burgers:
      return 1;
    case Convection1dPde::reaction:
    case Convection1dPde::reaction_diffusion:
      return speed * (1 - 2 * u);
  }
  return 0;
}

double Convection1dProblem::diffusion() const {
  return pde == Convection1dPde::convection || pde == Convection1dPde::reaction ? 0.0 : viscosity;
}

void Convection1dProblem::validate() const {
  require(std::isfinite(speed), "speed: must be finite (got {})", speed);
  require(std::isfinite(offset), "offset: must be finite (got {})", offset);
  require(std::isfinite(viscosity) && viscosity >= 0, "viscosity: must be >= 0 (got {})",
          viscosity);
  require(std::isfinite(t_end) && t_end > 0, "t_end: must be > 0 (got {})", t_end);
  if (pde == Convection1dPde::convection || pde == Convection1dPde::reaction)
    require(viscosity == 0, "viscosity: {} has no diffusion, must be 0 (got {})", to_string(pde),
            viscosity);
  if (is_diffusive(pde))
    require(viscosity > 0, "viscosity: {} needs a viscosity > 0", to_string(pde));
}

double Convection1dProblem::breaking_time() const {
  // Compression rate -d/dx f(u0(x)) = -f'(u0) u0'(x): sampled, then its maximum refined by golden
  // section around the best sample (the profiles are smooth, one dominant maximum per period).
  auto rate = [this](double x) { return -speed_du(u0(x)) * u0_dx(x); };
  constexpr int kSamples = 4096;
  const double h = kTwoPi / kSamples;
  int best = 0;
  double best_rate = rate(0);
  for (int i = 1; i < kSamples; ++i) {
    const double r = rate(i * h);
    if (r > best_rate) best_rate = r, best = i;
  }
  double a = (best - 1) * h, b = (best + 1) * h;
  const double g = (std::sqrt(5.0) - 1) / 2;
  double c = b - g * (b - a), d = a + g * (b - a);
  double fc = rate(c), fd = rate(d);
  for (int it = 0; it < 80 && b - a > 1e-15; ++it) {
    if (fc > fd) {
      b = d, d = c, fd = fc, c = b - g * (b - a), fc = rate(c);
    } else {
      a = c, c = d, fc = fd, d = a + g * (b - a), fd = rate(d);
    }
  }
  const double peak = std::max({best_rate, fc, fd});
  return peak > 0 ? 1 / peak : std::numeric_limits<double>::infinity();
}

std::string Convection1dProblem::describe() const {
  std::string s = to_string(pde);
  if (pde != Convection1dPde::burgers) s += fmt::format(" c={:g}", speed);
  if (diffusion() > 0) s += fmt::format(" nu={:g}", viscosity);
  s += fmt::format(", u0={}", to_string(initial));
  if (initial == InitialProfile1d::shifted_sine) s += fmt::format(" C={:g}", offset);
  s += fmt::format(", t in [0, {:g}]", t_end);
  return s;
}

}  // namespace fieldlab::solvers
