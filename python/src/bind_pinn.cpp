// fieldlab._core._pinn: the LPINN/PINN part of the bindings, a thin layer over
// nn/train/tasks/convection_pinn_training.hpp (the run `fieldlab train lpinn|pinn` makes),
// nn/train/tasks/convection_pinn.hpp (predict, characteristics, evaluation) and
// solvers/convection1d_reference.hpp. The public Python API is python/fieldlab/pinn.py.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "nn/train/tasks/convection_pinn.hpp"
#include "nn/train/tasks/convection_pinn_defaults.hpp"
#include "nn/train/tasks/convection_pinn_training.hpp"
#include "python/src/binding_support.hpp"
#include "solvers/convection1d_reference.hpp"

namespace fieldlab::python {
namespace {

// What the keywords fill: the problem as given (None: the per-PDE default, as the CLI) and the
// rest of the request.
struct PinnCall {
  nn::PinnProblemOptions problem;
  nn::PinnTrainingRequest request;
};

using W = Keywords<PinnCall>;

// An optional real: None leaves the per-PDE default.
std::pair<W::Setter, W::Getter> optional_real(const std::string& name,
                                              std::optional<double> nn::PinnProblemOptions::*m) {
  return {
      [m, name](PinnCall& c, py::handle v) {
        if (v.is_none()) {
          c.problem.*m = std::nullopt;
          return;
        }
        // Its default is None, so the generic message would say "expected NoneType".
        if (py::isinstance<py::bool_>(v) ||
            !(py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v) ||
              py::hasattr(v, "__float__")))
          throw py::type_error("pinn: keyword '" + name + "' got " +
                               py::cast<std::string>(py::str(py::type::of(v).attr("__name__"))) +
                               ", expected a number or None");
        c.problem.*m = py::cast<double>(v);
      },
      [m](const PinnCall& c) -> py::object {
        if (!(c.problem.*m)) return py::none();
        return py::float_(*(c.problem.*m));
      }};
}

// The problem keywords alone (train and reference share them).
void add_problem_keywords(W& w) {
  w.add_with(
      "pde", [](PinnCall& c, py::handle v) { c.problem.pde = W::cast<std::string>(v); },
      [](const PinnCall& c) { return py::str(c.problem.pde); });
  for (const auto& [name, member] :
       std::vector<std::pair<const char*, std::optional<double> nn::PinnProblemOptions::*>>{
           {"speed", &nn::PinnProblemOptions::speed},
           {"viscosity", &nn::PinnProblemOptions::viscosity},
           {"offset", &nn::PinnProblemOptions::offset},
           {"t_end", &nn::PinnProblemOptions::t_end}}) {
    auto [set, get] = optional_real(name, member);
    w.add_with(name, set, get);
  }
  w.add_with(
      "initial",
      [](PinnCall& c, py::handle v) {
        if (v.is_none())
          c.problem.initial = std::nullopt;
        else
          c.problem.initial = W::cast<std::string>(v);
      },
      [](const PinnCall& c) -> py::object {
        if (!c.problem.initial) return py::none();
        return py::str(*c.problem.initial);
      });
}

const W& problem_keywords() {
  static const W k = [] {
    W w("reference");
    add_problem_keywords(w);
    return w;
  }();
  return k;
}

// The training keywords: the CLI's `train lpinn|pinn` options, '-' -> '_', same defaults.
const W& train_keywords() {
  static const W k = [] {
    W w("pinn.train");
    add_problem_keywords(w);
    using C = nn::ConvectionPinnConfig;
    const auto config = [&w](const char* name, auto member) {
      using T = std::remove_reference_t<decltype(std::declval<C&>().*member)>;
      w.add_with(
          name, [member](PinnCall& c, py::handle v) { c.request.config.*member = W::cast<T>(v); },
          [member](const PinnCall& c) { return py::cast(c.request.config.*member); });
    };
    w.add_with(
        "collocation",
        [](PinnCall& c, py::handle v) {
          const auto n = W::cast<std::vector<int>>(v);
          if (n.size() != 2)
            raise_error("usage", "collocation: expected (nx, nt), got " + std::to_string(n.size()) +
                                     " values");
          c.request.config.nx = n[0];
          c.request.config.nt = n[1];
        },
        [](const PinnCall& c) { return py::make_tuple(c.request.config.nx, c.request.config.nt); });
    config("adam_steps", &C::adam_steps);
    config("adam_lr", &C::adam_lr);
    config("lbfgs_iterations", &C::lbfgs_iterations);
    config("lbfgs_step_iterations", &C::lbfgs_step_iterations);
    config("lbfgs_history", &C::lbfgs_history);
    w.add_with(
        "loss",
        [](PinnCall& c, py::handle v) {
          c.request.config.loss = nn::parse_pinn_loss_form(W::cast<std::string>(v));
        },
        [](const PinnCall& c) { return py::str(nn::to_string(c.request.config.loss)); });
    w.add_with(
        "second_derivative",
        [](PinnCall& c, py::handle v) {
          c.request.config.second_derivative =
              nn::parse_second_derivative_form(W::cast<std::string>(v));
        },
        [](const PinnCall& c) {
          return py::str(nn::to_string(c.request.config.second_derivative));
        });
    config("weight_residual_x", &C::weight_residual_x);
    config("weight_residual_u", &C::weight_residual_u);
    config("weight_initial", &C::weight_initial);
    config("weight_boundary", &C::weight_boundary);
    config("curriculum", &C::curriculum);
    config("seed", &C::seed);
    config("checkpoint_every", &C::checkpoint_every);
    w.add_with(
        "loss_log",
        [](PinnCall& c, py::handle v) {
          c.request.loss_log = v.is_none() ? std::string() : W::cast<std::string>(py::str(v));
        },
        [](const PinnCall& c) -> py::object {
          if (c.request.loss_log.empty()) return py::none();
          return py::str(c.request.loss_log);
        });
    w.add_with(
        "max_steps", [](PinnCall& c, py::handle v) { c.request.max_steps = W::cast<long long>(v); },
        [](const PinnCall& c) { return py::int_(c.request.max_steps); });
    w.add_with(
        "resume", [](PinnCall& c, py::handle v) { c.request.resume = W::cast<bool>(v); },
        [](const PinnCall& c) { return py::bool_(c.request.resume); });
    w.add_with(
        "overwrite", [](PinnCall& c, py::handle v) { c.request.overwrite = W::cast<bool>(v); },
        [](const PinnCall& c) { return py::bool_(c.request.overwrite); });
    return w;
  }();
  return k;
}

py::kwargs kwargs_of(const py::dict& options) {
  py::kwargs kwargs;
  for (auto item : options) kwargs[item.first] = item.second;
  return kwargs;
}

py::dict terms_dict(const nn::PinnLossTerms& t) {
  py::dict d;
  d["total"] = t.total;
  d["residual_x"] = t.residual_x;
  d["residual_u"] = t.residual_u;
  d["initial"] = t.initial;
  d["boundary"] = t.boundary;
  return d;
}

py::dict evaluation_dict(const nn::PinnEvaluation& e) {
  py::dict d;
  d["relative_l2"] = e.relative_l2;
  d["max_error"] = e.max_error;
  d["loss"] = terms_dict(e.loss);
  d["reference"] = e.reference;
  d["grid"] = py::make_tuple(e.nx, e.nt);
  return d;
}

py::dict position_dict(const nn::PinnPosition& p) {
  py::dict d;
  d["stage"] = p.stage;
  d["phase"] = p.phase == 0 ? "adam" : "lbfgs";
  d["step"] = p.step;
  d["total_steps"] = p.total_steps;
  return d;
}

py::dict train(const std::string& method, const std::string& out, const nn::ModelKeys& model_keys,
               const py::dict& options, const py::object& reporter) {
  // Twice: the problem keywords first choose the method's per-PDE defaults
  // (nn::pinn_config_defaults, as the CLI), then every keyword applies over them.
  const auto kwargs = kwargs_of(options);
  const PinnCall given = train_keywords().apply(PinnCall{}, kwargs);
  PinnCall base;
  base.request.config = nn::pinn_config_defaults(nn::parse_pinn_method(method), given.problem);
  PinnCall call = train_keywords().apply(base, kwargs);
  auto& request = call.request;
  request.config.problem = base.request.config.problem;
  request.config.validate();
  request.model_keys = model_keys;
  request.out = out;
  std::vector<std::string> messages;
  std::vector<nn::PinnPhaseRecord> phases;
  std::mutex lock;
  nn::PinnTrainingCallbacks callbacks;
  callbacks.on_message = [&](const std::string& line) {
    const std::lock_guard<std::mutex> guard(lock);
    messages.push_back(line);
  };
  nn::PinnTrainingRun run;
  run_interruptible(
      [&](const StopToken& stop, ProgressSink* progress) {
        run = nn::run_convection_pinn_training(request, stop, progress, callbacks);
      },
      reporter);
  py::dict d;
  d["stop"] = nn::to_string(run.stop);
  d["position"] = position_dict(run.position);
  py::list list;
  for (const auto& r : run.phases) {
    py::dict p;
    p["stage"] = r.stage;
    p["phase"] = r.phase == 0 ? "adam" : "lbfgs";
    p["speed"] = r.speed;
    p["steps"] = r.steps;
    p["loss"] = r.loss;
    p["relative_l2"] = r.relative_l2;
    p["seconds"] = r.seconds;
    list.append(p);
  }
  d["phases"] = list;
  d["losses"] = run.losses;
  d["evaluation"] = evaluation_dict(run.evaluation);
  d["parameters"] = run.parameters;
  d["model"] = run.model;
  d["seconds"] = run.seconds;
  d["checkpoint"] = out.empty() ? py::object(py::none()) : py::object(py::str(out));
  d["config"] = request.config.to_yaml();
  d["messages"] = messages;
  return d;
}

std::vector<double> doubles_of(const py::handle& a, const char* what) {
  const auto v = as_array<double>(a, what, 1);
  return std::vector<double>(v.data(), v.data() + v.size());
}

// A grid result [t.size(), x.size()] as a new float64 array.
py::array_t<double> grid_array(const std::vector<double>& v, std::size_t nt, std::size_t nx) {
  return copy_of(v, {static_cast<py::ssize_t>(nt), static_cast<py::ssize_t>(nx)});
}

// A trained LPINN/PINN (nn::load_trained_pinn) with its task.
class TrainedPinn {
 public:
  explicit TrainedPinn(const std::string& path)
      : path_(path),
        trained_(nn::load_trained_pinn(path)),
        task_(*trained_.model, trained_.config) {}

