// fieldlab._core._models: the model part of the bindings (describe, train, load a checkpoint,
// predict, roll out, evaluate), a thin layer over nn/train/training_run.hpp,
// nn/train/evaluation.hpp and quantum::qkan::all_models(), the same calls the CLI's
// describe/train/eval/predict make. The public Python API is python/fieldlab/models.py, which calls
// these.

#include <cmath>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/model.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trained_model.hpp"
#include "nn/train/training_run.hpp"
#include "python/src/binding_support.hpp"
#include "quantum/nn/hqkan.hpp"

namespace fieldlab::python {
namespace {

const nn::ModelRegistry& registry() { return quantum::qkan::all_models(); }

// Every model key of every family once (the CLI's model options): its Python keyword (the long
// option with '-' -> '_'), key name, whether it is a flag, and help with each family's default.
py::list model_keys() {
  py::list out;
  std::vector<std::string> seen;
  for (const auto& entry : registry().entries()) {
    const auto config = entry.default_config(entry.family);
    for (const auto& key : config->keys()) {
      if (key.legacy) continue;
      const std::string family = entry.family + " " + (key.get().empty() ? "\"\"" : key.get());
      bool found = false;
      for (std::size_t i = 0; i < seen.size(); ++i)
        if (seen[i] == key.name) {
          py::dict d = out[i];
          d["families"] = py::str(py::cast<std::string>(d["families"]) + ", " + family);
          found = true;
        }
      if (found) continue;
      seen.push_back(key.name);
      std::string keyword = key.option;
      for (char& c : keyword)
        if (c == '-') c = '_';
      py::dict d;
      d["keyword"] = keyword;
      d["key"] = key.name;
      d["flag"] = key.flag;
      d["help"] = key.help;
      d["families"] = family;
      out.append(d);
    }
  }
  return out;
}

// The training settings as keywords (the CLI's option names, '-' -> '_', its defaults).
const Keywords<nn::TrainingRequest>& train_keywords() {
  static const Keywords<nn::TrainingRequest> k = [] {
    using R = nn::TrainingRequest;
    Keywords<R> w("train");
    const auto setup = [](auto member) {
      using T = std::remove_reference_t<decltype(std::declval<nn::TrainingSetup&>().*member)>;
      return std::make_pair(
          Keywords<R>::Setter(
              [member](R& r, py::handle v) { r.setup.*member = Keywords<R>::cast<T>(v); }),
          Keywords<R>::Getter([member](const R& r) { return py::cast(r.setup.*member); }));
    };
    const auto add = [&](const char* name, auto member) {
      auto [set, get] = setup(member);
      w.add_with(name, set, get);
    };
    w.add_with(
        "fields",
        [](R& r, py::handle v) {
          r.fields = v.is_none() ? std::vector<std::string>{}
                                 : Keywords<R>::cast<std::vector<std::string>>(v);
        },
        [](const R& r) -> py::object {
          if (r.fields.empty()) return py::none();
          return py::cast(r.fields);
        });
    add("epochs", &nn::TrainingSetup::epochs);
    add("batch", &nn::TrainingSetup::batch);
    w.add_with(
        "windows_per_trajectory",
        [](R& r, py::handle v) {
          if (py::isinstance<py::str>(v))
            r.setup.windows_per_trajectory =
                datasets::parse_windows_per_trajectory(py::cast<std::string>(v));
          else
            r.setup.windows_per_trajectory = datasets::parse_windows_per_trajectory(
                std::to_string(Keywords<R>::cast<long long>(v)));
        },
        [](const R& r) -> py::object {
          if (r.setup.windows_per_trajectory == 0) return py::str("all");
          return py::str(std::to_string(r.setup.windows_per_trajectory));
        });
    add("unroll", &nn::TrainingSetup::unroll);
    add("pushforward", &nn::TrainingSetup::pushforward);
    add("lr", &nn::TrainingSetup::lr);
    add("warmup_epochs", &nn::TrainingSetup::warmup_epochs);
    add("weight_decay", &nn::TrainingSetup::weight_decay);
    add("clip", &nn::TrainingSetup::clip);
    add("rollout", &nn::TrainingSetup::rollout);
    add("seed", &nn::TrainingSetup::seed);
    add("max_steps", &nn::TrainingSetup::max_steps);
    add("patience", &nn::TrainingSetup::patience);
    w.add_with(
        "loss_log",
        [](R& r, py::handle v) {
          r.loss_log = v.is_none() ? std::string() : Keywords<R>::cast<std::string>(py::str(v));
        },
        [](const R& r) -> py::object {
          if (r.loss_log.empty()) return py::none();
          return py::str(r.loss_log);
        });
    w.add("resume", &R::resume);
    w.add("overwrite", &R::overwrite);
    w.add("foreground", &R::foreground);
    return w;
  }();
  return k;
}

py::dict epoch_dict(const nn::EpochRecord& r) {
  py::dict d;
  d["epoch"] = r.epoch;
  d["step"] = r.step;
  d["train_loss"] = r.train_loss;
  d["valid_one_step"] = r.valid_one_step;
  d["valid_rollout"] = r.valid_rollout;
  d["lr"] = r.lr;
  d["seconds"] = r.seconds;
  return d;
}

py::dict train(const std::string& model, const std::string& data, const std::string& out,
               const std::string& valid, const nn::ModelKeys& model_keys, const py::dict& options,
               const py::object& reporter) {
  nn::TrainingRequest request;
  py::kwargs kwargs;
  for (auto item : options) kwargs[item.first] = item.second;
  request = train_keywords().apply(request, kwargs);
  request.model = model;
  request.model_keys = model_keys;
  request.data = data;
  request.out = out;
  request.valid = valid;
  std::vector<std::string> messages;
  std::mutex lock;
  nn::TrainingRunCallbacks callbacks;
  callbacks.on_message = [&](const std::string& line) {
    const std::lock_guard<std::mutex> guard(lock);
    messages.push_back(line);
  };
  nn::TrainingRun run;
  run_interruptible(
      [&](const StopToken& stop, ProgressSink* progress) {
        run = nn::run_training(request, registry(), stop, progress, callbacks);
      },
      reporter);
  const auto& s = run.result.state;
  py::dict d;
  d["stop"] = nn::to_string(run.result.stop);
  d["steps"] = s.step;
  d["epoch"] = s.epoch;
  d["losses"] = run.result.losses;
  py::list history;
  for (const auto& r : s.history) history.append(epoch_dict(r));
  d["history"] = history;
  d["checkpoint"] = out;
  d["best"] = run.best;
  d["best_epoch"] = run.best_index >= 0 ? py::object(py::int_(s.history[run.best_index].epoch))
                                        : py::object(py::none());
  d["parameters"] = run.parameters;
  d["fields"] = s.fields;
  d["messages"] = messages;
  return d;
}

// A loaded checkpoint: the model, its normalisation and info (nn::load_trained_model).
class LoadedModel {
 public:
  explicit LoadedModel(const std::string& path)
      : path_(path), trained_(nn::load_trained_model(path, registry())) {
    frames_ = &nn::as_frame_model(*trained_.model);
  }

