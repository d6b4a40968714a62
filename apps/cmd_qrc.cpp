// fieldlab qrc --task TASK --model MODEL: reservoir computing on a benchmark series; prints the
// test NRMSE (and, for quantum models, each sub-reservoir's channel spectrum).

#include <fmt/format.h>

#include <memory>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
#include "apps/json_writer.hpp"
#include "apps/option_checks.hpp"
#include "core/error.hpp"
#include "core/threads.hpp"
#include "quantum/qrc/experiment.hpp"

namespace fieldlab::apps {
namespace {

struct QrcOptions {
  quantum::qrc::ExperimentConfig config;
  bool json = false;
  int threads = 0;
};

void run_qrc(const QrcOptions& o) {
  set_threads(o.threads);
  const auto r = quantum::qrc::run_experiment(o.config);
  if (o.json) {
    JsonWriter j;
    j.begin_object();
    j.key("task").value(r.task).key("model").value(r.model).key("length").value(o.config.length);
    j.key("seed").value(o.config.seed).key("shots").value(o.config.shots);
    j.key("features").value(r.features).key("lambda").value(r.readout.lambda);
    j.key("train_nrmse").value(r.readout.train_nrmse);
    j.key("validation_nrmse").value(r.readout.validation_nrmse);
    j.key("test_nrmse").value(r.readout.test_nrmse).key("seconds").value(r.seconds);
    j.key("spectra").begin_array();
    for (const auto& sp : r.spectra) {
      j.begin_object();
      j.key("time_scale").value(sp.time_scale).key("qubits").value(sp.qubits);
      j.key("measured").value(sp.measured).key("second_modulus").value(sp.second_modulus);
      j.key("memory_steps").value(sp.memory_steps).key("leading").begin_array();
      for (const auto& l : sp.leading) j.begin_array().value(l.real()).value(l.imag()).end_array();
      j.end_array().end_object();
    }
    j.end_array().end_object();
    fmt::print("{}\n", j.str());
    if (j.nulls_for_non_finite() > 0)
      fail(ErrorKind::numerical, "{} result value(s) are not finite (shown as null)",
           j.nulls_for_non_finite());
    return;
  }
  fmt::print(
      "task {} model {}: test NRMSE {:.4f} (validation {:.4f}, train {:.4f}, lambda {:g}, "
      "{} features, {:.2f} s)\n",
      r.task, r.model, r.readout.test_nrmse, r.readout.validation_nrmse, r.readout.train_nrmse,
      r.readout.lambda, r.features, r.seconds);
  for (const auto& sp : r.spectra) {
    fmt::print(
        "  sub-reservoir: {} qubits, {} measured, time scale {}: |lambda_2| = {:.4f}, "
        "memory ~{:.1f} steps; leading |lambda|:",
        sp.qubits, sp.measured, sp.time_scale, sp.second_modulus, sp.memory_steps);
    for (const auto& l : sp.leading) fmt::print(" {:.3f}", std::abs(l));
    fmt::print("\n");
  }
}

}  // namespace

void register_qrc(CLI::App& app) {
  auto o = std::make_shared<QrcOptions>();
  auto* cmd = app.add_subcommand(
      "qrc", "reservoir computing (onion quantum reservoirs and baselines) on a benchmark task");
  cmd->add_option("--task", o->config.task, "narma10, mackey-glass, mackey-glass-multi, corrosion")
      ->check(CLI::IsMember(quantum::qrc::task_names()));
  cmd->add_option("--model", o->config.model, "linear, qrc, onion-qrc, esn, onion-esn, hybrid")
      ->check(CLI::IsMember(quantum::qrc::model_names()));
  add_number(cmd, "--length", o->config.length, "series length (steps)", in_range(400, 1000000));
  cmd->add_option("--seed", o->config.seed, "seed of the series and of the random reservoirs");
  add_number(cmd, "--shots", o->config.shots,
             "estimate quantum features from this many shots each (0: exact)", non_negative());
  add_number(cmd, "--washout", o->config.split.washout, "initial steps left out of the fit",
             in_range(0, 100000));
  cmd->add_flag("--json", o->json, "machine-readable output");
  add_threads_option(cmd, o->threads);
  add_config_option(cmd);
  cmd->callback([o] { run_qrc(*o); });
}

}  // namespace fieldlab::apps
