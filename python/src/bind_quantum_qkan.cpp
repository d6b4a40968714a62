// fieldlab._core.quantum: QKAN (DARUAN activations): a network fitted on numpy data with the
// library's fit (quantum/nn/regression.hpp), its predictions and learned activations, and the
// CLI's `train qkan --task regression` as train_qkan (same keywords and defaults).

#include <algorithm>

#include "python/src/bind_quantum.hpp"
#include "quantum/nn/regression.hpp"
#include "quantum/qkan/daruan.hpp"
#include "quantum/qkan/qkan_layer.hpp"

namespace fieldlab::python {
namespace {

using namespace fieldlab::quantum::qkan;

// train qkan's options: the RegressionConfig plus the CLI's own (reps, extend, samples, readout).
struct TrainQkanConfig {
  RegressionConfig config;
  std::string task = "regression";
  std::string readout = "pauli-z";
  int reps = 3;
  std::vector<int> extend;
  int samples = 1000;
};

const Keywords<TrainQkanConfig>& qkan_keywords() {
  using K = Keywords<TrainQkanConfig>;
  static const K k = [] {
    K k("train_qkan");
    auto cfg = [](auto member) {
      return std::make_pair(
          [member](TrainQkanConfig& c, py::handle v) {
            using T = std::decay_t<decltype(c.config.*member)>;
            c.config.*member = K::cast<T>(v);
          },
          [member](const TrainQkanConfig& c) { return py::cast(c.config.*member); });
    };
    k.add("task", &TrainQkanConfig::task);
    auto [fs, fg] = cfg(&RegressionConfig::function);
    k.add_with("function", fs, fg);
    auto [ls, lg] = cfg(&RegressionConfig::widths);
    k.add_with("layers", ls, lg);
    k.add("reps", &TrainQkanConfig::reps);
    k.add("extend", &TrainQkanConfig::extend);
    auto [os, og] = cfg(&RegressionConfig::optimizer);
    k.add_with("optimizer", os, og);
    auto [ss, sg] = cfg(&RegressionConfig::steps);
    k.add_with("steps", ss, sg);
    auto [is, ig] = cfg(&RegressionConfig::lbfgs_iterations);
    k.add_with("lbfgs_iterations", is, ig);
    auto [rs, rg] = cfg(&RegressionConfig::learning_rate);
    k.add_with("lr", rs, rg);
    k.add("samples", &TrainQkanConfig::samples);
    k.add("readout", &TrainQkanConfig::readout);
    auto [es, eg] = cfg(&RegressionConfig::seed);
    k.add_with("seed", es, eg);
    return k;
  }();
  return k;
}

DaruanReadout readout_of(const std::string& name) {
  if (name != "pauli-z" && name != "amplitude-difference")
    raise_error("usage", "readout must be 'pauli-z' or 'amplitude-difference', got '" + name + "'");
  return parse_readout(name.c_str());
}

void check_positive(const char* what, double v) {
  if (!(v > 0))
    raise_error("usage", std::string(what) + " must be positive, got " + std::to_string(v));
}

FitOptions fit_options(const std::string& optimizer, int steps, int lbfgs_iterations, double lr) {
  if (optimizer != "lbfgs" && optimizer != "adam")
    raise_error("usage", "optimizer must be 'lbfgs' or 'adam', got '" + optimizer + "'");
  check_positive("steps", steps);
  check_positive("lbfgs_iterations", lbfgs_iterations);
  check_positive("lr", lr);
  FitOptions o;
  o.optimizer = optimizer;
  o.steps = steps;
  o.lbfgs_iterations = lbfgs_iterations;
  o.learning_rate = lr;
  return o;
}

// The Python QKAN: a QkanNetwork with its construction arguments.
struct PyQkan {
  QkanNetwork net;
  std::vector<int> widths;
  int reps;
  std::string readout;
};

// x: (n,) for a one-input network or (n, input_dim); returns the rows and the flat data.
std::vector<double> rows_of(const PyQkan& q, py::handle input, const char* what, int width,
                            int& n) {
  auto a = as_array<double>(input, what);
  if (a.ndim() == 1 && width == 1) {
    n = static_cast<int>(a.shape(0));
  } else if (a.ndim() == 2 && a.shape(1) == width) {
    n = static_cast<int>(a.shape(0));
  } else {
    raise_error("usage", std::string(what) + ": expected shape (n, " + std::to_string(width) + ")" +
                             (width == 1 ? " or (n,)" : "") + ", got " +
                             py::cast<std::string>(py::str(py::tuple(a.attr("shape")))));
  }
  if (n < 1) raise_error("usage", std::string(what) + ": no samples");
  std::vector<double> v(a.data(), a.data() + a.size());
  for (double x : v)
    if (!std::isfinite(x)) raise_error("usage", std::string(what) + ": values must be finite");
  (void)q;
  return v;
}

}  // namespace

void bind_quantum_qkan(py::module_& m) {
  py::class_<PyQkan>(
      m, "QKAN",
      "A quantum-inspired Kolmogorov-Arnold network: layer outputs y_j = sum_i p_ji (phi_ji(x_i) "
      "+ c_ji) + g_ji SiLU(x_i), phi a DARUAN data re-uploading activation (<Z> of a one-qubit "
      "circuit with `reps` repetitions).")
      .def(py::init([](std::vector<int> widths, int reps, const std::string& readout,
                       unsigned long long seed) {
             if (widths.size() < 2)
               raise_error("usage", "widths: need at least an input and an output width");
             for (int w : widths)
               if (w < 1 || w > 4096)
                 raise_error("usage", "widths must be from 1 to 4096, got " + std::to_string(w));
             if (reps < 1 || reps > 1000)
               raise_error("usage", "reps must be from 1 to 1000, got " + std::to_string(reps));
             return PyQkan{QkanNetwork(widths, reps, readout_of(readout), seed), widths, reps,
                           readout};
           }),
           py::arg("widths") = std::vector<int>{2, 5, 1}, py::arg("reps") = 3,
           py::arg("readout") = "pauli-z", py::arg("seed") = 1,
           "A network of the given layer widths (inputs first), DARUAN repetitions `reps`, "
           "readout 'pauli-z' or 'amplitude-difference', initialised from `seed`.")
      .def_property_readonly(
          "widths", [](const PyQkan& q) { return q.widths; }, "Layer widths.")
      .def_property_readonly(
          "reps", [](const PyQkan& q) { return q.reps; },
          "DARUAN repetitions (grows with extend()).")
      .def_property_readonly(
          "n_parameters", [](const PyQkan& q) { return q.net.params().size(); },
          "Number of trainable parameters.")
      .def_property(
          "parameters",
          [](const PyQkan& q) {
            return copy_of(q.net.params(), {static_cast<py::ssize_t>(q.net.params().size())});
          },
          [](PyQkan& q, py::object v) {
            auto a = as_array<double>(v, "parameters", 1);
            if (static_cast<std::size_t>(a.shape(0)) != q.net.params().size())
              raise_error("usage", "parameters: expected " + std::to_string(q.net.params().size()) +
                                       " values");
            std::copy(a.data(), a.data() + a.shape(0), q.net.params().begin());
          },
          "All parameters as one float64 vector (a COPY; assign an array of the same length to "
          "set them).")
      .def(
          "fit",
          [](PyQkan& q, py::object x, py::object y, const std::string& optimizer, int steps,
             int lbfgs_iterations, double lr, py::object progress) {
            int n = 0, ny = 0;
            const auto xs = rows_of(q, x, "x", q.net.input_dim(), n);
            const auto ys = rows_of(q, y, "y", q.net.output_dim(), ny);
            if (n != ny)
              raise_error("usage", "fit: " + std::to_string(n) + " inputs but " +
                                       std::to_string(ny) + " targets");
            const FitOptions o = fit_options(optimizer, steps, lbfgs_iterations, lr);
            int done = 0;
            double mse = 0;
            run_interruptible(
                [&](const StopToken& stop, ProgressSink* sink) {
                  done = fit_network(q.net, xs, ys, n, o, stop, sink);
                  mse = q.net.mse(xs, ys, n);
                },
                reporter_of(progress));
            py::dict d;
            d["steps"] = done;
            d["train_mse"] = mse;
            return d;
          },
          py::arg("x"), py::arg("y"), py::arg("optimizer") = "lbfgs", py::arg("steps") = 200,
          py::arg("lbfgs_iterations") = 20, py::arg("lr") = 0.01, py::arg("progress") = py::none(),
          "Fits the parameters to (x (n, in) or (n,), y (n, out) or (n,)) minimising the MSE "
          "with L-BFGS (`steps` calls of up to `lbfgs_iterations` iterations, strong Wolfe) or "
          "Adam (`steps` steps, learning rate `lr`): train qkan's optimiser. Long: GIL released, "
          "progress=, Ctrl-C stops after the current step (parameters kept) and is raised. "
          "Returns {'steps': steps run, 'train_mse': MSE after the fit}.")
      .def(
          "predict",
          [](const PyQkan& q, py::object x) {
            int n = 0;
            const auto xs = rows_of(q, x, "x", q.net.input_dim(), n);
            apply_call_threads();
            std::vector<double> y;
            {
              py::gil_scoped_release release;
              y = q.net.forward(xs, n);
            }
            return copy_of(y, {n, q.net.output_dim()});
          },
          py::arg("x"), "Network outputs (n, out) for inputs (n, in) or (n,) (a new array).")
      .def(
          "mse",
          [](const PyQkan& q, py::object x, py::object y) {
            int n = 0, ny = 0;
            const auto xs = rows_of(q, x, "x", q.net.input_dim(), n);
            const auto ys = rows_of(q, y, "y", q.net.output_dim(), ny);
            if (n != ny) raise_error("usage", "mse: inputs and targets differ in length");
            apply_call_threads();
            return q.net.mse(xs, ys, n);
          },
          py::arg("x"), py::arg("y"), "Mean squared error of predict(x) against y.")
      .def(
          "extend",
          [](PyQkan& q, int reps) {
            if (reps < q.reps || reps > 1000)
              raise_error("usage", "extend: reps must be from the current " +
                                       std::to_string(q.reps) + " to 1000, got " +
                                       std::to_string(reps));
            q.net.extend(reps);
            q.reps = reps;
          },
          py::arg("reps"),
          "Grows every layer to `reps` DARUAN repetitions without changing the function "
          "(layer extension; train qkan --extend does this between stages).")
      .def(
          "activations",
          [](const PyQkan& q, int layer, py::object x, bool total) {
            const int nl = static_cast<int>(q.net.layers().size());
            if (layer < 0 || layer >= nl)
              raise_error("usage", "layer " + std::to_string(layer) + " out of range (" +
                                       std::to_string(nl) + " layers)");
            auto a = as_array<double>(x, "x", 1);
            const auto& L = q.net.layers()[layer];
            std::size_t offset = 0;
            for (int l = 0; l < layer; ++l) offset += q.net.layers()[l].num_params();
            const double* params = q.net.params().data() + offset;
            const int r = L.reps(), npts = static_cast<int>(a.shape(0));
            py::array_t<double> out({L.out(), L.in(), npts});
            double* o = out.mutable_data();
            for (int j = 0; j < L.out(); ++j)
              for (int i = 0; i < L.in(); ++i) {
                const double* e = L.edge(params, j, i);
                DaruanEdge edge{r, e, e + 2 * (r + 1), e + 3 * r + 2};
                const double p = e[4 * r + 2], c = e[4 * r + 3], g = e[4 * r + 4];
                for (int k = 0; k < npts; ++k) {
                  const double xv = a.data()[k];
                  const double phi = daruan(edge, xv, L.readout());
                  o[(static_cast<std::size_t>(j) * L.in() + i) * npts + k] =
                      total ? p * (phi + c) + g * silu(xv) : phi;
                }
              }
            return out;
          },
          py::arg("layer"), py::arg("x"), py::arg("total") = true,
          "The learned activations of layer `layer` at the points x: a new (out, in, len(x)) "
          "array, entry [j, i] the edge from input i to output j: p (phi(x) + c) + g SiLU(x) "
          "(total=True) or the bare DARUAN phi(x) (total=False).")
      .def("__repr__", [](const PyQkan& q) {
        std::string w;
        for (int v : q.widths) w += (w.empty() ? "" : ", ") + std::to_string(v);
        return "QKAN(widths=[" + w + "], reps=" + std::to_string(q.reps) + ", readout='" +
               q.readout + "')";
      });

  m.def(
      "train_qkan",
      [](py::object progress, py::kwargs kwargs) {
        TrainQkanConfig o = qkan_keywords().apply(TrainQkanConfig{}, kwargs);
        if (o.task != "regression")
          raise_error("usage", "unknown qkan task '" + o.task + "' (regression)");
        if (o.reps < 1)
          raise_error("usage", "reps must be at least 1 (got " + std::to_string(o.reps) + ")");
        if (o.samples < 1)
          raise_error("usage", "samples must be positive (got " + std::to_string(o.samples) + ")");
        for (int w : o.config.widths)
          if (w < 1) raise_error("usage", "layers must be positive widths");
        for (int r : o.extend)
          if (r < 1) raise_error("usage", "extend must be positive repetitions");
        fit_options(o.config.optimizer, o.config.steps, o.config.lbfgs_iterations,
                    o.config.learning_rate);
        auto& c = o.config;
        c.reps_schedule = o.extend.empty() ? std::vector<int>{o.reps} : o.extend;
        c.readout = readout_of(o.readout);
        c.train_samples = c.test_samples = o.samples;
        RegressionResult r;
        run_interruptible([&](const StopToken&, ProgressSink*) { r = train_regression(c); },
                          reporter_of(progress));
        py::dict d;
        d["task"] = "regression";
        d["function"] = c.function;
        d["optimizer"] = c.optimizer;
        d["readout"] = o.readout;
        d["parameters"] = r.params;
        py::list stages;
        for (const auto& s : r.stages) {
          py::dict sd;
          sd["reps"] = s.reps;
          sd["train_mse"] = s.train_mse;
          sd["test_mse"] = s.test_mse;
          stages.append(sd);
        }
        d["stages"] = stages;
        d["train_mse"] = r.train_mse;
        d["test_mse"] = r.test_mse;
        d["seconds"] = r.seconds;
        return d;
      },
      py::kw_only(), py::arg("progress") = py::none(),
      "`fieldlab train qkan --task regression --json` from Python: keywords task='regression', "
      "function='exp-sin' (or 'product'), layers=[2, 5, 1], reps=3, extend=[] (repetitions per "
      "stage), optimizer='lbfgs' (or 'adam'), steps=200, lbfgs_iterations=20, lr=0.01, "
      "samples=1000, readout='pauli-z', seed=1. Returns the CLI's JSON fields as a dict. "
      "Ctrl-C is raised when the run returns.");
  m.def(
      "train_qkan_defaults", [] { return qkan_keywords().values(TrainQkanConfig{}); },
      "train_qkan's keywords and their defaults (the CLI's).");
  m.def(
      "regression_target",
      [](const std::string& function, py::object x, py::object y) {
        auto a = as_array<double>(x, "x", 1), b = as_array<double>(y, "y", 1);
        if (a.shape(0) != b.shape(0)) raise_error("usage", "x and y differ in length");
        std::vector<double> out(a.shape(0));
        for (py::ssize_t k = 0; k < a.shape(0); ++k)
          out[k] = regression_target(function, a.data()[k], b.data()[k]);
        return copy_of(out, {a.shape(0)});
      },
      py::arg("function"), py::arg("x"), py::arg("y"),
      "The regression targets of train_qkan: 'exp-sin' exp(sin(pi x) + y^2) or 'product' x y.");
}

}  // namespace fieldlab::python
