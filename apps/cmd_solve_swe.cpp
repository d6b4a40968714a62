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
#include "solvers/swe_cgrid.hpp"
#include "solvers/swe_exact.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/swe_fv_cases.hpp"

namespace fieldlab::apps {
namespace {

using solvers::Field;

struct FvSchemeOptions {
  std::string riemann = "hllc", limiter = "mc", stepper = "ssprk2";
  double cfl = 0.5;
  int threads = 0;
  bool overwrite = false;
  std::string out;
};

void add_fv_scheme_options(CLI::App* cmd, FvSchemeOptions& o) {
  cmd->add_option("--riemann", o.riemann, "hll | hllc | rusanov | roe");
  cmd->add_option("--limiter", o.limiter, "none | minmod | mc");
  cmd->add_option("--stepper", o.stepper, "euler | ssprk2 | ssprk3 | hancock");
  add_number(cmd, "--cfl", o.cfl, "dt * max((|u| + c)/dx + (|v| + c)/dy)", positive());
  cmd->add_option("--out", o.out, "output HDF5 file")->required();
  add_threads_option(cmd, o.threads);
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing output file");
}

void apply_fv_scheme(const FvSchemeOptions& o, solvers::FvSweConfig& c) {
  c.riemann = solvers::parse_riemann_solver(o.riemann);
  c.limiter = solvers::parse_slope_limiter(o.limiter);
  c.stepper = solvers::parse_ssp_stepper(o.stepper);
  c.cfl = o.cfl;
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
  FvSchemeOptions scheme;
  int resolution = 400;
  int ny = 4;
  double h_left = 2.0, h_right = 1.0, gravity = 1.0, t_end = 0.4;
};

void run_dam_break(const CLI::App* cmd, const DamBreakCaseOptions& o) {
  set_threads(o.scheme.threads);
  require(o.resolution >= 2, "--resolution must be at least 2 (got {})", o.resolution);
  require(o.ny >= 2, "--ny must be at least 2 (got {})", o.ny);
  require(std::isfinite(o.t_end) && o.t_end >= 0, "--t-end must be >= 0 (got {})", o.t_end);
  // The exact solution (and its errors) exists for still water on both sides: check the depths
  // before solving.
  solvers::dam_break_structure(std::max(o.h_left, o.h_right), std::min(o.h_left, o.h_right),
                               o.gravity);
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.scheme.out, o.scheme.overwrite);
  solvers::FvSweConfig c;
  c.nx = o.resolution;
  c.ny = o.ny;
  c.x_min = -1.0;
  c.x_max = 1.0;
  c.y_min = 0.0;
  c.y_max = 2.0 * o.ny / o.resolution;  // square cells
  c.gravity = o.gravity;
  apply_fv_scheme(o.scheme, c);
  solvers::FvSweSolver solver(c);
  solver.set_state(solvers::planar_dam_break_depth(solver, o.h_left, o.h_right),
                   Field::Zero(c.nx, c.ny), Field::Zero(c.nx, c.ny));
  const double mass0 = solver.diagnostics().mass;
  solver.advance_to(o.t_end);
  Field h, hu, hv, u, v, h_exact, u_exact;
  solver.depth(h);
  solver.momentum(hu, hv);
  solver.velocity(u, v);
  const auto errors = solvers::dam_break_errors(solver, o.h_left, o.h_right, &h_exact, &u_exact);
  const auto& exact = errors.structure;
  const bool mirrored = errors.mirrored;
  const double l1_h = errors.l1_h, l1_u = errors.l1_u;
  const auto d = solver.diagnostics();
  std::vector<double> x(c.nx), y(c.ny);
  for (int i = 0; i < c.nx; ++i) x[i] = solver.x(i);
  for (int j = 0; j < c.ny; ++j) y[j] = solver.y(j);
  write_case_file(
      cmd, o.scheme.out, o.scheme.overwrite, "dam-break", x, y,
      {{"h", &h}, {"u", &u}, {"hu", &hu}, {"h_exact", &h_exact}, {"u_exact", &u_exact}},
      [&](hid_t f) {
        using io::write_attribute;
        write_attribute(f, "grid_points", "cell centres on [-1, 1] x [0, 2 ny / n]");
        write_attribute(f, "time", solver.time());
        write_attribute(f, "steps", static_cast<long long>(solver.steps()));
        write_attribute(f, "l1_error_h", l1_h);
        write_attribute(f, "l1_error_u", l1_u);
        write_attribute(f, "h_middle_exact", exact.h_middle);
        write_attribute(f, "u_middle_exact", mirrored ? -exact.u_middle : exact.u_middle);
        write_attribute(f, "shock_speed_exact", mirrored ? -exact.shock_speed : exact.shock_speed);
        write_attribute(f, "mass_change", d.mass - mass0);
        write_attribute(f, "exact_solution",
                        exact.h_right > 0 ? "Stoker (wet bed)" : "Ritter (dry bed)");
      });
  fmt::print(
      "dam-break n={} h={}|{} g={} t={}: {} steps, L1 error h {:.4e}, u {:.4e} (exact {}, h_m = "
      "{:.6f}); wrote {}\n",
      o.resolution, o.h_left, o.h_right, o.gravity, o.t_end, solver.steps(), l1_h, l1_u,
      exact.h_right > 0 ? "Stoker" : "Ritter", exact.h_middle, o.scheme.out);
}

// ---- lake-at-rest ---------------------------------------------------------------------------

struct LakeOptions {
  FvSchemeOptions scheme;
  int resolution = 100;
  double t_end = 1.0, bump = 0.2, decay = 100.0, level = 1.0, gravity = 1.0;
};

void run_lake_at_rest(const CLI::App* cmd, LakeOptions& o) {
  set_threads(o.scheme.threads);
  require(o.resolution >= 2, "--resolution must be at least 2 (got {})", o.resolution);
  require(std::isfinite(o.t_end) && o.t_end >= 0, "--t-end must be >= 0 (got {})", o.t_end);
  require(std::isfinite(o.bump) && std::isfinite(o.decay) && o.decay > 0,
          "--bump must be finite and --decay positive");
  require(std::isfinite(o.level) && o.level > 0, "--level must be positive (got {})", o.level);
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.scheme.out, o.scheme.overwrite);
  solvers::FvSweConfig c;
  c.nx = c.ny = o.resolution;
  c.x_min = c.y_min = -0.5;
  c.x_max = c.y_max = 0.5;
  c.gravity = o.gravity;
  c.boundary = solvers::SweBoundary::reflective;
  apply_fv_scheme(o.scheme, c);
  solvers::FvSweSolver solver(c);
  const Field z = solvers::gaussian_bump(solver, o.bump, o.decay);
  solver.set_bathymetry(z);
  const Field h0 = solvers::lake_at_rest_depth(z, o.level);
  solver.set_state(h0, Field::Zero(c.nx, c.ny), Field::Zero(c.nx, c.ny));
  solver.advance_to(o.t_end);
  Field h, u, v;
  solver.depth(h);
  solver.velocity(u, v);
  const Field eta = h + z;
  const double max_speed = std::max(u.abs().maxCoeff(), v.abs().maxCoeff());
  const double surface = (h > 0).select((eta - o.level).abs(), 0.0).maxCoeff();
  const long long dry = (h == 0.0).count();
  std::vector<double> x(c.nx), y(c.ny);
  for (int i = 0; i < c.nx; ++i) x[i] = solver.x(i);
  for (int j = 0; j < c.ny; ++j) y[j] = solver.y(j);
  write_case_file(cmd, o.scheme.out, o.scheme.overwrite, "lake-at-rest", x, y,
                  {{"h", &h}, {"u", &u}, {"v", &v}, {"z", &z}, {"eta", &eta}}, [&](hid_t f) {
                    using io::write_attribute;
                    write_attribute(f, "grid_points", "cell centres on [-0.5, 0.5]^2");
                    write_attribute(f, "bathymetry",
                                    fmt::format("z = {} exp(-{} r^2)", o.bump, o.decay));
                    write_attribute(f, "time", solver.time());
                    write_attribute(f, "steps", static_cast<long long>(solver.steps()));
                    write_attribute(f, "max_velocity", max_speed);
                    write_attribute(f, "max_surface_error", surface);
                    write_attribute(f, "dry_cells", dry);
                  });
  fmt::print(
      "lake-at-rest {}^2 bump={} t={}: {} steps, max |u|,|v| = {:.3e}, max |eta - {}| = {:.3e}, "
      "{} dry cells; wrote {}\n",
      o.resolution, o.bump, o.t_end, solver.steps(), max_speed, o.level, surface, dry,
      o.scheme.out);
}

