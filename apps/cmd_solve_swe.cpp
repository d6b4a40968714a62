// fieldlab solve dam-break | lake-at-rest | geostrophic-jet: shallow-water verification cases with
// known answers, written as [x, y] fields with x, y coordinate datasets.

#include <fmt/format.h>

#include <cmath>
#include <functional>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/io/hdf5_io.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/io/replace_file.hpp"
#include "solvers/verification_cases.hpp"

namespace fieldlab::apps {
namespace {

using solvers::Field;

struct FvSchemeOptions {
  int threads = 0;
  bool overwrite = false;
  std::string out;
};

void add_fv_scheme_options(CLI::App* cmd, solvers::FvSchemeCase& s, FvSchemeOptions& o) {
  cmd->add_option("--riemann", s.riemann, "hll | hllc | rusanov | roe");
  cmd->add_option("--limiter", s.limiter, "none | minmod | mc");
  cmd->add_option("--stepper", s.stepper, "euler | ssprk2 | ssprk3 | hancock");
  add_number(cmd, "--cfl", s.cfl, "dt * max((|u| + c)/dx + (|v| + c)/dy)", positive());
  cmd->add_option("--out", o.out, "output HDF5 file")->required();
  add_threads_option(cmd, o.threads);
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing output file");
}

std::vector<double> as_vector(const Field& f) {
  return std::vector<double>(f.data(), f.data() + f.size());
}

// Writes the case's coordinates, fields and attributes; the file appears complete or not at all
// (datasets/replace_file.hpp).
void write_case_file(const CLI::App* cmd, const std::string& out, bool overwrite,
                     const std::string& name, const std::vector<double>& x,
                     const std::vector<double>& y,
                     const std::vector<std::pair<std::string, const Field*>>& fields,
                     const std::function<void(hid_t)>& attributes) {
  io::write_replacing(out, overwrite, [&](hid_t file) {
    const hsize_t nx = x.size(), ny = y.size();
    io::write_dataset(file, "x", x, {nx}, H5T_IEEE_F64LE);
    io::write_dataset(file, "y", y, {ny}, H5T_IEEE_F64LE);
    for (const auto& [field, values] : fields)
      io::write_dataset(file, field, as_vector(*values), {nx, ny}, H5T_IEEE_F64LE);
    io::write_attribute(file, "case", name);
    io::write_attribute(file, "axes", "x,y");
    attributes(file);
    io::write_attribute(file, "command_line", command_line());
    io::write_attribute(file, "config", effective_config_yaml(cmd));
  });
}

// ---- dam-break ------------------------------------------------------------------------------

struct DamBreakCaseOptions {
  solvers::DamBreakCase solve;
  FvSchemeOptions scheme;
};

void run_dam_break(const CLI::App* cmd, const DamBreakCaseOptions& o) {
  set_threads(o.scheme.threads);
  const auto& c = o.solve;
  c.validate();
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.scheme.out, o.scheme.overwrite);
  const solvers::DamBreakResult r = solvers::solve_dam_break(c);
  write_case_file(
      cmd, o.scheme.out, o.scheme.overwrite, "dam-break", r.x, r.y,
      {{"h", &r.h}, {"u", &r.u}, {"hu", &r.hu}, {"h_exact", &r.h_exact}, {"u_exact", &r.u_exact}},
      [&](hid_t f) {
        using io::write_attribute;
        write_attribute(f, "grid_points", "cell centres on [-1, 1] x [0, 2 ny / n]");
        write_attribute(f, "time", r.time);
        write_attribute(f, "steps", static_cast<long long>(r.steps));
        write_attribute(f, "l1_error_h", r.l1_error_h);
        write_attribute(f, "l1_error_u", r.l1_error_u);
        write_attribute(f, "h_middle_exact", r.h_middle_exact);
        write_attribute(f, "u_middle_exact", r.u_middle_exact);
        write_attribute(f, "shock_speed_exact", r.shock_speed_exact);
        write_attribute(f, "mass_change", r.mass_change);
        write_attribute(f, "exact_solution", r.exact_solution);
      });
  fmt::print(
      "dam-break n={} h={}|{} g={} t={}: {} steps, L1 error h {:.4e}, u {:.4e} (exact {}, h_m = "
      "{:.6f}); wrote {}\n",
      c.resolution, c.h_left, c.h_right, c.gravity, c.t_end, r.steps, r.l1_error_h, r.l1_error_u,
      r.structure.h_right > 0 ? "Stoker" : "Ritter", r.structure.h_middle, o.scheme.out);
}

// ---- lake-at-rest ---------------------------------------------------------------------------

struct LakeOptions {
  solvers::LakeAtRestCase solve;
  FvSchemeOptions scheme;
};

void run_lake_at_rest(const CLI::App* cmd, LakeOptions& o) {
  set_threads(o.scheme.threads);
  const auto& c = o.solve;
  c.validate();
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.scheme.out, o.scheme.overwrite);
  const solvers::LakeAtRestResult r = solvers::solve_lake_at_rest(c);
  write_case_file(
      cmd, o.scheme.out, o.scheme.overwrite, "lake-at-rest", r.x, r.y,
      {{"h", &r.h}, {"u", &r.u}, {"v", &r.v}, {"z", &r.z}, {"eta", &r.eta}}, [&](hid_t f) {
        using io::write_attribute;
        write_attribute(f, "grid_points", "cell centres on [-0.5, 0.5]^2");
        write_attribute(f, "bathymetry", fmt::format("z = {} exp(-{} r^2)", c.bump, c.decay));
        write_attribute(f, "time", r.time);
        write_attribute(f, "steps", static_cast<long long>(r.steps));
        write_attribute(f, "max_velocity", r.max_velocity);
        write_attribute(f, "max_surface_error", r.max_surface_error);
        write_attribute(f, "dry_cells", r.dry_cells);
      });
  fmt::print(
      "lake-at-rest {}^2 bump={} t={}: {} steps, max |u|,|v| = {:.3e}, max |eta - {}| = {:.3e}, "
      "{} dry cells; wrote {}\n",
      c.resolution, c.bump, c.t_end, r.steps, r.max_velocity, c.level, r.max_surface_error,
      r.dry_cells, o.scheme.out);
}

