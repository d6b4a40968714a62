// fieldlab._core.solvers: wall-bounded incompressible flow on the MAC grid (Incompressible, with
// an optional passive scalar: smoke), the smoke noise generator and the lid-driven cavity case.

#include <chrono>
#include <cmath>
#include <random>

#include "core/error.hpp"
#include "python/src/bind_solvers.hpp"
#include "solvers/cavity.hpp"
#include "solvers/incompressible_mac.hpp"
#include "solvers/smoke_noise.hpp"

namespace fieldlab::python {
namespace {

using solvers::Field;
using solvers::IncompressibleConfig;
using solvers::IncompressibleMacSolver;

// The config plus the step size step() and advance_to() use.
struct MacSettings {
  IncompressibleConfig config;
  double dt = 1.5;  // `fieldlab generate smoke --dt`
};

const Keywords<MacSettings>& mac_keywords() {
  static const Keywords<MacSettings> k = [] {
    using K = Keywords<MacSettings>;
    K k("Incompressible");
    auto number = [&k](const char* name, auto member) {
      k.add_with(
          name,
          [member](MacSettings& s, py::handle v) {
            s.config.*member = K::cast<std::remove_reference_t<decltype(s.config.*member)>>(v);
          },
          [member](const MacSettings& s) { return py::cast(s.config.*member); });
    };
    number("nx", &IncompressibleConfig::nx);
    number("ny", &IncompressibleConfig::ny);
    number("lx", &IncompressibleConfig::lx);
    number("ly", &IncompressibleConfig::ly);
    number("viscosity", &IncompressibleConfig::viscosity);
    k.add_with(
        "advection",
        [](MacSettings& s, py::handle v) {
          s.config.scheme = solvers::parse_advection_scheme(K::cast<std::string>(v));
        },
        [](const MacSettings& s) { return py::cast(std::string(to_string(s.config.scheme))); });
    number("limiter", &IncompressibleConfig::limiter);
    number("scalar", &IncompressibleConfig::scalar);
    number("buoyancy_x", &IncompressibleConfig::buoyancy_x);
    number("buoyancy_y", &IncompressibleConfig::buoyancy_y);
    k.add("dt", &MacSettings::dt);
    return k;
  }();
  return k;
}

struct PyMac {
  std::unique_ptr<IncompressibleMacSolver> solver;
  double dt = 0;
};

void check_dt(double dt) {
  if (!(std::isfinite(dt) && dt > 0))
    raise_error("usage", "--dt must be positive (got " + std::to_string(dt) + ")");
}

py::dict mac_diagnostics(const IncompressibleMacSolver& s) {
  const auto& g = s.grid();
  py::dict d;
  d["time"] = s.time();
  d["steps"] = s.steps();
  d["max_divergence"] = solvers::max_abs_divergence(g, s.u(), s.v());
  d["max_cfl_rate"] = solvers::max_cfl_rate(g, s.u(), s.v());
  // Kinetic energy sum (u^2 dx dy over u faces + v^2 over v faces) / 2.
  d["kinetic_energy"] = 0.5 * (s.u().square().sum() + s.v().square().sum()) * g.cell_area();
  if (s.config().scalar) d["scalar_mass"] = s.scalar().sum() * g.cell_area();
  return d;
}

void bind_mac_class(py::module_& m) {
  py::class_<PyMac>(
      m, "Incompressible",
      R"doc(Incompressible Navier-Stokes in a closed no-slip box on the MAC grid, with an
optional passive scalar (smoke) that drives the flow through buoyancy (Chorin splitting:
advection, buoyancy, explicit diffusion, pressure projection).

Keywords: nx, ny, lx, ly, viscosity, advection ('semi-lagrangian' | 'maccormack'), limiter,
scalar, buoyancy_x, buoyancy_y (IncompressibleConfig, same defaults), and dt (the step size of
step() and advance_to(); default 1.5 as `fieldlab generate smoke2d`). See Incompressible.defaults().
The fluid starts at rest (scalar zero). fieldlab.solvers.Smoke() builds the smoke setup with
`fieldlab generate smoke2d`'s option names. Not thread-safe on one object.)doc")
      .def(py::init([](py::kwargs kwargs) {
             const MacSettings s = mac_keywords().apply(MacSettings{}, kwargs);
             check_dt(s.dt);
             auto p = std::make_unique<PyMac>();
             p->dt = s.dt;
             apply_call_threads();
             p->solver = std::make_unique<IncompressibleMacSolver>(s.config);
             return p;
           }),
           "Builds the solver from keyword arguments (fluid at rest).")
      .def_static(
          "defaults", [] { return mac_keywords().values(MacSettings{}); },
          "{keyword: default} of the constructor.")
      .def_property_readonly(
          "config",
          [](const PyMac& p) {
            return mac_keywords().values(MacSettings{p.solver->config(), p.dt});
          },
          "{keyword: value} this solver was built with.")
      .def_property_readonly(
          "nx", [](const PyMac& p) { return p.solver->grid().nx; }, "Cells along x.")
      .def_property_readonly(
          "ny", [](const PyMac& p) { return p.solver->grid().ny; }, "Cells along y.")
      .def_property_readonly(
          "dx", [](const PyMac& p) { return p.solver->grid().dx(); }, "Cell width.")
      .def_property_readonly(
          "dy", [](const PyMac& p) { return p.solver->grid().dy(); }, "Cell height.")
      .def_property_readonly(
          "extent",
          [](const PyMac& p) { return py::make_tuple(p.solver->grid().lx, p.solver->grid().ly); },
          "(lx, ly): the box [0, lx] x [0, ly].")
      .def_property_readonly(
          "time", [](const PyMac& p) { return p.solver->time(); }, "Current simulated time.")
      .def_property_readonly(
          "steps", [](const PyMac& p) { return p.solver->steps(); }, "Steps taken so far.")
      .def_property_readonly(
          "dt", [](const PyMac& p) { return p.dt; }, "Step size of step().")
      .def_property_readonly(
          "u",
          [](py::object self) { return field_view(self.cast<PyMac&>().solver->u(), self, true); },
          "x-velocity on the west faces, shape (nx + 1, ny), a WRITABLE zero-copy view of the "
          "solver's state (it changes as the solver steps). After writing u or v call project() "
          "to make the velocity divergence-free again; the wall faces are overwritten by the "
          "boundary conditions.")
      .def_property_readonly(
          "v",
          [](py::object self) { return field_view(self.cast<PyMac&>().solver->v(), self, true); },
          "y-velocity on the south faces, shape (nx, ny + 1), a WRITABLE zero-copy view (see u).")
      .def_property_readonly(
          "scalar",
          [](py::object self) -> py::object {
            auto& s = *self.cast<PyMac&>().solver;
            if (!s.config().scalar) return py::none();
            return field_view(s.scalar(), self, true);
          },
          "The passive scalar (smoke density) at cell centres, shape (nx, ny), a WRITABLE "
          "zero-copy "
          "view (safe to write between steps); None when built with scalar=False.")
      .def(
          "project",
          [](PyMac& p) {
            apply_call_threads();
            p.solver->project();
          },
          "Projects the current velocity onto divergence-free fields (after writing u or v).")
      .def(
          "step",
          [](PyMac& p, py::object dt) {
            const double h = dt.is_none() ? p.dt : dt.cast<double>();
            check_dt(h);
            apply_call_threads();
            p.solver->step(h);
          },
          py::arg("dt") = py::none(), "One step of size dt (default: the solver's dt).")
      .def(
          "advance_to",
          [](PyMac& p, double t, py::object progress) {
            require_finite(t, "t");
            auto& s = *p.solver;
            if (t < s.time())
              raise_error("usage", "cannot advance backwards from t = " + std::to_string(s.time()) +
                                       " to t = " + std::to_string(t));
            const double dt = p.dt;
            run_long(
                [&s, t, dt](const StopToken& stop, ProgressSink* sink) {
                  const double t0 = s.time();
                  const long long n = static_cast<long long>(std::ceil((t - t0) / dt - 1e-9));
                  ProgressPhase phase(sink, "advance", n);
                  // Steps of dt; the last one shortened to land exactly on t.
                  while (s.time() < t && !stop.stop_requested()) {
                    const double remaining = t - s.time();
                    if (remaining <= 1e-12 * dt) {  // round-off of the summed steps
                      s.set_time(t);
                      break;
                    }
                    const double h = std::min(dt, remaining);
                    s.step(h);
                    if (h == remaining) s.set_time(t);
                    phase.advance(1);
                  }
                },
                progress);
          },
          py::arg("t"), py::arg("progress") = py::none(),
          "Advances to time t with steps of dt (the last shortened to land on t), the GIL "
          "released. Ctrl-C stops after the current step and raises KeyboardInterrupt.")
      .def(
          "diagnostics", [](const PyMac& p) { return mac_diagnostics(*p.solver); },
          "A dict: time, steps, max_divergence, max_cfl_rate (max(|u|/dx + |v|/dy)), "
          "kinetic_energy and, with a scalar, scalar_mass.");

  m.def(
      "smoke_noise",
      [](int nx, int ny, double lx, double ly, double scale, double smoothness,
         unsigned long long seed) {
        if (nx < 1 || ny < 1) raise_error("usage", "nx and ny must be >= 1");
        if (!(std::isfinite(lx) && lx > 0 && std::isfinite(ly) && ly > 0))
          raise_error("usage", "lx and ly must be positive and finite");
        const solvers::MacGrid grid(nx, ny, lx, ly);
        solvers::SmokeNoise noise{scale, smoothness};
        std::mt19937_64 rng(seed);
        Field out;
        solvers::smooth_noise(grid, noise, rng, out);
        return field_copy(out);
      },
      py::arg("nx") = 128, py::arg("ny") = 128, py::arg("lx") = 32.0, py::arg("ly") = 32.0,
      py::arg("scale") = 11.0, py::arg("smoothness") = 6.0, py::arg("seed") = 0,
      "PhiFlow-style smooth noise (zero mean, unit standard deviation) at cell centres, drawn "
      "with mt19937_64(seed); the smoke density is its absolute value. A new (nx, ny) array.");
}

const Keywords<solvers::CavityConfig>& cavity_keywords() {
  using solvers::CavityConfig;
  static const Keywords<CavityConfig> k = [] {
    Keywords<CavityConfig> k("Cavity");
    k.add("re", &CavityConfig::reynolds)
        .add("resolution", &CavityConfig::resolution)
        .add_with(
            "advection",
            [](CavityConfig& c, py::handle v) {
              c.scheme =
                  solvers::parse_advection_scheme(Keywords<CavityConfig>::cast<std::string>(v));
            },
            [](const CavityConfig& c) { return py::cast(std::string(to_string(c.scheme))); })
        .add("cfl", &CavityConfig::cfl)
        .add("tolerance", &CavityConfig::tolerance)
        .add("max_time", &CavityConfig::max_time);
    return k;
  }();
  return k;
}

// A LidDrivenCavity and the wall time its runs took.
struct PyCavity {
  std::unique_ptr<solvers::LidDrivenCavity> cavity;
  double seconds = 0;
};

std::unique_ptr<PyCavity> make_cavity(const solvers::CavityConfig& c) {
  c.validate();
  auto p = std::make_unique<PyCavity>();
  apply_call_threads();
  p->cavity = std::make_unique<solvers::LidDrivenCavity>(c);
  return p;
}

// Marches the cavity (a long call) and returns the CLI's numbers.
py::dict run_cavity(PyCavity& p, const py::object& progress) {
  auto& cavity = *p.cavity;
  const auto& c = cavity.config();
  solvers::CavityResult result;
  run_long(
      [&](const StopToken& stop, ProgressSink* sink) {
        const auto start = std::chrono::steady_clock::now();
        const long long total = static_cast<long long>(std::ceil(c.max_time));
        ProgressPhase phase(sink, "cavity", total);
        long long done = static_cast<long long>(cavity.solver().time());
        result = cavity.run(
            [&](double t, double residual) {
              if (sink) {
                const long long now = std::min(total, static_cast<long long>(t));
                char note[64];
                std::snprintf(note, sizeof note, "max |du/dt| %.2e", residual);
                phase.advance(std::max(0LL, now - done), note);
                done = std::max(done, now);
              }
              return true;
            },
            stop);
        p.seconds +=
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      },
      progress);
  py::dict d;
  d["converged"] = result.converged;
  d["time"] = result.time;
  d["steps"] = result.steps;
  d["dt"] = result.dt;
  d["final_residual"] = result.residual;
  d["max_divergence"] = result.max_divergence;
  d["convergence_history_time"] = vector_copy(result.history_time);
  d["convergence_history_residual"] = vector_copy(result.history_residual);
  const auto ghia = solvers::ghia_deviation(cavity);
  if (ghia.u >= 0) {
    d["ghia1982_max_deviation_u"] = ghia.u;
    d["ghia1982_max_deviation_v"] = ghia.v;
  }
  d["wall_seconds"] = p.seconds;
  return d;
}

py::dict cavity_node_fields(const PyCavity& p) {
  const int n = p.cavity->config().resolution;
  Field u, v, pressure, psi, omega;
  p.cavity->node_fields(u, v, pressure, psi, omega);
  std::vector<double> x(n + 1);
  for (int i = 0; i <= n; ++i) x[i] = static_cast<double>(i) / n;
  py::dict d;
  d["x"] = vector_copy(x);
  d["y"] = vector_copy(x);
  d["u"] = field_copy(u);
  d["v"] = field_copy(v);
  d["pressure"] = field_copy(pressure);
  d["streamfunction"] = field_copy(psi);
  d["vorticity"] = field_copy(omega);
  return d;
}

void bind_cavity(py::module_& m) {
  py::class_<PyCavity>(
      m, "Cavity",
      R"doc(The lid-driven cavity on the unit square (no-slip walls, the top wall moving at
speed 1, Re = 1 / nu), marched with the MAC-grid solver to a steady state.

Keywords: re, resolution, advection, cfl, tolerance, max_time: the options of
`fieldlab solve cavity` (same defaults; see Cavity.defaults()). run() marches (a long call);
calling it again after a KeyboardInterrupt continues from where it stopped. Not thread-safe on
one object.)doc")
      .def(py::init([](py::kwargs kwargs) {
             return make_cavity(cavity_keywords().apply(solvers::CavityConfig{}, kwargs));
           }),
           "Builds the cavity (fluid at rest) from keyword arguments.")
      .def_static(
          "defaults", [] { return cavity_keywords().values(solvers::CavityConfig{}); },
          "{keyword: default} of the constructor.")
      .def_property_readonly(
          "config", [](const PyCavity& p) { return cavity_keywords().values(p.cavity->config()); },
          "{keyword: value} this cavity was built with.")
      .def_property_readonly(
          "nx", [](const PyCavity& p) { return p.cavity->solver().grid().nx; }, "Cells per side.")
      .def_property_readonly(
          "ny", [](const PyCavity& p) { return p.cavity->solver().grid().ny; }, "Cells per side.")
      .def_property_readonly(
          "dx", [](const PyCavity& p) { return p.cavity->solver().grid().dx(); }, "Cell width.")
      .def_property_readonly(
          "extent", [](const PyCavity&) { return py::make_tuple(1.0, 1.0); },
          "(1, 1): the unit square.")
      .def_property_readonly(
          "time", [](const PyCavity& p) { return p.cavity->solver().time(); }, "Simulated time.")
      .def_property_readonly(
          "steps", [](const PyCavity& p) { return p.cavity->solver().steps(); }, "Steps taken.")
      .def_property_readonly(
          "u",
          [](py::object self) {
            return field_view(self.cast<PyCavity&>().cavity->solver().u(), self, false);
          },
          "x-velocity on the MAC faces, (nx + 1, ny): a READ-ONLY zero-copy view of the solver's "
          "state (it changes while run() marches).")
      .def_property_readonly(
          "v",
          [](py::object self) {
            return field_view(self.cast<PyCavity&>().cavity->solver().v(), self, false);
          },
          "y-velocity on the MAC faces, (nx, ny + 1): a READ-ONLY zero-copy view.")
      .def("run", &run_cavity, py::arg("progress") = py::none(),
           "Marches until max |du/dt| < tolerance or max_time (GIL released; Ctrl-C stops at the "
           "next check and raises KeyboardInterrupt). Returns the CLI's numbers: converged, time, "
           "steps, dt, final_residual, max_divergence, convergence_history_time/_residual, "
           "ghia1982_max_deviation_u/_v (Re 100 and 1000), wall_seconds.")
      .def("node_fields", &cavity_node_fields,
           "The fields on the node grid x_i = i / n (walls included), [x, y], new arrays: x, y, u, "
           "v, pressure (zero mean), streamfunction, vorticity.")
      .def(
          "u_at", [](const PyCavity& p, double x, double y) { return p.cavity->u_at(x, y); },
          py::arg("x"), py::arg("y"), "u interpolated at a point of the unit square.")
      .def(
          "v_at", [](const PyCavity& p, double x, double y) { return p.cavity->v_at(x, y); },
          py::arg("x"), py::arg("y"), "v interpolated at a point of the unit square.");

  m.def(
      "solve_cavity",
      [](double re, int resolution, std::string advection, double cfl, double tolerance,
         double max_time, py::object progress) {
        solvers::CavityConfig c;
        c.reynolds = re;
        c.resolution = resolution;
        c.scheme = solvers::parse_advection_scheme(advection);
        c.cfl = cfl;
        c.tolerance = tolerance;
        c.max_time = max_time;
        auto p = make_cavity(c);
        const py::dict numbers = run_cavity(*p, progress);
        py::dict d = cavity_node_fields(*p);
        for (auto item : numbers) d[item.first] = item.second;
        return d;
      },
      py::kw_only(), py::arg("re") = 100.0, py::arg("resolution") = 128,
      py::arg("advection") = "maccormack", py::arg("cfl") = 0.5, py::arg("tolerance") = 1e-6,
      py::arg("max_time") = 500.0, py::arg("progress") = py::none(),
      "`fieldlab solve cavity`: the lid-driven cavity marched to a steady state (Cavity(...).run() "
      "and node_fields() in one call). Returns a dict of new arrays on the node grid x_i = i / n "
      "(walls included), [x, y]: u, v, pressure, streamfunction, vorticity; and the numbers the "
      "CLI writes: converged (False when max_time ran out; the CLI then exits with an error, "
      "Python returns the fields), time, steps, dt, final_residual, max_divergence, "
      "convergence_history_time/_residual, ghia1982_max_deviation_u/_v (Re 100 and 1000), "
      "wall_seconds. Ctrl-C stops at the next check and raises KeyboardInterrupt.");
}

}  // namespace

void bind_solvers_mac(py::module_& m) {
  bind_mac_class(m);
  bind_cavity(m);
}

}  // namespace fieldlab::python
