// fieldlab._core.solvers: the periodic Navier-Stokes solver (Ns2d), the initial-condition
// generators, the Taylor-Green case, and the shared helpers of the other solver binding files.

#include "python/src/bind_solvers.hpp"

#include <cmath>
#include <numbers>
#include <random>

#include "core/error.hpp"
#include "solvers/initial_conditions.hpp"
#include "solvers/ns2d.hpp"
#include "solvers/verification_cases.hpp"

namespace fieldlab::python {

using solvers::Field;

py::array_t<double> field_copy(const Field& f) {
  py::array_t<double> a({static_cast<py::ssize_t>(f.rows()), static_cast<py::ssize_t>(f.cols())});
  std::copy(f.data(), f.data() + f.size(), a.mutable_data());
  return a;
}

py::array_t<double> vector_copy(const std::vector<double>& values) {
  return copy_of(values, {static_cast<py::ssize_t>(values.size())});
}

Field field_from(py::handle input, const std::string& what, long rows, long cols) {
  const auto a = as_array<double>(input, what, 2);
  if ((rows >= 0 && a.shape(0) != rows) || (cols >= 0 && a.shape(1) != cols))
    raise_error("usage", what + ": expected shape (" + std::to_string(rows) + ", " +
                             std::to_string(cols) + "), got (" + std::to_string(a.shape(0)) + ", " +
                             std::to_string(a.shape(1)) + ")");
  Field f(a.shape(0), a.shape(1));
  std::copy(a.data(), a.data() + f.size(), f.data());
  if (!f.allFinite()) raise_error("usage", what + ": values must be finite");
  return f;
}

py::array field_view(const Field& f, py::handle owner, bool writable) {
  return view_of(const_cast<double*>(f.data()),
                 {static_cast<py::ssize_t>(f.rows()), static_cast<py::ssize_t>(f.cols())}, owner,
                 writable);
}

void run_long(const std::function<void(const StopToken&, ProgressSink*)>& work,
              const py::object& progress) {
  run_interruptible(work, reporter_of(progress));
}

void require_finite(double value, const std::string& what) {
  if (!std::isfinite(value)) raise_error("usage", what + " must be finite");
}

namespace {

using solvers::Ns2dConfig;
using solvers::Ns2dSolver;

const Keywords<Ns2dConfig>& ns2d_keywords() {
  static const Keywords<Ns2dConfig> k = [] {
    Keywords<Ns2dConfig> k("Ns2d");
    using K = Keywords<Ns2dConfig>;
    k.add("resolution", &Ns2dConfig::resolution)
        .add("length", &Ns2dConfig::length)
        .add("viscosity", &Ns2dConfig::viscosity)
        .add("drag", &Ns2dConfig::drag)
        .add_with(
            "diffusion_order",
            [](Ns2dConfig& c, py::handle v) {
              const int order = K::cast<int>(v);
              if (order != 2 && order != 4)
                raise_error("usage",
                            "--diffusion-order must be 2 or 4 (got " + std::to_string(order) + ")");
              c.diffusion_order = static_cast<solvers::DifferenceOrder>(order);
            },
            [](const Ns2dConfig& c) { return py::cast(static_cast<int>(c.diffusion_order)); })
        .add_with(
            "forcing",
            [](Ns2dConfig& c, py::handle v) {
              c.forcing = solvers::parse_forcing(K::cast<std::string>(v));
            },
            [](const Ns2dConfig& c) { return py::cast(std::string(to_string(c.forcing))); })
        .add("forcing_amplitude", &Ns2dConfig::forcing_amplitude)
        .add("forcing_wavenumber", &Ns2dConfig::forcing_wavenumber)
        .add_with(
            "initial_condition",
            [](Ns2dConfig& c, py::handle v) {
              c.initial_condition = solvers::parse_initial_condition(K::cast<std::string>(v));
            },
            [](const Ns2dConfig& c) {
              return py::cast(std::string(to_string(c.initial_condition)));
            })
        .add_with(
            "grf_alpha", [](Ns2dConfig& c, py::handle v) { c.spectrum.alpha = K::cast<double>(v); },
            [](const Ns2dConfig& c) { return py::cast(c.spectrum.alpha); })
        .add_with(
            "grf_tau", [](Ns2dConfig& c, py::handle v) { c.spectrum.tau = K::cast<double>(v); },
            [](const Ns2dConfig& c) { return py::cast(c.spectrum.tau); })
        .add_with(
            "grf_sigma", [](Ns2dConfig& c, py::handle v) { c.spectrum.sigma = K::cast<double>(v); },
            [](const Ns2dConfig& c) { return py::cast(c.spectrum.sigma); })
        .add("shear_rho", &Ns2dConfig::shear_rho)
        .add("shear_delta", &Ns2dConfig::shear_delta)
        .add_with(
            "stepper",
            [](Ns2dConfig& c, py::handle v) {
              c.stepper = solvers::parse_stepper(K::cast<std::string>(v));
            },
            [](const Ns2dConfig& c) { return py::cast(std::string(to_string(c.stepper))); })
        .add("cfl", &Ns2dConfig::cfl)
        .add("dt", &Ns2dConfig::dt)
        .add("rtol", &Ns2dConfig::rtol)
        .add("atol", &Ns2dConfig::atol);
    return k;
  }();
  return k;
}

// Ns2d(**kwargs) plus the Python-only `seed` of the initial condition.
struct PyNs2d {
  std::unique_ptr<Ns2dSolver> solver;
};

py::dict ns2d_diagnostics(Ns2dSolver& s) {
  apply_call_threads();
  const auto d = s.diagnostics();
  py::dict r;
  r["time"] = d.time;
  r["kinetic_energy"] = d.kinetic_energy;
  r["enstrophy"] = d.enstrophy;
  r["max_speed"] = d.max_speed;
  r["cfl"] = d.cfl;
  r["max_divergence"] = d.max_divergence;
  r["steps"] = d.steps;
  return r;
}

solvers::PeriodicGrid periodic_grid(int resolution, double length) {
  if (resolution < 1)
    raise_error("usage", "resolution must be >= 1 (got " + std::to_string(resolution) + ")");
  if (!(std::isfinite(length) && length > 0))
    raise_error("usage", "length must be positive and finite");
  return solvers::PeriodicGrid(resolution, resolution, length, length);
}

void bind_ns2d_class(py::module_& m) {
  py::class_<PyNs2d>(
      m, "Ns2d",
      R"doc(Periodic 2D incompressible Navier-Stokes in vorticity-streamfunction form.

Keyword arguments are the options of ``fieldlab generate ns2d`` that configure the solver (same
names with '-' -> '_', same defaults; see ``Ns2d.defaults()``), plus ``seed`` (default 0): the
initial vorticity is the ``initial_condition``, random ones drawn with ``mt19937_64(seed)``.
``resolution`` is the grid the solver runs on (nx = ny). An unknown keyword is a TypeError
naming the valid ones; an invalid value is a fieldlab.UsageError.

Not thread-safe on one object: use one solver per thread.)doc")
      .def(py::init([](py::kwargs kwargs) {
             unsigned long long seed = 0;
             if (kwargs.contains("seed")) {
               const py::object value = kwargs["seed"];
               if (!py::isinstance<py::int_>(value) || py::isinstance<py::bool_>(value) ||
                   value.cast<py::int_>() < py::int_(0))
                 raise_error("usage", "seed must be a non-negative integer");
               seed = value.cast<unsigned long long>();
               PyDict_DelItemString(kwargs.ptr(), "seed");
             }
             const Ns2dConfig config = ns2d_keywords().apply(Ns2dConfig{}, kwargs);
             auto p = std::make_unique<PyNs2d>();
             apply_call_threads();
             p->solver = std::make_unique<Ns2dSolver>(config);
             std::mt19937_64 rng(seed);
             p->solver->set_vorticity(solvers::initial_vorticity(p->solver->grid(), config, rng));
             return p;
           }),
           "Builds the solver from keyword arguments and sets the initial vorticity.")
      .def_static(
          "defaults", [] { return ns2d_keywords().values(Ns2dConfig{}); },
          "{keyword: default} of the constructor (without seed, whose default is 0).")
      .def_property_readonly(
          "config", [](const PyNs2d& p) { return ns2d_keywords().values(p.solver->config()); },
          "{keyword: value} this solver was built with.")
      .def_property_readonly(
          "nx", [](const PyNs2d& p) { return p.solver->grid().nx; }, "Grid points along x.")
      .def_property_readonly(
          "ny", [](const PyNs2d& p) { return p.solver->grid().ny; }, "Grid points along y.")
      .def_property_readonly(
          "dx", [](const PyNs2d& p) { return p.solver->grid().dx(); }, "Grid spacing along x.")
      .def_property_readonly(
          "dy", [](const PyNs2d& p) { return p.solver->grid().dy(); }, "Grid spacing along y.")
      .def_property_readonly(
          "extent",
          [](const PyNs2d& p) { return py::make_tuple(p.solver->grid().lx, p.solver->grid().ly); },
          "(lx, ly): the periodic domain [0, lx) x [0, ly).")
      .def_property_readonly(
          "x",
          [](const PyNs2d& p) {
            std::vector<double> x(p.solver->grid().nx);
            for (int i = 0; i < p.solver->grid().nx; ++i) x[i] = p.solver->grid().x(i);
            return vector_copy(x);
          },
          "Node coordinates x_i = i dx (a new array).")
      .def_property_readonly(
          "y",
          [](const PyNs2d& p) {
            std::vector<double> y(p.solver->grid().ny);
            for (int j = 0; j < p.solver->grid().ny; ++j) y[j] = p.solver->grid().y(j);
            return vector_copy(y);
          },
          "Node coordinates y_j = j dy (a new array).")
      .def_property_readonly(
          "time", [](const PyNs2d& p) { return p.solver->time(); }, "Current simulated time.")
      .def_property_readonly(
          "steps", [](const PyNs2d& p) { return p.solver->steps(); }, "Time steps taken so far.")
      .def_property_readonly(
          "vorticity",
          [](py::object self) {
            return field_view(self.cast<PyNs2d&>().solver->vorticity(), self, false);
          },
          "The vorticity, shape (nx, ny) indexed [x, y]: a READ-ONLY zero-copy view of the "
          "solver's state (it changes as the solver steps). Write it with set_vorticity(), which "
          "also re-initialises the adaptive stepper.")
      .def(
          "set_vorticity",
          [](PyNs2d& p, py::handle zeta, py::object t) {
            const auto& g = p.solver->grid();
            const Field f = field_from(zeta, "vorticity", g.nx, g.ny);
            const double time = t.is_none() ? p.solver->time() : t.cast<double>();
            require_finite(time, "time");
            p.solver->set_vorticity(f, time);
          },
          py::arg("vorticity"), py::arg("time") = py::none(),
          "Replaces the state by a copy of `vorticity` (shape (nx, ny)) at `time` (default: the "
          "current time). Wrong shapes or non-finite values raise fieldlab.UsageError.")
      .def(
          "streamfunction",
          [](PyNs2d& p) {
            apply_call_threads();
            Field psi;
            p.solver->streamfunction(psi);
            return field_copy(psi);
          },
          "The streamfunction psi (lap psi = -vorticity), a new (nx, ny) array.")
      .def(
          "velocity",
          [](PyNs2d& p) {
            apply_call_threads();
            Field u, v;
            p.solver->velocity(u, v);
            return py::make_tuple(field_copy(u), field_copy(v));
          },
          "(u, v) = (d psi/dy, -d psi/dx), new (nx, ny) arrays.")
      .def(
          "step",
          [](PyNs2d& p) {
            apply_call_threads();
            auto& s = *p.solver;
            const double dt = s.config().dt > 0 ? s.config().dt : s.automatic_dt();
            s.advance_to(s.time() + dt);
          },
          "Advances by one step of the fixed dt, or of the automatic (CFL) step when dt is 0 "
          "(dopri5: an interval of that length, which may take several adaptive steps).")
      .def(
          "advance_to",
          [](PyNs2d& p, double t, py::object progress) {
            require_finite(t, "t");
            auto* s = p.solver.get();
            run_long(
                [s, t](const StopToken& stop, ProgressSink* sink) { s->advance_to(t, stop, sink); },
                progress);
          },
          py::arg("t"), py::arg("progress") = py::none(),
          "Advances to time t (>= time) with the GIL released. `progress`: None, True (tqdm), a "
          "tqdm bar or f(done, total, label, note). Ctrl-C stops after the current step (time < "
          "t, the state consistent) and raises KeyboardInterrupt.")
      .def(
          "diagnostics", [](PyNs2d& p) { return ns2d_diagnostics(*p.solver); },
          "The library's Ns2dDiagnostics as a dict: time, kinetic_energy, enstrophy, max_speed, "
          "cfl, max_divergence, steps.")
      .def(
          "automatic_dt", [](PyNs2d& p) { return p.solver->automatic_dt(); },
          "Largest stable step estimated from the current state (CFL and diffusion limits).");
}

void bind_initial_conditions(py::module_& m) {
  m.def(
      "gaussian_random_field",
      [](int resolution, double length, double alpha, double tau, double sigma,
         unsigned long long seed) {
        const auto grid = periodic_grid(resolution, length);
        solvers::GaussianRandomFieldSpectrum s{alpha, tau, sigma};
        require_finite(alpha, "alpha");
        if (!(std::isfinite(tau) && tau >= 0)) raise_error("usage", "tau must be >= 0");
        std::mt19937_64 rng(seed);
        return field_copy(solvers::gaussian_random_field(grid, s, rng));
      },
      py::arg("resolution") = 64, py::arg("length") = 1.0, py::arg("alpha") = 2.5,
      py::arg("tau") = 7.0, py::arg("sigma") = -1.0, py::arg("seed") = 0,
      "A zero-mean Gaussian random field with covariance sigma^2 (-lap + tau^2)^(-alpha) on the "
      "periodic square (sigma < 0: tau^(alpha - 1), the FNO choice), drawn with mt19937_64(seed). "
      "A new (resolution, resolution) array indexed [x, y].");
  m.def(
      "taylor_green_vorticity",
      [](int resolution, double length, double viscosity, double t) {
        const auto grid = periodic_grid(resolution, length);
        require_finite(viscosity, "viscosity");
        require_finite(t, "t");
        return field_copy(solvers::taylor_green_vorticity(grid, viscosity, t));
      },
      py::arg("resolution") = 64, py::arg("length") = 2.0 * std::numbers::pi,
      py::arg("viscosity") = 0.0, py::arg("t") = 0.0,
      "Taylor-Green vorticity -2k cos kx cos ky exp(-2 nu k^2 t), k = 2 pi / length, on the "
      "nodes x_i = i length / resolution. A new array.");
  m.def(
      "taylor_green_velocity",
      [](int resolution, double length, double viscosity, double t) {
        const auto grid = periodic_grid(resolution, length);
        require_finite(viscosity, "viscosity");
        require_finite(t, "t");
        Field u, v;
        solvers::taylor_green_velocity(grid, viscosity, t, u, v);
        return py::make_tuple(field_copy(u), field_copy(v));
      },
      py::arg("resolution") = 64, py::arg("length") = 2.0 * std::numbers::pi,
      py::arg("viscosity") = 0.0, py::arg("t") = 0.0,
      "The exact Taylor-Green velocity (u, v) = (cos kx sin ky, -sin kx cos ky) exp(-2 nu k^2 t). "
      "New arrays.");
  m.def(
      "double_shear_layer",
      [](int resolution, double length, double rho, double delta) {
        const auto grid = periodic_grid(resolution, length);
        require_finite(rho, "rho");
        require_finite(delta, "delta");
        return field_copy(solvers::double_shear_layer_vorticity(grid, rho, delta));
      },
      py::arg("resolution") = 64, py::arg("length") = 1.0, py::arg("rho") = 42.0,
      py::arg("delta") = 0.05,
      "Double shear layer vorticity (Bell, Colella & Glaz 1989) scaled to the domain. A new "
      "array.");
}

py::dict taylor_green_dict(const solvers::TaylorGreenResult& r) {
  py::dict d;
  d["x"] = vector_copy(r.x);
  d["y"] = vector_copy(r.y);
  d["u"] = field_copy(r.u);
  d["v"] = field_copy(r.v);
  d["vorticity"] = field_copy(r.vorticity);
  d["time"] = r.time;
  d["steps"] = r.steps;
  d["velocity_rms_error"] = r.velocity_rms_error;
  return d;
}

void bind_taylor_green(py::module_& m) {
  static const solvers::TaylorGreenCase kTaylorGreen{};  // the keyword defaults: the CLI's
  m.def(
      "solve_taylor_green",
      [](int resolution, double viscosity, double t_end, std::string stepper, double cfl,
         py::object progress) {
        solvers::TaylorGreenCase c;
        c.resolution = resolution;
        c.viscosity = viscosity;
        c.t_end = t_end;
        c.stepper = std::move(stepper);
        c.cfl = cfl;
        c.validate();
        solvers::TaylorGreenResult r;
        run_long([&](const StopToken& stop,
                     ProgressSink* sink) { r = solvers::solve_taylor_green(c, stop, sink); },
                 progress);
        return taylor_green_dict(r);
      },
      py::kw_only(), py::arg("resolution") = kTaylorGreen.resolution,
      py::arg("viscosity") = kTaylorGreen.viscosity, py::arg("t_end") = kTaylorGreen.t_end,
      py::arg("stepper") = kTaylorGreen.stepper, py::arg("cfl") = kTaylorGreen.cfl,
      py::arg("progress") = py::none(),
      "`fieldlab solve taylor-green`: the decaying Taylor-Green vortex on [0, 2pi]^2. Returns a "
      "dict of new arrays x, y (nodes), u, v, vorticity ([x, y]) and the numbers the CLI writes: "
      "time, steps, velocity_rms_error (vs the exact solution). Same options and defaults as the "
      "CLI (--threads: fieldlab.set_num_threads).");
}

}  // namespace

void bind_solvers_ns2d(py::module_& m) {
  bind_ns2d_class(m);
  bind_initial_conditions(m);
  bind_taylor_green(m);
}

namespace {
void bind_solvers(py::module_& m) {
  auto s = m.def_submodule("solvers",
                           "PDE solvers, initial conditions and verification cases (re-exported "
                           "by fieldlab.solvers).");
  bind_solvers_ns2d(s);
  bind_solvers_mac(s);
  bind_solvers_swe(s);
}
}  // namespace

FIELDLAB_PYTHON_PART(solvers, 20, bind_solvers);

}  // namespace fieldlab::python
