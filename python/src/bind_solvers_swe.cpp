// fieldlab._core.solvers: finite-volume shallow water (ShallowWater), the rotating C-grid shallow
// water (ShallowWaterCGrid) and their verification cases (dam break, lake at rest, geostrophic
// jet).

#include <cmath>
#include <random>

#include "core/error.hpp"
#include "python/src/bind_solvers.hpp"
#include "solvers/swe_cgrid.hpp"
#include "solvers/swe_fv.hpp"
#include "solvers/verification_cases.hpp"

namespace fieldlab::python {
namespace {

using solvers::Field;
using solvers::FvSweConfig;
using solvers::FvSweSolver;
using solvers::SweCgridConfig;
using solvers::SweCgridSolver;

// A zero-copy view of the interior (nx, ny) of a padded (nx + 2g, ny + 2g) array: strided.
py::array interior_view(const Field& padded, int nx, int ny, py::handle owner) {
  const int g = FvSweSolver::kGhostLayers;
  const auto row = static_cast<py::ssize_t>(padded.cols() * sizeof(double));
  const std::vector<py::ssize_t> shape = {nx, ny};
  const std::vector<py::ssize_t> strides = {row, static_cast<py::ssize_t>(sizeof(double))};
  py::array a(py::dtype::of<double>(), shape, strides, padded.data() + g * padded.cols() + g,
              owner);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

template <typename Config, typename Enum>
void add_enum(Keywords<Config>& k, const char* name, Enum Config::*member,
              Enum (*parse)(const std::string&)) {
  k.add_with(
      name,
      [member, parse](Config& c, py::handle v) {
        c.*member = parse(Keywords<Config>::template cast<std::string>(v));
      },
      [member](const Config& c) { return py::cast(std::string(solvers::to_string(c.*member))); });
}

const Keywords<FvSweConfig>& fv_keywords() {
  static const Keywords<FvSweConfig> k = [] {
    Keywords<FvSweConfig> k("ShallowWater");
    k.add("nx", &FvSweConfig::nx)
        .add("ny", &FvSweConfig::ny)
        .add("x_min", &FvSweConfig::x_min)
        .add("x_max", &FvSweConfig::x_max)
        .add("y_min", &FvSweConfig::y_min)
        .add("y_max", &FvSweConfig::y_max)
        .add("gravity", &FvSweConfig::gravity);
    add_enum(k, "riemann", &FvSweConfig::riemann, &solvers::parse_riemann_solver);
    add_enum(k, "limiter", &FvSweConfig::limiter, &solvers::parse_slope_limiter);
    add_enum(k, "stepper", &FvSweConfig::stepper, &solvers::parse_ssp_stepper);
    add_enum(k, "boundary", &FvSweConfig::boundary, &solvers::parse_swe_boundary);
    k.add("cfl", &FvSweConfig::cfl).add("dry_tolerance", &FvSweConfig::dry_tolerance);
    return k;
  }();
  return k;
}

const Keywords<SweCgridConfig>& cgrid_keywords() {
  static const Keywords<SweCgridConfig> k = [] {
    Keywords<SweCgridConfig> k("ShallowWaterCGrid");
    k.add("nx", &SweCgridConfig::nx)
        .add("ny", &SweCgridConfig::ny)
        .add("lx", &SweCgridConfig::lx)
        .add("ly", &SweCgridConfig::ly)
        .add("gravity", &SweCgridConfig::gravity)
        .add("depth", &SweCgridConfig::depth)
        .add("f0", &SweCgridConfig::f0)
        .add("beta", &SweCgridConfig::beta)
        .add("viscosity", &SweCgridConfig::viscosity)
        .add("drag", &SweCgridConfig::drag);
    add_enum(k, "scheme", &SweCgridConfig::scheme, &solvers::parse_swe_cgrid_scheme);
    add_enum(k, "stepper", &SweCgridConfig::stepper, &solvers::parse_swe_cgrid_stepper);
    k.add("cfl", &SweCgridConfig::cfl).add("dt", &SweCgridConfig::dt);
    return k;
  }();
  return k;
}

std::vector<double> centres(double lo, double h, int n) {
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) x[i] = lo + (i + 0.5) * h;
  return x;
}

void bind_fv(py::module_& m) {
  py::class_<FvSweSolver>(
      m, "ShallowWater",
      R"doc(Finite-volume shallow water on a rectangle (HLL/HLLC/Rusanov/Roe fluxes,
MUSCL reconstruction, hydrostatic reconstruction for the bottom, SSP Runge-Kutta).

Keywords: nx, ny, x_min, x_max, y_min, y_max, gravity, riemann, limiter, stepper, boundary
('transmissive' | 'reflective'), cfl, dry_tolerance (FvSweConfig, same defaults; see
ShallowWater.defaults()). The state starts dry (h = 0): call set_bathymetry() then set_state().
Not thread-safe on one object.)doc")
      .def(py::init([](py::kwargs kwargs) {
             const FvSweConfig c = fv_keywords().apply(FvSweConfig{}, kwargs);
             apply_call_threads();
             return std::make_unique<FvSweSolver>(c);
           }),
           "Builds the solver from keyword arguments.")
      .def_static(
          "defaults", [] { return fv_keywords().values(FvSweConfig{}); },
          "{keyword: default} of the constructor.")
      .def_property_readonly(
          "config", [](const FvSweSolver& s) { return fv_keywords().values(s.config()); },
          "{keyword: value} this solver was built with.")
      .def_property_readonly("nx", &FvSweSolver::nx, "Cells along x.")
      .def_property_readonly("ny", &FvSweSolver::ny, "Cells along y.")
      .def_property_readonly("dx", &FvSweSolver::dx, "Cell width.")
      .def_property_readonly("dy", &FvSweSolver::dy, "Cell height.")
      .def_property_readonly(
          "extent",
          [](const FvSweSolver& s) {
            const auto& c = s.config();
            return py::make_tuple(c.x_min, c.x_max, c.y_min, c.y_max);
          },
          "(x_min, x_max, y_min, y_max), matplotlib's imshow extent order.")
      .def_property_readonly(
          "x",
          [](const FvSweSolver& s) {
            return vector_copy(centres(s.config().x_min, s.dx(), s.nx()));
          },
          "Cell-centre x coordinates (a new array).")
      .def_property_readonly(
          "y",
          [](const FvSweSolver& s) {
            return vector_copy(centres(s.config().y_min, s.dy(), s.ny()));
          },
          "Cell-centre y coordinates (a new array).")
      .def_property_readonly("time", &FvSweSolver::time, "Current simulated time.")
      .def_property_readonly("steps", &FvSweSolver::steps, "Steps taken so far.")
      .def_property_readonly(
          "depth",
          [](py::object self) {
            const auto& s = self.cast<const FvSweSolver&>();
            return interior_view(s.padded_depth(), s.nx(), s.ny(), self);
          },
          "Depth h at cell centres, (nx, ny) [x, y]: a READ-ONLY zero-copy (strided) view of the "
          "solver's state, which changes as it steps. Write the state with set_state().")
      .def_property_readonly(
          "momentum_x",
          [](py::object self) {
            const auto& s = self.cast<const FvSweSolver&>();
            return interior_view(s.padded_momentum_x(), s.nx(), s.ny(), self);
          },
          "x-momentum hu, a READ-ONLY zero-copy view (see depth).")
      .def_property_readonly(
          "momentum_y",
          [](py::object self) {
            const auto& s = self.cast<const FvSweSolver&>();
            return interior_view(s.padded_momentum_y(), s.nx(), s.ny(), self);
          },
          "y-momentum hv, a READ-ONLY zero-copy view (see depth).")
      .def(
          "velocity",
          [](const FvSweSolver& s) {
            Field u, v;
            s.velocity(u, v);
            return py::make_tuple(field_copy(u), field_copy(v));
          },
          "(u, v), zero in dry cells: new (nx, ny) arrays.")
      .def(
          "bathymetry",
          [](const FvSweSolver& s) {
            Field z;
            s.bathymetry(z);
            return field_copy(z);
          },
          "Bottom elevation z at cell centres (a new array).")
      .def(
          "set_bathymetry",
          [](FvSweSolver& s, py::handle z) {
            s.set_bathymetry(field_from(z, "bathymetry", s.nx(), s.ny()));
          },
          py::arg("z"), "Sets the bottom elevation (shape (nx, ny)); set it before the state.")
      .def(
          "set_state",
          [](FvSweSolver& s, py::handle h, py::handle hu, py::handle hv, double t) {
            const Field fh = field_from(h, "depth", s.nx(), s.ny());
            const Field fu = hu.is_none() ? Field::Zero(s.nx(), s.ny())
                                          : field_from(hu, "momentum_x", s.nx(), s.ny());
            const Field fv = hv.is_none() ? Field::Zero(s.nx(), s.ny())
                                          : field_from(hv, "momentum_y", s.nx(), s.ny());
            s.set_state(fh, fu, fv, t);
          },
          py::arg("h"), py::arg("hu") = py::none(), py::arg("hv") = py::none(), py::arg("t") = 0.0,
          "Sets depth (>= 0) and momenta (default 0), each (nx, ny), at time t. Wrong shapes, "
          "negative depths or non-finite values raise fieldlab.UsageError.")
      .def("stable_dt", &FvSweSolver::stable_dt,
           "Largest step allowed by cfl for the current state.")
      .def(
          "step",
          [](FvSweSolver& s, py::object dt) {
            apply_call_threads();
            const double h = dt.is_none() ? s.stable_dt() : dt.cast<double>();
            s.step(h);
          },
          py::arg("dt") = py::none(), "One SSP-RK step of size dt (default: stable_dt()).")
      .def(
          "advance_to",
          [](FvSweSolver& s, double t, py::object progress) {
            require_finite(t, "t");
            run_long(
                [&s, t](const StopToken& stop, ProgressSink* sink) { s.advance_to(t, stop, sink); },
                progress);
          },
          py::arg("t"), py::arg("progress") = py::none(),
          "Advances to time t with CFL-limited steps landing exactly on t, the GIL released. "
          "Ctrl-C stops after the current step and raises KeyboardInterrupt.")
      .def(
          "diagnostics",
          [](const FvSweSolver& s) {
            const auto d = s.diagnostics();
            py::dict r;
            r["time"] = d.time;
            r["mass"] = d.mass;
            r["energy"] = d.energy;
            r["max_wave_speed"] = d.max_wave_speed;
            r["min_depth"] = d.min_depth;
            r["clipped_mass"] = d.clipped_mass;
            r["steps"] = d.steps;
            return r;
          },
          "The library's FvSweDiagnostics as a dict: time, mass, energy, max_wave_speed, "
          "min_depth, clipped_mass, steps.");
}

py::tuple state_tuple(const Field& h, const Field& u, const Field& v) {
  return py::make_tuple(field_copy(h), field_copy(u), field_copy(v));
}

void bind_cgrid(py::module_& m) {
  py::class_<SweCgridSolver>(
      m, "ShallowWaterCGrid",
      R"doc(Rotating shallow water on a doubly periodic plane, Arakawa C-grid,
vector-invariant form with Sadourny's energy- or enstrophy-conserving PV flux; RK4 or SSP-RK3.

Keywords: nx, ny, lx, ly, gravity, depth (mean H), f0, beta, viscosity, drag, scheme, stepper,
cfl, dt (SweCgridConfig, same defaults; see ShallowWaterCGrid.defaults()). Starts at rest with
h = depth. h sits at cell centres, u on west faces, v on south faces. Not thread-safe on one
object.)doc")
      .def(py::init([](py::kwargs kwargs) {
             const SweCgridConfig c = cgrid_keywords().apply(SweCgridConfig{}, kwargs);
             apply_call_threads();
             auto s = std::make_unique<SweCgridSolver>(c);
             s->set_state(Field::Constant(c.nx, c.ny, c.depth), Field::Zero(c.nx, c.ny),
                          Field::Zero(c.nx, c.ny));
             return s;
           }),
           "Builds the solver from keyword arguments (at rest, h = depth).")
      .def_static(
          "defaults", [] { return cgrid_keywords().values(SweCgridConfig{}); },
          "{keyword: default} of the constructor.")
      .def_property_readonly(
          "config", [](const SweCgridSolver& s) { return cgrid_keywords().values(s.config()); },
          "{keyword: value} this solver was built with.")
      .def_property_readonly("nx", &SweCgridSolver::nx, "Cells along x.")
      .def_property_readonly("ny", &SweCgridSolver::ny, "Cells along y.")
      .def_property_readonly(
          "dx", [](const SweCgridSolver& s) { return s.config().dx(); }, "Cell width.")
      .def_property_readonly(
          "dy", [](const SweCgridSolver& s) { return s.config().dy(); }, "Cell height.")
      .def_property_readonly(
          "extent",
          [](const SweCgridSolver& s) { return py::make_tuple(s.config().lx, s.config().ly); },
          "(lx, ly): the periodic domain.")
      .def_property_readonly("time", &SweCgridSolver::time, "Current simulated time.")
      .def_property_readonly("steps", &SweCgridSolver::steps, "Steps taken so far.")
      .def_property_readonly(
          "h",
          [](py::object self) {
            const auto& s = self.cast<const SweCgridSolver&>();
            return view_of(const_cast<double*>(s.state().data()), {s.nx(), s.ny()}, self, false);
          },
          "Total depth at cell centres, (nx, ny): a READ-ONLY zero-copy view of the state (rows "
          "[0, nx) of the stored (3 nx, ny) state), changing as the solver steps. Write the state "
          "with set_state().")
      .def_property_readonly(
          "u",
          [](py::object self) {
            const auto& s = self.cast<const SweCgridSolver&>();
            return view_of(const_cast<double*>(s.state().data()) + s.nx() * s.ny(),
                           {s.nx(), s.ny()}, self, false);
          },
          "x-velocity on west faces, a READ-ONLY zero-copy view (see h).")
      .def_property_readonly(
          "v",
          [](py::object self) {
            const auto& s = self.cast<const SweCgridSolver&>();
            return view_of(const_cast<double*>(s.state().data()) + 2 * s.nx() * s.ny(),
                           {s.nx(), s.ny()}, self, false);
          },
          "y-velocity on south faces, a READ-ONLY zero-copy view (see h).")
      .def(
          "centred",
          [](const SweCgridSolver& s) {
            Field eta, u, v, w;
            s.centred(eta, u, v, w);
            py::dict d;
            d["eta"] = field_copy(eta);
            d["u"] = field_copy(u);
            d["v"] = field_copy(v);
            d["vorticity"] = field_copy(w);
            return d;
          },
          "Fields interpolated to cell centres, new arrays: {eta (h - depth), u, v, vorticity}.")
      .def(
          "set_state",
          [](SweCgridSolver& s, py::handle h, py::handle u, py::handle v, double t) {
            s.set_state(field_from(h, "h", s.nx(), s.ny()), field_from(u, "u", s.nx(), s.ny()),
                        field_from(v, "v", s.nx(), s.ny()), t);
          },
          py::arg("h"), py::arg("u"), py::arg("v"), py::arg("t") = 0.0,
          "Sets depth (> 0), u and v (each (nx, ny), staggered) at time t. Wrong shapes or bad "
          "values raise fieldlab.UsageError.")
      .def(
          "jet_state",
          [](const SweCgridSolver& s, double speed, int mode, double perturbation) {
            Field h, u, v;
            solvers::swe_jet_state(s.config(), speed, mode, perturbation, h, u, v);
            return state_tuple(h, u, v);
          },
          py::arg("speed") = 0.1, py::arg("mode") = 1, py::arg("perturbation") = 0.0,
          "(h, u, v) of the balanced zonal jet u = U sin(k y), eta = (f0 U / (g k)) cos(k y), "
          "k = 2 pi mode / ly, for this solver's grid (new arrays; pass them to set_state).")
      .def(
          "adjustment_state",
          [](const SweCgridSolver& s, double amplitude, double width) {
            Field h, u, v;
            solvers::swe_adjustment_state(s.config(), amplitude, width, h, u, v);
            return state_tuple(h, u, v);
          },
          py::arg("amplitude") = 0.05, py::arg("width") = 0.05,
          "(h, u, v) of a Gaussian bump at rest (geostrophic adjustment); new arrays.")
      .def(
          "random_state",
          [](const SweCgridSolver& s, bool balanced, double amplitude, double alpha, double tau,
             unsigned long long seed) {
            Field h, u, v;
            std::mt19937_64 rng(seed);
            solvers::swe_random_state(s.config(), balanced, amplitude, alpha, tau, rng, h, u, v);
            return state_tuple(h, u, v);
          },
          py::arg("balanced") = true, py::arg("amplitude") = 0.05, py::arg("alpha") = 3.0,
          py::arg("tau") = 15.0, py::arg("seed") = 0,
          "(h, u, v) with a random eta of rms `amplitude` (spectrum alpha, tau), geostrophically "
          "balanced winds or at rest; drawn with mt19937_64(seed). New arrays.")
      .def("automatic_dt", &SweCgridSolver::automatic_dt, "The step chosen from cfl.")
      .def(
          "step",
          [](SweCgridSolver& s) {
            apply_call_threads();
            const double dt = s.config().dt > 0 ? s.config().dt : s.automatic_dt();
            s.advance_to(s.time() + dt);
          },
          "One step of the fixed dt (or the automatic one when dt is 0).")
      .def(
          "advance_to",
          [](SweCgridSolver& s, double t, py::object progress) {
            require_finite(t, "t");
            run_long(
                [&s, t](const StopToken& stop, ProgressSink* sink) { s.advance_to(t, stop, sink); },
                progress);
          },
          py::arg("t"), py::arg("progress") = py::none(),
          "Advances to time t with equal steps landing on it, the GIL released. Ctrl-C stops "
          "after the current step and raises KeyboardInterrupt.")
      .def(
          "diagnostics",
          [](const SweCgridSolver& s) {
            const auto d = s.diagnostics();
            py::dict r;
            r["time"] = d.time;
            r["mass"] = d.mass;
            r["energy"] = d.energy;
            r["potential_enstrophy"] = d.potential_enstrophy;
            r["max_speed"] = d.max_speed;
            r["min_depth"] = d.min_depth;
            r["cfl"] = d.cfl;
            r["steps"] = d.steps;
            return r;
          },
          "The library's SweCgridDiagnostics as a dict: time, mass, energy, potential_enstrophy, "
          "max_speed, min_depth, cfl, steps.");
}

void bind_cases(py::module_& m) {
  // The keyword defaults are the cases' own (the CLI's), not a second copy of them.
  static const solvers::DamBreakCase kDamBreak{};
  static const solvers::LakeAtRestCase kLakeAtRest{};
  static const solvers::GeostrophicJetCase kJet{};
  m.def(
      "solve_dam_break",
      [](int resolution, int ny, double h_left, double h_right, double gravity, double t_end,
         std::string riemann, std::string limiter, std::string stepper, double cfl,
         py::object progress) {
        solvers::DamBreakCase c;
        c.resolution = resolution;
        c.ny = ny;
        c.h_left = h_left;
        c.h_right = h_right;
        c.gravity = gravity;
        c.t_end = t_end;
        c.scheme = {riemann, limiter, stepper, cfl};
        c.validate();
        solvers::DamBreakResult r;
        run_long([&](const StopToken& stop,
                     ProgressSink* sink) { r = solvers::solve_dam_break(c, stop, sink); },
                 progress);
        py::dict d;
        d["x"] = vector_copy(r.x);
        d["y"] = vector_copy(r.y);
        d["h"] = field_copy(r.h);
        d["u"] = field_copy(r.u);
        d["hu"] = field_copy(r.hu);
        d["h_exact"] = field_copy(r.h_exact);
        d["u_exact"] = field_copy(r.u_exact);
        d["time"] = r.time;
        d["steps"] = r.steps;
        d["l1_error_h"] = r.l1_error_h;
        d["l1_error_u"] = r.l1_error_u;
        d["h_middle_exact"] = r.h_middle_exact;
        d["u_middle_exact"] = r.u_middle_exact;
        d["shock_speed_exact"] = r.shock_speed_exact;
        d["mass_change"] = r.mass_change;
        d["exact_solution"] = r.exact_solution;
        return d;
      },
      py::kw_only(), py::arg("resolution") = kDamBreak.resolution, py::arg("ny") = kDamBreak.ny,
      py::arg("h_left") = kDamBreak.h_left, py::arg("h_right") = kDamBreak.h_right,
      py::arg("gravity") = kDamBreak.gravity, py::arg("t_end") = kDamBreak.t_end,
      py::arg("riemann") = kDamBreak.scheme.riemann, py::arg("limiter") = kDamBreak.scheme.limiter,
      py::arg("stepper") = kDamBreak.scheme.stepper, py::arg("cfl") = kDamBreak.scheme.cfl,
      py::arg("progress") = py::none(),
      "`fieldlab solve dam-break`: planar dam on [-1, 1] vs the exact Stoker/Ritter solution. "
      "Returns a dict of new arrays x, y (cell centres), h, u, hu, h_exact, u_exact ([x, y]) and "
      "the numbers the CLI writes: time, steps, l1_error_h, l1_error_u, h_middle_exact, "
      "u_middle_exact, shock_speed_exact, mass_change, exact_solution.");
  m.def(
      "solve_lake_at_rest",
      [](int resolution, double t_end, double bump, double decay, double level, double gravity,
         std::string riemann, std::string limiter, std::string stepper, double cfl,
         py::object progress) {
        solvers::LakeAtRestCase c;
        c.resolution = resolution;
        c.t_end = t_end;
        c.bump = bump;
        c.decay = decay;
        c.level = level;
        c.gravity = gravity;
        c.scheme = {riemann, limiter, stepper, cfl};
        c.validate();
        solvers::LakeAtRestResult r;
        run_long([&](const StopToken& stop,
                     ProgressSink* sink) { r = solvers::solve_lake_at_rest(c, stop, sink); },
                 progress);
        py::dict d;
        d["x"] = vector_copy(r.x);
        d["y"] = vector_copy(r.y);
        d["h"] = field_copy(r.h);
        d["u"] = field_copy(r.u);
        d["v"] = field_copy(r.v);
        d["z"] = field_copy(r.z);
        d["eta"] = field_copy(r.eta);
        d["time"] = r.time;
        d["steps"] = r.steps;
        d["max_velocity"] = r.max_velocity;
        d["max_surface_error"] = r.max_surface_error;
        d["dry_cells"] = r.dry_cells;
        return d;
      },
      py::kw_only(), py::arg("resolution") = kLakeAtRest.resolution,
      py::arg("t_end") = kLakeAtRest.t_end, py::arg("bump") = kLakeAtRest.bump,
      py::arg("decay") = kLakeAtRest.decay, py::arg("level") = kLakeAtRest.level,
      py::arg("gravity") = kLakeAtRest.gravity, py::arg("riemann") = kLakeAtRest.scheme.riemann,
      py::arg("limiter") = kLakeAtRest.scheme.limiter,
      py::arg("stepper") = kLakeAtRest.scheme.stepper, py::arg("cfl") = kLakeAtRest.scheme.cfl,
      py::arg("progress") = py::none(),
      "`fieldlab solve lake-at-rest`: still water over a Gaussian bump (well-balancing). Returns "
      "a dict of new arrays x, y, h, u, v, z, eta and the CLI's numbers: time, steps, "
      "max_velocity, max_surface_error, dry_cells.");
  m.def(
      "solve_geostrophic_jet",
      [](int resolution, double length, double speed, int mode, double f0, double gravity,
         double depth, double t_end, std::string scheme, std::string stepper, double cfl, double dt,
         py::object progress) {
        solvers::GeostrophicJetCase c;
        c.resolution = resolution;
        c.length = length;
        c.speed = speed;
        c.mode = mode;
        c.f0 = f0;
        c.gravity = gravity;
        c.depth = depth;
        c.t_end = t_end;
        c.scheme = std::move(scheme);
        c.stepper = std::move(stepper);
        c.cfl = cfl;
        c.dt = dt;
        c.validate();
        solvers::GeostrophicJetResult r;
        run_long([&](const StopToken& stop,
                     ProgressSink* sink) { r = solvers::solve_geostrophic_jet(c, stop, sink); },
                 progress);
        py::dict d;
        d["x"] = vector_copy(r.x);
        d["y"] = vector_copy(r.y);
        d["eta"] = field_copy(r.eta);
        d["u"] = field_copy(r.u);
        d["v"] = field_copy(r.v);
        d["vorticity"] = field_copy(r.vorticity);
        d["eta_exact"] = field_copy(r.eta_exact);
        d["time"] = r.time;
        d["steps"] = r.steps;
        d["max_u_error"] = r.max_u_error;
        d["max_v"] = r.max_v;
        d["max_eta_error"] = r.max_eta_error;
        d["relative_energy_change"] = r.relative_energy_change;
        d["relative_mass_change"] = r.relative_mass_change;
        return d;
      },
      py::kw_only(), py::arg("resolution") = kJet.resolution, py::arg("length") = kJet.length,
      py::arg("speed") = kJet.speed, py::arg("mode") = kJet.mode, py::arg("f0") = kJet.f0,
      py::arg("gravity") = kJet.gravity, py::arg("depth") = kJet.depth,
      py::arg("t_end") = kJet.t_end, py::arg("scheme") = kJet.scheme,
      py::arg("stepper") = kJet.stepper, py::arg("cfl") = kJet.cfl, py::arg("dt") = kJet.dt,
      py::arg("progress") = py::none(),
      "`fieldlab solve geostrophic-jet`: the balanced zonal jet, an exact steady state of the "
      "C-grid solver. Returns a dict of new arrays x, y (cell centres), eta, u, v, vorticity, "
      "eta_exact and the CLI's numbers: time, steps, max_u_error, max_v, max_eta_error, "
      "relative_energy_change, relative_mass_change.");
}

}  // namespace

void bind_solvers_swe(py::module_& m) {
  bind_fv(m);
  bind_cgrid(m);
  bind_cases(m);
}

}  // namespace fieldlab::python
