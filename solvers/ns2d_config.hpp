#pragma once
// Parameters of the periodic vorticity-streamfunction Navier-Stokes solver.
//   d(zeta)/dt + u . grad(zeta) = nu lap(zeta) - drag zeta + f,   lap(psi) = -zeta,
//   u = d(psi)/dy, v = -d(psi)/dx.

#include <string>

#include "solvers/periodic_operators.hpp"

namespace fieldlab::solvers {

enum class Ns2dStepper { rk4, dopri5 };
enum class Ns2dForcing { none, fno, kolmogorov };
enum class Ns2dInitialCondition { gaussian_random_field, taylor_green, double_shear_layer };

struct GaussianRandomFieldSpectrum {
  // Covariance sigma^2 (-lap + tau^2 I)^(-alpha) on the periodic domain (FNO: alpha 2.5, tau 7,
  // sigma = tau^(alpha - 1) = 7^(3/2) in 2D); the mean mode is zero.
  double alpha = 2.5;
  double tau = 7.0;
  double sigma = -1.0;  // negative: tau^(alpha - 1), the FNO choice
  double effective_sigma() const;
};

struct Ns2dConfig {
  int resolution = 64;  // grid points per side (nx = ny)
  double length = 1.0;  // side of the square periodic domain
  double viscosity = 1e-3;
  double drag = 0.0;  // linear drag coefficient
  DifferenceOrder diffusion_order = DifferenceOrder::second;

  Ns2dForcing forcing = Ns2dForcing::fno;
  double forcing_amplitude = 0.1;  // FNO: 0.1; Kolmogorov: amplitude A of the body force A sin(k y)
  int forcing_wavenumber = 4;      // Kolmogorov k (in units of 2 pi / length)

  Ns2dStepper stepper = Ns2dStepper::rk4;
  double cfl = 0.5;    // target advective CFL number when dt is chosen automatically
  double dt = 0.0;     // fixed RK4 step; 0 chooses it from the CFL condition
  double rtol = 1e-6;  // Dormand-Prince tolerances
  double atol = 1e-8;

  Ns2dInitialCondition initial_condition = Ns2dInitialCondition::gaussian_random_field;
  GaussianRandomFieldSpectrum spectrum;
  double shear_rho = 42.0;    // double shear layer thickness parameter
  double shear_delta = 0.05;  // double shear layer perturbation

  void validate() const;  // throws usage errors naming the offending option
};

const char* to_string(Ns2dStepper v);
const char* to_string(Ns2dForcing v);
const char* to_string(Ns2dInitialCondition v);
Ns2dStepper parse_stepper(const std::string& name);
Ns2dForcing parse_forcing(const std::string& name);
Ns2dInitialCondition parse_initial_condition(const std::string& name);

// Largest stable advective CFL number of the time stepper (RK4: 2 sqrt 2 on the imaginary axis).
double stepper_cfl_limit(Ns2dStepper stepper);

}  // namespace fieldlab::solvers
