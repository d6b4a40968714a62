#include "nn/train/tasks/convection_pinn_defaults.hpp"

namespace fieldlab::nn {

solvers::Convection1dProblem apply_pde_defaults(const PinnProblemOptions& options) {
  using solvers::Convection1dPde;
  using solvers::InitialProfile1d;
  solvers::Convection1dProblem p;
  p.pde = solvers::parse_convection1d_pde(options.pde);
  if (options.speed) p.speed = *options.speed;
  if (options.t_end) p.t_end = *options.t_end;
  const bool diffusive = p.pde == Convection1dPde::convection_diffusion ||
                         p.pde == Convection1dPde::burgers ||
                         p.pde == Convection1dPde::reaction_diffusion;
  p.viscosity = options.viscosity ? *options.viscosity : (diffusive ? 0.01 : 0.0);
  if (options.initial) {
    p.initial = solvers::parse_initial_profile1d(*options.initial);
  } else if (p.pde == Convection1dPde::burgers) {
    p.initial = InitialProfile1d::shifted_sine;
  } else if (p.pde == Convection1dPde::reaction || p.pde == Convection1dPde::reaction_diffusion) {
    p.initial = InitialProfile1d::gaussian;
  }
  // The shifted sine's offset follows the speed unless given (the reference code uses C = c).
  if (options.offset)
    p.offset = *options.offset;
  else if (p.initial == InitialProfile1d::shifted_sine)
    p.offset = p.speed;
  p.validate();
  return p;
}

}  // namespace fieldlab::nn
