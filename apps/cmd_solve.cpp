// fieldlab solve CASE ...: verification cases with known answers, written as [x, y] fields.

#include <fmt/format.h>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/verification_cases.hpp"

namespace fieldlab::apps {
namespace {

struct TaylorGreenOptions {
  solvers::TaylorGreenCase solve;
  std::string out;
  int threads = 0;
  bool overwrite = false;
};

std::vector<double> as_vector(const solvers::Field& f) {
  return std::vector<double>(f.data(), f.data() + f.size());
}

void run_taylor_green(const CLI::App* cmd, const TaylorGreenOptions& o) {
  set_threads(o.threads);
  const auto& c = o.solve;
  c.validate();
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);

  const solvers::TaylorGreenResult r = solvers::solve_taylor_green(c);

  // The file appears complete or not at all (datasets/replace_file.hpp).
  io::write_replacing(o.out, o.overwrite, [&](hid_t file) {
    const hsize_t n = static_cast<hsize_t>(r.x.size());
    io::write_dataset(file, "x", r.x, {n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "y", r.y, {n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "u", as_vector(r.u), {n, n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "v", as_vector(r.v), {n, n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "vorticity", as_vector(r.vorticity), {n, n}, H5T_IEEE_F64LE);
    using io::write_attribute;
    write_attribute(file, "case", "taylor-green");
    write_attribute(file, "axes", "x,y");
    write_attribute(file, "grid_points", "nodes x_i = i * 2pi / n");
    write_attribute(file, "time", r.time);
    write_attribute(file, "steps", static_cast<long long>(r.steps));
    write_attribute(file, "viscosity", c.viscosity);
    write_attribute(file, "velocity_rms_error", r.velocity_rms_error);
    write_attribute(file, "exact_solution",
                    "u = cos x sin y exp(-2 nu t), v = -sin x cos y exp(-2 nu t)");
    write_attribute(file, "command_line", command_line());
    write_attribute(file, "config", effective_config_yaml(cmd));
  });
  fmt::print(
      "taylor-green {}^2 nu={} t={}: {} steps, velocity RMS error vs exact {:.3e}; wrote {}\n",
      c.resolution, c.viscosity, c.t_end, r.steps, r.velocity_rms_error, o.out);
}

}  // namespace

CLI::App* register_solve(CLI::App& app) {
  auto* solve = app.add_subcommand("solve", "run a verification case and write its final fields");
  solve->require_subcommand(1);
  return solve;
}

void register_solve_taylor_green(CLI::App* solve) {
  static TaylorGreenOptions tg;
  auto* cmd = solve->add_subcommand("taylor-green", "decaying Taylor-Green vortex on [0, 2pi]^2");
  cmd->option_defaults()->always_capture_default();
  auto& c = tg.solve;
  add_number(cmd, "--resolution", c.resolution, "grid points per side", positive());
  add_number(cmd, "--viscosity", c.viscosity, "kinematic viscosity", non_negative());
  add_number(cmd, "--t-end", c.t_end, "final time", non_negative());
  cmd->add_option("--out", tg.out, "output HDF5 file")->required();
  cmd->add_option("--stepper", c.stepper, "rk4 | dopri5");
  add_number(cmd, "--cfl", c.cfl, "CFL number for the automatic step", positive());
  add_threads_option(cmd, tg.threads);
  cmd->add_flag("--overwrite", tg.overwrite, "replace an existing output file");
  add_config_option(cmd);
  set_command(cmd, [cmd] { run_taylor_green(cmd, tg); });
}

}  // namespace fieldlab::apps
