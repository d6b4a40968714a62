#include "apps/generate_support.hpp"

#include <fmt/format.h>

#include <sstream>

#include "apps/cli_support.hpp"

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

std::vector<io::Attribute> with_provenance(const CLI::App* command,
                                                 std::vector<io::Attribute> attributes) {
  attributes.push_back({"command_line", command_line()});
  attributes.push_back({"config", effective_config_yaml(command)});
  return attributes;
}

void run_generation(const CLI::App* command, const GenerateRunOptions& run,
                    const datasets::TrajectoryLayout& layout,
                    std::vector<io::Attribute> attributes, const std::string& label,
                    const SolveTrajectory& solve_one) {
  const std::string identity = generation_identity(command);
  auto writer = run.resume ? datasets::TrajectoryWriter::resume(run.out, layout, identity)
                           : datasets::TrajectoryWriter::create(
                                 run.out, layout, with_provenance(command, std::move(attributes)),
                                 identity, run.overwrite);
  solve_pending_units(run, writer, layout.trajectories, "trajectories", label, solve_one);
  if (!run.quiet)
    fmt::print("wrote {}: {} trajectories x {} frames of {}x{} ({})\n", run.out,
               layout.trajectories, layout.frames, layout.nx, layout.ny,
               fmt::join(layout.fields, ", "));
}

}  // namespace fieldlab::apps
