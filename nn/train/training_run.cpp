#include "nn/train/training_run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/model_guard.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/loss_log.hpp"

namespace fieldlab::nn {
namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

void check_checkpoint_target(const std::string& out, bool resume, bool overwrite) {
  const bool exists = std::filesystem::exists(out);
  require(!exists || resume || overwrite,
          "{} exists: pass --resume to continue that run or --overwrite to start over", out);
  require(!(resume && overwrite), "--resume and --overwrite exclude each other");
  require(!resume || exists, "--resume: no checkpoint {} to continue from", out);
  probe_checkpoint_writable(out);
}

void probe_checkpoint_writable(const std::string& path) {
  // A checkpoint path that exists but is not a regular file (a directory, a device) is refused
  // before any training, rather than failing at the first checkpoint's rename.
  for (const std::string& p : {path, best_path(path)}) {
    const auto status = std::filesystem::symlink_status(p);
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
      fail(ErrorKind::usage, "'{}' exists and is not a regular file; refusing to replace it", p);
  }
  const std::string probe = io::temporary_name(path);
  {
    std::ofstream f(probe);
    if (!f)
      fail(ErrorKind::io, "cannot write checkpoint {}: directory missing or not writable", path);
  }
  std::filesystem::remove(probe);
}

TrainingRun run_training(const TrainingRequest& r, const ModelRegistry& registry,
                         const StopToken& stop, ProgressSink* progress,
                         const TrainingRunCallbacks& callbacks) {
  require(!r.model.empty(), "train: name a MODEL ({})", registry.known());
  require(!r.data.empty(), "train {}: --data is required", r.model);
  require(!r.out.empty(), "train {}: --out is required", r.model);
  // The command line's option checks, for callers that did not parse options (Python).
  const auto& st = r.setup;
  require(st.epochs >= 1, "train: epochs must be >= 1 (got {})", st.epochs);
  require(st.batch >= 1, "train: batch must be >= 1 (got {})", st.batch);
  require(st.windows_per_trajectory >= 0, "train: windows_per_trajectory must be >= 1 or 'all'");
  require(st.unroll >= 0, "train: unroll must be >= 0 (got {})", st.unroll);
  require(st.lr > 0 && std::isfinite(st.lr), "train: lr must be > 0 (got {})", st.lr);
  require(st.warmup_epochs >= 0 && std::isfinite(st.warmup_epochs),
          "train: warmup_epochs must be >= 0 (got {})", st.warmup_epochs);
  require(st.weight_decay >= 0 && std::isfinite(st.weight_decay),
          "train: weight_decay must be >= 0 (got {})", st.weight_decay);
  require(st.clip >= 0 && std::isfinite(st.clip), "train: clip must be >= 0 (got {})", st.clip);
  require(st.rollout >= 0, "train: rollout must be >= 0 (got {})", st.rollout);
  require(st.max_steps >= 0, "train: max_steps must be >= 0 (got {})", st.max_steps);
  require(st.patience >= 0 && st.patience <= 1000000,
          "train: patience must be between 0 and 1000000 (got {})", st.patience);
  const auto say = [&](const std::string& line) {
    if (callbacks.on_message) callbacks.on_message(line);
  };
  check_checkpoint_target(r.out, r.resume, r.overwrite);
  // The checkpoints are this run's until it ends: a second run with the same out fails at once
  // instead of interleaving its saves with ours.
  const io::OutputLock out_lock(r.out), best_lock(best_path(r.out));
  io::remove_stale_temporaries(r.out);
  io::remove_stale_temporaries(best_path(r.out));

  auto train = datasets::open_trajectories(r.data);
  std::unique_ptr<datasets::TrajectoryReader> valid_file;
  if (!r.valid.empty()) valid_file = datasets::open_trajectories(r.valid);
  const datasets::TrajectoryReader& valid = valid_file ? *valid_file : *train;

  // The model's configuration from its name and the keys given; its field count from the data.
  ModelKeys keys = r.model_keys;
  const std::vector<std::string> fields = r.fields.empty() ? train->fields() : r.fields;
  auto model_config = registry.default_config(r.model);
  if (model_config->has("fields")) keys["fields"] = std::to_string(fields.size());
  model_config->set_all(keys);
  const std::string identity = training_identity(lower_model_name(r.model), *model_config, r.data,
                                                 r.valid, r.fields, r.setup);
  CheckpointInfo state;
  std::unique_ptr<Model> model;
  if (r.resume) {
    state = read_checkpoint_info(r.out);
    require(canonical_training_identity(state.config, registry) == identity,
            "{} was written by a run with other options (model, data, fields or training "
            "settings differ); resume with the same ones or start over with --overwrite",
            r.out);
    model = registry.from_yaml(state.model_config);
  } else {
    state.fields = fields;
    datasets::require_fields(*train, state.fields);
    model = registry.make(r.model, *model_config);
  }
  const FrameModel& frames = as_frame_model(*model);
  // Before any weight, gradient or optimiser moment exists: the grid must suit the model's
  // downsampling, and its four float copies must fit in memory.
  const auto grid = train->shape();
  require_grid_fits(frames, grid.nx, grid.ny, r.data);
  if (valid_file) require_grid_fits(frames, valid.shape().nx, valid.shape().ny, r.valid);
  check_parameter_memory(*model, 4);
  datasets::require_fields(*train, state.fields);
  datasets::require_fields(valid, state.fields);
  // A file without the model's conditioning values fails here, before the statistics pass.
  if (frames.conditioned()) {
    datasets::WindowConditioning(*train, conditioning_request(*model));
    datasets::WindowConditioning(valid, conditioning_request(*model));
  }

  OptimizerConfig oc;
  oc.kind = OptimizerKind::adamw;
  oc.weight_decay = static_cast<float>(r.setup.weight_decay);
  Optimizer optimizer(oc, model->parameters().size());
  if (r.resume) {
    model->parameters().allocate();
    load_checkpoint(r.out, model->parameters(), &optimizer);
    say(fmt::format("resuming {} at step {} (epoch {}, batch {})", r.out, state.step,
                    state.epoch + 1, state.batch + 1));
  } else {
    model->initialise(r.setup.seed);
    const auto norm = datasets::compute_normalisation(*train, state.fields);
    state.mean = norm.mean;
    state.std = norm.std;
    state.seed = r.setup.seed;
    state.config = identity;
    state.model_config = model->config_yaml();
    for (std::size_t c = 0; c < state.fields.size(); ++c)
      say(fmt::format("normalisation {}: mean {:.6g}, std {:.6g}", state.fields[c], state.mean[c],
                      state.std[c]));
  }
  TrainingRun run;
  run.model = r.model;
  run.parameters = static_cast<long long>(model->parameters().size());
  run.history = frames.history();
  run.best = best_path(r.out);
  say(fmt::format("{} ({} parameters), fields [{}], history {}{}", r.model,
                  model->parameters().size(), join(state.fields), frames.history(),
                  frames.conditioned()
                      ? fmt::format(", conditioned ({}) on dt{}", frames.conditioning(),
                                    frames.condition_parameter().empty()
                                        ? std::string()
                                        : " and " + frames.condition_parameter())
                      : std::string()));

  std::optional<LossLog> log;
  if (!r.loss_log.empty()) log.emplace(r.loss_log, r.resume, r.overwrite, state.step);
  TrainingSetup setup = r.setup;
  setup.out = r.out;
  setup.background = !r.foreground;
  setup.loss_log = log ? log->file() : nullptr;
  setup.progress = progress;
  setup.stop = stop;
  setup.on_epoch = callbacks.on_epoch;
  run.result = train_model(*model, optimizer, *train, valid, state, setup);
  if (log) log->close_checked();
  const auto& history = run.result.state.history;
  for (std::size_t i = 0; i < history.size(); ++i)
    if (run.best_index < 0 || history[i].valid_rollout < history[run.best_index].valid_rollout)
      run.best_index = static_cast<long long>(i);
  return run;
}

}  // namespace fieldlab::nn