  const std::string& path() const { return path_; }
  std::string name() const { return trained_.model->name(); }
  const std::vector<std::string>& fields() const { return trained_.norm.fields; }
  int history() const { return frames_->history(); }
  int size_multiple() const { return frames_->size_multiple(); }
  std::string conditioning() const { return frames_->conditioning(); }
  std::string condition_parameter() const { return frames_->condition_parameter(); }
  long long parameters() const {
    return static_cast<long long>(trained_.model->parameters().size());
  }

  py::dict info() const {
    const auto& i = trained_.info;
    py::dict d;
    d["step"] = i.step;
    d["epoch"] = i.epoch;
    d["batch"] = i.batch;
    d["seed"] = i.seed;
    d["fields"] = trained_.norm.fields;
    d["mean"] = trained_.norm.mean;
    d["std"] = trained_.norm.std;
    py::list history;
    for (const auto& r : i.history) history.append(epoch_dict(r));
    d["history"] = history;
    d["best_valid_rollout"] = i.best_valid_rollout;
    d["model_config"] = i.model_config;
    d["config"] = i.config;
    return d;
  }

  std::string describe() const { return trained_.model->describe(); }

  // history: (B, H, C, h, w) physical units -> (B, C, h, w) physical, or (B, steps, C, h, w).
  py::array_t<double> rollout(const py::handle& input, int steps, const py::handle& dt,
                              const py::handle& parameter) {
    if (steps < 1)
      raise_error("usage", "rollout: steps must be at least 1 (got " + std::to_string(steps) + ")");
    auto a = as_array<double>(input, "history", 5);
    const int H = history(), C = static_cast<int>(fields().size());
    const auto B = a.shape(0);
    if (a.shape(1) != H || a.shape(2) != C)
      raise_error("usage",
                  "history: expected shape (B, " + std::to_string(H) + ", " + std::to_string(C) +
                      ", h, w) for " + name() + " (history " + std::to_string(H) + ", fields " +
                      std::to_string(C) + "), got (" + std::to_string(a.shape(0)) + ", " +
                      std::to_string(a.shape(1)) + ", " + std::to_string(a.shape(2)) + ", " +
                      std::to_string(a.shape(3)) + ", " + std::to_string(a.shape(4)) + ")");
    if (B < 1) raise_error("usage", "history: at least one window is needed");
    const int h = static_cast<int>(a.shape(3)), w = static_cast<int>(a.shape(4));
    const std::vector<float> dts = per_window(dt, B, "dt", frames_->conditioned());
    const std::vector<float> params =
        per_window(parameter, B, "parameter", !condition_parameter().empty());
    const std::size_t frame = static_cast<std::size_t>(h) * w;
    const auto& norm = trained_.norm;
    std::vector<float> window(static_cast<std::size_t>(B) * H * C * frame);
    const double* in = a.data();
    for (py::ssize_t b = 0; b < B; ++b)
      for (int k = 0; k < H; ++k)
        for (int c = 0; c < C; ++c) {
          const std::size_t off = ((static_cast<std::size_t>(b) * H + k) * C + c) * frame;
          const double mean = norm.mean[c], inv = 1.0 / norm.std[c];
          for (std::size_t i = 0; i < frame; ++i) {
            if (!std::isfinite(in[off + i]))
              raise_error("usage", "history: holds non-finite values (NaN or inf)");
            window[off + i] = static_cast<float>((in[off + i] - mean) * inv);
          }
        }
    py::array_t<double> out({static_cast<py::ssize_t>(B), static_cast<py::ssize_t>(steps),
                             static_cast<py::ssize_t>(C), static_cast<py::ssize_t>(h),
                             static_cast<py::ssize_t>(w)});
    double* o = out.mutable_data();
    {
      py::gil_scoped_release release;
      apply_call_threads();
      for (int k = 0; k < steps; ++k) {
        const auto pred = nn::predict_windows(*trained_.model, window.data(), static_cast<int>(B),
                                              h, w, dts, params);
        for (py::ssize_t b = 0; b < B; ++b) {
          for (int c = 0; c < C; ++c) {
            const float* p = &pred[(static_cast<std::size_t>(b) * C + c) * frame];
            double* dst = o + ((static_cast<std::size_t>(b) * steps + k) * C + c) * frame;
            for (std::size_t i = 0; i < frame; ++i) dst[i] = p[i] * norm.std[c] + norm.mean[c];
          }
          float* win = &window[static_cast<std::size_t>(b) * H * C * frame];
          std::copy(win + C * frame, win + H * C * frame, win);
          std::copy_n(&pred[static_cast<std::size_t>(b) * C * frame], C * frame,
                      win + (H - 1) * C * frame);
        }
      }
    }
    return out;
  }

