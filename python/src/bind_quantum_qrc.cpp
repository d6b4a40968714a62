// fieldlab._core.quantum: reservoir computing (quantum/qrc): run_qrc runs one experiment as the
// CLI's `fieldlab qrc` does (same keywords and defaults); the pieces (task series, reservoirs fed
// a numpy series, the ridge readout) are there to build one by hand.

#include <pybind11/complex.h>
#include <pybind11/eigen.h>

#include <cmath>
#include <memory>

#include "python/src/bind_quantum.hpp"
#include "quantum/qrc/experiment.hpp"
#include "quantum/qrc/quantum_reservoir.hpp"

namespace fieldlab::python {
namespace {

using namespace fieldlab::quantum::qrc;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

const Keywords<ExperimentConfig>& qrc_keywords() {
  static const Keywords<ExperimentConfig> k = [] {
    Keywords<ExperimentConfig> k("run_qrc");
    k.add("task", &ExperimentConfig::task);
    k.add("model", &ExperimentConfig::model);
    k.add("length", &ExperimentConfig::length);
    k.add("seed", &ExperimentConfig::seed);
    k.add("shots", &ExperimentConfig::shots);
    k.add_with(
        "washout",
        [](ExperimentConfig& c, py::handle v) {
          c.split.washout = Keywords<ExperimentConfig>::cast<int>(v);
        },
        [](const ExperimentConfig& c) { return py::cast(c.split.washout); });
    return k;
  }();
  return k;
}

bool member(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

// The CLI's option checks (apps/cmd_qrc.cpp's validators), with keyword names.
void check_config(const ExperimentConfig& c) {
  if (!member(task_names(), c.task))
    raise_error("usage", "task '" + c.task + "' is not one of " + joined(task_names()));
  if (!member(model_names(), c.model))
    raise_error("usage", "model '" + c.model + "' is not one of " + joined(model_names()));
  if (c.length < 400 || c.length > 1000000)
    raise_error("usage",
                "length must be an integer from 400 to 1000000, got " + std::to_string(c.length));
  if (c.shots < 0)
    raise_error("usage", "shots must be non-negative, got " + std::to_string(c.shots));
  if (c.split.washout < 0 || c.split.washout > 100000)
    raise_error("usage", "washout must be an integer from 0 to 100000, got " +
                             std::to_string(c.split.washout));
}

RowMatrix series_matrix(py::handle input, const char* what) {
  auto a = as_array<double>(input, what);
  if (a.ndim() != 1 && a.ndim() != 2)
    raise_error("usage", std::string(what) + ": expected a (T,) or (T, d) array, got " +
                             std::to_string(a.ndim()) + " dimensions");
  const auto rows = a.shape(0), cols = a.ndim() == 2 ? a.shape(1) : 1;
  if (rows < 1 || cols < 1) raise_error("usage", std::string(what) + ": empty series");
  RowMatrix m = Eigen::Map<const RowMatrix>(a.data(), rows, cols);
  if (!m.allFinite()) raise_error("usage", std::string(what) + ": values must be finite");
  return m;
}

Eigen::VectorXd vector_of(py::handle input, const char* what) {
  auto a = as_array<double>(input, what, 1);
  Eigen::VectorXd v = Eigen::Map<const Eigen::VectorXd>(a.data(), a.shape(0));
  if (!v.allFinite()) raise_error("usage", std::string(what) + ": values must be finite");
  return v;
}

py::dict readout_dict(const ReadoutResult& r) {
  py::dict d;
  d["lambda"] = r.lambda;
  d["train_nrmse"] = r.train_nrmse;
  d["validation_nrmse"] = r.validation_nrmse;
  d["test_nrmse"] = r.test_nrmse;
  d["test_prediction"] = Eigen::VectorXd(r.test_prediction);
  d["test_target"] = Eigen::VectorXd(r.test_target);
  return d;
}

// A reservoir model (make_model) that keeps its input dimension for checks.
struct PyReservoir {
  std::unique_ptr<Reservoir> model;
  int input_dims = 1;
};

}  // namespace

void bind_quantum_qrc(py::module_& m) {
  m.def(
      "run_qrc",
      [](py::object progress, py::kwargs kwargs) {
        const ExperimentConfig c = qrc_keywords().apply(ExperimentConfig{}, kwargs);
        check_config(c);
        ExperimentResult r;
        run_interruptible([&](const StopToken&, ProgressSink*) { r = run_experiment(c); },
                          reporter_of(progress));
        py::dict d;
        d["task"] = r.task;
        d["model"] = r.model;
        d["length"] = c.length;
        d["seed"] = c.seed;
        d["shots"] = c.shots;
        d["features"] = r.features;
        d["lambda"] = r.readout.lambda;
        d["train_nrmse"] = r.readout.train_nrmse;
        d["validation_nrmse"] = r.readout.validation_nrmse;
        d["test_nrmse"] = r.readout.test_nrmse;
        d["seconds"] = r.seconds;
        py::list spectra;
        for (const auto& sp : r.spectra) {
          py::dict s;
          s["time_scale"] = sp.time_scale;
          s["qubits"] = sp.qubits;
          s["measured"] = sp.measured;
          s["second_modulus"] = sp.second_modulus;
          s["memory_steps"] = sp.memory_steps;
          s["leading"] = copy_of(sp.leading, {static_cast<py::ssize_t>(sp.leading.size())});
          spectra.append(s);
        }
        d["spectra"] = spectra;
        d["test_prediction"] = Eigen::VectorXd(r.readout.test_prediction);
        d["test_target"] = Eigen::VectorXd(r.readout.test_target);
        return d;
      },
      py::kw_only(), py::arg("progress") = py::none(),
      "One reservoir-computing experiment, as `fieldlab qrc --json`: keywords task='narma10' "
      "(narma10, mackey-glass, mackey-glass-multi, corrosion), model='onion-qrc' (linear, qrc, "
      "onion-qrc, esn, onion-esn, hybrid), length=3000 (400..1000000), seed=1, shots=0 (0: exact "
      "features), washout=200. Returns the CLI's JSON fields (task, model, length, seed, shots, "
      "features, lambda, train_nrmse, validation_nrmse, test_nrmse, seconds, spectra with "
      "'leading' a complex array) plus test_prediction and test_target (new arrays). The run "
      "releases the GIL; Ctrl-C is raised when it returns (the library has no stop point "
      "inside).");
  m.def(
      "qrc_defaults", [] { return qrc_keywords().values(ExperimentConfig{}); },
      "run_qrc's keywords and their defaults (the CLI's).");
  m.def("qrc_tasks", &task_names, "Names of the benchmark tasks.");
  m.def("qrc_models", &model_names, "Names of the reservoir models.");
  m.def(
      "task_series",
      [](const std::string& task, int length, unsigned long long seed) {
        if (!member(task_names(), task))
          raise_error("usage", "task '" + task + "' is not one of " + joined(task_names()));
        if (length < 1 || length > 1000000)
          raise_error("usage", "length must be from 1 to 1000000, got " + std::to_string(length));
        const Series s = make_task(task, length, seed);
        return py::make_tuple(RowMatrix(s.inputs), Eigen::VectorXd(s.target));
      },
      py::arg("task"), py::arg("length") = 3000, py::arg("seed") = 1,
      "The series of a task: (inputs (T, d), target (T,)) as new float64 arrays; target[t] is "
      "what a readout should give after seeing inputs[:t+1].");
  m.def(
      "scale_inputs",
      [](py::object inputs, int fit_rows) {
        const RowMatrix u = series_matrix(inputs, "inputs");
        if (fit_rows < 1 || fit_rows > u.rows())
          raise_error("usage", "fit_rows must be from 1 to " + std::to_string(u.rows()));
        return RowMatrix(scale_inputs(u, fit_rows));
      },
      py::arg("inputs"), py::arg("fit_rows"),
      "Inputs scaled to [0, 1] per column with the min/max of the first fit_rows rows, clipped "
      "(what run_qrc does before the reservoir). A new (T, d) array.");
  m.def(
      "nrmse",
      [](py::object y, py::object prediction) {
        const auto a = vector_of(y, "y"), b = vector_of(prediction, "prediction");
        if (a.size() != b.size()) raise_error("usage", "nrmse: arrays of different lengths");
        return nrmse(a, b);
      },
      py::arg("y"), py::arg("prediction"), "sqrt(mean((y - prediction)^2)) / std(y).");
  m.def(
      "fit_readout",
      [](py::object features, py::object target, int washout, double train, double validation) {
        const RowMatrix f = series_matrix(features, "features");
        const Eigen::VectorXd y = vector_of(target, "target");
        if (y.size() != f.rows())
          raise_error("usage", "fit_readout: " + std::to_string(f.rows()) + " feature rows but " +
                                   std::to_string(y.size()) + " targets");
        if (washout < 0 || washout + 10 > f.rows())
          raise_error("usage", "washout must leave at least 10 rows, got " +
                                   std::to_string(washout) + " of " + std::to_string(f.rows()));
        if (!(train > 0 && validation > 0 && train + validation < 1))
          raise_error("usage", "train and validation must be positive fractions summing below 1");
        Split s;
        s.washout = washout;
        s.train = train;
        s.validation = validation;
        ReadoutResult r;
        {
          py::gil_scoped_release release;
          r = fit_and_evaluate(Eigen::MatrixXd(f), y, s);
        }
        return readout_dict(r);
      },
      py::arg("features"), py::arg("target"), py::arg("washout") = 200, py::arg("train") = 0.6,
      py::arg("validation") = 0.2,
      "Ridge readout as run_qrc fits it: lambda chosen on the validation segment, refitted on "
      "train + validation, NRMSE on the test rest. Returns {lambda, train_nrmse, "
      "validation_nrmse, test_nrmse, test_prediction, test_target}.");

  py::class_<PyReservoir>(m, "Reservoir",
                          "A reservoir model (the run_qrc models) to feed your own series.")
      .def(py::init([](const std::string& model, int input_dims, unsigned long long seed,
                       int shots) {
             if (!member(model_names(), model))
               raise_error("usage", "model '" + model + "' is not one of " + joined(model_names()));
             if (input_dims < 1 || input_dims > 64)
               raise_error("usage",
                           "input_dims must be from 1 to 64, got " + std::to_string(input_dims));
             if (shots < 0)
               raise_error("usage", "shots must be non-negative, got " + std::to_string(shots));
             return PyReservoir{make_model(model, input_dims, seed, shots), input_dims};
           }),
           py::arg("model") = "onion-qrc", py::arg("input_dims") = 1, py::arg("seed") = 1,
           py::arg("shots") = 0,
           "A model by name (linear, qrc, onion-qrc, esn, onion-esn, hybrid) with the random "
           "reservoirs of `seed`, as run_qrc builds it.")
      .def_property_readonly(
          "name", [](const PyReservoir& r) { return r.model->name(); }, "The model's name.")
      .def(
          "features",
          [](PyReservoir& r, py::object inputs, py::object progress) {
            const RowMatrix u = series_matrix(inputs, "inputs");
            if (u.cols() != r.input_dims)
              raise_error("usage", "inputs: expected " + std::to_string(r.input_dims) +
                                       " column(s), got " + std::to_string(u.cols()));
            if (u.minCoeff() < 0.0 || u.maxCoeff() > 1.0)
              raise_error("usage", "inputs must lie in [0, 1] (scale them with scale_inputs)");
            Eigen::MatrixXd f;
            run_interruptible(
                [&](const StopToken&, ProgressSink*) { f = r.model->features(Eigen::MatrixXd(u)); },
                reporter_of(progress));
            return RowMatrix(f);
          },
          py::arg("inputs"), py::arg("progress") = py::none(),
          "Features (T, F) for an input series (T,) or (T, d) in [0, 1], starting from the "
          "initial state every call (a new array). The GIL is released; Ctrl-C is raised when "
          "the call returns.");
}

}  // namespace fieldlab::python
