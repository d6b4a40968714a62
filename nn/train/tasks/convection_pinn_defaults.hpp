#pragma once
// The problem of a `fieldlab train lpinn|pinn` or fieldlab.pinn.train() call from the options a
// user gave, with per-PDE defaults where Convection1dProblem's own (convection, c = 30, sin x,
// nu = 0) do not fit the PDE: so the command line and Python default alike.
//
//   pde                  viscosity   initial      offset
//   convection           0           sin          0
//   convection-diffusion 0.01        sin          0
//   burgers              0.01        shifted-sin  = speed (the reference code's Burgers profile)
//   reaction             0           gauss        0
//   reaction-diffusion   0.01        gauss        0
//
// A value the user gave always wins (a viscosity given to convection stays and fails validate(),
// which names the key); an offset not given follows the speed for the shifted sine.

#include <optional>
#include <string>

#include "nn/train/tasks/convection_pinn.hpp"
#include "solvers/convection1d.hpp"

namespace fieldlab::nn {

struct PinnProblemOptions {
  std::string pde = "convection";
  std::optional<double> speed, viscosity, offset, t_end;
  std::optional<std::string> initial;  // "sin", "gauss", "shifted-sin"
};

// ConvectionPinnConfig::defaults(method, pde, speed) (the table above; the PINN's mean squares
// with weights 1) with the problem values the user gave applied. Not validated: the caller
// applies its other options first.
ConvectionPinnConfig pinn_config_defaults(PinnMethod method, const PinnProblemOptions& options);
// Its problem alone, validated (a usage error naming the key).
solvers::Convection1dProblem apply_pde_defaults(const PinnProblemOptions& options);

}  // namespace fieldlab::nn
