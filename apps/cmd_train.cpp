// fieldlab train MODEL --data TRAIN.h5 --out CKPT.h5: trains a one-step surrogate (nn/trainer.hpp)
// with checkpoints every epoch, the best by validation rollout loss in CKPT.best.h5, Ctrl-C and
// --max-steps stops at a step boundary, and --resume continuing exactly. This file parses, makes
// the StopSource that Ctrl-C sets and the terminal progress, calls nn::run_training
// (nn/train/training_run.hpp: the whole run, shared with Python) and prints.

#include <fmt/format.h>

#include <string>
#include <vector>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/interrupt.hpp"
#include "apps/model_options.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/stop_token.hpp"
#include "core/threads.hpp"
#include "datasets/window_loader.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trainer.hpp"
#include "nn/train/training_run.hpp"

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

void run_train(TrainOptions& o) {
  require(!o.model.empty(), "train: name a MODEL ({}) or a subcommand (qkan, lpinn, pinn)",
          app_models().known());
  require(!o.data.empty(), "train {}: --data is required", o.model);
  require(!o.out.empty(), "train {}: --out is required", o.model);
  set_threads(o.threads);
  o.setup.windows_per_trajectory = datasets::parse_windows_per_trajectory(o.windows_per_trajectory);
  // The orchestration is the library's (nn/train/training_run.hpp, shared with Python); this
  // prints its messages and the closing line.
  nn::TrainingRequest request;
  request.model = o.model;
  request.model_keys = o.model_options.given();
  request.data = o.data;
  request.valid = o.valid;
  request.out = o.out;
  request.loss_log = o.loss_log;
  request.fields = o.fields;
  request.setup = o.setup;
  request.resume = o.resume;
  request.overwrite = o.overwrite;
  request.foreground = o.foreground;
  nn::TrainingRunCallbacks callbacks;
  const int epochs = o.setup.epochs;
  if (!o.quiet) {
    callbacks.on_message = [](const std::string& line) { fmt::print(stderr, "{}\n", line); };
    callbacks.on_epoch = [epochs](const nn::EpochRecord& r, const nn::Evaluation& v, bool best) {
      fmt::print(stderr,
                 "epoch {}/{}: train loss {:.5f}, valid one-step {:.5f}, rollout {:.5f} "
                 "(persistence {:.5f} / {:.5f}){}, {:.1f} s\n",
                 r.epoch + 1, epochs, r.train_loss, r.valid_one_step, r.valid_rollout,
                 v.one_step_persistence_mean(), v.rollout_persistence_mean(), best ? ", best" : "",
                 r.seconds);
    };
  }
  TerminalProgress progress(o.quiet);
  nn::TrainingRun run;
  {
    InterruptScope interrupt;
    run = nn::run_training(request, app_models(), interrupt.token(), &progress, callbacks);
  }
  const auto& s = run.result.state;
  switch (run.result.stop) {
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
  if (run.best_index >= 0) {
    const auto& best = s.history[run.best_index];
    fmt::print("trained {} steps: last checkpoint {}, best {} (epoch {}, valid rollout {:.5f})\n",
               s.step, o.out, run.best, best.epoch + 1, best.valid_rollout);
  }
}

}  // namespace

void register_train(CLI::App& app) {
  static TrainOptions o;
  auto* cmd = app.add_subcommand("train", "train a surrogate model on trajectory data");
  // Not ->required(): `train qkan` (a subcommand) takes none of these; run_train checks them.
  cmd->add_option("model", o.model, app_models().known() + "; or a subcommand: qkan, lpinn, pinn");
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
  const std::vector<CLI::App*> pinn = register_train_pinn(cmd);
  set_command(cmd, [cmd, qkan, pinn] {
    if (qkan->parsed()) return;  // `train qkan` ran its own command
    for (const CLI::App* sub : pinn)
      if (sub->parsed()) return;  // so did `train lpinn` / `train pinn`
    run_train(o);
  });
}

}  // namespace fieldlab::apps
