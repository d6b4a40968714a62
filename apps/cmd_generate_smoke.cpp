// fieldlab generate smoke2d ...: buoyancy-driven smoke in a closed box (PDEArena NavierStokes-2D),
// in fieldlab's native layout or, with --layout pdearena, in PDEArena's own.

#include <fmt/format.h>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/generate_support.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "datasets/generate/ensemble_memory.hpp"
#include "datasets/generate/smoke2d_ensemble.hpp"
#include "datasets/pdearena_writer.hpp"

namespace fieldlab::apps {
namespace {

struct Smoke2dOptions {
  datasets::Smoke2dConfig config;
  std::string advection = "semi-lagrangian";
  std::vector<double> buoyancy_range;  // empty: fixed --buoyancy
  std::string layout = "native";
  std::string split = "train";
};

void run_smoke2d(const CLI::App* cmd, const GenerateRunOptions& run, Smoke2dOptions& o) {
  auto& c = o.config;
  c.scheme = solvers::parse_advection_scheme(o.advection);
  if (!o.buoyancy_range.empty()) {
    require(o.buoyancy_range.size() == 2, "--buoyancy-range takes MIN,MAX (got {} values)",
            o.buoyancy_range.size());
    require(o.buoyancy_range[1] > o.buoyancy_range[0],
            "--buoyancy-range needs MIN < MAX (got {},{})", o.buoyancy_range[0],
            o.buoyancy_range[1]);
    c.buoyancy_min = o.buoyancy_range[0];
    c.buoyancy_max = o.buoyancy_range[1];
  }
  c.validate();
  datasets::check_smoke2d_memory(c, run.threads);  // before the output file is created
  auto attributes = datasets::smoke2d_attributes(c);
  datasets::Smoke2dOutput output;
  output.layout = datasets::parse_file_layout(o.layout);
  output.split = o.split;
  // PDEArena stores float64; an explicit --dtype float32 halves the file and still loads.
  if (output.layout == datasets::FileLayout::native || cmd->get_option("--dtype")->count() > 0)
    output.dtype = io::parse_storage_type(run.dtype);
  const std::string identity = datasets::smoke2d_identity(c, output);

  if (output.layout == datasets::FileLayout::native) {
    run_generation(
        cmd, run, datasets::smoke2d_layout(c, output.storage_type()), attributes, identity,
        "smoke2d trajectories",
        [&c](long long index, datasets::TrajectoryWriter& writer, const StopToken& stop) {
          return datasets::solve_smoke2d_trajectory(c, index, writer, stop);
        });
    return;
  }
  require(!c.staggered, "--staggered is only available with --layout native");
  datasets::check_pdearena_split(run.out, o.split);
  run_pdearena_generation(
      cmd, run, datasets::smoke2d_pdearena_layout(c, output), attributes, identity,
      "smoke2d trajectories",
      [&c](long long index, datasets::PdeArenaWriter& writer, const StopToken& stop) {
        return datasets::solve_smoke2d_pdearena(c, index, writer, stop);
      });
}

}  // namespace

void register_generate_smoke2d(CLI::App* generate) {
  static GenerateRunOptions run;
  static Smoke2dOptions smoke;
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
