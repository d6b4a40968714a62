// fieldlab train MODEL --data TRAIN.h5 --out CKPT.h5: trains a one-step surrogate (nn/trainer.hpp)
// with checkpoints every epoch, the best by validation rollout loss in CKPT.best.h5, Ctrl-C and
// --max-steps stops at a step boundary, and --resume continuing exactly. This file parses, makes
// the StopSource that Ctrl-C sets and the terminal progress, calls the library and prints.

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/interrupt.hpp"
#include "apps/loss_log.hpp"
#include "apps/model_options.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/stop_token.hpp"
#include "core/threads.hpp"
#include "datasets/io/output_file.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/models/model_guard.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trainer.hpp"

namespace fieldlab::apps {
namespace {

struct TrainOptions {
  std::string model, data, valid, out, loss_log;
  std::string windows_per_trajectory = "1";
  std::vector<std::string> fields;
  ModelOptions model_options;
  nn::TrainingSetup setup;
  int threads = 0;
  bool resume = false, overwrite = false, foreground = false, quiet = false;
};

// Fails before any training when --out cannot be written (missing directory, no permission).
// A checkpoint path that exists but is not a regular file (a directory, a device) is refused before
// any training, rather than failing at the first checkpoint's rename.
void probe_writable(const std::string& path) {
  for (const std::string& p : {path, nn::best_path(path)}) {
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

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

void run_train(TrainOptions& o) {
  require(!o.model.empty(), "train: name a MODEL ({}) or the subcommand qkan",
          app_models().known());
  require(!o.data.empty(), "train {}: --data is required", o.model);
  require(!o.out.empty(), "train {}: --out is required", o.model);
  set_threads(o.threads);
  o.setup.windows_per_trajectory = datasets::parse_windows_per_trajectory(o.windows_per_trajectory);
  const bool exists = std::filesystem::exists(o.out);
  require(!exists || o.resume || o.overwrite,
          "{} exists: pass --resume to continue that run or --overwrite to start over", o.out);
  require(!(o.resume && o.overwrite), "--resume and --overwrite exclude each other");
  require(!o.resume || exists, "--resume: no checkpoint {} to continue from", o.out);
  probe_writable(o.out);
  // The checkpoints are this run's until it ends: a second `train --out` of the same file fails
  // at once instead of interleaving its saves with ours.
  const io::OutputLock out_lock(o.out), best_lock(nn::best_path(o.out));
  io::remove_stale_temporaries(o.out);
  io::remove_stale_temporaries(nn::best_path(o.out));

  auto train = datasets::open_trajectories(o.data);
  std::unique_ptr<datasets::TrajectoryReader> valid_file;
  if (!o.valid.empty()) valid_file = datasets::open_trajectories(o.valid);
  const datasets::TrajectoryReader& valid = valid_file ? *valid_file : *train;

  // The model's configuration from its name and the keys given; its field count from the data.
  nn::ModelKeys keys = o.model_options.given();
  const std::vector<std::string> fields = o.fields.empty() ? train->fields() : o.fields;
  auto model_config = app_models().default_config(o.model);
  if (model_config->has("fields")) keys["fields"] = std::to_string(fields.size());
  model_config->set_all(keys);
  const std::string identity = nn::training_identity(nn::lower_model_name(o.model), *model_config,
                                                     o.data, o.valid, o.fields, o.setup);
  nn::CheckpointInfo state;
  std::unique_ptr<nn::Model> model;
  if (o.resume) {
    state = nn::read_checkpoint_info(o.out);
    require(nn::canonical_training_identity(state.config, app_models()) == identity,
            "{} was written by a run with other options (model, data, fields or training "
            "settings differ); resume with the same ones or start over with --overwrite",
            o.out);
    model = app_models().from_yaml(state.model_config);
  } else {
    state.fields = fields;
    datasets::require_fields(*train, state.fields);
    model = app_models().make(o.model, *model_config);
  }
  const nn::FrameModel& frames = nn::as_frame_model(*model);
  // Before any weight, gradient or optimiser moment exists: the grid must suit the model's
  // downsampling, and its four float copies must fit in memory.
  const auto grid = train->shape();
  nn::require_grid_fits(frames, grid.nx, grid.ny, o.data);
  if (valid_file) nn::require_grid_fits(frames, valid.shape().nx, valid.shape().ny, o.valid);
  nn::check_parameter_memory(*model, 4);
  datasets::require_fields(*train, state.fields);
  datasets::require_fields(valid, state.fields);
  // A file without the model's conditioning values fails here, before the statistics pass.
  if (frames.conditioned()) {
    datasets::WindowConditioning(*train, nn::conditioning_request(*model));
    datasets::WindowConditioning(valid, nn::conditioning_request(*model));
  }

  nn::OptimizerConfig oc;
  oc.kind = nn::OptimizerKind::adamw;
  oc.weight_decay = static_cast<float>(o.setup.weight_decay);
  nn::Optimizer optimizer(oc, model->parameters().size());
  if (o.resume) {
    model->parameters().allocate();
    nn::load_checkpoint(o.out, model->parameters(), &optimizer);
    if (!o.quiet)
      fmt::print(stderr, "resuming {} at step {} (epoch {}, batch {})\n", o.out, state.step,
                 state.epoch + 1, state.batch + 1);
  } else {
    model->initialise(o.setup.seed);
    const auto norm = datasets::compute_normalisation(*train, state.fields);
    state.mean = norm.mean;
    state.std = norm.std;
    state.seed = o.setup.seed;
    state.config = identity;
    state.model_config = model->config_yaml();
    if (!o.quiet)
      for (std::size_t c = 0; c < state.fields.size(); ++c)
        fmt::print(stderr, "normalisation {}: mean {:.6g}, std {:.6g}\n", state.fields[c],
                   state.mean[c], state.std[c]);
  }
  if (!o.quiet)
    fmt::print(stderr, "{} ({} parameters), fields [{}], history {}{}\n", o.model,
               model->parameters().size(), join(state.fields), frames.history(),
               frames.conditioned()
                   ? fmt::format(", conditioned ({}) on dt{}", frames.conditioning(),
                                 frames.condition_parameter().empty()
                                     ? std::string()
                                     : " and " + frames.condition_parameter())
                   : std::string());

  std::optional<LossLog> log;
  if (!o.loss_log.empty()) log.emplace(o.loss_log, o.resume, o.overwrite, state.step);
  nn::TrainingSetup setup = o.setup;
  setup.out = o.out;
  setup.background = !o.foreground;
  setup.loss_log = log ? log->file() : nullptr;
  TerminalProgress progress(o.quiet);
  setup.progress = &progress;
  const int epochs = setup.epochs;
  if (!o.quiet)
    setup.on_epoch = [epochs](const nn::EpochRecord& r, const nn::Evaluation& v, bool best) {
      fmt::print(stderr,
                 "epoch {}/{}: train loss {:.5f}, valid one-step {:.5f}, rollout {:.5f} "
                 "(persistence {:.5f} / {:.5f}){}, {:.1f} s\n",
                 r.epoch + 1, epochs, r.train_loss, r.valid_one_step, r.valid_rollout,
                 v.one_step_persistence_mean(), v.rollout_persistence_mean(), best ? ", best" : "",
                 r.seconds);
    };
  nn::TrainingResult result;
  {
    InterruptScope interrupt;
    setup.stop = interrupt.token();
    result = nn::train_model(*model, optimizer, *train, valid, state, setup);
  }
  if (log) log->close_checked();
  const auto& s = result.state;
  switch (result.stop) {
    case nn::TrainingStop::interrupted:
      fmt::print(stderr, "interrupted after step {}: saved {}; rerun with --resume\n", s.step,
                 o.out);
      throw Interrupted{};
    case nn::TrainingStop::max_steps:
      fmt::print("stopped after step {} (--max-steps): saved {}; continue with --resume\n", s.step,
                 o.out);
      return;
    case nn::TrainingStop::early_stop:
      fmt::print("stopped early after epoch {} (--patience {}): saved {}\n", s.epoch,
                 o.setup.patience, o.out);
      break;
    case nn::TrainingStop::finished:
      break;
  }
  if (!s.history.empty()) {
    std::size_t best = 0;
    for (std::size_t i = 0; i < s.history.size(); ++i)
      if (s.history[i].valid_rollout < s.history[best].valid_rollout) best = i;
    fmt::print("trained {} steps: last checkpoint {}, best {} (epoch {}, valid rollout {:.5f})\n",
               s.step, o.out, nn::best_path(o.out), s.history[best].epoch + 1,
               s.history[best].valid_rollout);
  }
}

}  // namespace

void register_train(CLI::App& app) {
  static TrainOptions o;
  auto* cmd = app.add_subcommand("train", "train a surrogate model on trajectory data");
  // Not ->required(): `train qkan` (a subcommand) takes none of these; run_train checks them.
  cmd->add_option("model", o.model, app_models().known() + "; or the subcommand qkan");
  cmd->add_option("--data", o.data, "training trajectories (native, PDEArena or PDEBench layout)");
  cmd->add_option("--valid", o.valid, "validation trajectories (default: the training file)");
  cmd->add_option("--out", o.out, "checkpoint (CKPT.h5 = last, CKPT.best.h5 = best)");
  cmd->add_option("--fields", o.fields, "fields in channel order (default: all of the file's)")
      ->delimiter(',');
  // The model keys from the models' configs; train's --fields names fields, the count follows.
  o.model_options.add_to(cmd, app_models(), {"fields"});
  add_number(cmd, "--epochs", o.setup.epochs, "epochs (see --windows-per-trajectory)", positive())
      ->capture_default_str();
  add_number(cmd, "--batch", o.setup.batch, "windows per step", positive())->capture_default_str();
  cmd->add_option("--windows-per-trajectory", o.windows_per_trajectory,
                  "random windows (distinct start times) per trajectory and epoch, or 'all' "
                  "for every start time once")
      ->capture_default_str();
  add_number(cmd, "--unroll", o.setup.unroll,
             "train on autoregressive rollouts of this many predicted frames (loss: mean "
             "over them)",
             non_negative())
      ->capture_default_str();
  cmd->add_flag("--pushforward", o.setup.pushforward,
                "with --unroll M: the first M-1 steps without gradients, train the last only");
  add_number(cmd, "--lr", o.setup.lr, "peak learning rate (AdamW)", positive())
      ->capture_default_str();
  add_number(cmd, "--warmup-epochs", o.setup.warmup_epochs, "linear warm-up from 1e-7",
             non_negative())
      ->capture_default_str();
  add_number(cmd, "--weight-decay", o.setup.weight_decay, "AdamW decoupled weight decay",
             non_negative())
      ->capture_default_str();
  add_number(cmd, "--clip", o.setup.clip, "gradient norm limit (0: off)", non_negative())
      ->capture_default_str();
  add_number(cmd, "--rollout", o.setup.rollout, "validation rollout steps (0: all)", non_negative())
      ->capture_default_str();
  cmd->add_option("--seed", o.setup.seed, "initialisation and data-order seed")
      ->capture_default_str();
  add_number(cmd, "--max-steps", o.setup.max_steps,
             "stop with a checkpoint after this many steps in total (0: no limit)", non_negative())
      ->capture_default_str();
  add_number(cmd, "--patience", o.setup.patience,
             "stop after this many epochs without a better validation rollout (0: off)",
             in_range(0, 1000000))
      ->capture_default_str();
  cmd->add_option("--loss-log", o.loss_log, "append 'step loss' lines to this file");
  cmd->add_flag("--resume", o.resume, "continue the run saved in --out exactly");
  cmd->add_flag("--overwrite", o.overwrite, "replace an existing --out");
  cmd->add_flag("--foreground", o.foreground, "read batches on the training thread");
  add_threads_option(cmd, o.threads);
  add_quiet_flag(cmd, o.quiet);
  add_config_option(cmd);
  CLI::App* qkan = register_train_qkan(cmd);
  set_command(cmd, [cmd, qkan] {
    if (qkan->parsed()) return;  // `train qkan` ran its own command
    run_train(o);
  });
}

}  // namespace fieldlab::apps