  const std::string& path() const { return path_; }
  std::string method() const { return nn::to_string(trained_.config.method); }
  std::string model() const { return trained_.model->name(); }
  std::string config() const { return trained_.config.to_yaml(); }
  std::string problem() const { return trained_.config.problem.describe(); }
  long long parameters() const {
    return static_cast<long long>(trained_.model->parameters().size());
  }
  py::dict position() const { return position_dict(trained_.position); }

  py::array_t<double> predict(const py::handle& x, const py::handle& t) const {
    const auto xs = doubles_of(x, "x"), ts = doubles_of(t, "t");
    std::vector<double> u;
    {
      py::gil_scoped_release release;
      u = task_.predict(xs, ts);
    }
    return grid_array(u, ts.size(), xs.size());
  }
  py::array_t<double> characteristics(const py::handle& x0, const py::handle& t) const {
    if (trained_.config.method != nn::PinnMethod::lagrangian)
      raise_error("usage", "characteristics: only an LPINN learns them (" + path_ + " is a " +
                               method() + ")");
    const auto xs = doubles_of(x0, "x0"), ts = doubles_of(t, "t");
    std::vector<double> X;
    {
      py::gil_scoped_release release;
      X = task_.characteristics(xs, ts);
    }
    return grid_array(X, ts.size(), xs.size());
  }
  py::dict evaluate(int nx, int nt) const {
    if (nx < 2 || nt < 2)
      raise_error("usage", "evaluate: nx and nt must be at least 2 (got " + std::to_string(nx) +
                               ", " + std::to_string(nt) + ")");
    nn::PinnEvaluation e;
    {
      py::gil_scoped_release release;
      e = nn::evaluate_convection_pinn(task_, nx, nt);
    }
    return evaluation_dict(e);
  }

