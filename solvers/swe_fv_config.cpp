#include "solvers/swe_fv_config.hpp"

#include <cmath>

#include "core/error.hpp"

namespace fieldlab::solvers {

void FvSweConfig::validate() const {
  require(nx >= 2 && ny >= 2, "the finite-volume grid needs at least 2 x 2 cells (got {} x {})", nx,
          ny);
  require(std::isfinite(x_min) && std::isfinite(x_max) && x_max > x_min,
          "x range [{}, {}] is empty", x_min, x_max);
  require(std::isfinite(y_min) && std::isfinite(y_max) && y_max > y_min,
          "y range [{}, {}] is empty", y_min, y_max);
  require(std::isfinite(gravity) && gravity > 0, "--gravity must be positive (got {})", gravity);
  require(std::isfinite(cfl) && cfl > 0 && cfl <= 1.0,
          "--cfl must be in (0, 1] (got {}); 0.5 or less keeps depths non-negative", cfl);
  require(std::isfinite(dry_tolerance) && dry_tolerance >= 0,
          "--dry-tolerance must be >= 0 (got {})", dry_tolerance);
}

const char* to_string(RiemannSolver v) {
  switch (v) {
    case RiemannSolver::hll:
      return "hll";
    case RiemannSolver::hllc:
      return "hllc";
    case RiemannSolver::rusanov:
      return "rusanov";
    case RiemannSolver::roe:
      return "roe";
  }
  return "?";
}

const char* to_string(SlopeLimiter v) {
  switch (v) {
    case SlopeLimiter::none:
      return "none";
    case SlopeLimiter::minmod:
      return "minmod";
    case SlopeLimiter::mc:
      return "mc";
  }
  return "?";
}

const char* to_string(SspStepper v) {
  switch (v) {
    case SspStepper::euler:
      return "euler";
    case SspStepper::ssprk2:
      return "ssprk2";
    case SspStepper::ssprk3:
      return "ssprk3";
    case SspStepper::hancock:
      return "hancock";
  }
  return "?";
}

const char* to_string(SweBoundary v) {
  return v == SweBoundary::transmissive ? "transmissive" : "reflective";
}

RiemannSolver parse_riemann_solver(const std::string& name) {
  if (name == "hll") return RiemannSolver::hll;
  if (name == "hllc") return RiemannSolver::hllc;
  if (name == "rusanov") return RiemannSolver::rusanov;
  if (name == "roe") return RiemannSolver::roe;
  fail(ErrorKind::usage, "unknown Riemann solver '{}' (expected hll, hllc, rusanov or roe)", name);
}

SlopeLimiter parse_slope_limiter(const std::string& name) {
  if (name == "none") return SlopeLimiter::none;
  if (name == "minmod") return SlopeLimiter::minmod;
  if (name == "mc") return SlopeLimiter::mc;
  fail(ErrorKind::usage, "unknown limiter '{}' (expected none, minmod or mc)", name);
}

SspStepper parse_ssp_stepper(const std::string& name) {
  if (name == "euler") return SspStepper::euler;
  if (name == "ssprk2") return SspStepper::ssprk2;
  if (name == "ssprk3") return SspStepper::ssprk3;
  if (name == "hancock") return SspStepper::hancock;
  fail(ErrorKind::usage, "unknown time stepper '{}' (expected euler, ssprk2, ssprk3 or hancock)",
       name);
}

SweBoundary parse_swe_boundary(const std::string& name) {
  if (name == "transmissive") return SweBoundary::transmissive;
  if (name == "reflective") return SweBoundary::reflective;
  fail(ErrorKind::usage, "unknown boundary '{}' (expected transmissive or reflective)", name);
}

}  // namespace fieldlab::solvers