// ---- geostrophic-jet ------------------------------------------------------------------------

struct JetOptions {
  solvers::GeostrophicJetCase solve;
  std::string out;
  int threads = 0;
  bool overwrite = false;
};

void run_geostrophic_jet(const CLI::App* cmd, JetOptions& o) {
  set_threads(o.threads);
  const auto& c = o.solve;
  c.validate();
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);
  const solvers::GeostrophicJetResult r = solvers::solve_geostrophic_jet(c);
  write_case_file(
      cmd, o.out, o.overwrite, "geostrophic-jet", r.x, r.y,
      {{"eta", &r.eta},
       {"u", &r.u},
       {"v", &r.v},
       {"vorticity", &r.vorticity},
       {"eta_exact", &r.eta_exact}},
      [&](hid_t f) {
        using io::write_attribute;
        write_attribute(f, "grid_points", "cell centres (fields interpolated from the C-grid)");
        write_attribute(f, "exact_solution", "u = U sin(k y), v = 0, eta = (f U / (g k)) cos(k y)");
        write_attribute(f, "time", r.time);
        write_attribute(f, "steps", static_cast<long long>(r.steps));
        write_attribute(f, "max_u_error", r.max_u_error);
        write_attribute(f, "max_v", r.max_v);
        write_attribute(f, "max_eta_error", r.max_eta_error);
        write_attribute(f, "relative_energy_change", r.relative_energy_change);
        write_attribute(f, "relative_mass_change", r.relative_mass_change);
      });
  fmt::print(
      "geostrophic-jet {}^2 U={} f0={} t={}: {} steps, max |u - u0| {:.3e}, max |v| {:.3e}, max "
      "|eta - eta0| {:.3e}, energy change {:.3e}, mass change {:.3e}; wrote {}\n",
      c.resolution, c.speed, c.f0, c.t_end, r.steps, r.max_u_error, r.max_v, r.max_eta_error,
      r.relative_energy_change, r.relative_mass_change, o.out);
}

