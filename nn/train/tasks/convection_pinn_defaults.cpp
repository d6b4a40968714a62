#include "nn/train/tasks/convection_pinn_defaults.hpp"

namespace fieldlab::nn {

ConvectionPinnConfig pinn_config_defaults(PinnMethod method, const PinnProblemOptions& options) {
  const auto pde = solvers::parse_convection1d_pde(options.pde);
  const solvers::Convection1dProblem plain;
  // The per-PDE table is ConvectionPinnConfig::defaults' (the offset follows the speed there).
  ConvectionPinnConfig c =
      ConvectionPinnConfig::defaults(method, pde, options.speed.value_or(plain.speed));
  auto& p = c.problem;
  if (options.t_end) p.t_end = *options.t_end;
  if (options.viscosity) p.viscosity = *options.viscosity;
  if (options.initial) {
    p.initial = solvers::parse_initial_profile1d(*options.initial);
    // A shifted sine asked for on another PDE starts at C = the speed too, unless given.
    if (p.initial == solvers::InitialProfile1d::shifted_sine && !options.offset) p.offset = p.speed;
  }
  if (options.offset) p.offset = *options.offset;
  return c;
}

solvers::Convection1dProblem apply_pde_defaults(const PinnProblemOptions& options) {
  const auto p = pinn_config_defaults(PinnMethod::lagrangian, options).problem;
  p.validate();
  return p;
}

}  // namespace fieldlab::nn
