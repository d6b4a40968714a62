#include "apps/generate_support.hpp"

#include <fmt/format.h>

#include "apps/cli_support.hpp"

namespace fieldlab::apps {

void add_generate_run_options(CLI::App* cmd, GenerateRunOptions& run) {
  cmd->option_defaults()->always_capture_default();
  cmd->add_option("--out", run.out, "output HDF5 file")->required();
  cmd->add_option("--dtype", run.dtype, "storage type of fields")
      ->check(CLI::IsMember({"float32", "float64"}));
  add_threads_option(cmd, run.threads);
  auto* overwrite = cmd->add_flag("--overwrite", run.overwrite, "replace an existing output file");
  cmd->add_flag("--resume", run.resume, "complete an interrupted run (same options)")
      ->excludes(overwrite);
  add_quiet_flag(cmd, run.quiet);
  add_config_option(cmd);
}

std::vector<io::Attribute> with_provenance(const CLI::App* command,
                                           std::vector<io::Attribute> attributes) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  return attributes;
}

void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const GenerateCall& generate) {
  datasets::GeneratedFile file;
  {
    InterruptScope interrupt;
    TerminalProgress progress(run.quiet);
    file = generate(with_provenance(command, {}), interrupt.token(), &progress,
                    [&run](const datasets::GeneratedFile& opened) {
                      if (!run.quiet && run.resume)
                        fmt::print(stderr, "resuming {}: {} of {} {} already done\n",
                                   opened.outcome.working_path, opened.outcome.completed,
                                   opened.outcome.total, opened.unit);
                    });
  }
  const auto& outcome = file.outcome;
  if (!outcome.finished()) {
    fmt::print(stderr, "interrupted: {} of {} {} saved in {}; rerun with --resume\n",
               outcome.completed, outcome.total, file.unit, outcome.working_path);
    throw Interrupted{};
  }
  if (!run.quiet) fmt::print("{}\n", file.summary);
}

}  // namespace fieldlab::apps
