// fieldlab train MODEL --data TRAIN.h5 --out CKPT.h5: trains a one-step surrogate (nn/trainer.hpp)
// with checkpoints every epoch, the best by validation rollout loss in CKPT.best.h5, Ctrl-C and
// --max-steps stops at a step boundary, and --resume continuing exactly.

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/model_options.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/trajectory_reader.hpp"
#include "datasets/window_loader.hpp"
#include "nn/checkpoint.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trainer.hpp"

namespace fieldlab::apps {
namespace {

struct TrainOptions {
  std::string model, data, valid, out, loss_log;
  std::string windows_per_trajectory = "1";
  std::vector<std::string> fields;
  nn::ModelOptions model_options;
  nn::TrainingSetup setup;
  unsigned long long seed = 0;
  int threads = 0;
  bool resume = false, overwrite = false, foreground = false, quiet = false;
};

// Options that steer the run but not what it computes: a resumed run may change them.
bool is_run_control(const std::string& key) {
  return key == "out" || key == "threads" || key == "quiet" || key == "resume" ||
         key == "overwrite" || key == "max-steps" || key == "loss-log" || key == "foreground";
}

std::string training_identity(const CLI::App* command, const TrainOptions& o) {
  std::string identity = "model: " + o.model + "\n";
  std::istringstream lines(effective_config_yaml(command));
  for (std::string line; std::getline(lines, line);)
    if (!is_run_control(line.substr(0, line.find(':')))) identity += line + "\n";
  return identity;
}

// Fails before any training when --out cannot be written (missing directory, no permission).
void probe_writable(const std::string& path) {
  const std::string probe = path + ".tmp";
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

void run_train(const CLI::App* command, TrainOptions& o) {
  require(!o.model.empty(), "train: name a MODEL ({}) or the subcommand qkan", nn::known_models());
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

  auto train = datasets::open_trajectories(o.data);
  std::unique_ptr<datasets::TrajectoryReader> valid_file;
  if (!o.valid.empty()) valid_file = datasets::open_trajectories(o.valid);
  const datasets::TrajectoryReader& valid = valid_file ? *valid_file : *train;

  const std::string identity = training_identity(command, o);
  nn::CheckpointInfo state;
  std::unique_ptr<nn::Model> model;
  if (o.resume) {
    state = nn::read_checkpoint_info(o.out);
    require(state.config == identity,
            "{} was written by a run with other options (model, data, fields or training "
            "settings differ); resume with the same ones or start over with --overwrite",
            o.out);
    model = nn::make_model_from_yaml(state.model_config);
  } else {
    state.fields = o.fields.empty() ? train->fields() : o.fields;
    datasets::require_fields(*train, state.fields);
    o.model_options.fields = static_cast<int>(state.fields.size());
    model = nn::make_model(o.model, o.model_options);
  }
  datasets::require_fields(*train, state.fields);
  datasets::require_fields(valid, state.fields);
  // A file without the model's conditioning values fails here, before the statistics pass.
  if (model->conditioned()) {
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
    model->initialise(o.seed);
    const auto norm = datasets::compute_normalisation(*train, state.fields);
    state.mean = norm.mean;
    state.std = norm.std;
    state.seed = o.seed;
    state.config = identity;
    state.model_config = model->config_yaml();
    if (!o.quiet)
      for (std::size_t c = 0; c < state.fields.size(); ++c)
        fmt::print(stderr, "normalisation {}: mean {:.6g}, std {:.6g}\n", state.fields[c],
                   state.mean[c], state.std[c]);
  }
  if (!o.quiet)
    fmt::print(
        stderr, "{} ({} parameters), fields [{}], history {}{}\n", o.model,
        model->parameters().size(), join(state.fields), model->history(),
        model->conditioned()
            ? fmt::format(", conditioned ({}) on dt{}", model->options().conditioning,
                          model->options().parameter.empty() ? std::string()
                                                             : " and " + model->options().parameter)
            : std::string());

  std::FILE* log = nullptr;
  if (!o.loss_log.empty()) {
    log = std::fopen(o.loss_log.c_str(), o.resume ? "a" : "w");
    if (!log) fail(ErrorKind::io, "cannot write --loss-log {}", o.loss_log);
  }
  nn::TrainingSetup setup = o.setup;
  setup.out = o.out;
  setup.quiet = o.quiet;
  setup.background = !o.foreground;
  setup.loss_log = log;
  nn::TrainingResult result;
  try {
    result = nn::train_model(*model, optimizer, *train, valid, state, setup);
  } catch (...) {
    if (log) std::fclose(log);
    throw;
  }
  if (log) std::fclose(log);
  const auto& s = result.state;
  switch (result.stop) {
    case nn::TrainingStop::interrupted:
      fmt::print(stderr, "interrupted after step {}: saved {}; rerun with --resume\n", s.step,
                 o.out);
      std::exit(130);
    case nn::TrainingStop::max_steps:
      fmt::print("stopped after step {} (--max-steps): saved {}; continue with --resume\n", s.step,
                 o.out);
      return;
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
  cmd->add_option("model", o.model, nn::known_models() + "; or the subcommand qkan");
  cmd->add_option("--data", o.data, "training trajectories (native, PDEArena or PDEBench layout)");
  cmd->add_option("--valid", o.valid, "validation trajectories (default: the training file)");
  cmd->add_option("--out", o.out, "checkpoint (CKPT.h5 = last, CKPT.best.h5 = best)");
  cmd->add_option("--fields", o.fields, "fields in channel order (default: all of the file's)")
      ->delimiter(',');
  add_model_options(cmd, o.model_options, false);
  cmd->add_option("--epochs", o.setup.epochs, "epochs (see --windows-per-trajectory)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--batch", o.setup.batch, "windows per step")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--windows-per-trajectory", o.windows_per_trajectory,
                  "random windows (distinct start times) per trajectory and epoch, or 'all' "
                  "for every start time once")
      ->capture_default_str();
  cmd->add_option("--unroll", o.setup.unroll,
                  "train on autoregressive rollouts of this many predicted frames (loss: mean "
                  "over them)")
      ->capture_default_str();
  cmd->add_flag("--pushforward", o.setup.pushforward,
                "with --unroll M: the first M-1 steps without gradients, train the last only");
  cmd->add_option("--lr", o.setup.lr, "peak learning rate (AdamW)")->capture_default_str();
  cmd->add_option("--warmup-epochs", o.setup.warmup_epochs, "linear warm-up from 1e-7")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--weight-decay", o.setup.weight_decay, "AdamW decoupled weight decay")
      ->capture_default_str();
  cmd->add_option("--clip", o.setup.clip, "gradient norm limit (0: off)")->capture_default_str();
  cmd->add_option("--rollout", o.setup.rollout, "validation rollout steps (0: all)")
      ->capture_default_str();
  cmd->add_option("--seed", o.seed, "initialisation and data-order seed")->capture_default_str();
  cmd->add_option("--max-steps", o.setup.max_steps,
                  "stop with a checkpoint after this many steps in total (0: no limit)")
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
    run_train(cmd, o);
  });
}

}  // namespace fieldlab::apps
