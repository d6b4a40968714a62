// fieldlab qrc --task TASK --model MODEL: reservoir computing on a benchmark series; prints the
// test NRMSE (and, for quantum models, each sub-reservoir's channel spectrum).

#include <fmt/format.h>

#include <memory>

#include "apps/cli_support.hpp"
#include "apps/commands.hpp"
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
    std::string s = fmt::format(
        "{{\"task\": \"{}\", \"model\": \"{}\", \"length\": {}, \"seed\": {}, \"shots\": {}, "
        "\"features\": {}, \"lambda\": {:g}, \"train_nrmse\": {:.6g}, \"validation_nrmse\": "
        "{:.6g}, \"test_nrmse\": {:.6g}, \"seconds\": {:.4g}, \"spectra\": [",
        r.task, r.model, o.config.length, o.config.seed, o.config.shots, r.features,
        r.readout.lambda, r.readout.train_nrmse, r.readout.validation_nrmse, r.readout.test_nrmse,
        r.seconds);
    for (std::size_t k = 0; k < r.spectra.size(); ++k) {
      const auto& sp = r.spectra[k];
      s += fmt::format(
          "{}{{\"time_scale\": {}, \"qubits\": {}, \"measured\": {}, \"second_modulus\": {:.6g}, "
          "\"memory_steps\": {:.4g}, \"leading\": [",
          k ? ", " : "", sp.time_scale, sp.qubits, sp.measured, sp.second_modulus, sp.memory_steps);
      for (std::size_t i = 0; i < sp.leading.size(); ++i)
        s += fmt::format("{}[{:.6g}, {:.6g}]", i ? ", " : "", sp.leading[i].real(),
                         sp.leading[i].imag());
      s += "]}";
    }
    fmt::print("{}]}}\n", s);
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
  cmd->add_option("--length", o->config.length, "series length (steps)")
      ->check(CLI::Range(400, 1000000));
  cmd->add_option("--seed", o->config.seed, "seed of the series and of the random reservoirs");
  cmd->add_option("--shots", o->config.shots,
                  "estimate quantum features from this many shots each (0: exact)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--washout", o->config.split.washout, "initial steps left out of the fit")
      ->check(CLI::Range(0, 100000));
  cmd->add_flag("--json", o->json, "machine-readable output");
  add_threads_option(cmd, o->threads);
  add_config_option(cmd);
  cmd->callback([o] { run_qrc(*o); });
}

}  // namespace fieldlab::apps
