#pragma once
// The 1D periodic convection-diffusion family of the Lagrangian-PINN study (Mojgani et al.,
// arXiv 2205.02902) and of the PINN failure-mode study (Krishnapriyan et al., NeurIPS 2021):
//
//   u_t + f(u) u_x = g u_xx   on x in [0, 2 pi) periodic, t in [0, t_end],  u(x, 0) = u0(x)
//
//   pde                  f(u)          g
//   convection           c             0
//   convection-diffusion c             nu
//   burgers              u             nu      (nu 0: inviscid, valid until the shock forms)
//   reaction             c u (1 - u)   0
//   reaction-diffusion   c u (1 - u)   nu
//
// On a characteristic X(x0, t) with X_t = f(u), u changes only by diffusion: D_t u = g u_xx (the
// Lagrangian form LPINNs learn). Initial profiles: sin x; a Gaussian bump
// exp(-(x - pi)^2 / (2 (pi/4)^2)) (the failure-mode study's reaction profile); C + sin x with the
// offset C (the reference code's Burgers profile, there C = the speed option).
//
// The problem is plain data shared by the solvers' references (solvers/convection1d_reference.hpp)
// and the physics-informed training tasks (nn/train/tasks/), so the network and its reference agree
// on what the PDE is.

#include <string>

namespace fieldlab::solvers {

enum class Convection1dPde {
  convection,
  convection_diffusion,
  burgers,
  reaction,
  reaction_diffusion
};
enum class InitialProfile1d { sine, gaussian, shifted_sine };

// "convection", "convection-diffusion", "burgers", "reaction", "reaction-diffusion"; an unknown
// name is a usage error listing the names.
Convection1dPde parse_convection1d_pde(const std::string& name);
const char* to_string(Convection1dPde pde);
// "sin", "gauss", "shifted-sin".
InitialProfile1d parse_initial_profile1d(const std::string& name);
const char* to_string(InitialProfile1d profile);

struct Convection1dProblem {
  Convection1dPde pde = Convection1dPde::convection;
  double speed = 30;     // c (convection, reaction); unused by f for burgers
  double viscosity = 0;  // nu; must be 0 for convection and reaction, > 0 for the -diffusion ones
  InitialProfile1d initial = InitialProfile1d::sine;
  double offset = 0;  // C of the shifted sine
  double t_end = 1;

  double u0(double x) const;        // the initial profile (periodic in x)
  double u0_dx(double x) const;     // its derivative
  double speed_of(double u) const;  // f(u)
  double speed_du(double u) const;  // f'(u)
  double diffusion() const;         // g (the viscosity, 0 for the pure convection kinds)
  // A usage error naming the key: non-finite or negative values, t_end <= 0, a viscosity given to
  // convection/reaction or missing (0) for the -diffusion kinds.
  void validate() const;
  // The time at which characteristics of the nu = 0 problem first cross (a shock forms):
  // 1 / max_x(-d/dx f(u0(x))), +infinity when they never do (constant f, or f(u0) nondecreasing).
  double breaking_time() const;
  std::string describe() const;  // one line: "convection c=30, u0=sin, t in [0, 1]"
};

}  // namespace fieldlab::solvers