  py::dict evaluate(const std::string& data, int rollout, int batch, const py::object& reporter) {
    if (rollout < 0)
      raise_error("usage", "evaluate: rollout must be >= 0 (got " + std::to_string(rollout) + ")");
    if (batch < 1)
      raise_error("usage", "evaluate: batch must be >= 1 (got " + std::to_string(batch) + ")");
    nn::Evaluation e;
    run_interruptible(
        [&](const StopToken& stop, ProgressSink* progress) {
          auto reader = datasets::open_trajectories(data);
          nn::EvaluationOptions options;
          options.rollout = rollout;
          options.batch = batch;
          options.stop = stop;
          options.progress = progress;
          e = nn::evaluate(*trained_.model, *reader, trained_.norm, options);
          if (!e.stopped) nn::require_finite(e, data, path_);
        },
        reporter);
    py::dict d;
    d["checkpoint"] = path_;
    d["data"] = data;
    d["model"] = name();
    d["fields"] = e.fields;
    d["windows"] = e.windows;
    d["trajectories"] = e.trajectories;
    d["rollout_steps"] = e.rollout_steps;
    py::dict one;
    one["model"] = e.one_step_model;
    one["persistence"] = e.one_step_persistence;
    one["model_mean"] = e.one_step_model_mean();
    one["persistence_mean"] = e.one_step_persistence_mean();
    d["one_step"] = one;
    py::dict roll;
    roll["model"] = e.rollout_model;
    roll["persistence"] = e.rollout_persistence;
    roll["model_mean"] = e.rollout_model_mean();
    roll["persistence_mean"] = e.rollout_persistence_mean();
    d["rollout"] = roll;
    return d;
  }

