#include "apps/generate_support.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <sstream>

#include "apps/cli_support.hpp"
#include "core/interrupt.hpp"
#include "core/progress.hpp"
#include "datasets/ensemble.hpp"

namespace fieldlab::apps {
namespace {
bool is_run_control(const std::string& key) {
  return key == "out" || key == "threads" || key == "overwrite" || key == "resume" ||
         key == "quiet";
}
}  // namespace

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

std::string generation_identity(const CLI::App* command) {
  std::string identity;
  std::istringstream lines(effective_config_yaml(command));
  for (std::string line; std::getline(lines, line);) {
    const std::string key = line.substr(0, line.find(':'));
    if (!is_run_control(key)) identity += line + "\n";
  }
  return identity;
}

void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout,
                    std::vector<datasets::Attribute> attributes, const std::string& label,
                    const SolveTrajectory& solve_one) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  const std::string identity = generation_identity(command);
  const bool fresh = !run.resume;
  auto writer = fresh ? datasets::TrajectoryWriter::create(run.out, layout, attributes, identity,
                                                           run.overwrite)
                      : datasets::TrajectoryWriter::resume(run.out, layout, identity);
  const auto pending = writer.pending();
  if (!run.quiet && !fresh)
    fmt::print(stderr, "resuming {}: {} of {} trajectories already done\n", writer.working_path(),
               writer.completed_count(), layout.trajectories);
  install_interrupt_handler();
  datasets::EnsembleOutcome outcome;
  {
    Progress progress(label, static_cast<long long>(pending.size()), run.quiet);
    try {
      outcome = datasets::run_ensemble(
          pending, run.threads, [&](long long index) { return solve_one(index, writer); },
          &progress);
    } catch (...) {
      progress.finish();
      if (fresh) writer.abandon();  // a failed fresh run leaves nothing behind
      throw;
    }
  }
  if (outcome == datasets::EnsembleOutcome::interrupted) {
    fmt::print(stderr, "interrupted: {} of {} trajectories saved in {}; rerun with --resume\n",
               writer.completed_count(), layout.trajectories, writer.working_path());
    std::exit(130);
  }
  writer.finish({{"resumed", static_cast<long long>(!fresh)}});
  if (!run.quiet)
    fmt::print("wrote {}: {} trajectories x {} frames of {}x{} ({})\n", run.out,
               layout.trajectories, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.fields, ", "));
}

}  // namespace fieldlab::apps
