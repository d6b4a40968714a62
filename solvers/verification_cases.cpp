#include "solvers/verification_cases.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/error.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"
#include "solvers/swe_cgrid.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/swe_fv_cases.hpp"

namespace fieldlab::solvers {
namespace {

Ns2dConfig taylor_green_config(const TaylorGreenCase& c) {
  Ns2dConfig config;
  config.resolution = c.resolution;
  config.length = 2.0 * std::numbers::pi;
  config.viscosity = c.viscosity;
  config.forcing = Ns2dForcing::none;
  config.initial_condition = Ns2dInitialCondition::taylor_green;
  config.stepper = parse_stepper(c.stepper);
  config.cfl = c.cfl;
  return config;
}

void apply_scheme(const FvSchemeCase& o, FvSweConfig& c) {
  c.riemann = parse_riemann_solver(o.riemann);
  c.limiter = parse_slope_limiter(o.limiter);
  c.stepper = parse_ssp_stepper(o.stepper);
  c.cfl = o.cfl;
}

void cell_centres(const FvSweSolver& solver, std::vector<double>& x, std::vector<double>& y) {
  x.resize(solver.nx());
  y.resize(solver.ny());
  for (int i = 0; i < solver.nx(); ++i) x[i] = solver.x(i);
  for (int j = 0; j < solver.ny(); ++j) y[j] = solver.y(j);
}

SweCgridConfig jet_config(const GeostrophicJetCase& o) {
  SweCgridConfig c;
  c.nx = c.ny = o.resolution;
  c.lx = c.ly = o.length;
  c.f0 = o.f0;
  c.gravity = o.gravity;
  c.depth = o.depth;
  c.cfl = o.cfl;
  c.dt = o.dt;
  c.beta = 0.0;  // the jet is an exact steady state on the f-plane only
  c.stepper = parse_swe_cgrid_stepper(o.stepper);
  c.scheme = parse_swe_cgrid_scheme(o.scheme);
  return c;
}

}  // namespace

// ---- taylor-green ----

void TaylorGreenCase::validate() const {
  taylor_green_config(*this).validate();
  require(std::isfinite(t_end) && t_end >= 0, "--t-end must be >= 0 (got {})", t_end);
}

TaylorGreenResult solve_taylor_green(const TaylorGreenCase& c, const StopToken& stop,
                                     ProgressSink* progress) {
  c.validate();
  Ns2dSolver solver(taylor_green_config(c));
  solver.set_vorticity(taylor_green_vorticity(solver.grid()));
  solver.advance_to(c.t_end, stop, progress);
  TaylorGreenResult r;
  Field u_exact, v_exact;
  solver.velocity(r.u, r.v);
  // The exact solution at the time reached (t_end unless stopped early).
  taylor_green_velocity(solver.grid(), c.viscosity, solver.time(), u_exact, v_exact);
  r.velocity_rms_error = std::sqrt(((r.u - u_exact).square() + (r.v - v_exact).square()).mean());
  r.vorticity = solver.vorticity();
  const auto& g = solver.grid();
  r.x.resize(g.nx);
  for (int i = 0; i < g.nx; ++i) r.x[i] = g.x(i);
  r.y = r.x;
  r.time = solver.time();
  r.steps = solver.steps();
  return r;
}

// ---- dam-break ----

void DamBreakCase::validate() const {
  require(resolution >= 2, "--resolution must be at least 2 (got {})", resolution);
  require(ny >= 2, "--ny must be at least 2 (got {})", ny);
  require(std::isfinite(t_end) && t_end >= 0, "--t-end must be >= 0 (got {})", t_end);
  // The exact solution (and its errors) exists for still water on both sides: check the depths
  // before solving.
  dam_break_structure(std::max(h_left, h_right), std::min(h_left, h_right), gravity);
}

DamBreakResult solve_dam_break(const DamBreakCase& o, const StopToken& stop,
                               ProgressSink* progress) {
  o.validate();
  FvSweConfig c;
  c.nx = o.resolution;
  c.ny = o.ny;
  c.x_min = -1.0;
  c.x_max = 1.0;
  c.y_min = 0.0;
  c.y_max = 2.0 * o.ny / o.resolution;  // square cells
  c.gravity = o.gravity;
  apply_scheme(o.scheme, c);
  FvSweSolver solver(c);
  solver.set_state(planar_dam_break_depth(solver, o.h_left, o.h_right), Field::Zero(c.nx, c.ny),
                   Field::Zero(c.nx, c.ny));
  const double mass0 = solver.diagnostics().mass;
  solver.advance_to(o.t_end, stop, progress);
  DamBreakResult r;
  Field hv, v;
  solver.depth(r.h);
  solver.momentum(r.hu, hv);
  solver.velocity(r.u, v);
  const auto errors = dam_break_errors(solver, o.h_left, o.h_right, &r.h_exact, &r.u_exact);
  const auto& exact = errors.structure;
  r.structure = exact;
  r.l1_error_h = errors.l1_h;
  r.l1_error_u = errors.l1_u;
  r.h_middle_exact = exact.h_middle;
  r.u_middle_exact = errors.mirrored ? -exact.u_middle : exact.u_middle;
  r.shock_speed_exact = errors.mirrored ? -exact.shock_speed : exact.shock_speed;
  r.mass_change = solver.diagnostics().mass - mass0;
  r.exact_solution = exact.h_right > 0 ? "Stoker (wet bed)" : "Ritter (dry bed)";
  r.time = solver.time();
  r.steps = solver.steps();
  cell_centres(solver, r.x, r.y);
  return r;
}

// ---- lake-at-rest ----

void LakeAtRestCase::validate() const {
  require(resolution >= 2, "--resolution must be at least 2 (got {})", resolution);
  require(std::isfinite(t_end) && t_end >= 0, "--t-end must be >= 0 (got {})", t_end);
  require(std::isfinite(bump) && std::isfinite(decay) && decay > 0,
          "--bump must be finite and --decay positive");
  require(std::isfinite(level) && level > 0, "--level must be positive (got {})", level);
}

LakeAtRestResult solve_lake_at_rest(const LakeAtRestCase& o, const StopToken& stop,
                                    ProgressSink* progress) {
  o.validate();
  FvSweConfig c;
  c.nx = c.ny = o.resolution;
  c.x_min = c.y_min = -0.5;
  c.x_max = c.y_max = 0.5;
  c.gravity = o.gravity;
  c.boundary = SweBoundary::reflective;
  apply_scheme(o.scheme, c);
  FvSweSolver solver(c);
  LakeAtRestResult r;
  r.z = gaussian_bump(solver, o.bump, o.decay);
  solver.set_bathymetry(r.z);
  const Field h0 = lake_at_rest_depth(r.z, o.level);
  solver.set_state(h0, Field::Zero(c.nx, c.ny), Field::Zero(c.nx, c.ny));
  solver.advance_to(o.t_end, stop, progress);
  solver.depth(r.h);
  solver.velocity(r.u, r.v);
  r.eta = r.h + r.z;
  r.max_velocity = std::max(r.u.abs().maxCoeff(), r.v.abs().maxCoeff());
  r.max_surface_error = (r.h > 0).select((r.eta - o.level).abs(), 0.0).maxCoeff();
  r.dry_cells = (r.h == 0.0).count();
  r.time = solver.time();
  r.steps = solver.steps();
  cell_centres(solver, r.x, r.y);
  return r;
}

// ---- geostrophic-jet ----

void GeostrophicJetCase::validate() const {
  jet_config(*this).validate();
  require(std::isfinite(t_end) && t_end >= 0, "--t-end must be >= 0 (got {})", t_end);
}

GeostrophicJetResult solve_geostrophic_jet(const GeostrophicJetCase& o, const StopToken& stop,
                                           ProgressSink* progress) {
  o.validate();
  const SweCgridConfig c = jet_config(o);
  Field h0, u0, v0;
  swe_jet_state(c, o.speed, o.mode, 0.0, h0, u0, v0);
  SweCgridSolver solver(c);
  solver.set_state(h0, u0, v0);
  const auto d0 = solver.diagnostics();
  solver.advance_to(o.t_end, stop, progress);
  const auto d1 = solver.diagnostics();
  GeostrophicJetResult r;
  Field h, u, v;
  solver.fields(h, u, v);
  solver.centred(r.eta, r.u, r.v, r.vorticity);
  r.max_u_error = (u - u0).abs().maxCoeff();
  r.max_v = v.abs().maxCoeff();
  r.max_eta_error = (h - h0).abs().maxCoeff();
  r.eta_exact = h0 - c.depth;
  r.relative_energy_change = (d1.energy - d0.energy) / d0.energy;
  r.relative_mass_change = (d1.mass - d0.mass) / d0.mass;
  r.x.resize(c.nx);
  r.y.resize(c.ny);
  for (int i = 0; i < c.nx; ++i) r.x[i] = (i + 0.5) * c.dx();
  for (int j = 0; j < c.ny; ++j) r.y[j] = (j + 0.5) * c.dy();
  r.time = solver.time();
  r.steps = solver.steps();
  return r;
}

}  // namespace fieldlab::solvers
