// fieldlab train qkan --task regression: fits a small QKAN (DARUAN activations) to a function of
// two variables with L-BFGS or Adam, optionally growing the repetitions in stages (layer
// extension), and prints the train/test MSE after every stage. A subcommand of `train` because it
// is training, but it needs no data file or checkpoint: the targets are generated.

#include <fmt/format.h>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
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
    std::string stages;
    for (std::size_t k = 0; k < r.stages.size(); ++k)
      stages +=
          fmt::format("{}{{\"reps\": {}, \"train_mse\": {:.6g}, \"test_mse\": {:.6g}}}",
                      k ? ", " : "", r.stages[k].reps, r.stages[k].train_mse, r.stages[k].test_mse);
    fmt::print(
        "{{\"task\": \"regression\", \"function\": \"{}\", \"optimizer\": \"{}\", \"readout\": "
        "\"{}\", \"parameters\": {}, \"stages\": [{}], \"train_mse\": {:.6g}, \"test_mse\": "
        "{:.6g}, "
        "\"seconds\": {:.4g}}}\n",
        c.function, c.optimizer, o.readout, r.params, stages, r.train_mse, r.test_mse, r.seconds);
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
  cmd->add_option("--layers", o.config.widths, "widths, 2 inputs ... 1 output")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--reps", o.reps, "DARUAN repetitions (without --extend)")->capture_default_str();
  cmd->add_option("--extend", o.extend,
                  "repetitions per stage, extending the layer between stages (e.g. 1,5,10,15,20)")
      ->delimiter(',');
  cmd->add_option("--optimizer", o.config.optimizer, "lbfgs or adam")->capture_default_str();
  cmd->add_option("--steps", o.config.steps,
                  "per stage: Adam steps, or L-BFGS calls of --lbfgs-iterations iterations")
      ->capture_default_str();
  cmd->add_option("--lbfgs-iterations", o.config.lbfgs_iterations, "iterations per L-BFGS call")
      ->capture_default_str();
  cmd->add_option("--lr", o.config.learning_rate, "Adam learning rate")->capture_default_str();
  cmd->add_option("--samples", o.samples, "training and test points (each)")->capture_default_str();
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
