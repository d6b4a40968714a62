// fieldlab generate dambreak2d | swe2d: shallow-water ensembles, in fieldlab's native layout or
// PDEBench's per-sample layout (--layout pdebench).

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/generate_support.hpp"
#include "apps/option_checks.hpp"

namespace fieldlab::apps {
namespace {

void run_dambreak2d(const CLI::App* cmd, const GenerateRunOptions& run,
                    const datasets::DamBreak2dGenerateOptions& o) {
  run_generation(cmd, run,
                 [&](std::vector<io::Attribute> provenance, const StopToken& stop,
                     ProgressSink* progress, const datasets::GenerationOpened& opened) {
                   return datasets::generate_dambreak2d_file(o, run.generation_run(), run.dtype,
                                                             std::move(provenance), stop, progress,
                                                             opened);
                 });
}

void run_swe2d(const CLI::App* cmd, const GenerateRunOptions& run,
               const datasets::Swe2dGenerateOptions& o) {
  run_generation(cmd, run,
                 [&](std::vector<io::Attribute> provenance, const StopToken& stop,
                     ProgressSink* progress, const datasets::GenerationOpened& opened) {
                   return datasets::generate_swe2d_file(o, run.generation_run(), run.dtype,
                                                        std::move(provenance), stop, progress,
                                                        opened);
                 });
}

}  // namespace

void register_generate_swe2d(CLI::App* generate) {
  static GenerateRunOptions run;
  static datasets::Swe2dGenerateOptions sw;
  auto* cmd = generate->add_subcommand(
      "swe2d", "rotating shallow water on a doubly periodic plane (Arakawa C-grid)");
  auto& c = sw.config;
  add_generate_run_options(cmd, run);
  cmd->add_option("--layout", sw.layout, "native | pdebench (per-sample groups 0000, 0001, ...)")
      ->check(CLI::IsMember({"native", "pdebench"}));
  add_number(cmd, "--trajectories,--samples", c.trajectories, "number of trajectories", positive());
  add_number(cmd, "--resolution", sw.resolution, "cells per side", positive());
  add_number(cmd, "--length", sw.length, "side of the periodic square", positive());
  add_number(cmd, "--frames", c.frames, "frames per trajectory, t = 0, dt-out, ...", positive());
  add_number(cmd, "--dt-out", c.dt_out, "time between frames", positive());
  add_number(cmd, "--gravity", c.solver.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--depth", c.solver.depth, "mean depth H", positive());
  cmd->add_option("--f0", c.solver.f0, "Coriolis parameter");
  cmd->add_option("--beta", c.solver.beta, "beta-plane gradient (0: f-plane)");
  add_number(cmd, "--viscosity", c.solver.viscosity, "harmonic viscosity", non_negative());
  add_number(cmd, "--drag", c.solver.drag, "linear bottom drag", non_negative());
  cmd->add_option("--initial-condition", sw.initial, "balanced | unbalanced | jet | adjustment");
  add_number(cmd, "--amplitude", c.amplitude, "rms eta of random states; bump height",
             non_negative());
  cmd->add_option("--spectrum-alpha", c.spectrum_alpha, "random eta spectrum exponent");
  add_number(cmd, "--spectrum-tau", c.spectrum_tau, "random eta spectrum inverse length",
             positive());
  cmd->add_option("--jet-speed", c.jet_speed, "jet: U in u = U sin(k y)");
  cmd->add_option("--jet-mode", c.jet_mode, "jet: k = 2 pi mode / L");
  add_number(cmd, "--bump-width", c.bump_width, "adjustment: Gaussian width", positive());
  cmd->add_option("--seed", c.seed, "random seed (trajectory i uses a seed derived from it)");
  cmd->add_option("--fields", c.fields, "fields to write: eta, h, u, v, vorticity")->delimiter(',');
  cmd->add_option("--scheme", sw.scheme, "energy | enstrophy (Sadourny PV flux)");
  cmd->add_option("--stepper", sw.stepper, "rk4 | ssprk3");
  add_number(cmd, "--cfl", c.solver.cfl, "gravity-wave CFL number for the automatic step",
             positive());
  add_number(cmd, "--dt", c.solver.dt, "fixed step (0: from --cfl)", non_negative());
  cmd->callback([cmd] { run_swe2d(cmd, run, sw); });
}

void register_generate_dambreak2d(CLI::App* generate) {
  static GenerateRunOptions run;
  static datasets::DamBreak2dGenerateOptions db;
  auto* cmd = generate->add_subcommand(
      "dambreak2d", "PDEBench's 2D radial dam break (finite-volume shallow water)");
  auto& c = db.config;
  add_generate_run_options(cmd, run);
  cmd->add_option("--layout", db.layout, "native | pdebench (per-sample groups 0000, 0001, ...)")
      ->check(CLI::IsMember({"native", "pdebench"}));
  add_number(cmd, "--samples,--trajectories", c.samples, "number of samples", positive());
  add_number(cmd, "--resolution", db.resolution, "cells per side", positive());
  add_number(cmd, "--half-width", db.half_width, "domain [-w, w]^2", positive());
  add_number(cmd, "--frames", c.frames, "frames per sample at t = 0 .. t-end (PDEBench: 101)",
             positive());
  add_number(cmd, "--t-end", c.t_end, "final time", positive());
  add_number(cmd, "--gravity", c.solver.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--h-in", c.h_in, "depth inside the dam", positive());
  add_number(cmd, "--h-out", c.h_out, "depth outside the dam", non_negative());
  add_number(cmd, "--radius-min", c.radius_min, "smallest dam radius", positive());
  add_number(cmd, "--radius-max", c.radius_max, "largest dam radius", positive());
  cmd->add_option("--seed", c.seed, "random seed (sample i uses a seed derived from it)");
  cmd->add_option("--fields", c.fields, "fields to write: h, u, v, hu, hv")->delimiter(',');
  cmd->add_option("--riemann", db.riemann, "hll | hllc | rusanov | roe");
  cmd->add_option("--limiter", db.limiter, "none | minmod | mc");
  cmd->add_option("--stepper", db.stepper, "euler | ssprk2 | ssprk3 | hancock");
  cmd->add_option("--boundary", db.boundary, "transmissive | reflective");
  cmd->add_option(
      "--cfl", c.solver.cfl,
      "dt * max((|u| + c)/dx + (|v| + c)/dy) (0.5 or less guarantees h >= 0 near dry cells)");
  cmd->callback([cmd] { run_dambreak2d(cmd, run, db); });
}

}  // namespace fieldlab::apps
