#include "nn/train/trainer.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <span>

#include "core/error.hpp"
#include "nn/ops.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/yaml_strict.hpp"

namespace fieldlab::nn {
namespace {

void save(const std::string& path, const Model& model, Optimizer& optimizer,
          const CheckpointInfo& s) {
  if (!path.empty()) save_checkpoint(path, model.parameters(), &optimizer, s);
}

}  // namespace

UnrolledLoss::UnrolledLoss(int batch, int fields, int history, int steps, int h, int w)
    : B_(batch),
      C_(fields),
      H_(history),
      M_(steps),
      hw_(static_cast<std::size_t>(h) * w),
      frame_shape_{batch, fields, h, w} {
  require(steps >= 1, "--unroll must be at least 1 (got {})", steps);
  frames_.resize(static_cast<std::size_t>(H_) * B_ * C_ * hw_);
  targets_.resize(static_cast<std::size_t>(M_) * B_ * C_ * hw_);
  sequence_.reserve(H_ + M_);
  window_.reserve(H_);
}

Var UnrolledLoss::operator()(const FrameModel& model, Graph& graph, const datasets::Batch& batch,
                             bool pushforward) {
  require(batch.size == B_ && batch.inputs.size() == frames_.size() &&
              batch.targets.size() == targets_.size(),
          "unrolled loss: the batch does not match {} samples, history {}, {} steps", B_, H_, M_);
  const std::size_t block = C_ * hw_;  // one frame of one sample
  for (int s = 0; s < B_; ++s) {
    for (int k = 0; k < H_; ++k)
      std::copy_n(&batch.inputs[(static_cast<std::size_t>(s) * H_ + k) * block], block,
                  &frames_[(static_cast<std::size_t>(k) * B_ + s) * block]);
    for (int j = 0; j < M_; ++j)
      std::copy_n(&batch.targets[(static_cast<std::size_t>(s) * M_ + j) * block], block,
                  &targets_[(static_cast<std::size_t>(j) * B_ + s) * block]);
  }
  for (int k = 0; k < H_; ++k)
    sequence_.push_back(graph.constant(
        Tensor::view(&frames_[static_cast<std::size_t>(k) * B_ * block], frame_shape_)));
  const std::span<const float> dt(batch.dt);
  Var total;
  for (int j = 0; j < M_; ++j) {
    // Pushforward: the earlier steps only make the (model-made) input of the last one.
    const bool trained = !pushforward || j + 1 == M_;
    std::optional<NoGradGuard> no_grad;
    if (!trained) no_grad.emplace(graph);
    window_.assign(sequence_.end() - H_, sequence_.end());
    Var x = H_ == 1 ? window_.front() : concat_channels(window_);
    Var prediction = model.step(
        graph, x,
        {dt.empty() ? dt : dt.subspan(static_cast<std::size_t>(j) * B_, B_), batch.parameter});
    sequence_.push_back(prediction);
    if (!trained) continue;
    Var target = graph.constant(
        Tensor::view(&targets_[static_cast<std::size_t>(j) * B_ * block], frame_shape_));
    Var l = scaled_l2_loss(prediction, target);
    total = pushforward || j == 0 ? l : add(total, l);
  }
  // The handles belong to `graph`, which may die before the next call: drop them now (the
  // vectors keep their capacity, so the next step still allocates nothing).
  sequence_.clear();
  window_.clear();
  return pushforward || M_ == 1 ? total : scale(total, 1.0f / static_cast<float>(M_));
}

void bind_identity_keys(ConfigKeys& k, TrainingSetup& s) {
  k.integer("epochs", s.epochs, 1, 1 << 30, "epochs");
  k.integer("batch", s.batch, 1, 1 << 20, "windows per step");
  ConfigKey w;
  w.name = w.option = "windows-per-trajectory";
  w.help = "random windows per trajectory and epoch, or 'all'";
  w.get = [&s] {
    return s.windows_per_trajectory == 0 ? std::string("all")
                                         : fmt::format("{}", s.windows_per_trajectory);
  };
  w.set = [&s](const std::string& v) {
    s.windows_per_trajectory = datasets::parse_windows_per_trajectory(v);
  };
  k.custom(std::move(w));
  k.integer("unroll", s.unroll, 1, 1 << 10, "predicted frames per training rollout");
  k.flag("pushforward", s.pushforward, "train only the last unrolled step");
  k.real("lr", s.lr, 0.0, 1e30, "peak learning rate");
  k.real("warmup-epochs", s.warmup_epochs, 0.0, 1e9, "linear warm-up length");
  k.real("weight-decay", s.weight_decay, -1e30, 1e30, "AdamW decoupled weight decay");
  k.real("clip", s.clip, -1e30, 1e30, "gradient norm limit (0: off)");
  k.integer("rollout", s.rollout, -(1 << 30), 1 << 30, "validation rollout steps (0: all)");
  ConfigKey seed;
  seed.name = seed.option = "seed";
  seed.help = "initialisation and data-order seed";
  seed.get = [&s] { return fmt::format("{}", s.seed); };
  seed.set = [&s](const std::string& v) {
    try {
      std::size_t used = 0;
      s.seed = std::stoull(v, &used);
      if (used == v.size() && v.front() != '-') return;
    } catch (const std::exception&) {
    }
    fail(ErrorKind::usage, "training: seed must be a non-negative integer, got '{}'", v);
  };
  k.custom(std::move(seed));
  k.integer("patience", s.patience, 0, 1 << 30, "early stopping patience in epochs (0: off)");
}

namespace {

// Every text of an identity through one emitter, so quoting is the same on both sides.
std::string emit_identity(const std::string& model, const ModelConfig& model_config,
                          const std::string& data, const std::string& valid,
                          const std::string& fields, const TrainingSetup& setup) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "model" << YAML::Value << model;
  out << YAML::Key << "data" << YAML::Value << data;
  out << YAML::Key << "valid" << YAML::Value << valid;
  out << YAML::Key << "fields" << YAML::Value << fields;
  for (const auto& key : model_config.keys())
    if (!key.legacy && key.name != "fields")
      out << YAML::Key << key.name << YAML::Value << key.get();
  TrainingSetup copy = setup;
  ConfigKeys training("training");
  bind_identity_keys(training, copy);
  for (const auto& key : training.keys()) out << YAML::Key << key.name << YAML::Value << key.get();
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

std::string join_fields(const std::vector<std::string>& fields) {
  std::string s;
  for (const auto& f : fields) s += (s.empty() ? "" : ",") + f;
  return s;
}

}  // namespace

std::string training_identity(const std::string& model, const ModelConfig& model_config,
                              const std::string& data, const std::string& valid,
                              const std::vector<std::string>& fields, const TrainingSetup& setup) {
  return emit_identity(model, model_config, data, valid, join_fields(fields), setup);
}

std::string canonical_training_identity(const std::string& stored, const ModelRegistry& registry) {
  const YAML::Node root = load_yaml_strict(stored, "training identity");
  require(root.IsMap() && root["model"], "training identity: no model named");
  std::map<std::string, std::string> values;
  for (const auto& entry : root) {
    require(entry.second.IsScalar() || entry.second.IsNull(),
            "training identity: '{}' must be a single value", entry.first.as<std::string>());
    values[entry.first.as<std::string>()] =
        entry.second.IsNull() ? std::string() : entry.second.as<std::string>();
  }
  // Older versions stored the name as typed ("SineNet-6"); the registry's form is lower case.
  const std::string model = lower_model_name(values["model"]);
  auto config = registry.default_config(model);
  ModelKeys model_keys;
  TrainingSetup setup;
  ConfigKeys training("training");
  bind_identity_keys(training, setup);
  for (const auto& [key, value] : values) {
    if (key == "model" || key == "data" || key == "valid" || key == "fields") continue;
    bool known = false;
    for (auto& t : training.keys())
      if (t.name == key) {
        t.set(value);
        known = true;
      }
    if (known) continue;
    require(config->has(key), "training identity: unknown key '{}'", key);
    if (!value.empty()) model_keys[key] = value;  // empty: not given (older versions' form)
  }
  config->set_all(model_keys);
  return emit_identity(model, *config, values["data"], values["valid"], values["fields"], setup);
}

std::string best_path(const std::string& out) {
  const std::filesystem::path p(out);
  const std::string ext = p.has_extension() ? p.extension().string() : ".h5";
  return (p.parent_path() / (p.stem().string() + ".best" + ext)).string();
}

namespace {

// The window loader as the loop's batches; `current` is the batch the step function trains on.
class WindowBatches final : public TrainingBatches {
 public:
  explicit WindowBatches(datasets::WindowLoader& loader) : loader_(loader) {}
  long long batches_per_epoch() const override { return loader_.batches_per_epoch(); }
  void start_epoch(long long epoch, long long first_batch) override {
    loader_.start_epoch(epoch, first_batch);
  }
  bool next() override { return (current_ = loader_.next()) != nullptr; }
  const datasets::Batch& current() const { return *current_; }

