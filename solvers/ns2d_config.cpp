#include "solvers/ns2d_config.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

double GaussianRandomFieldSpectrum::effective_sigma() const {
  return sigma >= 0 ? sigma : std::pow(tau, alpha - 1.0);
}

void Ns2dConfig::validate() const {
  require(resolution >= 8 && resolution % 2 == 0,
          "--resolution must be an even number of at least 8 (got {})", resolution);
  require(std::isfinite(length) && length > 0, "--length must be positive (got {})", length);
  require(std::isfinite(viscosity) && viscosity >= 0, "--viscosity must be >= 0 (got {})",
          viscosity);
  require(std::isfinite(drag) && drag >= 0, "--drag must be >= 0 (got {})", drag);
  require(std::isfinite(cfl) && cfl > 0, "--cfl must be positive (got {})", cfl);
  require(std::isfinite(dt) && dt >= 0, "--dt must be >= 0 (0 = from the CFL condition), got {}",
          dt);
  require(rtol > 0 && atol > 0, "--rtol and --atol must be positive");
  require(forcing_wavenumber >= 1, "--forcing-wavenumber must be >= 1 (got {})",
          forcing_wavenumber);
  require(spectrum.alpha > 1.0, "--grf-alpha must exceed 1 for a finite-variance field (got {})",
          spectrum.alpha);
  require(spectrum.tau > 0, "--grf-tau must be positive (got {})", spectrum.tau);
  require(shear_rho > 0, "--shear-rho must be positive (got {})", shear_rho);
}

const char* to_string(Ns2dStepper v) { return v == Ns2dStepper::rk4 ? "rk4" : "dopri5"; }

const char* to_string(Ns2dForcing v) {
  switch (v) {
    case Ns2dForcing::none:
      return "none";
    case Ns2dForcing::fno:
      return "fno";
    case Ns2dForcing::kolmogorov:
      return "kolmogorov";
  }
  return "?";
}

const char* to_string(Ns2dInitialCondition v) {
  switch (v) {
    case Ns2dInitialCondition::gaussian_random_field:
      return "grf";
    case Ns2dInitialCondition::taylor_green:
      return "taylor-green";
    case Ns2dInitialCondition::double_shear_layer:
      return "double-shear";
  }
  return "?";
}

Ns2dStepper parse_stepper(const std::string& name) {
  if (name == "rk4") return Ns2dStepper::rk4;
  if (name == "dopri5") return Ns2dStepper::dopri5;
  fail(ErrorKind::usage, "unknown stepper '{}' (expected rk4 or dopri5)", name);
}

Ns2dForcing parse_forcing(const std::string& name) {
  if (name == "none") return Ns2dForcing::none;
  if (name == "fno") return Ns2dForcing::fno;
  if (name == "kolmogorov") return Ns2dForcing::kolmogorov;
  fail(ErrorKind::usage, "unknown forcing '{}' (expected none, fno or kolmogorov)", name);
}

Ns2dInitialCondition parse_initial_condition(const std::string& name) {
  if (name == "grf") return Ns2dInitialCondition::gaussian_random_field;
  if (name == "taylor-green") return Ns2dInitialCondition::taylor_green;
  if (name == "double-shear") return Ns2dInitialCondition::double_shear_layer;
  fail(ErrorKind::usage,
       "unknown initial condition '{}' (expected grf, taylor-green or double-shear)", name);
}

double stepper_cfl_limit(Ns2dStepper stepper) {
  // RK4's stability region reaches 2 sqrt(2) on the imaginary axis; central advection has purely
  // imaginary eigenvalues up to |u|/dx + |v|/dy. Dopri5 is adaptive and controls its own step.
  return stepper == Ns2dStepper::rk4 ? 2.0 * std::sqrt(2.0) : 3.3;
}

}  // namespace fieldlab::solvers
