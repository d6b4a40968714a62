// fieldlab solve CASE ...: verification cases with known answers, written as [x, y] fields.

#include <fmt/format.h>

#include <cmath>
#include <numbers>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "datasets/trajectory_writer.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"

namespace fieldlab::apps {
namespace {

struct TaylorGreenOptions {
  int resolution = 64;
  double viscosity = 0.01;
  double t_end = 1.0;
  std::string out;
  std::string stepper = "rk4";
  double cfl = 0.5;
  int threads = 0;
  bool overwrite = false;
};

std::vector<double> as_vector(const solvers::Field& f) {
  return std::vector<double>(f.data(), f.data() + f.size());
}

void run_taylor_green(const CLI::App* cmd, const TaylorGreenOptions& o) {
  set_threads(o.threads);
  solvers::Ns2dConfig config;
  config.resolution = o.resolution;
  config.length = 2.0 * std::numbers::pi;
  config.viscosity = o.viscosity;
  config.forcing = solvers::Ns2dForcing::none;
  config.initial_condition = solvers::Ns2dInitialCondition::taylor_green;
  config.stepper = solvers::parse_stepper(o.stepper);
  config.cfl = o.cfl;
  config.validate();
  require(std::isfinite(o.t_end) && o.t_end >= 0, "--t-end must be >= 0 (got {})", o.t_end);
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);

  solvers::Ns2dSolver solver(config);
  solver.set_vorticity(solvers::taylor_green_vorticity(solver.grid()));
  solver.advance_to(o.t_end);
  solvers::Field u, v, u_exact, v_exact;
  solver.velocity(u, v);
  solvers::taylor_green_velocity(solver.grid(), o.viscosity, o.t_end, u_exact, v_exact);
  const double error = std::sqrt(((u - u_exact).square() + (v - v_exact).square()).mean());

  // The file appears complete or not at all (datasets/replace_file.hpp).
  io::write_replacing(o.out, o.overwrite, [&](hid_t file) {
    const auto& g = solver.grid();
    const hsize_t n = static_cast<hsize_t>(g.nx);
    std::vector<double> x(g.nx);
    for (int i = 0; i < g.nx; ++i) x[i] = g.x(i);
    io::write_dataset(file, "x", x, {n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "y", x, {n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "u", as_vector(u), {n, n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "v", as_vector(v), {n, n}, H5T_IEEE_F64LE);
    io::write_dataset(file, "vorticity", as_vector(solver.vorticity()), {n, n}, H5T_IEEE_F64LE);
    using io::write_attribute;
    write_attribute(file, "case", "taylor-green");
    write_attribute(file, "axes", "x,y");
    write_attribute(file, "grid_points", "nodes x_i = i * 2pi / n");
    write_attribute(file, "time", solver.time());
    write_attribute(file, "steps", static_cast<long long>(solver.steps()));
    write_attribute(file, "viscosity", o.viscosity);
    write_attribute(file, "velocity_rms_error", error);
    write_attribute(file, "exact_solution",
                    "u = cos x sin y exp(-2 nu t), v = -sin x cos y exp(-2 nu t)");
    write_attribute(file, "command_line", command_line());
    write_attribute(file, "config", effective_config_yaml(cmd));
  });
  fmt::print(
      "taylor-green {}^2 nu={} t={}: {} steps, velocity RMS error vs exact {:.3e}; wrote {}\n",
      o.resolution, o.viscosity, o.t_end, solver.steps(), error, o.out);
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
  add_number(cmd, "--resolution", tg.resolution, "grid points per side", positive());
  add_number(cmd, "--viscosity", tg.viscosity, "kinematic viscosity", non_negative());
  add_number(cmd, "--t-end", tg.t_end, "final time", non_negative());
  cmd->add_option("--out", tg.out, "output HDF5 file")->required();
  cmd->add_option("--stepper", tg.stepper, "rk4 | dopri5");
  add_number(cmd, "--cfl", tg.cfl, "CFL number for the automatic step", positive());
  add_threads_option(cmd, tg.threads);
  cmd->add_flag("--overwrite", tg.overwrite, "replace an existing output file");
  add_config_option(cmd);
  set_command(cmd, [cmd] { run_taylor_green(cmd, tg); });
}

}  // namespace fieldlab::apps