 private:
  std::string path_;
  nn::TrainedPinn trained_;
  nn::ConvectionPinn task_;
};

py::dict reference(const py::dict& options, const py::handle& x, const py::handle& t,
                   const py::object& reporter) {
  const PinnCall call = problem_keywords().apply(PinnCall{}, kwargs_of(options));
  const auto problem = nn::apply_pde_defaults(call.problem);
  const auto xs = doubles_of(x, "x"), ts = doubles_of(t, "t");
  std::vector<double> u;
  run_interruptible(
      [&](const StopToken& stop, ProgressSink* progress) {
        u = solvers::reference_solution(problem, xs, ts, {}, stop, progress);
      },
      reporter);
  py::dict d;
  d["u"] = grid_array(u, ts.size(), xs.size());
  d["method"] = solvers::to_string(solvers::reference_kind(problem));
  d["problem"] = problem.describe();
  return d;
}

void bind_pinn(py::module_& root) {
  auto m = root.def_submodule("_pinn", "LPINN/PINN bindings; use fieldlab.pinn.");
  m.def(
      "train_defaults",
      [](const std::string& method) {
        PinnCall c;
        c.request.config = nn::ConvectionPinnConfig::defaults(nn::parse_pinn_method(method),
                                                              solvers::Convection1dPde::convection);
        return train_keywords().values(c);
      },
      py::arg("method"),
      "The training keywords and their defaults for convection (the CLI's train lpinn|pinn).");
  m.def("train", &train, py::arg("method"), py::arg("out"), py::arg("model_keys"),
        py::arg("options"), py::arg("reporter") = py::none(),
        "nn::run_convection_pinn_training: the whole `fieldlab train lpinn|pinn` run.");
  m.def("reference", &reference, py::arg("options"), py::arg("x"), py::arg("t"),
        py::arg("reporter") = py::none(),
        "The exact/reference solution u [len(t), len(x)] of the problem the keywords give.");
  py::class_<TrainedPinn>(m, "TrainedPinn", "A trained LPINN/PINN (use fieldlab.pinn.load).")
      .def(py::init<const std::string&>(), py::arg("checkpoint"))
      .def_property_readonly("path", &TrainedPinn::path, "The checkpoint path.")
      .def_property_readonly("method", &TrainedPinn::method, "'lpinn' or 'pinn'.")
      .def_property_readonly("model", &TrainedPinn::model, "The network's registry name.")
      .def_property_readonly("config", &TrainedPinn::config, "The task configuration (YAML).")
      .def_property_readonly("problem", &TrainedPinn::problem, "The problem in one line.")
      .def_property_readonly("parameters", &TrainedPinn::parameters, "Parameter count.")
      .def_property_readonly("position", &TrainedPinn::position, "Where the run stands.")
      .def("predict", &TrainedPinn::predict, py::arg("x"), py::arg("t"),
           "u [len(t), len(x)] on the Eulerian grid (new float64 array).")
      .def("characteristics", &TrainedPinn::characteristics, py::arg("x0"), py::arg("t"),
           "LPINN: X(x0, t) unwrapped, [len(t), len(x0)] (new float64 array).")
      .def("evaluate", &TrainedPinn::evaluate, py::arg("nx") = 256, py::arg("nt") = 100,
           "Relative L2, max error, loss terms, reference method, grid (a dict).");
}

}  // namespace

FIELDLAB_PYTHON_PART(pinn, 40, bind_pinn);

}  // namespace fieldlab::python