// ---- geostrophic-jet ------------------------------------------------------------------------

struct JetOptions {
  solvers::SweCgridConfig config;
  int resolution = 64;
  double length = 1.0, speed = 0.1, t_end = 1.0;
  int mode = 1;
  std::string stepper = "rk4", scheme = "energy", out;
  int threads = 0;
  bool overwrite = false;
};

void run_geostrophic_jet(const CLI::App* cmd, JetOptions& o) {
  set_threads(o.threads);
  auto& c = o.config;
  c.nx = c.ny = o.resolution;
  c.lx = c.ly = o.length;
  c.beta = 0.0;  // the jet is an exact steady state on the f-plane only
  c.stepper = solvers::parse_swe_cgrid_stepper(o.stepper);
  c.scheme = solvers::parse_swe_cgrid_scheme(o.scheme);
  c.validate();
  require(std::isfinite(o.t_end) && o.t_end >= 0, "--t-end must be >= 0 (got {})", o.t_end);
  // Refused or contested outputs fail before the solve; the lock is held until the file is in.
  const io::OutputLock lock = io::claim_output(o.out, o.overwrite);
  Field h0, u0, v0;
  solvers::swe_jet_state(c, o.speed, o.mode, 0.0, h0, u0, v0);
  solvers::SweCgridSolver solver(c);
  solver.set_state(h0, u0, v0);
  const auto d0 = solver.diagnostics();
  solver.advance_to(o.t_end);
  const auto d1 = solver.diagnostics();
  Field h, u, v, eta, uc, vc, vorticity;
  solver.fields(h, u, v);
  solver.centred(eta, uc, vc, vorticity);
  const double u_error = (u - u0).abs().maxCoeff(), v_max = v.abs().maxCoeff();
  const double eta_error = (h - h0).abs().maxCoeff();
  const Field eta0 = h0 - c.depth;
  std::vector<double> x(c.nx), y(c.ny);
  for (int i = 0; i < c.nx; ++i) x[i] = (i + 0.5) * c.dx();
  for (int j = 0; j < c.ny; ++j) y[j] = (j + 0.5) * c.dy();
  write_case_file(
      cmd, o.out, o.overwrite, "geostrophic-jet", x, y,
      {{"eta", &eta}, {"u", &uc}, {"v", &vc}, {"vorticity", &vorticity}, {"eta_exact", &eta0}},
      [&](hid_t f) {
        using io::write_attribute;
        write_attribute(f, "grid_points", "cell centres (fields interpolated from the C-grid)");
        write_attribute(f, "exact_solution", "u = U sin(k y), v = 0, eta = (f U / (g k)) cos(k y)");
        write_attribute(f, "time", solver.time());
        write_attribute(f, "steps", static_cast<long long>(solver.steps()));
        write_attribute(f, "max_u_error", u_error);
        write_attribute(f, "max_v", v_max);
        write_attribute(f, "max_eta_error", eta_error);
        write_attribute(f, "relative_energy_change", (d1.energy - d0.energy) / d0.energy);
        write_attribute(f, "relative_mass_change", (d1.mass - d0.mass) / d0.mass);
      });
  fmt::print(
      "geostrophic-jet {}^2 U={} f0={} t={}: {} steps, max |u - u0| {:.3e}, max |v| {:.3e}, max "
      "|eta - eta0| {:.3e}, energy change {:.3e}, mass change {:.3e}; wrote {}\n",
      o.resolution, o.speed, c.f0, o.t_end, solver.steps(), u_error, v_max, eta_error,
      (d1.energy - d0.energy) / d0.energy, (d1.mass - d0.mass) / d0.mass, o.out);
}

