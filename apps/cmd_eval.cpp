// fieldlab eval CKPT.h5 --data TEST.h5: one-step and rollout relative L2 of a trained model per
// field and per step, next to the persistence baseline on the same windows (nn/evaluation.hpp).
// fieldlab eval CKPT.h5 of `train lpinn|pinn`: relative L2 against the reference, loss terms.

#include <fmt/format.h>

#include <string>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/json_writer.hpp"
#include "apps/model_options.hpp"
#include "apps/option_checks.hpp"
#include "apps/pinn_outputs.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "datasets/trajectory_reader.hpp"
#include "nn/train/evaluation.hpp"
#include "nn/train/trained_model.hpp"

namespace fieldlab::apps {
namespace {

struct EvalOptions {
  std::string checkpoint, data;
  nn::EvaluationOptions eval;
  std::vector<int> grid = {256, 100};  // LPINN/PINN checkpoints: the evaluation grid
  int threads = 0;
  bool json = false;
};

void print_json(const EvalOptions& o, const nn::Model& model, const nn::Evaluation& e) {
  JsonWriter j;
  j.begin_object();
  j.key("checkpoint")
      .value(o.checkpoint)
      .key("data")
      .value(o.data)
      .key("model")
      .value(model.name());
  j.key("fields").begin_array();
  for (const auto& f : e.fields) j.value(f);
  j.end_array();
  j.key("windows").value(e.windows).key("trajectories").value(e.trajectories);
  j.key("rollout_steps").value(e.rollout_steps);
  j.key("one_step").begin_object();
  j.key("model").values(e.one_step_model).key("persistence").values(e.one_step_persistence);
  j.key("model_mean").value(e.one_step_model_mean());
  j.key("persistence_mean").value(e.one_step_persistence_mean());
  j.end_object();
  j.key("rollout").begin_object();
  j.key("model").begin_array();
  for (const auto& step : e.rollout_model) j.values(step);
  j.end_array().key("persistence").begin_array();
  for (const auto& step : e.rollout_persistence) j.values(step);
  j.end_array();
  j.key("model_mean").value(e.rollout_model_mean());
  j.key("persistence_mean").value(e.rollout_persistence_mean());
  j.end_object().end_object();
  fmt::print("{}\n", j.str());
}

void print_text(const EvalOptions& o, const nn::Model& model, const nn::Evaluation& e) {
  fmt::print("{} ({}) on {}: {} one-step windows, {} rollouts of {} steps\n", o.checkpoint,
             model.name(), o.data, e.windows, e.trajectories, e.rollout_steps);
  fmt::print("relative L2 (normalised fields)      model   persistence\n");
  for (std::size_t c = 0; c < e.fields.size(); ++c)
    fmt::print("  one-step {:<20} {:>12.5f} {:>12.5f}\n", e.fields[c], e.one_step_model[c],
               e.one_step_persistence[c]);
  fmt::print("  one-step mean{:<16} {:>12.5f} {:>12.5f}\n", "", e.one_step_model_mean(),
             e.one_step_persistence_mean());
  fmt::print("  rollout mean{:<17} {:>12.5f} {:>12.5f}\n", "", e.rollout_model_mean(),
             e.rollout_persistence_mean());
  fmt::print("rollout per step (mean over fields):\n");
  for (int k = 0; k < e.rollout_steps; ++k) {
    double m = 0, p = 0;
    for (std::size_t c = 0; c < e.fields.size(); ++c) {
      m += e.rollout_model[k][c];
      p += e.rollout_persistence[k][c];
    }
    fmt::print("  step {:>3}{:<20} {:>12.5f} {:>12.5f}\n", k + 1, "", m / e.fields.size(),
               p / e.fields.size());
  }
}

void run_eval(const EvalOptions& o) {
  set_threads(o.threads);
  // An LPINN/PINN checkpoint needs no data: its reference is computed (apps/pinn_outputs.hpp).
  if (is_pinn_file(o.checkpoint))
    return run_eval_pinn(o.checkpoint, {o.grid[0], o.grid[1]}, o.json);
  require(!o.data.empty(),
          "eval: '{}' is not an LPINN/PINN checkpoint; a surrogate checkpoint needs --data",
          o.checkpoint);
  auto trained = nn::load_trained_model(o.checkpoint, app_models());
  auto reader = datasets::open_trajectories(o.data);
  const auto e = nn::evaluate(*trained.model, *reader, trained.norm, o.eval);
  nn::require_finite(e, o.data, o.checkpoint);
  if (o.json)
    print_json(o, *trained.model, e);
  else
    print_text(o, *trained.model, e);
}

}  // namespace

void register_eval(CLI::App& app) {
  static EvalOptions o;
  auto* cmd = app.add_subcommand("eval", "one-step and rollout error of a trained model");
  cmd->add_option("checkpoint", o.checkpoint, "checkpoint written by fieldlab train")->required();
  cmd->add_option("--data", o.data, "test trajectories (not for LPINN/PINN checkpoints)");
  add_number(cmd, "--rollout", o.eval.rollout, "rollout steps (0: all the data allows)",
             non_negative())
      ->capture_default_str();
  add_number(cmd, "--batch", o.eval.batch, "windows per forward pass", positive())
      ->capture_default_str();
  add_number(cmd, "--grid", o.grid, "LPINN/PINN: evaluation grid NX NT", at_least(2))
      ->expected(2)
      ->capture_default_str();
  cmd->add_flag("--json", o.json, "print JSON instead of a table");
  add_threads_option(cmd, o.threads);
  add_config_option(cmd);
  set_command(cmd, [] { run_eval(o); });
}

}  // namespace fieldlab::apps
