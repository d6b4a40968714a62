// fieldlab generate smoke2d ...: buoyancy-driven smoke in a closed box (PDEArena NavierStokes-2D),
// in fieldlab's native layout or, with --layout pdearena, in PDEArena's own.

#include <optional>
#include <string>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/generate_support.hpp"
#include "apps/option_checks.hpp"

namespace fieldlab::apps {
namespace {

void run_smoke2d(const CLI::App* cmd, const GenerateRunOptions& run,
                 const datasets::Smoke2dGenerateOptions& o) {
  // PDEArena stores float64; an explicit --dtype float32 halves the file and still loads.
  std::optional<std::string> dtype;
  if (cmd->get_option("--dtype")->count() > 0) dtype = run.dtype;
  run_generation(cmd, run,
                 [&](std::vector<io::Attribute> provenance, const StopToken& stop,
                     ProgressSink* progress, const datasets::GenerationOpened& opened) {
                   return datasets::generate_smoke2d_file(o, run.generation_run(), dtype,
                                                          std::move(provenance), stop, progress,
                                                          opened);
                 });
}

}  // namespace

void register_generate_smoke2d(CLI::App* generate) {
  static GenerateRunOptions run;
  static datasets::Smoke2dGenerateOptions smoke;
  auto* cmd = generate->add_subcommand(
      "smoke2d", "buoyancy-driven smoke in a closed box (PDEArena NavierStokes-2D setup)");
  auto& c = smoke.config;
  add_generate_run_options(cmd, run);
  add_number(cmd, "--trajectories", c.trajectories, "number of trajectories", positive());
  add_number(cmd, "--resolution", c.resolution, "cells per side", positive());
  add_number(cmd, "--length", c.length, "side of the square box", positive());
  add_number(cmd, "--viscosity", c.viscosity, "kinematic viscosity nu", non_negative());
  cmd->add_option("--buoyancy", c.buoyancy_y, "buoyancy factor (y)");
  cmd->add_option("--buoyancy-x", c.buoyancy_x, "buoyancy factor (x)");
  cmd->add_option("--buoyancy-range", smoke.buoyancy_range,
                  "MIN,MAX: draw buoyancy_y ~ U(MIN, MAX) per trajectory (conditioned data)")
      ->delimiter(',')
      ->expected(0, 2);
  add_number(cmd, "--dt", c.dt, "time step", positive());
  add_number(cmd, "--steps", c.steps, "steps simulated", positive());
  add_number(cmd, "--skip", c.skip, "leading steps not written", non_negative());
  add_number(cmd, "--every", c.every, "write every this many steps", positive());
  add_number(cmd, "--noise-scale", c.noise.scale, "smoke noise scale (PhiFlow Noise)", positive());
  add_number(cmd, "--noise-smoothness", c.noise.smoothness, "smoke noise smoothness", positive());
  cmd->add_option("--advection", smoke.advection, "semi-lagrangian | maccormack")
      ->check(CLI::IsMember({"semi-lagrangian", "maccormack"}));
  cmd->add_option("--seed", c.seed, "random seed (trajectory i uses a seed derived from it)");
  cmd->add_flag("--staggered", c.staggered,
                "also write raw face velocities vx_face, vy_face (native layout)");
  cmd->add_option("--layout", smoke.layout, "native | pdearena")
      ->check(CLI::IsMember({"native", "pdearena"}));
  cmd->add_option("--split", smoke.split, "PDEArena split group: train | valid | test")
      ->check(CLI::IsMember({"train", "valid", "test"}));
  set_command(cmd, [cmd] { run_smoke2d(cmd, run, smoke); });
}

}  // namespace fieldlab::apps
