// fieldlab generate ns2d ...: ensembles of periodic Navier-Stokes trajectories (and the parent
// `generate` command that every PDE registers under).

#include <fmt/format.h>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/generate_support.hpp"
#include "apps/option_checks.hpp"

namespace fieldlab::apps {
namespace {

void run_ns2d(const CLI::App* cmd, const GenerateRunOptions& run,
              const datasets::Ns2dGenerateOptions& o) {
  run_generation(cmd, run,
                 [&](std::vector<io::Attribute> provenance, const StopToken& stop,
                     ProgressSink* progress, const datasets::GenerationOpened& opened) {
                   return datasets::generate_ns2d_file(o, run.generation_run(), run.dtype,
                                                       std::move(provenance), stop, progress,
                                                       opened);
                 });
}

}  // namespace

CLI::App* register_generate(CLI::App& app) {
  auto* generate = app.add_subcommand("generate", "generate a dataset of PDE trajectories");
  generate->require_subcommand(1);
  return generate;
}

void register_generate_ns2d(CLI::App* generate) {
  static GenerateRunOptions run;
  static datasets::Ns2dGenerateOptions ns;
  auto* cmd =
      generate->add_subcommand("ns2d", "periodic 2D incompressible Navier-Stokes (vorticity)");
  auto& c = ns.config;
  add_generate_run_options(cmd, run);
  add_number(cmd, "--trajectories", c.trajectories, "number of trajectories", positive());
  add_number(cmd, "--resolution", ns.resolution, "grid points per side written to the file",
             positive());
  add_number(cmd, "--solve-resolution", ns.solve_resolution,
             "grid points per side solved at (0: --resolution; a multiple of it subsamples)",
             non_negative());
  add_number(cmd, "--frames", c.frames, "frames per trajectory, t = 0, dt-out, ...", positive());
  add_number(cmd, "--dt-out", c.dt_out, "time between frames", positive());
  add_number(cmd, "--viscosity", c.solver.viscosity, "kinematic viscosity nu", non_negative());
  add_number(cmd, "--drag", c.solver.drag, "linear drag coefficient", non_negative());
  add_number(cmd, "--length", c.solver.length, "side of the periodic square domain", positive());
  cmd->add_option("--seed", c.seed, "random seed (trajectory i uses a seed derived from it)");
  cmd->add_option("--fields", c.fields, "fields to write: vorticity, u, v, streamfunction")
      ->delimiter(',');
  cmd->add_option("--forcing", ns.forcing, "none | fno | kolmogorov");
  add_number(cmd, "--forcing-amplitude", c.solver.forcing_amplitude, "forcing amplitude", finite());
  cmd->add_option("--forcing-wavenumber", c.solver.forcing_wavenumber, "Kolmogorov wavenumber");
  cmd->add_option("--initial-condition", ns.initial_condition, "grf | taylor-green | double-shear");
  cmd->add_option("--grf-alpha", c.solver.spectrum.alpha, "random-field spectrum exponent");
  add_number(cmd, "--grf-tau", c.solver.spectrum.tau, "random-field inverse length scale",
             positive());
  cmd->add_option("--grf-sigma", c.solver.spectrum.sigma,
                  "random-field amplitude (negative: tau^(alpha-1), as FNO)");
  cmd->add_option("--shear-rho", c.solver.shear_rho, "double shear layer thickness parameter");
  cmd->add_option("--shear-delta", c.solver.shear_delta, "double shear layer perturbation");
  cmd->add_option("--stepper", ns.stepper, "rk4 (fixed step) | dopri5 (adaptive)");
  add_number(cmd, "--cfl", c.solver.cfl, "target CFL number for the automatic step", positive());
  add_number(cmd, "--dt", c.solver.dt, "fixed RK4 step (0: from --cfl)", non_negative());
  add_number(cmd, "--rtol", c.solver.rtol, "dopri5 relative tolerance", positive());
  add_number(cmd, "--atol", c.solver.atol, "dopri5 absolute tolerance", positive());
  cmd->add_option("--diffusion-order", ns.diffusion_order, "2 or 4");
  set_command(cmd, [cmd] { run_ns2d(cmd, run, ns); });
}

}  // namespace fieldlab::apps