 private:
  // A conditioning value per window: a number (every window), a sequence of B, or None.
  std::vector<float> per_window(const py::handle& v, py::ssize_t B, const std::string& what,
                                bool needed) const {
    if (!needed) {
      if (!v.is_none())
        raise_error("usage", what + ": " + name() + " is not conditioned on " +
                                 (what == "dt" ? std::string("dt") : "a parameter") +
                                 "; leave it out");
      return {};
    }
    if (v.is_none())
      raise_error("usage",
                  what + ": " + name() + " is conditioned (" + conditioning() + ") on dt" +
                      (condition_parameter().empty() ? "" : " and " + condition_parameter()) +
                      "; pass " + what + "=");
    auto a = as_array<float>(v, what);
    if (a.ndim() == 0) return std::vector<float>(static_cast<std::size_t>(B), *a.data());
    if (a.ndim() != 1 || a.shape(0) != B)
      raise_error("usage", what + ": expected a number or " + std::to_string(B) + " values");
    return std::vector<float>(a.data(), a.data() + B);
  }

  std::string path_;
  nn::TrainedModel trained_;
  const nn::FrameModel* frames_ = nullptr;
};

void bind_models(py::module_& root) {
  auto m = root.def_submodule("_models", "Model bindings; use fieldlab.describe/train/load.");
  m.def(
      "known", [] { return registry().known(); }, "The model names: 'sinenet, sinenetK ...'.");
  m.def("model_keys", &model_keys,
        "Every model key of every family once: dicts {keyword, key, flag, help, families}.");
  m.def(
      "describe",
      [](const std::string& model, const nn::ModelKeys& keys) {
        return registry().make(model, keys)->describe();
      },
      py::arg("model"), py::arg("keys"),
      "What `fieldlab describe MODEL` prints: layers and parameter count (keys: key -> text).");
  m.def(
      "train_defaults", [] { return train_keywords().values(nn::TrainingRequest{}); },
      "The training keywords and their defaults (the CLI's train options).");
  m.def("train", &train, py::arg("model"), py::arg("data"), py::arg("out"), py::arg("valid"),
        py::arg("model_keys"), py::arg("options"), py::arg("reporter") = py::none(),
        "nn::run_training: the whole `fieldlab train` run; returns the result dict.");
  py::class_<LoadedModel>(m, "LoadedModel",
                          "A trained model loaded from its checkpoint (use fieldlab.load).")
      .def(py::init<const std::string&>(), py::arg("checkpoint"))
      .def_property_readonly("path", &LoadedModel::path, "The checkpoint path.")
      .def_property_readonly("name", &LoadedModel::name, "The model's registry name.")
      .def_property_readonly("fields", &LoadedModel::fields, "Fields in channel order.")
      .def_property_readonly("history", &LoadedModel::history, "Input frames per prediction.")
      .def_property_readonly("size_multiple", &LoadedModel::size_multiple,
                             "Grid sizes must be multiples of this.")
      .def_property_readonly("conditioning", &LoadedModel::conditioning,
                             "'none', or how dt enters the model ('add', 'adagn').")
      .def_property_readonly("condition_parameter", &LoadedModel::condition_parameter,
                             "The PDE parameter the model is conditioned on ('' for none).")
      .def_property_readonly("parameters", &LoadedModel::parameters, "Parameter count.")
      .def_property_readonly("info", &LoadedModel::info, "Checkpoint info (a new dict).")
      .def("describe", &LoadedModel::describe, "Layer structure and parameter count.")
      .def("rollout", &LoadedModel::rollout, py::arg("history"), py::arg("steps"),
           py::arg("dt") = py::none(), py::arg("parameter") = py::none(),
           "history (B, H, C, h, w) physical -> (B, steps, C, h, w) float64 physical (new array).")
      .def("evaluate", &LoadedModel::evaluate, py::arg("data"), py::arg("rollout") = 0,
           py::arg("batch") = 8, py::arg("reporter") = py::none(),
           "The numbers of `fieldlab eval CKPT --data DATA --json`, as a dict.");
}

}  // namespace

FIELDLAB_PYTHON_PART(models, 40, bind_models);

}  // namespace fieldlab::python
