// fieldlab train qkan --task regression: fits a small QKAN (DARUAN activations) to a function of
// two variables with L-BFGS or Adam, optionally growing the repetitions in stages (layer
// extension), and prints the train/test MSE after every stage. A subcommand of `train` because it
// is training, but it needs no data file or checkpoint: the targets are generated.

#include <fmt/format.h>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/json_writer.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "quantum/nn/regression.hpp"

namespace fieldlab::apps {
namespace {

struct TrainQkanOptions {
  quantum::qkan::RegressionConfig config;
  std::string task = "regression";
  std::string readout = "pauli-z";
  int reps = 3;
  std::vector<int> extend;
  int samples = 1000;
  bool json = false;
  int threads = 0;
};

void run_train_qkan(TrainQkanOptions& o) {
  require(o.task == "regression", "unknown qkan task '{}' (regression)", o.task);
  require(o.reps >= 1, "--reps must be at least 1 (got {})", o.reps);
  require(o.samples >= 1, "--samples must be positive (got {})", o.samples);
  set_threads(o.threads);
  auto& c = o.config;
  c.reps_schedule = o.extend.empty() ? std::vector<int>{o.reps} : o.extend;
  c.readout = quantum::qkan::parse_readout(o.readout.c_str());
  c.train_samples = c.test_samples = o.samples;
  const auto r = quantum::qkan::train_regression(c);
  if (o.json) {
    JsonWriter j;
    j.begin_object();
    j.key("task").value("regression").key("function").value(c.function);
    j.key("optimizer").value(c.optimizer).key("readout").value(o.readout);
    j.key("parameters").value(r.params).key("stages").begin_array();
    for (const auto& stage : r.stages)
      j.begin_object()
          .key("reps")
          .value(stage.reps)
          .key("train_mse")
          .value(stage.train_mse)
          .key("test_mse")
          .value(stage.test_mse)
          .end_object();
    j.end_array().key("train_mse").value(r.train_mse).key("test_mse").value(r.test_mse);
    j.key("seconds").value(r.seconds).end_object();
    fmt::print("{}\n", j.str());
    if (j.nulls_for_non_finite() > 0)
      fail(ErrorKind::numerical,
           "training diverged: {} loss value(s) are not finite (shown as null); try a smaller "
           "--lr",
           j.nulls_for_non_finite());
    return;
  }
  for (const auto& s : r.stages)
    fmt::print("reps {:>2}: train MSE {:.4g}, test MSE {:.4g}\n", s.reps, s.train_mse, s.test_mse);
  fmt::print("qkan {} on {} ({} parameters, {}, {:.1f} s): test MSE {:.4g}\n",
             fmt::join(c.widths, ","), c.function, r.params, c.optimizer, r.seconds, r.test_mse);
}

}  // namespace

CLI::App* register_train_qkan(CLI::App* train) {
  static TrainQkanOptions o;
  auto* cmd = train->add_subcommand("qkan", "fit a quantum-inspired KAN to a generated target");
  cmd->add_option("--task", o.task, "regression")->capture_default_str();
  cmd->add_option("--function", o.config.function,
                  "target: exp-sin = exp(sin(pi x) + y^2), product")
      ->capture_default_str();
  add_number(cmd, "--layers", o.config.widths, "widths, 2 inputs ... 1 output", positive())
      ->delimiter(',')
      ->capture_default_str();
  add_number(cmd, "--reps", o.reps, "DARUAN repetitions (without --extend)", positive())
      ->capture_default_str();
  add_number(cmd, "--extend", o.extend,
             "repetitions per stage, extending the layer between stages (e.g. 1,5,10,15,20)",
             positive())
      ->delimiter(',');
  cmd->add_option("--optimizer", o.config.optimizer, "lbfgs or adam")->capture_default_str();
  add_number(cmd, "--steps", o.config.steps,
             "per stage: Adam steps, or L-BFGS calls of --lbfgs-iterations iterations", positive())
      ->capture_default_str();
  add_number(cmd, "--lbfgs-iterations", o.config.lbfgs_iterations, "iterations per L-BFGS call",
             positive())
      ->capture_default_str();
  add_number(cmd, "--lr", o.config.learning_rate, "Adam learning rate", positive())
      ->capture_default_str();
  add_number(cmd, "--samples", o.samples, "training and test points (each)", positive())
      ->capture_default_str();
  cmd->add_option("--readout", o.readout, "pauli-z (<Z>) or amplitude-difference (|a| - |b|)")
      ->capture_default_str();
  cmd->add_option("--seed", o.config.seed, "data and initialisation seed")->capture_default_str();
  cmd->add_flag("--json", o.json, "one JSON line instead of text");
  add_threads_option(cmd, o.threads);
  add_config_option(cmd);
  set_command(cmd, [] { run_train_qkan(o); });
  return cmd;
}

}  // namespace fieldlab::apps
