#pragma once
// Parameters of the finite-volume shallow-water solver (swe_fv.hpp):
//   h_t + (hu)_x + (hv)_y = 0,
//   (hu)_t + (hu^2 + g h^2 / 2)_x + (huv)_y = -g h z_x,
//   (hv)_t + (huv)_x + (hv^2 + g h^2 / 2)_y = -g h z_y,
// on a rectangle of nx x ny cells (cell centres x_i = x_min + (i + 1/2) dx), bottom z(x, y).

#include <string>

namespace fieldlab::solvers {

enum class RiemannSolver { hll, hllc, rusanov, roe };
enum class SlopeLimiter { none, minmod, mc };  // none: first order (piecewise constant)
// euler, ssprk2, ssprk3: method of lines (SSP Runge-Kutta, one flux evaluation per stage).
// hancock: MUSCL-Hancock, a one-stage second-order predictor-corrector (cell values advanced half
// a step with the primitive-variable equations, then one flux evaluation per face).
enum class SspStepper { euler, ssprk2, ssprk3, hancock };
enum class SweBoundary { transmissive, reflective };

struct FvSweConfig {
  int nx = 128;
  int ny = 128;
  double x_min = -2.5, x_max = 2.5;
  double y_min = -2.5, y_max = 2.5;
  double gravity = 1.0;
  RiemannSolver riemann = RiemannSolver::hllc;
  SlopeLimiter limiter = SlopeLimiter::mc;
  SspStepper stepper = SspStepper::ssprk2;
  SweBoundary boundary = SweBoundary::transmissive;
  // dt * max over cells of ((|u| + c) / dx + (|v| + c) / dy); at most 1/2 keeps the depth
  // non-negative for the hydrostatically reconstructed scheme (Audusse et al. 2004).
  double cfl = 0.5;
  // Cells shallower than this are dry: their velocity is taken as zero and momentum reset.
  double dry_tolerance = 1e-10;

  void validate() const;  // throws usage errors naming the offending option
  double dx() const { return (x_max - x_min) / nx; }
  double dy() const { return (y_max - y_min) / ny; }
};

const char* to_string(RiemannSolver v);
const char* to_string(SlopeLimiter v);
const char* to_string(SspStepper v);
const char* to_string(SweBoundary v);
RiemannSolver parse_riemann_solver(const std::string& name);
SlopeLimiter parse_slope_limiter(const std::string& name);
SspStepper parse_ssp_stepper(const std::string& name);
SweBoundary parse_swe_boundary(const std::string& name);

}  // namespace fieldlab::solvers