void register_solve_geostrophic_jet(CLI::App* solve) {
  static JetOptions jet;
  auto* cmd = solve->add_subcommand(
      "geostrophic-jet", "balanced zonal jet, an exact steady state of the rotating C-grid solver");
  cmd->option_defaults()->always_capture_default();
  auto& c = jet.solve;
  add_number(cmd, "--resolution", c.resolution, "cells per side", positive());
  add_number(cmd, "--length", c.length, "side of the periodic square", positive());
  cmd->add_option("--speed", c.speed, "U in u = U sin(k y)");
  cmd->add_option("--mode", c.mode, "k = 2 pi mode / L");
  cmd->add_option("--f0", c.f0, "Coriolis parameter");
  add_number(cmd, "--gravity", c.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--depth", c.depth, "mean depth H", positive());
  add_number(cmd, "--t-end", c.t_end, "final time", non_negative());
  cmd->add_option("--scheme", c.scheme, "energy | enstrophy");
  cmd->add_option("--stepper", c.stepper, "rk4 | ssprk3");
  add_number(cmd, "--cfl", c.cfl, "gravity-wave CFL number", positive());
  add_number(cmd, "--dt", c.dt, "fixed step (0: from --cfl)", non_negative());
  cmd->add_option("--out", jet.out, "output HDF5 file")->required();
  add_threads_option(cmd, jet.threads);
  cmd->add_flag("--overwrite", jet.overwrite, "replace an existing output file");
  add_config_option(cmd);
  cmd->callback([cmd] { run_geostrophic_jet(cmd, jet); });
}

}  // namespace

void register_solve_swe(CLI::App* solve) {
  static DamBreakCaseOptions db;
  auto* cmd = solve->add_subcommand(
      "dam-break", "planar dam break on [-1, 1] vs the exact Stoker/Ritter solution");
  cmd->option_defaults()->always_capture_default();
  auto& d = db.solve;
  add_number(cmd, "--resolution", d.resolution, "cells across [-1, 1]", positive());
  add_number(cmd, "--ny", d.ny, "cells across the strip in y", positive());
  add_number(cmd, "--h-left", d.h_left, "depth left of the dam (x < 0)", positive());
  add_number(cmd, "--h-right", d.h_right, "depth right of the dam (0 = dry bed)", non_negative());
  add_number(cmd, "--gravity", d.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--t-end", d.t_end, "final time", non_negative());
  add_fv_scheme_options(cmd, d.scheme, db.scheme);
  add_config_option(cmd);
  cmd->callback([cmd] { run_dam_break(cmd, db); });

  static LakeOptions lake;
  auto* lake_cmd = solve->add_subcommand(
      "lake-at-rest",
      "still water over a Gaussian bump (well-balancing check; bump > level: dry "
      "island)");
  lake_cmd->option_defaults()->always_capture_default();
  auto& l = lake.solve;
  add_number(lake_cmd, "--resolution", l.resolution, "cells per side of [-0.5, 0.5]^2", positive());
  add_number(lake_cmd, "--t-end", l.t_end, "final time", non_negative());
  lake_cmd->add_option("--bump", l.bump, "bump height (z = bump exp(-decay r^2))");
  add_number(lake_cmd, "--decay", l.decay, "bump decay rate", positive());
  lake_cmd->add_option("--level", l.level, "free-surface level");
  add_number(lake_cmd, "--gravity", l.gravity, "gravitational acceleration g", positive());
  add_fv_scheme_options(lake_cmd, l.scheme, lake.scheme);
  add_config_option(lake_cmd);
  lake_cmd->callback([lake_cmd] { run_lake_at_rest(lake_cmd, lake); });

  register_solve_geostrophic_jet(solve);
}

}  // namespace fieldlab::apps
