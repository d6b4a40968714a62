// fieldlab solve cavity ...: the lid-driven cavity marched to a steady state, written on a uniform
// node grid that includes the walls, with its deviation from Ghia, Ghia & Shin (1982) reported.

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/interrupt.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/cavity.hpp"

namespace fieldlab::apps {
namespace {

struct CavityOptions {
  solvers::CavityConfig config;
  std::string advection = "maccormack";
  std::string out;
  int threads = 0;
  bool overwrite = false;
  bool quiet = false;
};

std::vector<double> as_vector(const solvers::Field& f) {
  return std::vector<double>(f.data(), f.data() + f.size());
}

void run_cavity(const CLI::App* cmd, CavityOptions& o) {
  set_threads(o.threads);
  auto& c = o.config;
  c.scheme = solvers::parse_advection_scheme(o.advection);
  c.validate();
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);

  const auto start = std::chrono::steady_clock::now();
  solvers::LidDrivenCavity cavity(c);
  double next_report = 0.0;
  solvers::CavityResult result;
  {
    // Ctrl-C stops the march at its next check. A steady solve has no resume and an unconverged
    // field is not the answer asked for, so nothing is written (an existing --out is kept).
    InterruptScope interrupt;
    result = cavity.run(
        [&](double t, double residual) {
          if (!o.quiet && t >= next_report) {
            fmt::print(stderr, "cavity Re={} {}^2: t = {:.1f}, max |du/dt| = {:.3e}\n", c.reynolds,
                       c.resolution, t, residual);
            next_report = t + 5.0;
          }
          return true;
        },
        interrupt.token());
    if (interrupt.stop_requested()) {
      fmt::print(stderr, "interrupted at t = {:.2f} (max |du/dt| = {:.3e}): nothing written\n",
                 result.time, result.residual);
      throw Interrupted{};
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto ghia = solvers::ghia_deviation(cavity);

  solvers::Field u, v, p, psi, omega;
  cavity.node_fields(u, v, p, psi, omega);
  const int n = c.resolution;
  // The file appears complete or not at all (datasets/replace_file.hpp).
  io::write_replacing(o.out, o.overwrite, [&](hid_t f) {
    const hsize_t m = static_cast<hsize_t>(n + 1);
    std::vector<double> x(n + 1);
    for (int i = 0; i <= n; ++i) x[i] = static_cast<double>(i) / n;
    io::write_dataset(f, "x", x, {m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "y", x, {m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "u", as_vector(u), {m, m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "v", as_vector(v), {m, m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "pressure", as_vector(p), {m, m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "streamfunction", as_vector(psi), {m, m}, H5T_IEEE_F64LE);
    io::write_dataset(f, "vorticity", as_vector(omega), {m, m}, H5T_IEEE_F64LE);
    using io::write_attribute;
    write_attribute(f, "case", "lid-driven cavity");
    write_attribute(f, "axes", "x,y");
    write_attribute(f, "grid_points",
                    "nodes x_i = i / n, i = 0..n (walls included); solved on n x n MAC cells");
    write_attribute(f, "reynolds", c.reynolds);
    write_attribute(f, "resolution", static_cast<long long>(n));
    write_attribute(f, "advection", solvers::to_string(c.scheme));
    write_attribute(f, "converged", static_cast<long long>(result.converged));
    write_attribute(f, "convergence_criterion",
                    fmt::format("max |u^(n+1) - u^n| / dt over all faces < {}", c.tolerance));
    write_attribute(f, "time", result.time);
    write_attribute(f, "steps", result.steps);
    write_attribute(f, "dt", result.dt);
    write_attribute(f, "final_residual", result.residual);
    write_attribute(f, "max_divergence", result.max_divergence);
    write_attribute(f, "convergence_history_time", result.history_time);
    write_attribute(f, "convergence_history_residual", result.history_residual);
    if (ghia.u >= 0) {
      write_attribute(f, "ghia1982_max_deviation_u", ghia.u);
      write_attribute(f, "ghia1982_max_deviation_v", ghia.v);
    }
    write_attribute(f, "wall_seconds", seconds);
    write_attribute(f, "command_line", command_line());
    write_attribute(f, "config", effective_config_yaml(cmd));
  });
  fmt::print(
      "cavity Re={} {}^2: {} after t = {:.2f} ({} steps of dt {:.4g}, {:.1f} s), max |du/dt| "
      "= {:.2e}, max |div u| = {:.1e}",
      c.reynolds, n, result.converged ? "steady" : "NOT converged", result.time, result.steps,
      result.dt, seconds, result.residual, result.max_divergence);
  if (ghia.u >= 0)
    fmt::print("; max deviation from Ghia et al. (1982): u {:.4f}, v {:.4f}", ghia.u, ghia.v);
  fmt::print("; wrote {}\n", o.out);
  if (!result.converged)
    fail(ErrorKind::numerical,
         "cavity did not reach max |du/dt| < {} within --max-time {} (result written anyway)",
         c.tolerance, c.max_time);
}

}  // namespace

void register_solve_cavity(CLI::App* solve) {
  static CavityOptions cavity;
  auto* cmd =
      solve->add_subcommand("cavity", "lid-driven cavity on the unit square, to steady state");
  cmd->option_defaults()->always_capture_default();
  auto& c = cavity.config;
  add_number(cmd, "--re", c.reynolds, "Reynolds number (lid speed 1, side 1)", positive());
  add_number(cmd, "--resolution", c.resolution, "cells per side", positive());
  cmd->add_option("--out", cavity.out, "output HDF5 file")->required();
  cmd->add_option("--advection", cavity.advection, "maccormack | semi-lagrangian")
      ->check(CLI::IsMember({"semi-lagrangian", "maccormack"}));
  add_number(cmd, "--cfl", c.cfl, "dt = cfl dx (explicit diffusion substeps as needed)",
             positive());
  add_number(cmd, "--tolerance", c.tolerance, "steady when max |du/dt| drops below this",
             positive());
  add_number(cmd, "--max-time", c.max_time, "give up after this much simulated time", positive());
  add_threads_option(cmd, cavity.threads);
  cmd->add_flag("--overwrite", cavity.overwrite, "replace an existing output file");
  add_quiet_flag(cmd, cavity.quiet);
  add_config_option(cmd);
  set_command(cmd, [cmd] { run_cavity(cmd, cavity); });
}

}  // namespace fieldlab::apps