 private:
  datasets::WindowLoader& loader_;
  const datasets::Batch* current_ = nullptr;
};

void copy_position(const TrainingPosition& p, CheckpointInfo& s) {
  s.step = p.step;
  s.epoch = p.epoch;
  s.batch = p.batch;
  s.epoch_loss_sum = p.epoch_loss_sum;
}

}  // namespace

TrainingResult train_model(Model& any_model, Optimizer& optimizer,
                           const datasets::TrajectoryReader& train,
                           const datasets::TrajectoryReader& valid, CheckpointInfo state,
                           const TrainingSetup& setup) {
  const FrameModel& model = as_frame_model(any_model);
  require(setup.epochs >= 1, "--epochs must be at least 1");
  require(setup.lr > 0 && std::isfinite(setup.lr), "--lr must be positive");
  require(setup.unroll >= 1, "--unroll must be at least 1 (got {})", setup.unroll);
  require(!setup.pushforward || setup.unroll >= 2,
          "--pushforward needs --unroll 2 or more (it trains the last of the unrolled steps)");
  require(setup.patience >= 0, "--patience must not be negative (got {})", setup.patience);
  require(static_cast<int>(state.fields.size()) == model.fields(),
          "the model has {} fields but {} were selected from the data", model.fields(),
          state.fields.size());
  const datasets::Normalisation norm{state.fields, state.mean, state.std};
  datasets::WindowLoaderConfig lc;
  lc.fields = state.fields;
  lc.history = model.history();
  lc.future = setup.unroll;
  lc.batch = setup.batch;
  lc.seed = state.seed;
  lc.background = setup.background;
  lc.windows_per_trajectory = setup.windows_per_trajectory;
  lc.conditioning = conditioning_request(model);
  datasets::WindowLoader loader(train, lc, norm);
  const int m = model.size_multiple();
  require(loader.height() % m == 0 && loader.width() % m == 0,
          "{}: grid {}x{} is not divisible by {} (the model's downsampling)", train.path(),
          loader.height(), loader.width(), m);

  const long long per_epoch = loader.batches_per_epoch();
  WarmupCosineSchedule schedule;
  schedule.peak_lr = setup.lr;
  schedule.start_lr = schedule.final_lr = std::min(setup.start_lr, setup.lr);
  schedule.warmup_steps = static_cast<long long>(std::llround(setup.warmup_epochs * per_epoch));
  schedule.total_steps = std::max<long long>(1, setup.epochs * per_epoch);

  const int B = loader.batch_size(), C = model.fields(), H = model.history();
  const Shape in_shape{B, static_cast<std::int64_t>(H) * C, loader.height(), loader.width()};
  const Shape out_shape{B, C, loader.height(), loader.width()};
  std::optional<UnrolledLoss> unrolled;
  if (setup.unroll > 1) unrolled.emplace(B, C, H, setup.unroll, loader.height(), loader.width());
  const std::string best = setup.out.empty() ? std::string() : best_path(setup.out);

  WindowBatches batches(loader);
  // The loader's buffers are viewed, not copied: nothing is allocated per step.
  const StepLoss step = [&](Graph& graph) {
    const datasets::Batch& batch = batches.current();
    if (setup.unroll > 1) return (*unrolled)(model, graph, batch, setup.pushforward);
    Var x = graph.constant(Tensor::view(const_cast<float*>(batch.inputs.data()), in_shape));
    Var target = graph.constant(Tensor::view(const_cast<float*>(batch.targets.data()), out_shape));
    return scaled_l2_loss(model.step(graph, x, {batch.dt, batch.parameter}), target);
  };

  // Early stopping replays the recorded epochs, so a resumed run counts as an uninterrupted one.
  EarlyStopping early(setup.patience);
  for (const EpochRecord& r : state.history) early.should_stop(r.valid_rollout);
  auto epoch_start = std::chrono::steady_clock::now();

  TrainLoopCallbacks callbacks;
  callbacks.after_step = [&](const StepRecord& r) {
    if (setup.loss_log) fmt::print(setup.loss_log, "{} {:.9g}\n", r.step, r.loss);
  };
  callbacks.on_stop = [&](const TrainingPosition& p) {
    copy_position(p, state);
    save(setup.out, any_model, optimizer, state);
  };
  callbacks.after_epoch = [&](const TrainingPosition& end, double lr) {
    copy_position(end, state);
    EvaluationOptions eo;
    eo.rollout = setup.rollout;
    eo.batch = B;
    const Evaluation v = evaluate(any_model, valid, norm, eo);
    EpochRecord r;
    r.epoch = state.epoch;
    r.step = state.step;
    r.train_loss = state.epoch_loss_sum / static_cast<double>(per_epoch);
    r.valid_one_step = v.one_step_model_mean();
    r.valid_rollout = v.rollout_model_mean();
    r.lr = lr;
    r.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start).count();
    state.history.push_back(r);
    const bool improved = r.valid_rollout < state.best_valid_rollout;
    if (improved) state.best_valid_rollout = r.valid_rollout;
    if (setup.on_epoch) setup.on_epoch(r, v, improved);
    // The checkpoint points at the next epoch.
    copy_position(next_epoch(end), state);
    save(setup.out, any_model, optimizer, state);
    if (improved && !best.empty()) save(best, any_model, optimizer, state);
    epoch_start = std::chrono::steady_clock::now();
    return early.should_stop(r.valid_rollout);
  };

  TrainLoopOptions lo;
  lo.epochs = setup.epochs;
  lo.max_steps = setup.max_steps;
  lo.clip = setup.clip;
  lo.samples_per_step = B;
  lo.label = "train";
  lo.stop = setup.stop;
  lo.progress = setup.progress;
  TrainLoop loop(any_model.parameters(), optimizer, schedule, lo);
  Graph graph;
  TrainingPosition start{state.step, state.epoch, state.batch, state.epoch_loss_sum};
  TrainLoopResult run = loop.run(batches, graph, step, start, callbacks);
  copy_position(run.position, state);
  TrainingResult result;
  result.stop = run.stop;
  result.state = state;
  result.losses = std::move(run.losses);
  return result;
}

}  // namespace fieldlab::nn