void register_solve_geostrophic_jet(CLI::App* solve) {
  static JetOptions jet;
  auto* cmd = solve->add_subcommand(
      "geostrophic-jet", "balanced zonal jet, an exact steady state of the rotating C-grid solver");
  cmd->option_defaults()->always_capture_default();
  add_number(cmd, "--resolution", jet.resolution, "cells per side", positive());
  add_number(cmd, "--length", jet.length, "side of the periodic square", positive());
  cmd->add_option("--speed", jet.speed, "U in u = U sin(k y)");
  cmd->add_option("--mode", jet.mode, "k = 2 pi mode / L");
  cmd->add_option("--f0", jet.config.f0, "Coriolis parameter");
  add_number(cmd, "--gravity", jet.config.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--depth", jet.config.depth, "mean depth H", positive());
  add_number(cmd, "--t-end", jet.t_end, "final time", non_negative());
  cmd->add_option("--scheme", jet.scheme, "energy | enstrophy");
  cmd->add_option("--stepper", jet.stepper, "rk4 | ssprk3");
  add_number(cmd, "--cfl", jet.config.cfl, "gravity-wave CFL number", positive());
  add_number(cmd, "--dt", jet.config.dt, "fixed step (0: from --cfl)", non_negative());
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
  add_number(cmd, "--resolution", db.resolution, "cells across [-1, 1]", positive());
  add_number(cmd, "--ny", db.ny, "cells across the strip in y", positive());
  add_number(cmd, "--h-left", db.h_left, "depth left of the dam (x < 0)", positive());
  add_number(cmd, "--h-right", db.h_right, "depth right of the dam (0 = dry bed)", non_negative());
  add_number(cmd, "--gravity", db.gravity, "gravitational acceleration g", positive());
  add_number(cmd, "--t-end", db.t_end, "final time", non_negative());
  add_fv_scheme_options(cmd, db.scheme);
  add_config_option(cmd);
  cmd->callback([cmd] { run_dam_break(cmd, db); });

  static LakeOptions lake;
  auto* lake_cmd = solve->add_subcommand(
      "lake-at-rest",
      "still water over a Gaussian bump (well-balancing check; bump > level: dry "
      "island)");
  lake_cmd->option_defaults()->always_capture_default();
  add_number(lake_cmd, "--resolution", lake.resolution, "cells per side of [-0.5, 0.5]^2",
             positive());
  add_number(lake_cmd, "--t-end", lake.t_end, "final time", non_negative());
  lake_cmd->add_option("--bump", lake.bump, "bump height (z = bump exp(-decay r^2))");
  add_number(lake_cmd, "--decay", lake.decay, "bump decay rate", positive());
  lake_cmd->add_option("--level", lake.level, "free-surface level");
  add_number(lake_cmd, "--gravity", lake.gravity, "gravitational acceleration g", positive());
  add_fv_scheme_options(lake_cmd, lake.scheme);
  add_config_option(lake_cmd);
  lake_cmd->callback([lake_cmd] { run_lake_at_rest(lake_cmd, lake); });

  register_solve_geostrophic_jet(solve);
}

}  // namespace fieldlab::apps
